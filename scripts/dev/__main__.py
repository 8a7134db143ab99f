"""``python -m scripts.dev``: the whole local stack, seeded, until Ctrl-C (see docs/local-dev.md).

Order: embedded PostgreSQL -> migrations -> ``python -m emulator`` (Firestore + RTDB) ->
functions/.env.local -> web app build -> Firebase CLI Auth + Functions (+ Hosting, serving
the web app) emulators -> demo data over HTTP -> stack.json.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from emulator.firestore.persistence import EXPORT_FILE as FIRESTORE_EXPORT_FILE
from scripts.dev import banner, stack_file, web_app
from scripts.dev.firebase_cli import (
    BackendTargets,
    CliPorts,
    FirebaseEmulators,
    configure_functions,
    firebase_cli_installed,
    sandbox_project,
)
from scripts.dev.postgres import migrate, start_postgres, stop_postgres
from scripts.dev.processes import Child
from scripts.dev.seed import seed
from scripts.dev.verify import verify, verify_hub
from tests.support.firestore_rest import FirestoreRest
from tests.support.functions_client import AuthEmulatorClient, FunctionsClient
from tests.support.id_tokens import token_bearer

ROOT = Path(__file__).resolve().parents[2]
PROJECT_ID = "demo-flowchat"
EMULATOR_STARTUP_TIMEOUT = 60.0


@dataclass(frozen=True)
class Layout:
    """Where this run keeps its data, logs and (with --isolated) its Firebase project copy."""

    local: Path
    isolated: bool

    @property
    def pgdata(self) -> Path:
        return self.local / "pgdata"

    @property
    def firestore_data(self) -> Path:
        """Both emulators' exports (Firestore's file, the RTDB's database_export/)."""
        return self.local / "firestore"

    @property
    def firestore_export(self) -> Path:
        return self.firestore_data / FIRESTORE_EXPORT_FILE

    @property
    def logs(self) -> Path:
        return self.local / "logs"

    @property
    def sandbox(self) -> Path:
        return self.local / "firebase-project"

    @property
    def hosting_site(self) -> Path:
        """Inside the CLI's project folder: the Hosting emulator serves only a "public"
        given relative to it (an absolute one answers 404 for everything)."""
        return self.sandbox / "hosting"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Flags of scripts/dev.sh."""
    parser = argparse.ArgumentParser(prog="scripts/dev.sh", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        "--demo-only",
        dest="check",
        action="store_true",
        help="start, seed, verify, stop everything and exit (0 when all is well)",
    )
    parser.add_argument(
        "--isolated",
        action="store_true",
        help="free ports and a temporary data directory (parallel runs, tests)",
    )
    parser.add_argument(
        "--keep-data",
        action="store_true",
        help="keep PostgreSQL and Firestore data (.local/) from the previous run",
    )
    parser.add_argument(
        "--stack-file",
        type=Path,
        default=None,
        help="where to write the stack's addresses and demo data for clients "
        "(default: .local/stack.json; --check writes none unless given)",
    )
    return parser.parse_args(argv)


def kept_data_is_consistent(layout: Layout) -> bool:
    """PostgreSQL data is only reusable with the emulators' export of the same run's clean
    exit (Firestore's file marks it; the RTDB's is written beside it on the same exit).

    Without it the Firestore and RTDB mirrors (which the rules read) would miss the kept
    memberships.
    """
    if layout.pgdata.exists() and not layout.firestore_export.exists():
        print("no Firestore export matches the kept PostgreSQL data: starting fresh", flush=True)
        return False
    return True


def _raise_interrupt(*_: object) -> None:
    raise KeyboardInterrupt


@dataclass(frozen=True)
class ProjectEmulators:
    """The running ``python -m emulator`` and where its parts listen (host:port)."""

    child: Child
    firestore: str
    database: str
    hub: str


def start_project_emulators(
    layout: Layout, keep_data: bool, database_url: str, cli_ports: CliPorts, stack: ExitStack
) -> ProjectEmulators:
    """Starts ``python -m emulator`` delivering events to functions/main.py's triggers
    (the CLI runs only Auth + Functions, so nothing else would), its hub listing the
    CLI's emulators too."""
    port = "0" if layout.isolated else None
    argv = [
        sys.executable,
        "-m",
        "emulator",
        "--project",
        PROJECT_ID,
        "--rules",
        str(ROOT / "firestore.rules"),
        "--database-rules",
        str(ROOT / "database.rules.json"),
        "--functions",
        str(ROOT / "functions" / "main.py"),
        "--announce",
        f"auth=127.0.0.1:{cli_ports.auth}",
        "--announce",
        f"functions=127.0.0.1:{cli_ports.functions}",
    ]
    if port:
        argv += ["--firestore-port", port, "--database-port", port, "--hub-port", port]
    if keep_data:
        argv += ["--import", str(layout.firestore_data), "--export-on-exit"]
    env = {
        **_python_env(),
        "DATABASE_URL": database_url,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "functions"), str(ROOT)]),
    }
    child = Child(
        "python -m emulator", argv, cwd=ROOT, env=env, log_path=layout.logs / "emulator.log"
    )
    child.start()
    stack.callback(child.stop)
    child.wait_for_output(r"^ready$", EMULATOR_STARTUP_TIMEOUT)
    # Loaded now; only a clean exit writes it again, so a crash can't leave a stale pair.
    layout.firestore_export.unlink(missing_ok=True)
    found = child.wait_for_output(r"FIRESTORE_EMULATOR_HOST=(\S+)", 1)
    database = child.wait_for_output(r"FIREBASE_DATABASE_EMULATOR_HOST=(\S+)", 1)
    hub = child.wait_for_output(r"FIREBASE_EMULATOR_HUB=(\S+)", 1)
    return ProjectEmulators(child, found.group(1), database.group(1), hub.group(1))


