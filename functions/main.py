"""Cloud Functions entry points: each declares its trigger and delegates in one line."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from firebase_functions import db_fn, firestore_fn, https_fn, options, scheduler_fn
from flowchat import config
from flowchat.adapters import firebase_app
from flowchat.lazy_modules import lazy_modules

# Handlers are imported on their first call, not at cold start (see lazy_modules.py);
# mypy still checks every call against the real modules.
if TYPE_CHECKING:
    from flowchat.api import (
        account_lifecycle,
        accounts,
        maintenance,
        members,
        messages,
        moderation,
        notifications,
        rooms,
        upload_http,
        uploads,
        users,
    )
    from flowchat.triggers import cleanup, message_events, presence_events, reaction_events
else:
    (
        account_lifecycle,
        accounts,
        maintenance,
        members,
        messages,
        moderation,
        notifications,
        rooms,
        upload_http,
        uploads,
        users,
    ) = lazy_modules(
        "flowchat.api",
        "account_lifecycle",
        "accounts",
        "maintenance",
        "members",
        "messages",
        "moderation",
        "notifications",
        "rooms",
        "upload_http",
        "uploads",
        "users",
    )
    cleanup, message_events, presence_events, reaction_events = lazy_modules(
        "flowchat.triggers", "cleanup", "message_events", "presence_events", "reaction_events"
    )

# Names, not SecretParams: the SDK writes global SecretParams as '{{ params.X }}' keys.
options.set_global_options(max_instances=20, secrets=[s.name for s in config.SECRETS])
# The SDK verifies callers' ID tokens with the default Admin app before any handler runs.
firebase_app.app()

CORS = options.CorsOptions(cors_origins=config.cors_origins(), cors_methods=["post"])
Request = https_fn.CallableRequest[Any]


@https_fn.on_call(cors=CORS)
def register(req: Request) -> dict[str, Any]:
    """Create an account and return a custom token."""
    return accounts.register(req)


@https_fn.on_call(cors=CORS)
def login(req: Request) -> dict[str, Any]:
    """Check a password and return a custom token."""
    return accounts.login(req)


@https_fn.on_call(cors=CORS)
def update_profile(req: Request) -> dict[str, Any]:
    """Change the caller's display name or avatar."""
    return accounts.update_profile(req)


@https_fn.on_call(cors=CORS)
def create_room(req: Request) -> dict[str, Any]:
    """Create a group room or open the direct room with another user."""
    return rooms.create_room(req)


@https_fn.on_call(cors=CORS)
def rename_room(req: Request) -> dict[str, Any]:
    """Rename a group room."""
    return rooms.rename_room(req)


@https_fn.on_call(cors=CORS)
def get_room(req: Request) -> dict[str, Any]:
    """Read a room and its members."""
    return rooms.get_room(req)


@https_fn.on_call(cors=CORS)
def list_my_rooms(req: Request) -> dict[str, Any]:
    """Page through the caller's rooms."""
    return rooms.list_my_rooms(req)


@https_fn.on_call(cors=CORS)
def hide_room(req: Request) -> dict[str, Any]:
    """Hide (archive) a room in the caller's list until the next message."""
    return rooms.hide_room(req)


@https_fn.on_call(cors=CORS)
def add_members(req: Request) -> dict[str, Any]:
    """Add users to a group room."""
    return members.add_members(req)


@https_fn.on_call(cors=CORS)
def accept_invitation(req: Request) -> dict[str, Any]:
    """Join a room one was invited to."""
    return members.accept_invitation(req)


@https_fn.on_call(cors=CORS)
def decline_invitation(req: Request) -> dict[str, Any]:
    """Decline an invitation to a room."""
    return members.decline_invitation(req)


@https_fn.on_call(cors=CORS)
def set_add_policy(req: Request) -> dict[str, Any]:
    """Choose who may add the caller to group rooms without an invitation."""
    return members.set_add_policy(req)


@https_fn.on_call(cors=CORS)
def get_my_settings(req: Request) -> dict[str, Any]:
    """The caller's add policy, blocked users and push-muted users."""
    return members.get_my_settings(req)


@https_fn.on_call(cors=CORS)
def remove_member(req: Request) -> dict[str, Any]:
    """Remove a user from a group room."""
    return members.remove_member(req)


@https_fn.on_call(cors=CORS)
def leave_room(req: Request) -> dict[str, Any]:
    """Leave a group or direct room."""
    return members.leave_room(req)


@https_fn.on_call(cors=CORS)
def set_role(req: Request) -> dict[str, Any]:
    """Change a member's role."""
    return members.set_role(req)


@https_fn.on_call(cors=CORS)
def check_membership(req: Request) -> dict[str, Any]:
    """Whether the caller belongs to a room."""
    return members.check_membership(req)


@https_fn.on_call(cors=CORS)
def search_users(req: Request) -> dict[str, Any]:
    """Find users by username or display name."""
    return users.search_users(req)


@https_fn.on_call(cors=CORS)
def block_user(req: Request) -> dict[str, Any]:
    """Block a user."""
    return users.block_user(req)


