"""``python -m scripts.api_docs [--check]``: write (or check) docs/api.md and client/js's
generated types from the callables' schemas and the rules' constants."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scripts.api_docs.catalog import callables, entries
from scripts.api_docs.markdown import api_md
from scripts.api_docs.render import api_ts, limits_ts
from scripts.api_docs.rules_constants import rules_constants

ROOT = Path(__file__).resolve().parents[2]
GENERATED = ROOT / "client" / "js" / "src" / "generated"


def outputs() -> dict[Path, str]:
    """Every generated file and the text it must hold."""
    found = callables()
    others = [e for e in entries() if e.kind != "callable"]
    return {
        ROOT / "docs" / "api.md": api_md(found, others),
        GENERATED / "api.ts": api_ts(found),
        GENERATED / "limits.ts": limits_ts(rules_constants(ROOT / "firestore.rules")),
    }


def stale() -> list[Path]:
    """Generated files whose text differs from what the code says now."""
    return [p for p, text in outputs().items() if not p.exists() or p.read_text() != text]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.api_docs", description=__doc__)
    parser.add_argument("--check", action="store_true", help="exit 1 if a file is out of date")
    args = parser.parse_args(argv)
    if args.check:
        drifted = stale()
        for path in drifted:
            print(f"out of date: {path.relative_to(ROOT)} (run python -m scripts.api_docs)")
        return 1 if drifted else 0
    for path, text in outputs().items():
        path.write_text(text)
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
