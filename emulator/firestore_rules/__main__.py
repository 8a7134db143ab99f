"""Checks rules files: ``python -m emulator.firestore_rules firestore.rules [...]``.

Prints one line per file and exits non-zero when any file does not load, so a rules
file that the engine would refuse is caught before the emulator starts."""

from __future__ import annotations

import sys
from pathlib import Path

from emulator.firestore_rules import RulesLoadError, load_ruleset


def check(paths: list[str]) -> int:
    """Loads every file; returns the number of files that failed."""
    failures = 0
    for name in paths:
        try:
            load_ruleset(Path(name).read_text(encoding="utf-8"))
        except (OSError, RulesLoadError) as error:
            failures += 1
            print(f"{name}: {error}")
        else:
            print(f"{name}: ok")
    return failures


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python -m emulator.firestore_rules RULES_FILE [...]", file=sys.stderr)
        return 2
    return 1 if check(argv) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
