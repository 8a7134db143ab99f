"""The Emulator Hub of ``python -m emulator``: discovery and the trigger switch, over HTTP."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from google.cloud import firestore

from tests.support.local_emulators import running_stack

SAMPLE = Path(__file__).parents[1] / "triggers" / "sample_functions.py"


@pytest.fixture(scope="module")
def stack() -> Iterator[Any]:
    """A stack with triggers and a hub on free ports, announcing a (made-up) auth emulator."""
    from emulator.hub import HubEntry

    auth = HubEntry("auth", "127.0.0.1", 9099)
    with running_stack(hub_port=0, functions_source=str(SAMPLE), announced=(auth,)) as running:
        yield running


def _hub(stack: Any, path: str) -> str:
    return f"http://{stack.hub_address}{path}"


def test_emulators_lists_each_running_emulator(stack: Any) -> None:
    body = requests.get(_hub(stack, "/emulators"), timeout=5).json()
    assert set(body) == {"firestore", "database", "hub", "auth"}
    firestore_host, firestore_port = stack.firestore_address.rsplit(":", 1)
    assert body["firestore"]["name"] == "firestore"
    assert body["firestore"]["host"] == firestore_host
    assert body["firestore"]["port"] == int(firestore_port)
    assert body["firestore"]["listen"] == [
        {"address": firestore_host, "family": "IPv4", "port": int(firestore_port)}
    ]
    assert f"{body['database']['host']}:{body['database']['port']}" == stack.database_address
    assert f"{body['hub']['host']}:{body['hub']['port']}" == stack.hub_address
    assert body["auth"]["port"] == 9099


def test_root_is_the_locator(stack: Any) -> None:
    body = requests.get(_hub(stack, "/"), timeout=5).json()
    assert body["origins"] == [f"http://{stack.hub_address}"]
    assert body["pid"] == os.getpid()


def test_environment_names_the_hub(stack: Any) -> None:
    assert stack.environment()["FIREBASE_EMULATOR_HUB"] == stack.hub_address


def test_disabled_triggers_get_no_event_and_resume(stack: Any) -> None:
    from emulator.triggers.loader import load_module

    received = load_module(SAMPLE).received
    client = firestore.Client(project="demo-flowchat")
    disabled = requests.put(_hub(stack, "/functions/disableBackgroundTriggers"), timeout=5)
    assert (disabled.status_code, disabled.json()) == (200, {"enabled": False})
    try:
        received.clear()
        client.document("logs/while-disabled").set({"v": 1})
        assert stack.triggers.wait_idle(10)
        assert [r for r in received if r["name"] == "log_created"] == []
    finally:
        enabled = requests.put(_hub(stack, "/functions/enableBackgroundTriggers"), timeout=5)
    assert (enabled.status_code, enabled.json()) == (200, {"enabled": True})
    client.document("logs/after-enable").set({"v": 1})
    assert stack.triggers.wait_idle(10)
    assert [r["params"] for r in received if r["name"] == "log_created"] == [
        {"logId": "after-enable"}
    ]


def test_switch_without_functions_is_a_400() -> None:
    from emulator.hub import EmulatorHub

    hub = EmulatorHub(host="127.0.0.1", port=0, entries=list, triggers=lambda: None)
    hub.start()
    try:
        answer = requests.put(
            f"http://{hub.address}/functions/disableBackgroundTriggers", timeout=5
        )
        assert answer.status_code == 400
        assert answer.json() == {"error": "The Cloud Functions emulator is not running."}
        assert requests.get(f"http://{hub.address}/emulators", timeout=5).json().keys() == {"hub"}
        assert requests.get(f"http://{hub.address}/nope", timeout=5).status_code == 404
    finally:
        hub.stop()


def test_cli_flags() -> None:
    from emulator.__main__ import build_parser, settings_from
    from emulator.hub import HubEntry

    defaults = settings_from(build_parser().parse_args([]))
    assert defaults.hub_port == 4400
    args = build_parser().parse_args(
        [
            "--hub-port",
            "0",
            "--announce",
            "auth=127.0.0.1:9099",
            "--announce",
            "functions=127.0.0.1:5001",
        ]
    )
    settings = settings_from(args)
    assert settings.hub_port == 0
    assert settings.announced == (
        HubEntry("auth", "127.0.0.1", 9099),
        HubEntry("functions", "127.0.0.1", 5001),
    )
    with pytest.raises(SystemExit, match="--announce"):
        settings_from(build_parser().parse_args(["--announce", "auth:9099"]))
