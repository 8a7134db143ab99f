"""python -m emulator.firestore --port 8080 --rules firestore.rules [--import DIR]
[--export-on-exit DIR]"""

from __future__ import annotations

import argparse
import logging
import signal
import threading

from emulator.firestore.server import FirestoreEmulator


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m emulator.firestore",
        description=__doc__,
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on")
    parser.add_argument(
        "--port",
        type=int,
        default=8080,
        help="one port for gRPC and REST, as the official emulator",
    )
    parser.add_argument("--rules", help="firestore.rules file, reloaded when it changes")
    parser.add_argument("--project", help="default project id")
    parser.add_argument("--import", dest="import_dir", help="load data exported earlier")
    parser.add_argument("--export-on-exit", help="write all data here on shutdown")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    server = FirestoreEmulator(
        host=args.host,
        port=args.port,
        rules_path=args.rules,
        project_id=args.project,
        import_dir=args.import_dir,
        export_on_exit=args.export_on_exit,
    )
    server.start()
    print(
        f"Firestore emulator on {server.address} (FIRESTORE_EMULATOR_HOST={server.address})",
        flush=True,
    )
    stopping = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stopping.set())
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    stopping.wait()
    server.stop()


if __name__ == "__main__":
    main()
