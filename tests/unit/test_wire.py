"""Typed service results on the wire: api/wire.py's shapes, enums as strings, choice fields
parsed to enum members, and the API reference's spelling of enums."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from flowchat.api import responses, schema, wire
from flowchat.errors import InvalidInput
from flowchat.services import file_uploads, membership, rooms
from flowchat.services.domain import FileKind, Role, RoomKind

from scripts.api_docs.ts_types import ts_type

WHEN = datetime(2026, 5, 1, 12, 30, tzinfo=UTC)


def test_enum_members_reach_json_as_their_strings() -> None:
    details = rooms.RoomDetails(
        "r1",
        RoomKind.GROUP,
        "Team",
        "u1",
        WHEN,
        1,
        [rooms.RoomMember("u1", Role.OWNER, WHEN, "ada", "Ada", None)],
    )
    assert json.loads(json.dumps(wire.room_details(details))) == {
        "roomId": "r1",
        "kind": "group",
        "name": "Team",
        "createdBy": "u1",
        "createdAt": "2026-05-01T12:30:00+00:00",
        "memberCount": 1,
        "members": [
            {
                "uid": "u1",
                "role": "owner",
                "joinedAt": "2026-05-01T12:30:00+00:00",
                "username": "ada",
                "displayName": "Ada",
                "avatarUrl": None,
            }
        ],
    }


def test_room_created_names_invitations_only_for_a_new_group() -> None:
    assert wire.room_created(rooms.RoomCreated("r1", created=False)) == {
        "roomId": "r1",
        "created": False,
    }
    assert wire.room_created(rooms.RoomCreated("r1", created=True, invited=[])) == {
        "roomId": "r1",
        "created": True,
        "invited": [],
    }


def test_membership_status_keys_match_the_documented_type() -> None:
    status = membership.MembershipStatus(True, Role.ADMIN, blocked=True, can_post=False)
    shaped = wire.membership_status(status)
    assert set(shaped) == set(responses.MembershipStatus.__required_keys__)
    assert json.loads(json.dumps(shaped)) == {
        "isMember": True,
        "role": "admin",
        "blocked": True,
        "canPost": False,
    }
    assert wire.membership_status(membership.NO_MEMBER)["role"] is None


def test_attachment_keys_keep_their_order_and_omit_what_is_unknown() -> None:
    # upload_file answers with plain json.dumps, so key order is part of its body.
    full = file_uploads.StoredAttachment(
        FileKind.IMAGE, "https://x/a.png", "a.png", "image/png", 10, "https://x/t.png", 4, 3
    )
    assert json.dumps(wire.attachment(full)) == (
        '{"kind": "image", "url": "https://x/a.png", "name": "a.png", '
        '"contentType": "image/png", "size": 10, "thumbUrl": "https://x/t.png", '
        '"width": 4, "height": 3}'
    )
    bare = file_uploads.StoredAttachment(FileKind.DOCUMENT, "u", "a.pdf", "application/pdf", 5)
    assert list(wire.attachment(bare)) == ["kind", "url", "name", "contentType", "size"]


def test_choice_fields_parse_to_enum_members() -> None:
    field = schema.choice("role", Role, "the new role")
    assert field.ts_type == '"owner" | "admin" | "member"'
    assert field.limits == "one of owner, admin, member"
    parsed = field.check({"role": "admin"})
    assert parsed is Role.ADMIN
    for bad in ("Admin", "", None, ["admin"], 1):
        with pytest.raises(InvalidInput, match="role"):
            field.check({"role": bad})


def test_the_reference_spells_enums_as_their_strings() -> None:
    assert ts_type(Role, {}) == '"owner" | "admin" | "member"'
    assert ts_type(Role | None, {}) == '"owner" | "admin" | "member" | null'
    assert ts_type(list[RoomKind], {}) == '("group" | "direct")[]'


def test_role_rank_orders_moderation() -> None:
    assert Role.OWNER.rank > Role.ADMIN.rank > Role.MEMBER.rank
    assert Role("member") is Role.MEMBER
    with pytest.raises(ValueError):
        Role("superuser")
