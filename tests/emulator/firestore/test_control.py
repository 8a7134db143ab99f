"""The official emulator's control endpoints, the rules file watcher and the one-port
front door."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from google.cloud import firestore

from emulator.firestore.server import FirestoreEmulator
from tests.emulator.firestore.conftest import BASE_RULES
from tests.support.firestore_clients import ROOT, admin_client, set_rules
from tests.support.id_tokens import OWNER_HEADERS, bearer

DOCS = f"/v1/{ROOT}"
OPEN_RULES = """rules_version = '2';
service cloud.firestore {
  match /databases/{database}/documents {
    match /{document=**} { allow read: if true; }
  }
}
"""


def test_clear_deletes_every_document(rest: httpx.Client, db: firestore.Client) -> None:
    db.document("a/b").set({"v": 1})
    db.document("a/b/c/d").set({"v": 2})
    response = rest.delete(f"/emulator/v1/{ROOT}")
    assert response.status_code == 200
    assert list(db.collection_group("c").stream()) == []
    assert not db.document("a/b").get().exists


def test_clear_is_per_project(rest: httpx.Client, address: str, db: firestore.Client) -> None:
    other = admin_client(address, project="demo-other")
    other.document("a/b").set({"v": 1})
    db.document("a/b").set({"v": 1})
    rest.delete(f"/emulator/v1/{ROOT}")
    assert other.document("a/b").get().exists
    rest.delete("/emulator/v1/projects/demo-other/databases/(default)/documents")
    assert not other.document("a/b").get().exists


def test_put_rules_applies_to_its_project(rest: httpx.Client) -> None:
    project = "demo-put-rules"
    docs = f"/v1/projects/{project}/databases/(default)/documents"
    rest.patch(f"{docs}/any/doc", json={}, headers=OWNER_HEADERS)
    assert rest.get(f"{docs}/any/doc").status_code == 403  # file rules: no match
    assert set_rules(rest, OPEN_RULES, project).status_code == 200
    assert rest.get(f"{docs}/any/doc").status_code == 200
    assert rest.get(f"{DOCS}/any/doc").status_code == 403  # other project unchanged


@pytest.mark.parametrize("source", ["this is not rules", "service cloud.firestore {"])
def test_put_bad_rules_is_400_and_keeps_the_old_ones(rest: httpx.Client, source: str) -> None:
    project = "demo-bad-rules"
    docs = f"/v1/projects/{project}/databases/(default)/documents"
    assert set_rules(rest, OPEN_RULES, project).status_code == 200
    rest.patch(f"{docs}/any/doc", json={}, headers=OWNER_HEADERS)
    response = set_rules(rest, source, project)
    assert response.status_code == 400
    assert response.json()["error"]["status"] == "INVALID_ARGUMENT"
    assert rest.get(f"{docs}/any/doc").status_code == 200


def test_put_rules_needs_the_documented_body(rest: httpx.Client) -> None:
    response = rest.put("/emulator/v1/projects/demo-x:securityRules", json={"rules": "x"})
    assert response.status_code == 400


def _wait_for_status(rest: httpx.Client, url: str, status: int, **kwargs: object) -> int:
    got = 0
    for _ in range(100):  # bounded: the watcher polls every 0.25 s
        got = rest.get(url, **kwargs).status_code
        if got == status:
            break
        time.sleep(0.05)
    return got


@pytest.fixture
def restore_rules(rules_file: Path) -> Iterator[Path]:
    yield rules_file
    rules_file.write_text(BASE_RULES)
    time.sleep(0.01)


def test_rules_file_is_reloaded_when_it_changes(
    rest: httpx.Client, db: firestore.Client, restore_rules: Path
) -> None:
    db.document("any/doc").set({"v": 1})
    assert rest.get(f"{DOCS}/any/doc").status_code == 403
    restore_rules.write_text(OPEN_RULES)
    assert _wait_for_status(rest, f"{DOCS}/any/doc", 200) == 200
    restore_rules.write_text(BASE_RULES + "\n// touched\n")
    assert _wait_for_status(rest, f"{DOCS}/any/doc", 403) == 403


def test_broken_rules_file_keeps_the_previous_rules(
    rest: httpx.Client, db: firestore.Client, restore_rules: Path
) -> None:
    db.document("public/p").set({"v": 1})
    restore_rules.write_text("rules_version = '2'; service cloud.firestore { match")
    time.sleep(0.6)  # two watcher polls
    assert rest.get(f"{DOCS}/public/p").status_code == 200
    response = rest.patch(f"{DOCS}/public/p", json={}, headers=bearer("alice"))
    assert response.status_code == 200


def test_front_door_survives_garbage_and_half_open_connections(
    address: str, rest: httpx.Client
) -> None:
    host, port = address.split(":")
    for payload in (b"", b"\x00\x01garbage\r\n\r\n", b"PRI * HTTP/2.0\r\n"):
        with socket.create_connection((host, int(port)), timeout=2) as raw:
            raw.sendall(payload)
            raw.shutdown(socket.SHUT_WR)
            raw.settimeout(2)
            try:
                while raw.recv(4096):
                    pass
            except (TimeoutError, ConnectionError):
                pass
    assert rest.get("/").status_code == 200
    assert rest.get(f"{DOCS}/public/x", headers=OWNER_HEADERS).status_code == 404


def test_rest_and_grpc_share_the_port(rest: httpx.Client, db: firestore.Client) -> None:
    db.document("c/a").set({"via": "grpc"})
    got = rest.get(f"{DOCS}/c/a", headers=OWNER_HEADERS).json()
    assert got["fields"] == {"via": {"stringValue": "grpc"}}


def test_start_on_a_busy_port_fails_cleanly() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        server = FirestoreEmulator(port=busy.getsockname()[1])
        with pytest.raises(OSError):
            server.start()


def test_concurrent_rest_and_grpc_clients(address: str, db: firestore.Client) -> None:
    """Many connections at once through the one port, both protocols, no cross-talk."""
    errors: list[BaseException] = []

    def rest_worker(index: int) -> None:
        try:
            with httpx.Client(base_url=f"http://{address}{DOCS}", headers=OWNER_HEADERS) as client:
                for step in range(10):
                    body = {"fields": {"step": {"integerValue": str(step)}}}
                    client.patch(f"/load/rest{index}", json=body).raise_for_status()
                    got = client.get(f"/load/rest{index}").json()
                    assert got["fields"]["step"]["integerValue"] == str(step)
        except BaseException as error:  # reported by the assertion below
            errors.append(error)

    def grpc_worker(index: int) -> None:
        try:
            for step in range(10):
                db.document(f"load/grpc{index}").set({"step": step})
                assert db.document(f"load/grpc{index}").get().get("step") == step
        except BaseException as error:
            errors.append(error)

    threads = [
        threading.Thread(target=worker, args=(i,))
        for i in range(8)
        for worker in (rest_worker, grpc_worker)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(list(db.collection("load").stream())) == 16
