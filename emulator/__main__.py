"""``python -m emulator``: the Firestore (8080) and Realtime Database (9000) emulators together,
with an Emulator Hub (4400) listing them.

Flags mirror ``firebase emulators:start``: ``--import DIR`` and ``--export-on-exit [DIR]``
(Firestore and the Realtime Database, the latter in the official export layout).
Rules default to ./firestore.rules and ./database.rules.json when those files exist.
"""

from __future__ import annotations

import argparse
import os
import signal
import threading
from pathlib import Path

from emulator.hub import HubEntry
from emulator.stack import (
    DEFAULT_DATABASE_PORT,
    DEFAULT_FIRESTORE_PORT,
    DEFAULT_HOST,
    DEFAULT_HUB_PORT,
    DEFAULT_PROJECT_ID,
    EmulatorStack,
    StackSettings,
)


def _existing(path: str) -> str | None:
    """The path if that file exists, else None (open rules)."""
    return path if Path(path).is_file() else None


def build_parser() -> argparse.ArgumentParser:
    """The command line of ``python -m emulator``."""
    parser = argparse.ArgumentParser(
        prog="python -m emulator",
        description="Local Firestore + Realtime Database emulators (no Java, no network).",
    )
    parser.add_argument("--host", default=DEFAULT_HOST)
    parser.add_argument(
        "--firestore-port", type=int, default=DEFAULT_FIRESTORE_PORT, help="0 picks a free port"
    )
    parser.add_argument(
        "--database-port", type=int, default=DEFAULT_DATABASE_PORT, help="0 picks a free port"
    )
    parser.add_argument(
        "--hub-port",
        type=int,
        default=DEFAULT_HUB_PORT,
        help="Emulator Hub port (FIREBASE_EMULATOR_HUB); 0 picks a free port",
    )
    parser.add_argument(
        "--announce",
        action="append",
        default=[],
        metavar="NAME=HOST:PORT",
        help="list an emulator running elsewhere in the hub too "
        "(e.g. auth=127.0.0.1:9099); repeatable",
    )
    parser.add_argument(
        "--rules",
        default=_existing("firestore.rules"),
        help="Firestore rules file (default: ./firestore.rules if present)",
    )
    parser.add_argument(
        "--database-rules",
        default=_existing("database.rules.json"),
        help="RTDB rules file (default: ./database.rules.json if present)",
    )
    parser.add_argument("--project", default=os.environ.get("GCLOUD_PROJECT", DEFAULT_PROJECT_ID))
    parser.add_argument(
        "--import",
        dest="import_dir",
        default=None,
        help="load Firestore and Realtime Database data exported earlier from this directory",
    )
    parser.add_argument(
        "--export-on-exit",
        nargs="?",
        const="",
        default=None,
        metavar="DIR",
        help="export Firestore and Realtime Database data on exit (default DIR: the --import one)",
    )
    parser.add_argument(
        "--functions",
        default=None,
        metavar="MAIN_PY",
        help="deliver Firestore / RTDB events to the triggers this functions "
        "source declares (e.g. functions/main.py)",
    )
    return parser


def _importable(directory: str | None) -> str | None:
    """The import directory if it holds an export (Firestore's or the Realtime Database's);
    else None, so a first run starts empty."""
    from emulator.database.persistence import has_export
    from emulator.firestore.persistence import EXPORT_FILE

    if directory and not ((Path(directory) / EXPORT_FILE).is_file() or has_export(directory)):
        print(f"nothing to import from {directory} yet: starting empty", flush=True)
        return None
    return directory


def settings_from(args: argparse.Namespace) -> StackSettings:
    """Stack settings from parsed flags; a bare --export-on-exit reuses the import directory."""
    export_dir = args.export_on_exit
    if export_dir == "":
        if not args.import_dir:
            raise SystemExit("--export-on-exit needs a directory when --import is not given")
        export_dir = args.import_dir
    return StackSettings(
        host=args.host,
        firestore_port=args.firestore_port,
        database_port=args.database_port,
        firestore_rules=args.rules,
        database_rules=args.database_rules,
        project_id=args.project,
        import_dir=_importable(args.import_dir),
        export_on_exit=export_dir,
        functions_source=args.functions,
        hub_port=args.hub_port,
        announced=tuple(_announced(item) for item in args.announce),
    )


def _announced(item: str) -> HubEntry:
    """``auth=127.0.0.1:9099`` as a hub entry; a clear usage error otherwise."""
    name, separator, address = item.partition("=")
    try:
        if not separator or not name:
            raise ValueError(f"expected NAME=HOST:PORT, got {item!r}")
        return HubEntry.parse(name, address)
    except ValueError as error:
        raise SystemExit(f"--announce: {error}") from None


def _wait_for_termination() -> None:
    """Blocks until Ctrl-C or SIGTERM, so both end with a clean stop (and export)."""
    stopping = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopping.set())
    while not stopping.wait(timeout=1):
        pass


def main(argv: list[str] | None = None) -> None:
    """Starts the stack, prints where it listens, runs until interrupted."""
    settings = settings_from(build_parser().parse_args(argv))
    stack = EmulatorStack(settings)
    stack.start()
    try:
        print(
            f"Firestore emulator on {stack.firestore_address} "
            f"(rules: {settings.firestore_rules or 'open'})",
            flush=True,
        )
        print(
            f"Realtime Database emulator on {stack.database_address} "
            f"(rules: {settings.database_rules or 'open'})",
            flush=True,
        )
        print(f"Emulator Hub on {stack.hub_address}", flush=True)
        for name, value in stack.environment().items():
            print(f"export {name}={value}", flush=True)
        print("ready", flush=True)
        _wait_for_termination()
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
