"""The report's plots: one bar chart per scenario and unit (median with the min-max
spread), and one line chart per figure measured at several sizes."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # files only, no display

import matplotlib.pyplot as plt  # noqa: E402


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _label(figure: dict[str, Any]) -> str:
    parts = [figure["name"]]
    if figure["variant"]:
        parts.append(f"[{figure['variant']}]")
    if figure["size"] is not None:
        parts.append(f"@{figure['size']:,}")
    return " ".join(parts)


def _bar_chart(title: str, figures: list[dict[str, Any]], unit: str, path: Path) -> None:
    labels = [_label(f) for f in figures]
    medians = [f["median"] for f in figures]
    low = [f["median"] - f["min"] for f in figures]
    high = [f["max"] - f["median"] for f in figures]
    fig, ax = plt.subplots(figsize=(8, 0.4 * len(figures) + 1.2))
    ax.barh(labels, medians, xerr=[low, high], color="#4a7fb5", ecolor="#333333")
    ax.invert_yaxis()
    positive = [m for m in medians if m > 0]
    if positive and max(positive) / min(positive) > 50:
        ax.set_xscale("log")  # figures of very different sizes stay readable side by side
    ax.set_xlabel(unit)
    ax.set_title(title)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def _growth_chart(title: str, figures: list[dict[str, Any]], unit: str, path: Path) -> None:
    fig, ax = plt.subplots(figsize=(6, 3.5))
    series: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in figures:
        series[f["name"] + (f" [{f['variant']}]" if f["variant"] else "")].append(f)
    for name, points in series.items():
        points.sort(key=lambda f: f["size"])
        ax.plot([p["size"] for p in points], [p["median"] for p in points], marker="o", label=name)
    ax.set_xscale("log")
    ax.set_xlabel("size")
    ax.set_ylabel(unit)
    ax.set_title(title)
    ax.legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def write_plots(report: dict[str, Any], directory: Path) -> dict[str, list[str]]:
    """Writes the PNGs; returns each scenario's plot file names (relative to directory)."""
    by_scenario_unit: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for f in report["figures"]:
        by_scenario_unit[(f["scenario"], f["unit"])].append(f)
    plots: dict[str, list[str]] = defaultdict(list)
    for (scenario, unit), figures in by_scenario_unit.items():
        name = f"{_slug(scenario)}-{_slug(unit)}.png"
        _bar_chart(f"{scenario} ({unit})", figures, unit, directory / name)
        plots[scenario].append(name)
    sized: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for f in report["figures"]:
        if f["size"] is not None:
            sized[(f["scenario"].split(" ")[0], f["unit"])].append(f)
    for (family, unit), figures in sized.items():
        if len({f["size"] for f in figures}) < 2:
            continue
        name = f"growth-{_slug(family)}-{_slug(unit)}.png"
        _growth_chart(f"{family}: growth with size ({unit})", figures, unit, directory / name)
        plots["growth"].append(name)
    return dict(plots)
