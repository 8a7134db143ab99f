"""The report's goal check: met, missed with the figure that bounds it, and not measured."""

from __future__ import annotations

from typing import Any

from bench.goals import check


def figure(scenario: str, name: str, median: float, size: int | None = None, **more: Any) -> dict:
    return {
        "scenario": scenario,
        "name": name,
        "size": size,
        "variant": more.get("variant"),
        "unit": more.get("unit", "ms"),
        "median": median,
        "max": more.get("max", median),
    }


def rows_for(goal_text: str, figures: list[dict]) -> list[dict]:
    return [row for row in check(figures) if row["goal"] == goal_text]


def test_a_figure_under_its_limit_is_met_and_shows_no_bound() -> None:
    figures = [
        figure("cold import", "functions/main.py", 0.9, unit="s"),
        figure("cold import", "Firebase Functions SDK alone", 0.85, unit="s"),
    ]
    (row,) = rows_for("cold import of functions/main.py ≤ 1.0 s", figures)
    assert row["met"] is True
    assert row["median"] == 0.9
    assert row["boundMedian"] == 0.85  # carried, though only shown for a miss


def test_a_miss_carries_the_same_runs_bounding_figure_per_size() -> None:
    figures = [
        figure("callables", "create_room p50", 12.0, size=10_000),
        figure("callables", "create_room p50", 21.0, size=1_000_000),
        figure("callables", "create_room without projection p50", 14.0, size=1_000_000),
    ]
    rows = {row["size"]: row for row in rows_for("create_room p50 ≤ 15 ms", figures)}
    assert rows[10_000]["met"] is True
    assert rows[1_000_000]["met"] is False
    assert rows[1_000_000]["bound"] == "create_room without projection p50"
    assert rows[1_000_000]["boundMedian"] == 14.0
    assert rows[100_000]["median"] is None and rows[100_000]["met"] is None


def test_a_rate_goal_is_met_at_or_above_its_limit_and_matches_its_variant() -> None:
    goal = "1,000-document query streamed faster than the issue's 1.7k docs/s"
    name = "1000-doc query streamed"
    slow_elsewhere = figure("emulator Firestore", name, 900.0, variant="web SDK, WebChannel")
    fast = figure("emulator Firestore", name, 4_000.0, variant="gRPC, admin")
    (row,) = rows_for(goal, [slow_elsewhere, fast])
    assert row["met"] is True and row["median"] == 4_000.0
    (row,) = rows_for(goal, [figure("emulator Firestore", name, 1_000.0, variant="gRPC, admin")])
    assert row["met"] is False
