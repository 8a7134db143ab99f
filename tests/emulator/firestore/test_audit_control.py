"""Control surface as the Firebase CLI and rules-unit-testing use it: rules PUT with the
CLI's ignore_errors flag, clearing, and the command line's defaults."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest

from tests.support.id_tokens import OWNER_HEADERS, bearer

PROJECT = "demo-audit-control"
RULES_URL = f"/emulator/v1/projects/{PROJECT}:securityRules"
DOCS = f"/v1/projects/{PROJECT}/databases/(default)/documents"
OPEN_READS = """rules_version = '2';
service cloud.firestore {
  match /databases/{database}/documents {
    match /{document=**} {
      allow read: if true;
    }
  }
}
"""
UNKNOWN_VARIABLE = OPEN_READS.replace("if true", "if nobody")


def _put(rest: httpx.Client, source: str, **extra: object) -> httpx.Response:
    files = [{"name": "security.rules", "content": source}]
    return rest.put(RULES_URL, json={"rules": {"files": files}, **extra})


def test_put_rules_answers_the_ruleset(rest: httpx.Client) -> None:
    response = _put(rest, OPEN_READS)
    assert response.status_code == 200
    assert response.json()["rules"]["files"][0]["content"] == OPEN_READS
    assert "issues" not in response.json()


def test_cli_ignore_errors_gets_issues_in_a_200_and_the_old_rules_stay(rest: httpx.Client) -> None:
    """The Firebase CLI PUTs with ignore_errors: true and prints body.issues."""
    assert _put(rest, OPEN_READS).status_code == 200
    rest.patch(f"{DOCS}/a/b", headers=OWNER_HEADERS, json={"fields": {}})
    response = _put(rest, UNKNOWN_VARIABLE, ignore_errors=True)
    assert response.status_code == 200
    [issue] = response.json()["issues"]
    assert issue["severity"] == "ERROR"
    assert issue["sourcePosition"] == {"fileName": "security.rules", "line": 5, "column": 0}
    assert "nobody" in issue["description"]
    assert rest.get(f"{DOCS}/a/b", headers=bearer("u")).status_code == 200


def test_syntax_errors_carry_line_and_column(rest: httpx.Client) -> None:
    response = _put(rest, OPEN_READS.replace("if true", "iff true"), ignore_errors=True)
    [issue] = response.json()["issues"]
    assert issue["sourcePosition"]["line"] == 5 and issue["sourcePosition"]["column"] > 0


def test_without_ignore_errors_bad_rules_are_a_400(rest: httpx.Client) -> None:
    response = _put(rest, UNKNOWN_VARIABLE)
    assert response.status_code == 400
    assert response.json()["error"]["status"] == "INVALID_ARGUMENT"


def test_clear_answers_an_empty_object(rest: httpx.Client) -> None:
    response = rest.delete(f"/emulator/v1/projects/{PROJECT}/databases/(default)/documents")
    assert response.status_code == 200
    assert response.json() == {}


@pytest.mark.timeout(60)
def test_help_names_every_flag_and_the_default_port() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "emulator.firestore", "--help"],
        capture_output=True,
        text=True,
        timeout=50,
        check=True,
    )
    for flag in ("--host", "--port", "--rules", "--project", "--import", "--export-on-exit"):
        assert flag in run.stdout
    assert "(default: 8080)" in " ".join(run.stdout.split())  # however the help wraps
