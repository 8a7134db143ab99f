"""Backfill of an explicit parentId: null on top-level messages written before it was required.

Firestore cannot query for a missing field, so the timeline query
where("parentId", "==", null) only finds messages that carry the null. This pages through
every room's messages (a collection-group query in document-name order) and sets the
field on those without it. Idempotent: a second run writes nothing.
"""

from __future__ import annotations

from typing import Any

PAGE_SIZE = 300  # documents read per page; the writes of a page go in one batch (<= 500)


def backfill(client: Any, page_size: int = PAGE_SIZE) -> int:
    """Set parentId: null where it is missing; returns how many messages were written."""
    written = 0
    last = None
    while True:
        query = client.collection_group("messages").order_by("__name__").limit(page_size)
        page = list((query.start_after(last) if last is not None else query).stream())
        if not page:
            return written
        missing = [doc for doc in page if "parentId" not in (doc.to_dict() or {})]
        if missing:
            batch = client.batch()
            for doc in missing:
                batch.update(doc.reference, {"parentId": None})
            batch.commit()
        written += len(missing)
        last = page[-1]
