"""Registrations are throttled per address: counted before the password is hashed, taken
usernames included, so one address cannot mint throwaway accounts (each an argon2id hash)
or probe usernames in bulk; other addresses are unaffected, and refused input costs nothing."""

from __future__ import annotations

import json
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import flask
import pytest
from sqlalchemy import text

LIMIT = 3
ADDRESS = "192.0.2.60"


@pytest.fixture(autouse=True)
def low_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REGISTER_MAX_PER_ADDRESS", str(LIMIT))


def register(call: Any, username: str, address: str = ADDRESS, **more: Any) -> Any:
    data = {"username": username, "password": "a good pass 9", "displayName": "R", **more}
    return call("register", data, address=address)


def fresh_name() -> str:
    return f"rt_{uuid.uuid4().hex[:12]}"


def accounts_named(rows: Any, *names: str) -> int:
    found = rows("SELECT id FROM users WHERE username = ANY(:names)", names=list(names))
    return len(found)


def test_registrations_past_the_limit_are_refused_and_create_nothing(call, rows) -> None:
    names = [fresh_name() for _ in range(LIMIT - 1)]
    assert all(register(call, name).ok for name in names)
    # A taken name counts too: probing names spends the same budget.
    assert register(call, names[0]).status == "ALREADY_EXISTS"
    late = fresh_name()
    refused = register(call, late)
    assert refused.status == "RESOURCE_EXHAUSTED"
    assert 1 <= refused.details["retryAfterSeconds"] <= 900
    assert accounts_named(rows, late) == 0
    assert accounts_named(rows, *names) == LIMIT - 1
    # Refused attempts are not counted: the bucket stays at the limit, not past it.
    (bucket,) = rows(
        "SELECT failures FROM login_throttle WHERE bucket = :b", b=f"register:{ADDRESS}"
    )
    assert bucket.failures == LIMIT


def test_another_address_keeps_its_own_budget(call, rows) -> None:
    for _ in range(LIMIT):
        assert register(call, fresh_name()).ok
    assert register(call, fresh_name()).status == "RESOURCE_EXHAUSTED"
    elsewhere = fresh_name()
    assert register(call, elsewhere, address="192.0.2.61").ok
    assert accounts_named(rows, elsewhere) == 1


def test_input_refused_by_the_schema_is_not_counted(call) -> None:
    for _ in range(LIMIT + 2):
        assert register(call, "x").status == "INVALID_ARGUMENT"  # too short: no hash spent
        assert register(call, fresh_name(), password="password").status == "INVALID_ARGUMENT"
    for _ in range(LIMIT):
        assert register(call, fresh_name()).ok


def test_logins_do_not_spend_the_registration_budget(call, new_user) -> None:
    user = new_user()
    good = {"usernameOrEmail": user["username"], "password": user["password"]}
    for _ in range(LIMIT + 1):
        assert call("login", good, address=ADDRESS).ok
    assert register(call, fresh_name()).ok


def test_parallel_registrations_from_one_address_create_at_most_the_limit(
    committed, main_module, engine
) -> None:
    """A burst of simultaneous registrations (a script, not a form) is counted atomically:
    no more accounts than the limit, every other answer RESOURCE_EXHAUSTED."""
    app = flask.Flask("burst")

    def register_from_address(data: dict[str, str]) -> tuple[int, dict[str, Any]]:
        environ = {"REMOTE_ADDR": ADDRESS}
        body = {"data": data}
        with app.test_request_context("/", method="POST", json=body, environ_base=environ):
            response = main_module.register(flask.request)
        return response.status_code, json.loads(response.get_data())

    names = [fresh_name() for _ in range(20)]
    data = [{"username": n, "password": "a good pass 9", "displayName": "R"} for n in names]
    try:
        with ThreadPoolExecutor(max_workers=20) as pool:
            answers = [body for _, body in pool.map(register_from_address, data)]
        created = [a["result"]["uid"] for a in answers if "result" in a]
        committed.uids.extend(created)
        assert 1 <= len(created) <= LIMIT
        refused = [a["error"]["status"] for a in answers if "error" in a]
        assert refused == ["RESOURCE_EXHAUSTED"] * (20 - len(created))
        with engine.connect() as conn:
            made = conn.execute(
                text("SELECT count(*) FROM users WHERE username = ANY(:n)"), {"n": names}
            ).scalar_one()
        assert made == len(created)
    finally:
        with engine.begin() as conn:
            conn.execute(
                text("DELETE FROM login_throttle WHERE bucket = :b"), {"b": f"register:{ADDRESS}"}
            )
