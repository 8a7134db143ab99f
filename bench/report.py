"""Runs every bench scenario and writes one report.

Run:  bash scripts/bench.sh  [--repeat 3] [--only NAME ...] [--quick]
      (or .venv/bin/python -m bench.report with the same flags)

Each scenario is a bench script started as its own process, `--repeat` times; the figures it
`record`s (bench/figures.py) are gathered and summarised as min / median / max over the runs.
Writes bench/results/latest.json, bench/report.md and the plots beside it in bench/results/.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.figures import FIGURES_ENV
from bench.goals import check as check_goals
from bench.report_markdown import write_markdown
from bench.report_plots import write_plots

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = str(ROOT / ".venv" / "bin" / "python")


@dataclass(frozen=True)
class Scenario:
    """One bench script run as a whole process."""

    name: str
    argv: list[str]
    timeout_s: int = 600
    repeat: int | None = None  # None: the runner's --repeat
    quick_argv: list[str] = field(default_factory=list)


def scenarios() -> list[Scenario]:
    """Every scenario of the report, cheapest first."""
    py = PYTHON
    return [
        Scenario("cold import", [py, "bench/cold_import.py", "--runs", "5"], repeat=1),
        Scenario("emulator RTDB", [py, "bench/emulator_rtdb.py"]),
        Scenario("emulator Firestore", [py, "bench/emulator_firestore.py"]),
        Scenario(
            "emulator coverage + history",
            [py, "bench/emulator_history.py"],
            quick_argv=["--commits", "2000"],
        ),
        Scenario("local stack start", [py, "bench/local_stack_startup.py"], repeat=1),
        Scenario("cost per message", [py, "bench/cost_per_message.py"], repeat=1),
        Scenario("upload_file", [py, "bench/upload_file.py"], repeat=1),
        Scenario("push fan-out", [py, "bench/push_fanout.py"], repeat=1),
        Scenario(
            "web app",
            [py, "bench/web_app.py"],
            timeout_s=1200,
            repeat=1,
            quick_argv=["--messages", "40"],
        ),
        Scenario(
            "delivery",
            [py, "bench/delivery.py"],
            repeat=1,
            quick_argv=["--sizes", "2", "50", "--messages", "3"],
        ),
        *(
            Scenario(
                f"callables {users // 1000}k users",
                # rooms of 20: as many memberships as users (10k / 100k / 1M of each)
                [py, "bench/callables.py", "--users", str(users), "--rooms", str(users // 20)],
                timeout_s=1200,
                repeat=1,
                quick_argv=["--iterations", "40", "--login-iterations", "10"],
            )
            for users in (10_000, 100_000, 1_000_000)
        ),
    ]


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    load1, load5, load15 = os.getloadavg()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return {
        "cores": os.cpu_count(),
        "loadAverageAtStart": [round(load1, 2), round(load5, 2), round(load15, 2)],
        "python": platform.python_version(),
        "platform": platform.platform(),
        "commit": commit,
        "startedAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def run_once(scenario: Scenario, quick: bool) -> tuple[list[dict[str, Any]], str | None]:
    """Runs the scenario's script once; returns its figures and an error, if it failed."""
    argv = scenario.argv + (scenario.quick_argv if quick else [])
    with tempfile.NamedTemporaryFile(suffix=".jsonl", delete=False) as sink:
        sink_path = sink.name
    env = {**os.environ, FIGURES_ENV: sink_path}
    try:
        done = subprocess.run(
            argv, cwd=ROOT, env=env, timeout=scenario.timeout_s, capture_output=True, text=True
        )
        error = None if done.returncode == 0 else f"exit {done.returncode}: {done.stderr[-400:]}"
    except subprocess.TimeoutExpired:
        error = f"timed out after {scenario.timeout_s} s"
    lines = Path(sink_path).read_text(encoding="utf-8").splitlines()
    os.unlink(sink_path)
    return [json.loads(line) for line in lines if line.strip()], error


def summarise(samples: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Groups repeated figures and keeps min / median / max of each."""
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for s in samples:
        groups[(s["scenario"], s["name"], s["size"], s["variant"], s["unit"])].append(s)
    summary = []
    for (scenario, name, size, variant, unit), group in groups.items():
        values = [g["value"] for g in group]
        summary.append(
            {
                "scenario": scenario,
                "name": name,
                "size": size,
                "variant": variant,
                "unit": unit,
                "lowerIsBetter": group[0]["lowerIsBetter"],
                "runs": len(values),
                "min": min(values),
                "median": statistics.median(values),
                "max": max(values),
            }
        )
    return summary


def growth(summary: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """For figures measured at several sizes: how the median grows from smallest to largest."""
    by_figure: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for f in summary:
        if f["size"] is not None:
            by_figure[(f["scenario"].split(" ")[0], f["name"], f["variant"], f["unit"])].append(f)
    rows = []
    for (scenario, name, variant, unit), figs in by_figure.items():
        sizes = sorted(figs, key=lambda f: f["size"])
        if len(sizes) < 2 or sizes[0]["median"] == 0:
            continue
        small, large = sizes[0], sizes[-1]
        size_ratio = large["size"] / small["size"]
        value_ratio = large["median"] / small["median"]
        rows.append(
            {
                "scenario": scenario,
                "name": name,
                "variant": variant,
                "unit": unit,
                "fromSize": small["size"],
                "toSize": large["size"],
                "sizeRatio": size_ratio,
                "valueRatio": value_ratio,
                "superLinear": value_ratio > size_ratio * 1.1,
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", nargs="*", help="scenario names to run (default: all)")
    parser.add_argument("--quick", action="store_true", help="fewer iterations (smoke run)")
    args = parser.parse_args()
    report: dict[str, Any] = {
        "machine": machine(),
        "command": "bash scripts/bench.sh " + " ".join(sys.argv[1:]),
        "scenarios": [],
    }
    samples: list[dict[str, Any]] = []
    for scenario in scenarios():
        if args.only and scenario.name not in args.only:
            continue
        started = time.perf_counter()
        errors = []
        for _ in range(scenario.repeat or args.repeat):
            figures, error = run_once(scenario, args.quick)
            samples.extend(figures)
            if error:
                errors.append(error)
        seconds = time.perf_counter() - started
        print(f"{scenario.name}: {seconds:.0f} s" + (f", errors: {errors}" if errors else ""))
        report["scenarios"].append(
            {"name": scenario.name, "argv": scenario.argv, "seconds": seconds, "errors": errors}
        )
    report["figures"] = summarise(samples)
    report["growth"] = growth(report["figures"])
    report["goals"] = check_goals(report["figures"])
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    plots = write_plots(report, RESULTS)
    write_markdown(report, plots, ROOT / "bench" / "report.md")
    print(f"wrote {RESULTS / 'latest.json'} and {ROOT / 'bench' / 'report.md'}")


if __name__ == "__main__":
    main()
