"""The queries the callables run use the schema's indexes on a populated database."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.orm import Session

USERS, ROOMS, MEMBERS_PER_ROOM = 20_000, 2_000, 10
HASH = "$argon2id$v=19$m=8192,t=1,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"
# Fixed ids so the queries below have something to look for.
USER = "00000000-0000-4000-8000-000000000007"
ROOM = "00000000-0000-4000-9000-000000000007"


@pytest.fixture
def populated(rows) -> None:
    """Users, group rooms and memberships inside the test's rolled-back transaction."""
    rows(
        "INSERT INTO users (id, username, email, password_hash, display_name) "
        "SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, "
        "'plan_user' || i, 'plan' || i || '@example.com', :h, 'Plan Person ' || i "
        "FROM generate_series(1, :n) AS i RETURNING 1",
        h=HASH,
        n=USERS,
    )
    rows(
        "INSERT INTO rooms (id, kind, name, created_by) "
        "SELECT ('00000000-0000-4000-9000-' || lpad(to_hex(i), 12, '0'))::uuid, 'group', "
        "'room ' || i, :u FROM generate_series(1, :n) AS i RETURNING 1",
        u=USER,
        n=ROOMS,
    )
    rows(
        "INSERT INTO room_members (room_id, user_id, role) "
        "SELECT ('00000000-0000-4000-9000-' || lpad(to_hex(r), 12, '0'))::uuid, "
        "('00000000-0000-4000-8000-' || lpad(to_hex(1 + mod(r * 7 + m * 997, :users)), 12, '0'))"
        "::uuid, CASE WHEN m = 0 THEN 'owner' ELSE 'member' END "
        "FROM generate_series(1, :rooms) AS r, generate_series(0, :per - 1) AS m "
        "ON CONFLICT DO NOTHING RETURNING 1",
        users=USERS,
        rooms=ROOMS,
        per=MEMBERS_PER_ROOM,
    )
    from flowchat.adapters import db

    with db.sessions()() as session, session.begin():
        session.execute(text("ANALYZE users, rooms, room_members, blocks"))


@contextmanager
def db_session():
    """A session in the test's rolled-back transaction."""
    from flowchat.adapters import db

    with db.sessions()() as session, session.begin():
        yield session


def plan(rows, sql: str, **params: object) -> str:
    """The EXPLAIN text of a query."""
    return "\n".join(r[0] for r in rows("EXPLAIN " + sql, **params))


QUERIES = {
    "membership check (require_member)": (
        "SELECT m.role FROM room_members m JOIN users u ON u.id = m.user_id "
        "WHERE m.room_id = :r AND m.user_id = :u AND u.disabled IS false",
        "room_members_pkey",
    ),
    "members of a room (get_room, projection)": (
        "SELECT user_id, role FROM room_members WHERE room_id = :r",
        "room_members_pkey",
    ),
    "rooms of a user, newest first (list_my_rooms)": (
        "SELECT room_id FROM room_members WHERE user_id = :u "
        "ORDER BY joined_at DESC, room_id DESC LIMIT 21",
        "room_members_by_user",
    ),
    "owner count (leave_room, set_role)": (
        "SELECT count(*) FROM room_members WHERE room_id = :r AND role = 'owner'",
        "room_members_",
    ),
    "login by username": (
        "SELECT id FROM users WHERE lower(username) = lower(:name)",
        "users_username_lower_key",
    ),
    "login by email": (
        "SELECT id FROM users WHERE lower(email) = lower(:mail)",
        "users_email_lower_key",
    ),
    "direct room of a pair": (
        "SELECT id FROM rooms WHERE direct_key = :key",
        "rooms_direct_key",
    ),
    "user search page (search_users)": (
        "SELECT id FROM users WHERE (lower(username) || ' ' || lower(display_name)) %> :q "
        "AND disabled IS false "
        "ORDER BY (lower(username) || ' ' || lower(display_name)) <->> :q "
        "OFFSET 40 LIMIT 21",
        "users_search_gist",
    ),
}


def test_every_query_uses_its_index(rows, populated) -> None:
    params = {"r": ROOM, "u": USER, "name": "Plan_User7", "mail": "PLAN7@example.com"}
    params |= {"key": f"{USER}:{ROOM}", "q": "plan_user123"}
    wrong = {}
    for name, (sql, index) in QUERIES.items():
        used = {k: v for k, v in params.items() if f":{k}" in sql}
        explained = plan(rows, sql.replace("%", "%%"), **used)
        if index not in explained or "Seq Scan" in explained:
            wrong[name] = explained
    assert not wrong, wrong
    # Distance order comes from the GiST index itself: nothing sorts the matches.
    sql, _ = QUERIES["user search page (search_users)"]
    explained = plan(rows, sql.replace("%", "%%"), q="plan person")
    assert "Index Scan using users_search_gist" in explained, explained
    assert "Order By:" in explained and "Sort" not in explained, explained


def service_statements(engine, action: Callable[[Session], object]) -> list[tuple[str, Any]]:
    """The SQL statements (with parameters) a service function sends, in order."""
    from flowchat.adapters import db

    sent: list[tuple[str, Any]] = []

    def seen(_conn, _cursor, statement, parameters, _context, _many) -> None:
        if not statement.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            sent.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", seen)
    try:
        with db.sessions()() as session, session.begin():
            action(session)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    return sent


