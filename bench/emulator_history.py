"""Costs of rules coverage and point-in-time reads in the Firestore emulator.

Prints: the in-process rules evaluation p50 / p99 of firestore.rules-style checks with the
coverage recorder on and off; commits per second with the one-hour version history, the
memory it holds for N one-document commits inside the window, and the latency of a
point-in-time document read and query at the oldest kept time.

Run: .venv/bin/python bench/emulator_history.py [--commits 20000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tracemalloc
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from google.cloud.firestore_v1.types import StructuredQuery  # noqa: E402

from bench.emulator_firestore import RULES, member_message_read  # noqa: E402
from bench.figures import record  # noqa: E402
from bench.timing import timed  # noqa: E402
from emulator.firestore.names import DatabaseId  # noqa: E402
from emulator.firestore.query import QueryRunner  # noqa: E402
from emulator.firestore.store import Store, StoredDoc  # noqa: E402
from emulator.firestore_rules import load_ruleset  # noqa: E402

SCENARIO = "emulator coverage + history"


def report(name: str, samples: list[float], variant: str | None = None) -> None:
    cuts = statistics.quantiles(samples, n=100)
    print(
        f"{name}{f' ({variant})' if variant else ''}: p50 {cuts[49] * 1e3:.3f} ms  "
        f"p99 {cuts[98] * 1e3:.3f} ms  (n={len(samples)})"
    )
    record(SCENARIO, f"{name} p50", cuts[49] * 1e3, "ms", variant=variant)
    record(SCENARIO, f"{name} p99", cuts[98] * 1e3, "ms", variant=variant)


def coverage_figures() -> None:
    """The same allow with the coverage recorder on (as served) and off."""
    request, reader = member_message_read()
    for variant in ("coverage on", "coverage off"):
        ruleset = load_ruleset(RULES)
        if variant == "coverage off":
            ruleset.coverage = None  # type: ignore[attr-defined]
        assert ruleset.authorize(request, reader).allowed
        authorize = partial(ruleset.authorize, request, reader)
        timed(authorize, 500)  # warm up
        report("rules eval, 2 get()", timed(authorize, 3000), variant)


def history_figures(commits: int) -> None:
    """``commits`` one-document commits (100 documents rewritten in turn), all in the window."""
    store = Store()
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    start = time.perf_counter()
    first = None
    for n in range(commits):
        stamp = store.next_time()
        first = first or stamp
        store.apply({f"items/d{n % 100}": StoredDoc({"n": n}, stamp, stamp)}, stamp)
    elapsed = time.perf_counter() - start
    held = sum(s.size_diff for s in tracemalloc.take_snapshot().compare_to(before, "filename"))
    tracemalloc.stop()
    print(
        f"commits with history: {commits / elapsed:,.0f}/s; "
        f"{commits} commits hold {held / 2**20:.1f} MiB ({held / commits:.0f} B each)"
    )
    record(
        SCENARIO,
        "commits with history",
        commits / elapsed,
        "commits/s",
        size=commits,
        lower_is_better=False,
    )
    record(SCENARIO, "memory per kept commit", held / commits, "B", size=commits)
    assert first is not None
    query = StructuredQuery.pb()()
    query.from_.add(collection_id="items")
    runner = QueryRunner(DatabaseId("demo-bench"), "", query)
    report("point-in-time get, oldest time", timed(lambda: store.at(first).get("items/d0"), 50))
    report(
        "point-in-time query of 100 docs, oldest time",
        timed(lambda: runner.run(store.at(first)), 50),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--commits", type=int, default=20000)
    args = parser.parse_args()
    coverage_figures()
    history_figures(args.commits)


if __name__ == "__main__":
    main()
