"""SQLAlchemy Core tables mirroring sql/ (the migrations are the source of truth)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    FetchedValue,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    Table,
    Text,
    Uuid,
)
from sqlalchemy.dialects.postgresql import JSONB

metadata = MetaData()
# Defaults live in the migrations; this marks columns PostgreSQL fills in itself.
DB = FetchedValue()

users = Table(
    "users",
    metadata,
    Column("id", Uuid(as_uuid=False), primary_key=True, server_default=DB),
    Column("username", Text, nullable=False),
    Column("username_skeleton", Text),
    Column("email", Text),
    Column("password_hash", Text, nullable=False),
    Column("display_name", Text, nullable=False),
    Column("avatar_url", Text),
    Column("disabled", Boolean, nullable=False, server_default=DB),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("add_policy", Text, nullable=False, server_default=DB),
)

rooms = Table(
    "rooms",
    metadata,
    Column("id", Uuid(as_uuid=False), primary_key=True, server_default=DB),
    Column("kind", Text, nullable=False),
    Column("name", Text),
    Column("direct_key", Text),
    Column("created_by", Uuid(as_uuid=False), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("member_count", Integer, nullable=False, server_default=DB),
    Column("message_seq", BigInteger, nullable=False, server_default=DB),
)

room_members = Table(
    "room_members",
    metadata,
    Column("room_id", Uuid(as_uuid=False), primary_key=True),
    Column("user_id", Uuid(as_uuid=False), primary_key=True),
    Column("role", Text, nullable=False),
    Column("joined_at", DateTime(timezone=True), nullable=False),
    Column("muted_until", DateTime(timezone=True)),
    Column("hidden", Boolean, nullable=False, server_default=DB),
)

blocks = Table(
    "blocks",
    metadata,
    Column("blocker_id", Uuid(as_uuid=False), primary_key=True),
    Column("blocked_id", Uuid(as_uuid=False), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", BigInteger, primary_key=True, server_default=DB),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor_id", Uuid(as_uuid=False)),
    Column("action", Text, nullable=False),
    Column("room_id", Uuid(as_uuid=False)),
    Column("target_id", Uuid(as_uuid=False)),
    Column("client_address", Text),
    Column("details", JSONB, nullable=False, server_default=DB),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", BigInteger, primary_key=True, server_default=DB),
    Column("target", Text, nullable=False),
    Column("path", Text, nullable=False),
    Column("op", Text, nullable=False),
    Column("payload", JSONB(none_as_null=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("attempts", Integer, nullable=False, server_default=DB),
    Column("next_attempt_at", DateTime(timezone=True), nullable=False),
    Column("done_at", DateTime(timezone=True)),
    Column("last_error", Text),
    Column("priority", SmallInteger, nullable=False, server_default=DB),
)

login_throttle = Table(
    "login_throttle",
    metadata,
    Column("bucket", Text, primary_key=True),
    Column("failures", Integer, nullable=False, server_default=DB),
    Column("window_started_at", DateTime(timezone=True), nullable=False),
)

room_requests = Table(
    "room_requests",
    metadata,
    Column("created_by", Uuid(as_uuid=False), primary_key=True),
    Column("request_id", Text, primary_key=True),
    Column("room_id", Uuid(as_uuid=False), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

room_bans = Table(
    "room_bans",
    metadata,
    Column("room_id", Uuid(as_uuid=False), primary_key=True),
    Column("user_id", Uuid(as_uuid=False), primary_key=True),
    Column("banned_by", Uuid(as_uuid=False)),
    Column("banned_at", DateTime(timezone=True), nullable=False, server_default=DB),
)

message_reports = Table(
    "message_reports",
    metadata,
    Column("id", Uuid(as_uuid=False), primary_key=True, server_default=DB),
    Column("room_id", Uuid(as_uuid=False), nullable=False),
    Column("message_id", Text, nullable=False),
    Column("reporter_id", Uuid(as_uuid=False)),
    Column("reason", Text, nullable=False),
    Column("status", Text, nullable=False, server_default=DB),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=DB),
    Column("resolved_by", Uuid(as_uuid=False)),
    Column("resolved_at", DateTime(timezone=True)),
    Column("resolution", Text),
)

devices = Table(
    "devices",
    metadata,
    Column("token", Text, primary_key=True),
    Column("user_id", Uuid(as_uuid=False), nullable=False),
    Column("platform", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=DB),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=DB),
)

notification_levels = Table(
    "notification_levels",
    metadata,
    Column("user_id", Uuid(as_uuid=False), primary_key=True),
    Column("room_id", Uuid(as_uuid=False), primary_key=True),
    Column("level", Text, nullable=False),
)

muted_authors = Table(
    "muted_authors",
    metadata,
    Column("user_id", Uuid(as_uuid=False), primary_key=True),
    Column("author_id", Uuid(as_uuid=False), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=DB),
)

push_throttle = Table(
    "push_throttle",
    metadata,
    Column("user_id", Uuid(as_uuid=False), primary_key=True),
    Column("room_id", Uuid(as_uuid=False), primary_key=True),
    Column("last_push_at", DateTime(timezone=True), nullable=False),
)

login_devices = Table(
    "login_devices",
    metadata,
    Column("token_hash", LargeBinary, primary_key=True),
    Column("user_id", Uuid(as_uuid=False), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_used_at", DateTime(timezone=True), nullable=False),
)

room_invitations = Table(
    "room_invitations",
    metadata,
    Column("room_id", Uuid(as_uuid=False), primary_key=True),
    Column("user_id", Uuid(as_uuid=False), primary_key=True),
    Column("invited_by", Uuid(as_uuid=False)),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=DB),
)

user_search_tails = Table(
    "user_search_tails",
    metadata,
    Column("tail", Text, primary_key=True),
    Column("user_id", Uuid(as_uuid=False), primary_key=True),
)
