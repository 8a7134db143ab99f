"""Figures a bench script reports to the bench report (`bash scripts/bench.sh`).

A bench script prints its figures for people and also calls `record(...)` for each one.
When the report runner starts the script it sets FLOWCHAT_BENCH_FIGURES to a file; each
`record` appends one JSON line there. Run by hand (no variable set), `record` does nothing,
so every script keeps working on its own.
"""

from __future__ import annotations

import json
import os
from typing import Any

FIGURES_ENV = "FLOWCHAT_BENCH_FIGURES"


def record(
    scenario: str,
    name: str,
    value: float,
    unit: str,
    *,
    size: int | None = None,
    variant: str | None = None,
    lower_is_better: bool = True,
) -> None:
    """One measured figure.

    scenario: the table it belongs in ("callables", "emulator Firestore", ...).
    name: what was measured ("check_membership p99").
    size: the scale it was measured at (users, members, documents), for growth ratios.
    variant: the side of a comparison ("rules on" / "rules off", "FlowChat" / "naive").
    """
    target = os.environ.get(FIGURES_ENV)
    if not target:
        return
    line: dict[str, Any] = {
        "scenario": scenario,
        "name": name,
        "value": float(value),
        "unit": unit,
        "size": size,
        "variant": variant,
        "lowerIsBetter": lower_is_better,
    }
    with open(target, "a", encoding="utf-8") as out:
        out.write(json.dumps(line) + "\n")
