"""Login throttling that stops guessing without handing attackers a lockout.

Each attempt is counted atomically before its password is checked (so parallel guesses
cannot slip past the limit); failures from unknown clients lock the account for unknown
clients only, while a device that logged in before presents its deviceToken and keeps
its own, separate budget (OWASP "device cookies").
"""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from flowchat.services import passwords
from sqlalchemy import Engine, text

LIMIT = 5  # LOGIN_MAX_FAILURES_PER_ACCOUNT and LOGIN_MAX_FAILURES_PER_DEVICE defaults


@pytest.fixture
def password_checks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts argon2id verifications (thread-safe)."""
    seen: list[int] = []
    lock = threading.Lock()
    real = passwords.verify

    def counting(password_hash: str | None, password: str) -> bool:
        with lock:
            seen.append(1)
        return real(password_hash, password)

    monkeypatch.setattr(passwords, "verify", counting)
    return seen


@pytest.fixture
def owner(committed, engine: Engine) -> Any:
    user = committed.user("own")
    yield user
    with engine.begin() as conn:
        conn.execute(
            text("DELETE FROM login_throttle WHERE bucket LIKE :b"), {"b": f"%{user['uid']}%"}
        )
        conn.execute(text("DELETE FROM login_throttle WHERE bucket LIKE 'device:%'"))


def _login(call, user: dict[str, str], password: str, **extra: Any) -> Any:
    return call("login", {"usernameOrEmail": user["username"], "password": password, **extra})


def test_forty_parallel_wrong_guesses_check_at_most_the_limit(
    committed, owner, password_checks
) -> None:
    with ThreadPoolExecutor(max_workers=40) as pool:
        answers = list(
            pool.map(lambda i: _login(committed.call, owner, f"wrong guess {i}"), range(40))
        )
    statuses = sorted(a.status for a in answers)
    assert len(password_checks) <= LIMIT
    assert statuses.count("UNAUTHENTICATED") == len(password_checks)
    assert statuses.count("RESOURCE_EXHAUSTED") == 40 - len(password_checks)
    assert all(a.http_status in (401, 429) for a in answers)


def test_an_attacker_elsewhere_cannot_lock_the_owner_out(committed, owner, password_checks) -> None:
    first = _login(committed.call, owner, "correct horse 1").result
    device = first["deviceToken"]
    assert isinstance(device, str) and len(device) >= 40

    attacker = [_login(committed.call, owner, f"guess {i}").status for i in range(20)]
    assert attacker[:LIMIT] == ["UNAUTHENTICATED"] * LIMIT
    assert set(attacker[LIMIT:]) == {"RESOURCE_EXHAUSTED"}
    checks_by_attacker = len(password_checks) - 1
    assert checks_by_attacker == LIMIT  # the guesses that reached argon2id stay bounded

    # Unknown clients are locked out, even with the right password...
    assert _login(committed.call, owner, "correct horse 1").status == "RESOURCE_EXHAUSTED"
    # ...but the owner's own device is not.
    again = _login(committed.call, owner, "correct horse 1", deviceToken=device).result
    assert again["uid"] == owner["uid"] and again["deviceToken"] == device


def test_a_device_token_has_its_own_bounded_budget_for_its_account_only(
    committed, owner, password_checks
) -> None:
    device = _login(committed.call, owner, "correct horse 1").result["deviceToken"]
    other = committed.user("oth")
    # A stolen token buys at most LIMIT guesses of its own account, then that device locks.
    stolen = [
        _login(committed.call, owner, f"guess {i}", deviceToken=device).status for i in range(8)
    ]
    assert stolen == ["UNAUTHENTICATED"] * LIMIT + ["RESOURCE_EXHAUSTED"] * 3
    # Unknown clients still have the account's budget: the device lockout is the device's.
    assert _login(committed.call, owner, "correct horse 1").ok
    # A token counts only for its own account; forged or foreign tokens are unknown clients.
    for token in (device, "forged-" + uuid.uuid4().hex, "x" * 129):
        out = _login(committed.call, other, "wrong one", deviceToken=token)
        assert out.status in ("UNAUTHENTICATED", "INVALID_ARGUMENT")
    budget = [_login(committed.call, other, f"g{i}").status for i in range(LIMIT)]
    assert budget.count("RESOURCE_EXHAUSTED") >= 2  # the foreign-token attempts counted


def test_register_returns_a_device_token_that_login_accepts(committed, engine) -> None:
    username = f"reg_{uuid.uuid4().hex[:10]}"
    out = committed.call(
        "register", {"username": username, "password": "a good pass 9", "displayName": "R"}
    ).result
    committed.uids.append(out["uid"])
    user = {"username": username, "uid": out["uid"]}
    try:
        for i in range(LIMIT + 1):
            _login(committed.call, user, f"bad {i}")
        assert _login(committed.call, user, "a good pass 9").status == "RESOURCE_EXHAUSTED"
        ok = _login(committed.call, user, "a good pass 9", deviceToken=out["deviceToken"])
        assert ok.result["uid"] == out["uid"]
    finally:
        with engine.begin() as conn:
            conn.execute(
                text("DELETE FROM login_throttle WHERE bucket LIKE :b"), {"b": f"%{out['uid']}%"}
            )
