"""Service results as the callables answer them: one function per result type.

Each returns the TypedDict of api/responses.py that docs/api.md and client/js's types are
generated from, so mypy holds the answers to what the reference says: camelCase keys,
times as ISO 8601 strings, enums as their strings (StrEnum members encode as those).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Final, cast

from flowchat.api import export_responses, responses

# Types only: importing the services here would load all of them (the Firestore client,
# Cloudinary, argon2) on the first call of any handler.
if TYPE_CHECKING:
    from flowchat.services import (
        account_export,
        accounts,
        file_uploads,
        membership,
        message_index,
        messages,
        moderation,
        my_settings,
        reports,
        rooms,
        upload_signatures,
        user_search,
    )

EXPORT_FORMAT: Final = "flowchat-export-1"


def iso(moment: datetime | None) -> str | None:
    """A time as ISO 8601 text (None stays None)."""
    return moment.isoformat() if moment is not None else None


def room_created(r: rooms.RoomCreated) -> responses.RoomCreated:
    shaped: responses.RoomCreated = {"roomId": r.room_id, "created": r.created}
    if r.invited is not None:
        shaped["invited"] = r.invited
    return shaped


def room_details(r: rooms.RoomDetails) -> responses.RoomDetails:
    return {
        "roomId": r.room_id,
        "kind": r.kind,
        "name": r.name,
        "createdBy": r.created_by,
        "createdAt": r.created_at.isoformat(),
        "memberCount": r.member_count,
        "members": [
            {
                "uid": m.uid,
                "role": m.role,
                "joinedAt": m.joined_at.isoformat(),
                "username": m.username,
                "displayName": m.display_name,
                "avatarUrl": m.avatar_url,
            }
            for m in r.members
        ],
    }


def my_rooms(page: rooms.RoomPage) -> responses.MyRooms:
    return {
        "rooms": [
            {
                "roomId": r.room_id,
                "kind": r.kind,
                "name": r.name,
                "memberCount": r.member_count,
                "role": r.role,
                "joinedAt": r.joined_at.isoformat(),
                "hidden": r.hidden,
            }
            for r in page.rooms
        ],
        "nextCursor": page.next_cursor,
    }


def settings(found: my_settings.MySettings) -> responses.MySettings:
    return responses.MySettings(
        addPolicy=found.add_policy,
        blockedUserIds=found.blocked_ids,
        mutedUserIds=found.muted_ids,
    )


def membership_status(s: membership.MembershipStatus) -> responses.MembershipStatus:
    return {"isMember": s.is_member, "role": s.role, "blocked": s.blocked, "canPost": s.can_post}


def found_users(page: user_search.UserPage) -> responses.FoundUsers:
    return {
        "users": [
            {
                "uid": u.uid,
                "username": u.username,
                "displayName": u.display_name,
                "avatarUrl": u.avatar_url,
            }
            for u in page.users
        ],
        "nextCursor": page.next_cursor,
    }


def signed_in(signed: accounts.SignedIn) -> responses.SignedIn:
    return {
        "uid": signed.uid,
        "customToken": signed.custom_token,
        "deviceToken": signed.device_token,
    }


def profile(p: accounts.PublicProfile) -> responses.Profile:
    return {
        "username": p.username,
        "displayName": p.display_name,
        "avatarUrl": p.avatar_url,
        "avatarThumbUrl": p.avatar_thumb_url,
    }


def message_sent(sent: messages.MessageSent) -> responses.MessageSent:
    return {"roomId": sent.room_id, "messageId": sent.message_id, "created": sent.created}


def found_messages(page: message_index.MessagePage) -> responses.FoundMessages:
    return {
        "messages": [
            {
                "roomId": m.room_id,
                "messageId": m.message_id,
                "parentId": m.parent_id,
                "authorId": m.author_id,
                "kind": m.kind,
                "text": m.text,
                "createdAt": m.created_at.isoformat(),
                "editedAt": iso(m.edited_at),
            }
            for m in page.messages
        ],
        "nextCursor": page.next_cursor,
    }


def bans(room_id: str, found: list[moderation.Ban]) -> responses.Bans:
    return {
        "roomId": room_id,
        "bans": [
            {"userId": b.user_id, "bannedBy": b.banned_by, "bannedAt": b.banned_at.isoformat()}
            for b in found
        ],
    }


def report_filed(filed: reports.ReportFiled) -> responses.ReportFiled:
    return {"reportId": filed.report_id, "created": filed.created}


def report_resolved(resolved: reports.ReportResolved) -> responses.ReportResolved:
    return {"reportId": resolved.report_id, "status": "resolved"}


def signed_upload(signed: upload_signatures.SignedUpload) -> responses.SignedUpload:
    return {
        "uploadUrl": signed.upload_url,
        "fields": signed.fields,
        "kind": signed.kind,
        "resourceType": signed.resource_type,
        "maxBytes": signed.max_bytes,
        "expiresAt": signed.expires_at,
        "urlPattern": signed.url_pattern,
    }


def attachment(stored: file_uploads.StoredAttachment) -> responses.Attachment:
    """Keys in this order: upload_file's body is plain json.dumps (callables sort keys)."""
    shaped: responses.Attachment = {
        "kind": stored.kind,
        "url": stored.url,
        "name": stored.name,
        "contentType": stored.content_type,
        "size": stored.size,
    }
    if stored.thumb_url is not None:
        shaped["thumbUrl"] = stored.thumb_url
    if stored.width is not None and stored.height is not None:
        shaped["width"] = stored.width
        shaped["height"] = stored.height
    return shaped


def exported_data(e: account_export.AccountExport) -> export_responses.ExportedData:
    p = e.profile
    return {
        "format": EXPORT_FORMAT,
        "exportedAt": e.exported_at.isoformat(),
        "profile": {
            "uid": p.uid,
            "username": p.username,
            "email": p.email,
            "displayName": p.display_name,
            "avatarUrl": p.avatar_url,
            "createdAt": p.created_at.isoformat(),
        },
        "memberships": [
            {
                "roomId": m.room_id,
                "kind": m.kind,
                "name": m.name,
                "role": m.role,
                "joinedAt": m.joined_at.isoformat(),
                "mutedUntil": iso(m.muted_until),
            }
            for m in e.memberships
        ],
        # Documents as stored in Firestore (their shape is what the rules let be written).
        "messages": [cast(export_responses.ExportedMessage, _stored(d)) for d in e.messages],
        "reactions": [cast(export_responses.ExportedReaction, _stored(d)) for d in e.reactions],
        "blocks": [_user_mark(b) for b in e.blocks],
        "devices": [
            {"token": d.token, "platform": d.platform, "createdAt": d.created_at.isoformat()}
            for d in e.devices
        ],
        "notificationLevels": [
            {"roomId": n.room_id, "level": n.level} for n in e.notification_levels
        ],
        "mutedUsers": [_user_mark(m) for m in e.muted_users],
        "reports": [
            {
                "roomId": r.room_id,
                "messageId": r.message_id,
                "reason": r.reason,
                "status": r.status,
                "createdAt": r.created_at.isoformat(),
            }
            for r in e.reports
        ],
    }


def _user_mark(mark: account_export.UserMark) -> export_responses.ExportedUserMark:
    return {"userId": mark.user_id, "createdAt": mark.created_at.isoformat()}


def _stored(doc: account_export.StoredDocument) -> dict[str, Any]:
    return {"roomId": doc.room_id, "messageId": doc.message_id, **json_value(doc.fields)}


def json_value(value: Any) -> Any:
    """Firestore values as JSON can hold them: times as ISO 8601 text, anything else
    without a JSON form (references, geo points) as its string."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)
