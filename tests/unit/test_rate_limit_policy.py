"""The rate-limit policy: firestore.rules and send_message state the same numbers."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flowchat.services import rate_limit

RULES = Path(__file__).resolve().parents[2] / "firestore.rules"


def _function_body(name: str) -> str:
    match = re.search(rf"function {name}\(\) {{\s*return (.*?);\s*}}", RULES.read_text(), re.S)
    assert match is not None, name
    return match.group(1)


def test_the_rules_and_the_python_agree() -> None:
    slots = re.findall(r"'([^']+)'", _function_body("rateLimitSlots"))
    assert tuple(slots) == rate_limit.SLOTS
    assert int(_function_body("rateLimitWindowSeconds")) == rate_limit.WINDOW_SECONDS
    assert len(rate_limit.SLOTS) == rate_limit.BURST == 5


NOW = datetime(2026, 1, 1, 12, tzinfo=UTC)


def _ago(seconds: float) -> datetime:
    return NOW - timedelta(seconds=seconds)


def test_an_unused_slot_comes_first() -> None:
    assert rate_limit.choose_slot(None, NOW).slot == "slot0"
    stamp = {"slot0": _ago(1), "slot2": _ago(100)}
    assert rate_limit.choose_slot(stamp, NOW).slot == "slot1"


def test_the_oldest_slot_once_a_window_has_passed() -> None:
    stamp = {f"slot{i}": _ago(5 - i) for i in range(5)}  # slot0 exactly a window ago
    assert rate_limit.choose_slot(stamp, NOW).slot == "slot0"


def test_a_full_window_says_how_long_to_wait() -> None:
    stamp = {f"slot{i}": _ago(i * 0.5) for i in range(5)}  # all within two seconds
    choice = rate_limit.choose_slot(stamp, NOW)
    assert choice.slot is None and choice.retry_after == timedelta(seconds=3)
