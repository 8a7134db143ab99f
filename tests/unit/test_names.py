"""Names people see: NFKC, something visible, no bidirectional controls; skeletons."""

from __future__ import annotations

import pytest
from flowchat.errors import InvalidInput
from flowchat.services import names

INVISIBLE_ONLY = [
    "\u200b",
    "\u2800",
    "\u3164",
    "\u115f",
    "\u1160",
    "\uffa0",
    " \u200b ",
    "\u200d\u200c",
    "\u2060",
    "\ufe0f",
    "\u0301",
    "\u00ad",
]
BIDI = [
    "\u202e",
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u200e",
    "\u200f",
    "\u061c",
]


@pytest.mark.parametrize("value", INVISIBLE_ONLY)
def test_a_name_without_a_visible_character_is_refused(value: str) -> None:
    with pytest.raises(InvalidInput, match="visible"):
        names.clean_name(value, "displayName", 64)


@pytest.mark.parametrize("control", BIDI)
def test_bidirectional_controls_are_refused(control: str) -> None:
    with pytest.raises(InvalidInput, match="bidirectional"):
        names.clean_name(f"evil{control}gpj.exe", "name", 100)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("  Alice  ", "Alice"),
        ("ＡＬＩＣＥ", "ALICE"),
        ("ﬁle", "file"),
        ("Zoë", "Zoë"),
        ("李小龍", "李小龍"),
        ("🎉 party", "🎉 party"),
        ("a\u200bb", "a\u200bb"),
    ],
)
def test_names_are_nfkc_and_trimmed(typed: str, stored: str) -> None:
    assert names.clean_name(typed, "displayName", 64) == stored


def test_length_is_counted_after_normalising() -> None:
    assert names.clean_name("x" * 64, "displayName", 64) == "x" * 64
    with pytest.raises(InvalidInput, match="1-64"):
        names.clean_name("x" * 65, "displayName", 64)
    with pytest.raises(InvalidInput, match="control"):
        names.clean_name("a\nb", "displayName", 64)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("alice", "\u0430lice"),  # Cyrillic a
        ("alice", "a1ice"),
        ("mia", "rnia"),
        ("google", "g00gle"),
        ("alice", "ALICE"),
        ("alice", "ａｌｉｃｅ"),
        ("paypal", "p\u0430yp\u0430l"),
        ("ok", "\u03bfk"),  # Greek omicron
    ],
)
def test_look_alike_usernames_share_a_skeleton(one: str, other: str) -> None:
    assert names.skeleton(one) == names.skeleton(other)


@pytest.mark.parametrize(("one", "other"), [("alice", "alicia"), ("bob", "rob"), ("ian", "lan")])
def test_different_usernames_keep_different_skeletons(one: str, other: str) -> None:
    assert names.skeleton(one) != names.skeleton(other)
