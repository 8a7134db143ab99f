"""The Firebase CLI's Auth and Functions emulators, pointed at the project's own emulators.

The Functions emulator runs functions/main.py inside functions/venv. It passes its own
environment through, plus functions/.env.local; keys starting with FIREBASE_ are refused in
.env files, so FIREBASE_DATABASE_EMULATOR_HOST travels in the CLI's environment instead.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from scripts.dev.ports import free_port
from scripts.dev.processes import Child

READY_LINE = r"All emulators ready"
# Startup includes loading main.py through a discovery server: ~15-25 s on 2 idle cores,
# minutes when the machine is busy.
STARTUP_TIMEOUT = 300.0
# The local stack's registrations per address and window (production default: 10).
LOCAL_REGISTRATIONS_PER_ADDRESS = 10_000
# The functions read DB_PASSWORD as a secret; without a local value the emulator would ask
# Secret Manager (unreachable offline). Locally the password is unused (DATABASE_URL wins);
# the Cloudinary pair is a placeholder: uploads need a real cloud or the tests' fake one.
LOCAL_SECRETS = {
    "DB_PASSWORD": "unused-locally",
    "CLOUDINARY_API_KEY": "local-api-key",
    "CLOUDINARY_API_SECRET": "local-api-secret",
}


@dataclass(frozen=True)
class CliPorts:
    """Every port the CLI opens with `--only auth,functions[,hosting]`."""

    auth: int = 9099
    functions: int = 5001
    # The CLI's own hub, moved off 4400: that is the project hub's (python -m emulator,
    # firebase.json's emulators.hub.port), which lists these emulators too.
    hub: int = 4401
    logging: int = 4500
    eventarc: int = 9299
    tasks: int = 9499
    # The Hosting emulator serving the web app (web/dist), as firebase.json's "hosting".
    hosting: int = 5000

    @classmethod
    def free(cls) -> CliPorts:
        """Ports nobody uses now, so several stacks can run side by side."""
        return cls(*(free_port() for _ in fields(cls)))

    def is_default(self) -> bool:
        """Whether these are the ports of the checked-in firebase.json."""
        return self == CliPorts()


@dataclass(frozen=True)
class BackendTargets:
    """What the functions connect to: PostgreSQL and the project's Firestore + RTDB."""

    database_url: str
    firestore: str
    database: str
    project_id: str
    # The project's Emulator Hub (python -m emulator), "" when none runs.
    hub: str = ""

    def functions_env(self) -> dict[str, str]:
        """The variables written to functions/.env.local."""
        return {
            "DATABASE_URL": self.database_url,
            "FIRESTORE_EMULATOR_HOST": self.firestore,
            "RTDB_URL": f"http://{self.database}/?ns={self.project_id}",
            # Every local client registers from loopback: test suites create many users.
            "REGISTER_MAX_PER_ADDRESS": str(LOCAL_REGISTRATIONS_PER_ADDRESS),
        }

    def cli_env(self) -> dict[str, str]:
        """Variables the CLI passes on to the functions (reserved names included)."""
        return {
            "FIRESTORE_EMULATOR_HOST": self.firestore,
            "FIREBASE_DATABASE_EMULATOR_HOST": self.database,
        }


def write_dotenv(path: Path, values: dict[str, str]) -> None:
    """Writes KEY=value lines (values quoted: URLs contain '?' and '=')."""
    lines = [f"{key}={json.dumps(value)}" for key, value in values.items()]
    path.write_text(
        "# Written by scripts/dev.sh for the Functions emulator.\n" + "\n".join(lines) + "\n"
    )


def configure_functions(functions_dir: Path, targets: BackendTargets) -> None:
    """Writes .env.local and .secret.local (both gitignored) in the functions folder."""
    write_dotenv(functions_dir / ".env.local", targets.functions_env())
    write_dotenv(functions_dir / ".secret.local", LOCAL_SECRETS)