@https_fn.on_call(cors=CORS)
def unblock_user(req: Request) -> dict[str, Any]:
    """Unblock a user."""
    return users.unblock_user(req)


@scheduler_fn.on_schedule(schedule="every 1 minutes", timeout_sec=60)
def drain_outbox(event: scheduler_fn.ScheduledEvent) -> None:
    """Retry projections that failed right after their commit."""
    maintenance.drain_outbox(event)


# Messages, triggers and presence.


@https_fn.on_call(cors=CORS)
def send_message(req: Request) -> dict[str, Any]:
    """Post a message server-side, at most once per idempotency key."""
    return messages.send_message(req)


@https_fn.on_call(cors=CORS)
def search_messages(req: Request) -> dict[str, Any]:
    """Full-text search over messages of the caller's rooms."""
    return messages.search_messages(req)


@firestore_fn.on_document_written(document="rooms/{roomId}/messages/{messageId}")
def on_message_written(event: message_events.Event) -> None:
    """Keep the search index, room summary and thread counters up to date."""
    message_events.on_message_written(event)


@firestore_fn.on_document_written(document="rooms/{roomId}/messages/{messageId}/reactions/{uid}")
def on_reaction_written(event: reaction_events.Event) -> None:
    """Keep the message's reactionCounts up to date."""
    reaction_events.on_reaction_written(event)


@db_fn.on_value_written(reference="status/{uid}")
def on_status_written(event: presence_events.Event) -> None:
    """Mirror online / lastSeen into users/{uid}."""
    presence_events.on_status_written(event)


@scheduler_fn.on_schedule(schedule="every 5 minutes", timeout_sec=120)
def clean_up_presence(event: scheduler_fn.ScheduledEvent) -> None:
    """Drop presence connections and typing entries that lost their onDisconnect."""
    cleanup.clean_up()


# Files and images.


@https_fn.on_call(cors=CORS)
def get_upload_signature(req: Request) -> dict[str, Any]:
    """Signed parameters for uploading one file of a room straight to Cloudinary."""
    return uploads.get_upload_signature(req)


# Moderation.


@https_fn.on_call(cors=CORS)
def mute_member(req: Request) -> dict[str, Any]:
    """Mute a member until a time (null: unmute)."""
    return moderation.mute_member(req)


@https_fn.on_call(cors=CORS)
def ban_member(req: Request) -> dict[str, Any]:
    """Ban a user from a group room."""
    return moderation.ban_member(req)


@https_fn.on_call(cors=CORS)
def unban_member(req: Request) -> dict[str, Any]:
    """Lift a ban."""
    return moderation.unban_member(req)


@https_fn.on_call(cors=CORS)
def list_bans(req: Request) -> dict[str, Any]:
    """List a room's bans."""
    return moderation.list_bans(req)


@https_fn.on_call(cors=CORS)
def report_message(req: Request) -> dict[str, Any]:
    """Report a message to the room's admins."""
    return moderation.report_message(req)


@https_fn.on_call(cors=CORS)
def resolve_report(req: Request) -> dict[str, Any]:
    """Resolve a report."""
    return moderation.resolve_report(req)


@https_fn.on_request(cors=CORS, memory=options.MemoryOption.GB_1, timeout_sec=300)
def upload_file(req: https_fn.Request) -> https_fn.Response:
    """Receive one file (multipart), check, clean, scan and store it in the room's folder."""
    return upload_http.upload_file(req)


# Push notifications.


@https_fn.on_call(cors=CORS)
def register_device(req: Request) -> dict[str, Any]:
    """Store an FCM registration token for the caller."""
    return notifications.register_device(req)


@https_fn.on_call(cors=CORS)
def unregister_device(req: Request) -> dict[str, Any]:
    """Forget one of the caller's FCM tokens."""
    return notifications.unregister_device(req)


@https_fn.on_call(cors=CORS)
def set_notification_level(req: Request) -> dict[str, Any]:
    """Set the caller's push level for a room."""
    return notifications.set_notification_level(req)


@https_fn.on_call(cors=CORS)
def mute_user(req: Request) -> dict[str, Any]:
    """Stop pushes about a user's messages."""
    return notifications.mute_user(req)


@https_fn.on_call(cors=CORS)
def unmute_user(req: Request) -> dict[str, Any]:
    """Resume pushes about a user's messages."""
    return notifications.unmute_user(req)


# Account lifecycle.


@https_fn.on_call(cors=CORS)
def change_password(req: Request) -> dict[str, Any]:
    """Change the caller's password; other sessions are signed out."""
    return account_lifecycle.change_password(req)


@https_fn.on_call(cors=CORS)
def delete_account(req: Request) -> dict[str, Any]:
    """Delete the caller's account and personal data."""
    return account_lifecycle.delete_account(req)


@https_fn.on_call(cors=CORS)
def export_my_data(req: Request) -> dict[str, Any]:
    """Export the caller's data as JSON."""
    return account_lifecycle.export_my_data(req)
