"""Where each .read / .write / .validate of a database.rules.json text is (rules coverage)."""

from __future__ import annotations

import re

from emulator.coverage import SourcePosition

# A rule key and its value: an expression string or a boolean.
_RULE = re.compile(r'"(?:\.read|\.write|\.validate)"\s*:\s*("(?:[^"\\]|\\.)*"|true|false)')


def blank_comments(text: str) -> str:
    """``text`` with // and /* */ comments turned into spaces: same length, same offsets."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        if text[i] == '"':
            end = i + 1
            while end < n and text[end] != '"':
                end += 2 if text[end] == "\\" else 1
            out.append(text[i : end + 1])
            i = end + 1
        elif text.startswith("//", i) or text.startswith("/*", i):
            closing = "\n" if text[i + 1] == "/" else "*/"
            end = text.find(closing, i + 2)
            end = n if end < 0 else end + (0 if closing == "\n" else 2)
            out.append("".join(c if c == "\n" else " " for c in text[i:end]))
            i = end
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def rule_positions(text: str) -> list[SourcePosition]:
    """The value span of every rule, in document order (the order rules are built in)."""
    positions = []
    for found in _RULE.finditer(blank_comments(text)):
        start, end = found.span(1)
        line = text.count("\n", 0, start) + 1
        column = start - (text.rfind("\n", 0, start) + 1) + 1
        positions.append(SourcePosition(line, column, start, end))
    return positions
