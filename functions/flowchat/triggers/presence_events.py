"""status/{uid} written: mirror online / lastSeen into users/{uid} (a field update).

A write that does not change what the profile shows (a heartbeat, a second session opened
or closed while online) costs no Firestore read or write: the event's before and after
are compared first. Otherwise the handler mirrors the status as it is *now* (one RTDB
read), not the event's snapshot: events may arrive late, twice or out of order, and an
older one must not win.
"""

from __future__ import annotations

import logging
from typing import Any

from firebase_admin import db
from firebase_functions import db_fn
from google.api_core.exceptions import NotFound

from flowchat.adapters import firebase_app
from flowchat.services import presence

log = logging.getLogger(__name__)

Event = db_fn.Event[db_fn.Change[Any]]


def on_status_written(event: Event) -> None:
    """Set online and, when known, lastSeen on the user's public profile."""
    uid = event.params["uid"]
    if presence.mirrored(event.data.before) == presence.mirrored(event.data.after):
        return
    state = presence.mirrored(_current_status(event, uid))
    fields: dict[str, Any] = {"online": state.online}
    if state.last_seen is not None:
        fields["lastSeen"] = state.last_seen
    try:
        # update(), not set(): the profile's other fields belong to the backend's projection,
        # and a uid without a profile (no FlowChat account) gets no document.
        firebase_app.firestore_client().document(f"users/{uid}").update(fields)
    except NotFound:
        log.info("presence of %s not mirrored: no users/%s profile", uid, uid)


def _current_status(event: Event, uid: str) -> Any:
    """status/{uid} read from the database instance the event came from."""
    url = f"https://{event.instance}.{event.firebase_database_host}"
    return db.reference(f"status/{uid}", app=firebase_app.app(), url=url).get()
