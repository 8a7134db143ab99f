"""Names people see: display names, room names and usernames, made safe to show.

- Display and room names are NFKC-normalised (so compatibility look-alikes such as
  fullwidth letters become the plain ones), must keep at least one visible character
  (blank letters such as U+3164 HANGUL FILLER or U+2800 BRAILLE PATTERN BLANK and
  zero-width characters do not count), and may hold no control characters and no
  bidirectional controls (U+202A-U+202E, U+2066-U+2069, U+200E/U+200F, U+061C), which
  would reorder the text around them.
- Usernames are compared by their confusable skeleton (Unicode TS #39, section 4), built
  from Unicode's confusables.txt as shipped by the ``confusable_homoglyphs`` package, so
  that ``rnia`` cannot register beside ``mia`` nor ``a1ice`` beside ``alice``.
"""

from __future__ import annotations

import json
import unicodedata
from functools import cache
from importlib import resources

from flowchat.errors import InvalidInput

BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# Unicode's Default_Ignorable_Code_Point ranges (DerivedCoreProperties.txt) that are not
# already format characters (Cf), plus U+2800, which renders as a blank cell.
_BLANK_RANGES = (
    (0x034F, 0x034F), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F),
    (0x2065, 0x2065), (0x2800, 0x2800), (0x3164, 0x3164), (0xFE00, 0xFE0F),
    (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0xE0000, 0xE0FFF),
)  # fmt: skip
# Separators, controls, format characters, unassigned and private use; combining marks
# alone show nothing either.
_UNSEEN_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Cn", "Co", "Cs", "Mn", "Me"})


def is_visible(char: str) -> bool:
    """True for a character that draws something on its own."""
    code = ord(char)
    if any(low <= code <= high for low, high in _BLANK_RANGES):
        return False
    return unicodedata.category(char) not in _UNSEEN_CATEGORIES


def clean_name(value: str, field: str, max_len: int) -> str:
    """The name as stored: NFKC, trimmed; InvalidInput unless 1-max_len characters with
    a visible one, and no control or bidirectional control characters."""
    name = unicodedata.normalize("NFKC", value).strip()
    if not name or len(name) > max_len:
        raise InvalidInput(f"{field} must be 1-{max_len} characters")
    if any(unicodedata.category(c) == "Cc" for c in name):
        raise InvalidInput(f"{field} must not contain control characters")
    if any(c in BIDI_CONTROLS for c in name):
        raise InvalidInput(f"{field} must not contain bidirectional control characters")
    if not any(is_visible(c) for c in name):
        raise InvalidInput(f"{field} must contain at least one visible character")
    return name


def skeleton(username: str) -> str:
    """The TS #39 skeleton of a username, case-folded: equal for names that look alike."""
    folded = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", username).casefold())
    mapped = "".join(_prototype(char) for char in folded)
    return unicodedata.normalize("NFD", mapped).casefold()


def _prototype(char: str) -> str:
    return _prototypes().get(char, char)


@cache
def _prototypes() -> dict[str, str]:
    """confusables.txt as source -> prototype, from confusable_homoglyphs' data file.

    The package stores each line both ways (source -> [target], target -> [sources]).
    A source occurs on one line only, so it has exactly one partner; a prototype that is
    a source's only partner and has several sources is the target. For the rare pair of
    two characters naming only each other, both map to the smaller: equal skeletons
    either way, which is all a comparison needs.
    """
    data_file = resources.files("confusable_homoglyphs") / "confusables.json"
    pairs: dict[str, list[dict[str, str]]] = json.loads(data_file.read_text("utf-8"))
    mapping: dict[str, str] = {}
    for char, partners in pairs.items():
        if len(char) != 1 or len(partners) != 1:
            continue
        target = partners[0]["c"].replace("\u200e", "")  # the package's LTR marks
        if len(target) > 1 or len(pairs.get(target, [])) > 1:
            mapping[char] = target
        elif target:
            mapping[char] = min(char, target)
    return mapping
