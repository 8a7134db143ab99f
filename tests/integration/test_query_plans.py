"""The queries the callables run use the schema's indexes on a populated database."""

from __future__ import annotations

import pytest
from sqlalchemy import text

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
        "SELECT id FROM (SELECT id, (lower(username) || ' ' || lower(display_name)) <->> :q AS d "
        "FROM users WHERE (lower(username) || ' ' || lower(display_name)) %> :q "
        "AND disabled IS false "
        "ORDER BY (lower(username) || ' ' || lower(display_name)) <->> :q LIMIT 1000) AS c "
        "ORDER BY d, id OFFSET 40 LIMIT 21",
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
    # Distance order comes from the GiST index, cut at 1,000 candidates, then sorted by id.
    sql, _ = QUERIES["user search page (search_users)"]
    explained = plan(rows, sql.replace("%", "%%"), q="plan person")
    assert "Index Scan using users_search_gist" in explained, explained
    assert "Order By:" in explained, explained
    assert explained.index("Limit") < explained.index("Sort") < explained.rindex("Limit")
