"""Writes coverage reports to a folder and names the expressions nothing evaluated."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from emulator.coverage.recorder import Coverage
from emulator.coverage.report import html_report, json_report


def unreached(coverage: Coverage) -> list[str]:
    """``file:line:column  text`` of each outermost expression never evaluated (what is
    inside one is not listed again)."""
    lines: list[str] = []

    def visit(nodes: list[dict[str, Any]]) -> None:
        for node in nodes:
            if node["values"]:
                visit(node["children"])
                continue
            position = node["sourcePosition"]
            text = coverage.content[position["currentOffset"] : position["endOffset"] + 1]
            lines.append(
                f"{coverage.file_name}:{position['line']}:{position['column']}  "
                + " ".join(text.split())[:120]
            )

    visit(json_report(coverage)["report"])
    return lines


def write_report(directory: Path, coverage: Coverage) -> list[str]:
    """``<file>.coverage.json`` / ``.html`` / ``.unreached.txt`` in ``directory``; returns
    the unreached lines."""
    directory.mkdir(parents=True, exist_ok=True)
    stem = directory / coverage.file_name
    Path(f"{stem}.coverage.json").write_text(json.dumps(json_report(coverage), indent=1))
    Path(f"{stem}.coverage.html").write_text(html_report(coverage, coverage.file_name))
    missed = unreached(coverage)
    Path(f"{stem}.unreached.txt").write_text("".join(f"{line}\n" for line in missed))
    return missed