def _python_env() -> dict[str, str]:
    """This environment with unbuffered output, so logs show lines as they happen."""
    return {**os.environ, "PYTHONUNBUFFERED": "1"}


def build_web_app(layout: Layout) -> Path | None:
    """The folder the Hosting emulator serves (a fresh build of web/), or None when the
    app cannot be built here (the stack then runs without it)."""
    reason = web_app.missing_tools(ROOT)
    if reason:
        print(f"not serving the web app: {reason}", flush=True)
        return None
    print("building the web app (web/ -> web/dist) ...", flush=True)
    return web_app.prepare_site(web_app.build(ROOT), layout.hosting_site)


def start_firebase_cli(
    layout: Layout,
    targets: BackendTargets,
    ports: CliPorts,
    stack: ExitStack,
    site: Path | None = None,
) -> Child:
    """Writes the functions' local config and starts the CLI's Auth + Functions emulators.

    Always from a project folder of its own, whose firebase.json moves the CLI's hub off
    the project hub's port; a normal run links functions/ there, so edits hot-reload.
    """
    project_dir = sandbox_project(
        ROOT, layout.sandbox, ports, share_functions=not layout.isolated, hosting_site=site
    )
    configure_functions(project_dir / "functions", targets)
    cli = FirebaseEmulators(
        ROOT,
        project_dir,
        PROJECT_ID,
        targets,
        layout.logs / "firebase-emulators.log",
        hosting=site is not None,
    )
    stack.callback(cli.stop)
    cli.start()
    return cli.child


def wait_while_running(children: list[Child]) -> int:
    """Blocks until Ctrl-C (0) or until a child dies (1, with the end of its log)."""
    while True:
        for child in children:
            if not child.is_running():
                print(f"{child.name} stopped unexpectedly:\n{child.log_tail()}", flush=True)
                return 1
        time.sleep(1)


def publish_stack(
    args: argparse.Namespace, description: dict[str, object], stack: ExitStack
) -> Path | None:
    """Writes the stack file clients read (removed again at exit if it is still ours)."""
    path = args.stack_file or (None if args.check else ROOT / ".local" / "stack.json")
    if path is None:
        return None
    written = stack_file.write(path, description)
    stack.callback(stack_file.remove_if_unchanged, written, description)
    return written


def run(args: argparse.Namespace, layout: Layout) -> int:
    """Brings the stack up, seeds it, then checks and exits or waits for Ctrl-C."""
    with ExitStack() as stack:
        if not (args.keep_data and kept_data_is_consistent(layout)):
            for stale in (layout.pgdata, layout.firestore_data):
                shutil.rmtree(stale, ignore_errors=True)
        print("starting PostgreSQL ...", flush=True)
        server, database_url = start_postgres(layout.pgdata)
        stack.callback(stop_postgres, server)
        print(migrate(ROOT, database_url), flush=True)
        print("starting the Firestore + RTDB emulators and the Emulator Hub ...", flush=True)
        ports = CliPorts.free() if layout.isolated else CliPorts()
        emulators = start_project_emulators(layout, args.keep_data, database_url, ports, stack)
        firestore = emulators.firestore
        targets = BackendTargets(
            database_url, firestore, emulators.database, PROJECT_ID, emulators.hub
        )
        site = build_web_app(layout)
        print("starting the Firebase CLI (Auth + Functions + Hosting emulators) ...", flush=True)
        cli = start_firebase_cli(layout, targets, ports, stack, site)
        functions = FunctionsClient(f"127.0.0.1:{ports.functions}", PROJECT_ID)
        data = seed(functions, AuthEmulatorClient(f"127.0.0.1:{ports.auth}"))
        description = stack_file.describe(targets, ports, data)
        web_url = f"http://127.0.0.1:{ports.hosting}/" if site else None
        if site:
            description["webApp"] = {"url": web_url}
            web_app.publish_stack(site, description)
        written = publish_stack(args, description, stack)
        if args.check:
            with FirestoreRest(firestore, PROJECT_ID, credentials=token_bearer) as rest:
                report = verify(functions, rest, data)
            report.append(verify_hub(emulators.hub))
            if web_url:
                report.append(web_app.verify_served(web_url))
            print("\n".join(report))
            print(f"check passed: {len(report)} facts verified", flush=True)
            return 0
        print(banner.render(targets, ports, data, layout.logs, written, web_url), flush=True)
        return wait_while_running([emulators.child, cli])


def main(argv: list[str] | None = None) -> int:
    """Entry point of scripts/dev.sh."""
    args = parse_args(argv)
    if not firebase_cli_installed(ROOT):
        print("node_modules/.bin/firebase is missing: run bash scripts/bootstrap.sh", flush=True)
        return 2
    # Explicit, because a shell starting us in the background may have ignored SIGINT.
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _raise_interrupt)
    local = ROOT / ".local"
    if args.isolated:
        (ROOT / ".local").mkdir(exist_ok=True)
        local = Path(tempfile.mkdtemp(prefix="isolated-", dir=ROOT / ".local"))
    try:
        status = run(args, Layout(local, args.isolated))
    except KeyboardInterrupt:
        print("\nstopped", flush=True)
        status = 0
    except Exception:
        print(f"failed; logs are in {local / 'logs'}", file=sys.stderr, flush=True)
        raise
    if args.isolated:
        shutil.rmtree(local, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
