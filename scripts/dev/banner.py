"""What scripts/dev.sh prints once the stack is up: addresses, demo accounts, a first curl."""

from __future__ import annotations

from pathlib import Path

from scripts.dev.firebase_cli import BackendTargets, CliPorts
from scripts.dev.seed import DEMO_PASSWORD, DemoData


def render(
    targets: BackendTargets,
    ports: CliPorts,
    data: DemoData,
    logs: Path,
    stack_file: Path | None,
    web_url: str | None = None,
) -> str:
    """The text shown once everything is ready."""
    web = (
        f"  Web app     {web_url}   (open it in two browser windows and sign in as two "
        "demo users)\n"
        if web_url
        else ""
    )
    functions = f"http://127.0.0.1:{ports.functions}/{targets.project_id}/us-central1"
    users = ", ".join(f"{u.username} ({u.uid})" for u in data.users.values())
    rooms = ", ".join(f"{name} ({room_id})" for name, room_id in data.rooms.items())
    login = '{"data":{"usernameOrEmail":"alice","password":"' + DEMO_PASSWORD + '"}}'
    return f"""
FlowChat local stack is up. Ctrl-C stops everything.

{web}  Functions   {functions}/<name>   (callables: POST {{"data": ...}})
  Auth        http://127.0.0.1:{ports.auth}   FIREBASE_AUTH_EMULATOR_HOST=127.0.0.1:{ports.auth}
  Firestore   {targets.firestore}   FIRESTORE_EMULATOR_HOST={targets.firestore}  (gRPC + REST)
  RTDB        http://{targets.database}/?ns={targets.project_id}   \
FIREBASE_DATABASE_EMULATOR_HOST={targets.database}
  Hub         http://{targets.hub}/emulators   FIREBASE_EMULATOR_HUB={targets.hub}
  PostgreSQL  {targets.database_url}
  Logs        {logs}
  Stack file  {stack_file}   (addresses + demo data for client/js: optionsFromStack)

Demo users, password "{DEMO_PASSWORD}": {users}
Demo rooms: {rooms}

Try it:
  curl -s -X POST {functions}/login -H 'Content-Type: application/json' \\
       -d '{login}'
  # then exchange result.customToken for an ID token:
  curl -s -X POST 'http://127.0.0.1:{ports.auth}/identitytoolkit.googleapis.com/v1/\
accounts:signInWithCustomToken?key=fake' -H 'Content-Type: application/json' \\
       -d '{{"token":"<customToken>","returnSecureToken":true}}'
  # and call a callable as alice:
  curl -s -X POST {functions}/list_my_rooms -H 'Content-Type: application/json' \\
       -H 'Authorization: Bearer <idToken>' -d '{{"data":{{}}}}'
"""
