"""The project rules' coverage over a test session: collected from the in-process
emulators as they stop, written and summarised at the end of the run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from emulator.coverage import Coverage, merged, write_report

# Most unreached expressions printed in the terminal; the full list is in the report folder.
PRINTED = 40
_collected: dict[str, list[Coverage]] = {}


def collect(server: Any, content: str) -> None:
    """Keeps the coverage of every ruleset of ``server`` loaded from ``content``."""
    holder = getattr(server, "rules", None) or getattr(server, "store", None)
    coverages = holder.coverages(content) if hasattr(holder, "coverages") else []
    for coverage in coverages:
        _collected.setdefault(coverage.file_name, []).append(coverage)


def report(terminal: Any, directory: Path) -> None:
    """One report per rules file in ``directory`` and the unreached expressions listed."""
    if not _collected:
        return
    terminal.section("rules coverage")
    for name, coverages in sorted(_collected.items()):
        total = merged(coverages)
        missed = write_report(directory, total)
        reached = len(total.positions) - len(total.unevaluated())
        terminal.write_line(
            f"{name}: {reached}/{len(total.positions)} expressions evaluated; "
            f"{len(missed)} unreached (outermost) -> "
            f"{directory / (name + '.unreached.txt')}"
        )
        for line in missed[:PRINTED]:
            terminal.write_line(f"  {line}")
        if len(missed) > PRINTED:
            terminal.write_line(f"  ... {len(missed) - PRINTED} more")
