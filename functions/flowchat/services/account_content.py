"""What a user left in Firestore and the RTDB: read it (export) or scrub it (deletion).

Messages are found with a collection-group query on authorId (its index is declared in
firestore.indexes.json); reactions, receipts and rate-limit stamps are per-user documents
under the rooms the user is or was in. Every scrub is idempotent, so a failed deletion
can simply be retried.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter

from flowchat import config
from flowchat.adapters import firebase_app

DELETED_AUTHOR = "deleted-user"  # the author of a deleted account's messages
BATCH = 400
PER_USER_COLLECTIONS = ("receipts", "rateLimits")


def authored_messages(uid: str) -> Iterator[Any]:
    """Snapshots of every message the user wrote, in any room."""
    query = _client().collection_group("messages").where(filter=FieldFilter("authorId", "==", uid))
    yield from query.stream()


def reactions(uid: str, room_ids: list[str]) -> Iterator[Any]:
    """Snapshots of the user's reactions in these rooms."""
    client = _client()
    for room_id in room_ids:
        messages = client.collection(f"rooms/{room_id}/messages").select([]).stream()
        refs = [m.reference.collection("reactions").document(uid) for m in messages]
        for start in range(0, len(refs), BATCH):
            yield from (s for s in client.get_all(refs[start : start + BATCH]) if s.exists)


def scrub(uid: str, room_ids: list[str]) -> None:
    """Messages become tombstones by DELETED_AUTHOR; reactions, receipts, stamps and
    typing go; room summaries and moderator marks stop naming the user."""
    client = _client()
    _write_all(client, [(m.reference, _tombstone(m.to_dict())) for m in authored_messages(uid)])
    moderated = client.collection_group("messages").where(
        filter=FieldFilter("deletedBy", "==", uid)
    )
    _write_all(client, [(m.reference, {"deletedBy": DELETED_AUTHOR}) for m in moderated.stream()])
    doomed = [r.reference for r in reactions(uid, room_ids)]
    for room_id in room_ids:
        doomed += [client.document(f"rooms/{room_id}/{c}/{uid}") for c in PER_USER_COLLECTIONS]
    _delete_all(client, doomed)
    for room_id in room_ids:
        _scrub_summary(client, room_id, uid)
    _delete_rtdb([f"typing/{room_id}/{uid}" for room_id in room_ids] + [f"status/{uid}"])


def _tombstone(doc: dict[str, Any]) -> dict[str, Any]:
    deleted_at = doc.get("deletedAt") or firestore.SERVER_TIMESTAMP
    return {"text": "", "attachments": [], "authorId": DELETED_AUTHOR, "deletedAt": deleted_at}


def close_rooms(room_ids: list[str]) -> None:
    """Delete closed rooms' documents and subcollections, and their RTDB entries."""
    client = _client()
    for room_id in room_ids:
        client.recursive_delete(client.document(f"rooms/{room_id}"))
    _delete_rtdb(
        [f"{tree}/{room_id}" for room_id in room_ids for tree in ("typing", "roomMembers")]
    )


def remove_profile_tree(uid: str) -> None:
    """users/{uid} and anything left under it."""
    client = _client()
    client.recursive_delete(client.document(f"users/{uid}"))


def _scrub_summary(client: Any, room_id: str, uid: str) -> None:
    room = client.document(f"rooms/{room_id}")
    last = (room.get().to_dict() or {}).get("lastMessage") or {}
    if last.get("authorId") == uid:
        room.update(
            {
                "lastMessage.authorId": DELETED_AUTHOR,
                "lastMessage.text": "",
                "lastMessage.deleted": True,
            }
        )


def _write_all(client: Any, updates: list[tuple[Any, dict[str, Any]]]) -> None:
    for start in range(0, len(updates), BATCH):
        batch = client.batch()
        for ref, fields in updates[start : start + BATCH]:
            batch.update(ref, fields)
        batch.commit()


def _delete_all(client: Any, refs: list[Any]) -> None:
    for start in range(0, len(refs), BATCH):
        batch = client.batch()
        for ref in refs[start : start + BATCH]:
            batch.delete(ref)
        batch.commit()


def _delete_rtdb(paths: list[str]) -> None:
    url = config.RTDB_URL.value
    if not url or not paths:
        return
    from firebase_admin import db

    db.reference("/", app=firebase_app.app(), url=url).update(dict.fromkeys(paths))


def _client() -> Any:
    return firebase_app.firestore_client()