def explain_sent(statement: str, parameters: Any) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of a statement exactly as the service sent it."""
    from flowchat.adapters import db

    with db.sessions()() as session, session.begin():
        result = session.connection().exec_driver_sql(
            "EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters
        )
        return "\n".join(r[0] for r in result)


def test_check_membership_is_one_index_only_lookup(engine, rows, populated) -> None:
    from flowchat.services import membership
    from flowchat.services.domain import Role

    [owner] = rows("SELECT user_id FROM room_members WHERE room_id = :r AND role = 'owner'", r=ROOM)
    owner_id = str(owner.user_id)

    def check(session: Session) -> None:
        status = membership.check(session, ROOM, owner_id)
        assert status == membership.MembershipStatus(
            is_member=True, role=Role.OWNER, blocked=False, can_post=True
        )
        assert status.role is Role.OWNER  # the enum member, not merely its string

    sent = service_statements(engine, check)
    assert len(sent) == 1, sent  # one round trip, no room lookup first
    explained = explain_sent(*sent[0])
    # Both tables answered from indexes: the role from the primary key (INCLUDE role),
    # "active" from the partial index of active users (migration 0018).
    assert "Index Only Scan using room_members_pkey" in explained, explained
    assert "Index Only Scan using users_active" in explained, explained
    assert "Seq Scan" not in explained, explained
    # A stranger, a disabled member and a room that does not exist: not members.
    stranger = "00000000-0000-4000-8000-00000000ffff"
    rows("UPDATE users SET disabled = true WHERE id = :u RETURNING 1", u=owner_id)
    with db_session() as session:
        assert membership.check(session, ROOM, owner_id) == membership.MembershipStatus(
            is_member=False, role=None, blocked=False, can_post=False
        )
        assert membership.check(session, ROOM, stranger).is_member is False
        assert membership.check(session, stranger, USER).is_member is False


def _last_search_plan(engine, query: str, cursor: str | None = None) -> tuple[str, Any]:
    """EXPLAIN ANALYZE of the last statement a search page sends, and the page."""
    from flowchat.services import user_search

    pages = []

    def search(session: Session) -> None:
        pages.append(user_search.search(session, USER, query, 20, cursor))

    explained = explain_sent(*service_statements(engine, search)[-1])
    assert "Seq Scan on users" not in explained, explained
    assert "Seq Scan on user_search_tails" not in explained, explained
    return explained, pages[0]


def _walked(explained: str, index: str) -> float:
    found = re.search(rf"Index (?:Only )?Scan using {index}.*?rows=([\d.]+) loops", explained)
    assert found is not None, explained
    return float(found.group(1))


def test_prefix_search_pages_walk_only_the_page(engine, rows, populated) -> None:
    """A prefix shared by every user: each page is a btree range of about its own size,
    keyset-paged on (tail, uid), however many users share the prefix."""
    explained, first = _last_search_plan(engine, "plan person")
    assert "user_search_tails_pkey" in explained, explained
    assert "users_search_gist" not in explained, explained
    assert _walked(explained, "user_search_tails_pkey") <= 21 + 1
    assert len(first.users) == 20 and first.next_cursor
    explained, second = _last_search_plan(engine, "plan person", first.next_cursor)
    assert _walked(explained, "user_search_tails_pkey") <= 21 + 1
    seen = {u.uid for u in first.users}
    assert not seen & {u.uid for u in second.users}
    # Keyset order: the matched tail, then the uid ("plan person 1", "plan person 10", ...).
    names = [u.display_name.lower() for u in first.users + second.users]
    assert names == sorted(names), names


def test_fuzzy_search_walks_at_most_the_fuzzy_cap(engine, rows, populated) -> None:
    """No prefix match: the GiST walk stops once the page can be cut (offset + limit + 1
    matches and their ties), never past MAX_FUZZY."""
    from flowchat.services import user_search

    # A typo every populated user ties with: the cap bounds the walk.
    explained, page = _last_search_plan(engine, "plna person")
    assert "Index Scan using users_search_gist" in explained, explained
    assert _walked(explained, "users_search_gist") <= user_search.MAX_FUZZY
    assert page.users
    # "plan_user1234x" ranks plan_user1234 first and spreads the others over many distances.
    explained, page = _last_search_plan(engine, "plan_user1234x")
    assert _walked(explained, "users_search_gist") < 200
    assert page.users[0].username == "plan_user1234"


def test_create_group_round_trips(engine, rows, populated) -> None:
    """Audit rows of a new room go in one INSERT, whatever the number of members."""
    from flowchat.services import rooms

    members = [f"00000000-0000-4000-8000-{i:012x}" for i in range(8, 12)]

    def create(session: Session) -> None:
        rooms.create_group(session, USER, "Plans", members)

    # Direct adds (issue 11: the default add policy would make these invitations).
    rows(
        "UPDATE users SET add_policy = 'anyone' WHERE id = ANY(CAST(:m AS uuid[])) RETURNING 1",
        m=members,
    )
    sent = service_statements(engine, create)
    audit_inserts = [s for s, _ in sent if s.startswith("INSERT INTO audit_log")]
    assert len(audit_inserts) == 1, sent
    # active caller, members valid, add policies, room, members, audit, projection reads (2),
    # outbox.
    assert len(sent) <= 9, [s for s, _ in sent]
    [count] = rows("SELECT member_count FROM rooms WHERE name = 'Plans'")
    assert count.member_count == 1 + len(members)
