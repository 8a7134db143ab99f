"""``python -m emulator --functions MAIN_PY``: the stack attaches the source's triggers."""

from __future__ import annotations

from pathlib import Path

from google.cloud import firestore

from tests.support.local_emulators import running_stack

SAMPLE = Path(__file__).with_name("sample_functions.py")


def test_flag_reaches_the_stack_settings() -> None:
    from emulator.__main__ import build_parser, settings_from

    args = build_parser().parse_args(["--functions", "functions/main.py"])
    assert settings_from(args).functions_source == "functions/main.py"
    assert settings_from(build_parser().parse_args([])).functions_source is None


def test_stack_delivers_events_to_the_source() -> None:
    from emulator.triggers.loader import load_module

    with running_stack(functions_source=str(SAMPLE)) as stack:
        received = load_module(SAMPLE).received
        received.clear()
        client = firestore.Client(project="demo-flowchat")
        client.document("logs/from-stack").set({"v": 1})
        assert stack.triggers.wait_idle(10)
        assert [r["params"] for r in received if r["name"] == "log_created"] == [
            {"logId": "from-stack"}
        ]