def _emulators_block(ports: CliPorts) -> dict[str, object]:
    """The "emulators" section of a firebase.json for these ports."""
    block: dict[str, object] = {
        name: {"host": "127.0.0.1", "port": port} for name, port in asdict(ports).items()
    }
    return {"singleProjectMode": True, **block, "ui": {"enabled": False}}


def sandbox_project(
    root: Path,
    dest: Path,
    ports: CliPorts,
    *,
    share_functions: bool = False,
    hosting_site: Path | None = None,
) -> Path:
    """A Firebase project dir for the CLI on other ports than firebase.json's.

    The CLI takes the project root from the config file's folder, and functions/.env.local
    would override what we pass, so running on other ports needs a folder of its own: with a
    copy of functions/ (sharing its venv), or with ``share_functions`` a link to functions/
    itself (edits hot-reload; its .env.local is this stack's). With ``hosting_site`` (a
    folder inside ``dest``) its "hosting" section serves that folder instead of web/dist.
    """
    config = json.loads((root / "firebase.json").read_text())
    functions = dest / "functions"
    if functions.is_symlink():
        functions.unlink()
    elif functions.exists():
        shutil.rmtree(functions)
    dest.mkdir(parents=True, exist_ok=True)
    if share_functions:
        functions.symlink_to(root / "functions", target_is_directory=True)
    else:
        shutil.copytree(
            root / "functions",
            functions,
            ignore=shutil.ignore_patterns("venv", "*.local", "__pycache__"),
        )
        (functions / "venv").symlink_to(root / "functions" / "venv", target_is_directory=True)
    sandbox_config = {"functions": config["functions"], "emulators": _emulators_block(ports)}
    if hosting_site is not None:
        # Relative to dest: the Hosting emulator serves nothing from an absolute "public".
        # Not firebase.json's "ignore": its "**/.*" would hide the whole folder under .local/.
        hosting = {
            key: config["hosting"][key]
            for key in ("rewrites", "headers")
            if key in config["hosting"]
        }
        public = os.path.relpath(hosting_site, dest)
        sandbox_config["hosting"] = {**hosting, "public": public}
    (dest / "firebase.json").write_text(json.dumps(sandbox_config, indent=2))
    return dest


DISCOVERY_TIMEOUT_S = "60"  # seconds, read by firebase-tools


class FirebaseEmulators:
    """`firebase emulators:start --only auth,functions[,hosting]` as a child process."""

    def __init__(
        self,
        root: Path,
        project_dir: Path,
        project_id: str,
        targets: BackendTargets,
        log_path: Path,
        *,
        hosting: bool = False,
    ) -> None:
        firebase = root / "node_modules" / ".bin" / "firebase"
        only = "auth,functions,hosting" if hosting else "auth,functions"
        argv = [str(firebase), "emulators:start", "--only", only, "--project", project_id]
        # A TMPDIR of its own: the CLI keeps a per-project hub locator file there, which
        # other stacks of the same demo project on this machine would otherwise share.
        tmp = log_path.parent / "cli-tmp"
        tmp.mkdir(parents=True, exist_ok=True)
        # The CLI gives main.py 10 s to load before it gives up on the functions; on a
        # loaded machine (CI running other suites beside it) a cold import can take longer.
        env = {
            **os.environ,
            **targets.cli_env(),
            "GCLOUD_PROJECT": project_id,
            "TMPDIR": str(tmp),
            "FUNCTIONS_DISCOVERY_TIMEOUT": DISCOVERY_TIMEOUT_S,
        }
        self.child = Child("firebase emulators", argv, cwd=project_dir, env=env, log_path=log_path)

    def start(self, timeout: float = STARTUP_TIMEOUT) -> None:
        """Starts the CLI and returns once it says every emulator is ready."""
        self.child.start()
        self.child.wait_for_output(READY_LINE, timeout)

    def stop(self) -> None:
        """Stops the CLI and the Python workers it started."""
        self.child.stop()


def firebase_cli_installed(root: Path) -> bool:
    """Whether `npm ci` has installed the pinned firebase-tools."""
    return (root / "node_modules" / ".bin" / "firebase").exists()
