"""Cold import of the deployed functions, beside the Firebase Functions SDK alone.

Run:  .venv/bin/python bench/cold_import.py [--runs 5]

Every cold Cloud Functions instance imports functions/main.py before it serves a request.
Each run is a fresh interpreter (`python -c "import main"` in functions/), so nothing is
cached in memory; the SDK-alone line imports only the firebase_functions modules main.py
uses, which bounds what main.py can reach. Prints min / median / max seconds of each.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.figures import record  # noqa: E402

CASES = {
    "functions/main.py": "import main",
    "Firebase Functions SDK alone": (
        "from firebase_functions import db_fn, firestore_fn, https_fn, options, scheduler_fn"
    ),
}


def time_import(statement: str) -> float:
    """Seconds for a fresh interpreter to run one import statement."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", statement], cwd=ROOT / "functions", check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print("command:", " ".join([Path(sys.executable).name, *sys.argv]))
    time_import("pass")  # warm the OS file cache once, as a deployed image would be
    medians = {}
    for name, statement in CASES.items():
        samples = [time_import(statement) for _ in range(args.runs)]
        medians[name] = statistics.median(samples)
        print(
            f"{name:<30} min {min(samples):.2f} s  median {medians[name]:.2f} s  "
            f"max {max(samples):.2f} s"
        )
        for s in samples:
            record("cold import", name, s, "s")
    ratio = medians["functions/main.py"] / medians["Firebase Functions SDK alone"]
    print(f"ratio main.py / SDK alone: {ratio:.2f}")
    record("cold import", "main.py / SDK alone", ratio, "ratio")


if __name__ == "__main__":
    main()
