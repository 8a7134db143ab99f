"""Rules coverage over HTTP: Firestore ``:ruleCoverage`` (+ ``.html``) and RTDB
``/.inspect/coverage``, after requests from real users under small rules."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.support.id_tokens import bearer, claims_bearer

PROJECT = "demo-coverage"
FIRESTORE_RULES = """rules_version = '2';
service cloud.firestore {
  match /databases/{database}/documents {
    match /owned/{uid} {
      allow get: if request.auth != null && request.auth.uid == uid;
      allow delete: if request.auth.token.admin == true;
    }
  }
}
"""
DATABASE_RULES = """{
  // comments are allowed, and must not shift positions
  "rules": {
    "owned": {
      "$uid": {
        ".read": "auth != null && auth.uid === $uid",
        ".write": false
      }
    }
  }
}
"""


@pytest.fixture(scope="module")
def firestore() -> Iterator[str]:
    from emulator.firestore.server import FirestoreEmulator

    emulator = FirestoreEmulator(port=0)
    emulator.start()
    base = f"http://{emulator.address}"
    put = httpx.put(
        f"{base}/emulator/v1/projects/{PROJECT}:securityRules",
        json={"rules": {"files": [{"name": "firestore.rules", "content": FIRESTORE_RULES}]}},
    )
    assert put.status_code == 200, put.text
    try:
        yield base
    finally:
        emulator.stop()


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    from emulator.database.server import DatabaseEmulator

    emulator = DatabaseEmulator(port=0)
    emulator.start()
    base = f"http://{emulator.address}"
    put = httpx.put(
        f"{base}/.settings/rules.json",
        params={"ns": "cov"},
        headers={"Authorization": "Bearer owner"},
        content=DATABASE_RULES,
    )
    assert put.status_code == 200, put.text
    try:
        yield base
    finally:
        emulator.stop()


def _by_text(report: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Each expression's source text -> its values."""
    file = report["rules"]["files"][0]
    content = file["content"]
    found = {}
    for node in file["expressions"]:
        position = node["sourcePosition"]
        found[content[position["currentOffset"] : position["endOffset"] + 1]] = node["values"]
    return found


def test_firestore_coverage_counts_values_per_expression(firestore: str) -> None:
    document = f"{firestore}/v1/projects/{PROJECT}/databases/(default)/documents/owned/alice"
    assert httpx.get(document, headers=bearer("alice")).status_code == 404  # allowed, absent
    assert httpx.get(document, headers=bearer("alice")).status_code == 404
    assert httpx.get(document, headers=bearer("mallory")).status_code == 403
    assert httpx.get(document).status_code == 403
    answer = httpx.get(f"{firestore}/emulator/v1/projects/{PROJECT}:ruleCoverage")
    assert answer.status_code == 200
    report = answer.json()
    assert report["rules"]["files"][0]["content"] == FIRESTORE_RULES
    values = _by_text(report)
    condition = "request.auth != null && request.auth.uid == uid"
    assert sorted((v["value"]["boolValue"], v["count"]) for v in values[condition]) == [
        (False, 2),
        (True, 2),
    ]
    assert values["request.auth.uid == uid"] == [
        {"value": {"boolValue": True}, "count": 2},
        {"value": {"boolValue": False}, "count": 1},
    ]
    # never reached: the delete rule
    assert values["request.auth.token.admin == true"] == []
    top = report["report"]
    condition_node = next(n for n in top if n["sourcePosition"]["line"] == 5)
    assert condition_node["sourcePosition"]["column"] == 21
    assert condition_node["children"], "sub-expressions nest under their expression"


def test_firestore_coverage_html_and_errors(firestore: str) -> None:
    page = httpx.get(f"{firestore}/emulator/v1/projects/{PROJECT}:ruleCoverage.html")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "never evaluated" in page.text and "request.auth.token.admin" in page.text
    missing = httpx.get(f"{firestore}/emulator/v1/projects/unknown:ruleCoverage")
    assert missing.status_code == 400 and "No rules" in missing.text
    assert httpx.get(f"{firestore}/emulator/v1/projects/{PROJECT}:nope").status_code == 404


def test_database_coverage_counts_rule_values(database: str) -> None:
    alice = {"sub": "alice", "user_id": "alice"}
    read = f"{database}/owned/alice.json"
    assert httpx.get(read, params={"ns": "cov"}, headers=claims_bearer(alice)).status_code == 200
    assert httpx.get(read, params={"ns": "cov"}).status_code == 401
    answer = httpx.get(f"{database}/.inspect/coverage", params={"ns": "cov"})
    assert answer.status_code == 200
    report = answer.json()
    assert report["rules"]["files"][0]["content"] == DATABASE_RULES
    values = _by_text(report)
    assert sorted(
        (v["value"]["boolValue"], v["count"]) for v in values['"auth != null && auth.uid === $uid"']
    ) == [(False, 1), (True, 1)]
    assert values["false"] == []  # .write never evaluated
    node = report["report"][0]["sourcePosition"]
    assert (node["line"], node["column"]) == (6, 18)
    same = httpx.get(f"{database}/.inspect/coverage.json", params={"ns": "cov"}).json()
    assert same["report"] == report["report"]
    page = httpx.get(
        f"{database}/.inspect/coverage", params={"ns": "cov"}, headers={"Accept": "text/html"}
    )
    assert page.headers["content-type"].startswith("text/html")
    assert "auth.uid === $uid" in page.text
