"""The constants of firestore.rules (zero-argument functions returning a literal), which
client/js's checks and send queue mirror."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

# function name() { return <literal>; }   (the literal: a string, an int or a list of them)
CONSTANT = re.compile(r"function\s+(\w+)\(\)\s*\{\s*return\s+([^;]+?);\s*\}", re.S)


def rules_constants(rules: Path) -> dict[str, Any]:
    """Every constant function of the rules file by name, in file order."""
    found: dict[str, Any] = {}
    for name, literal in CONSTANT.findall(rules.read_text(encoding="utf-8")):
        try:
            value = ast.literal_eval(literal.strip())
        except (ValueError, SyntaxError):
            continue  # an expression, not a constant
        if isinstance(value, str | int | list):
            found[name] = value
    return found
