"""Remove // and /* */ comments from JSON text, as database.rules.json allows them."""

from __future__ import annotations


class CommentError(ValueError):
    """A block comment that is never closed."""


def strip_comments(text: str) -> str:
    """Return ``text`` with comments replaced by spaces; string literals are kept intact."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == '"':
            end = _string_end(text, i)
            out.append(text[i:end])
            i = end
        elif text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                raise CommentError("unterminated /* comment")
            # Keep newlines so JSON error positions still point at the right line.
            out.append("".join(c if c == "\n" else " " for c in text[i : end + 2]))
            i = end + 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _string_end(text: str, start: int) -> int:
    """Index just past the JSON string literal that opens at ``start``."""
    i = start + 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
        elif text[i] == '"':
            return i + 1
        else:
            i += 1
    return len(text)  # unterminated: json.loads reports it
