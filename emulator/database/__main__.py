"""``python -m emulator.database --port 9000 --database-rules database.rules.json``."""

from __future__ import annotations

import argparse
import threading

from emulator.database.server import DatabaseEmulator


def main() -> None:
    """Runs the emulator in the foreground until interrupted."""
    parser = argparse.ArgumentParser(description="Local Realtime Database emulator")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9000)
    parser.add_argument(
        "--database-rules",
        dest="rules",
        default=None,
        help="path of a database.rules.json (default: open rules)",
    )
    parser.add_argument("--project", default=None, help="project id for the default namespace")
    args = parser.parse_args()
    emulator = DatabaseEmulator(
        host=args.host, port=args.port, rules_path=args.rules, project_id=args.project
    )
    emulator.start()
    print(f"Realtime Database emulator on http://{emulator.address}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        emulator.stop()


if __name__ == "__main__":
    main()
