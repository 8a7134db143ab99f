"""A functions source for the delivery tests: each trigger records what it received."""

from __future__ import annotations

from typing import Any

from firebase_functions import db_fn, firestore_fn, https_fn, scheduler_fn

received: list[dict[str, Any]] = []


def _snapshot(snapshot: Any) -> dict[str, Any] | None:
    return snapshot.to_dict() if snapshot is not None and snapshot.exists else None


@firestore_fn.on_document_written(document="rooms/{roomId}/messages/{messageId}")
def message_written(event: firestore_fn.Event[Any]) -> None:
    """Records the Change of every message write."""
    received.append(
        {
            "name": "message_written",
            "id": event.id,
            "type": event.type,
            "document": event.document,
            "database": event.database,
            "params": event.params,
            "before": _snapshot(event.data.before),
            "after": _snapshot(event.data.after),
            "after_ref": event.data.after.reference.path if event.data.after else None,
        }
    )


@firestore_fn.on_document_created(document="logs/{logId}")
def log_created(event: firestore_fn.Event[Any]) -> None:
    """Records created documents only."""
    received.append(
        {
            "name": "log_created",
            "params": event.params,
            "type": event.type,
            "after": _snapshot(event.data),
        }
    )


@firestore_fn.on_document_deleted(document="logs/{logId}")
def log_deleted(event: firestore_fn.Event[Any]) -> None:
    """Records deleted documents only (the data is the last state)."""
    received.append(
        {"name": "log_deleted", "params": event.params, "before": _snapshot(event.data)}
    )


@firestore_fn.on_document_created_with_auth_context(document="audited/{id}")
def audited_created(event: firestore_fn.AuthEvent[Any]) -> None:
    """A trigger with the auth context attributes."""
    received.append(
        {
            "name": "audited_created",
            "params": event.params,
            "auth": (event.auth_type, event.auth_id),
        }
    )


@firestore_fn.on_document_written(document="deep/{path=**}")
def deep_written(event: firestore_fn.Event[Any]) -> None:
    """A multi-segment capture."""
    received.append({"name": "deep_written", "params": event.params})


@firestore_fn.on_document_created(document="explode/{id}")
def explode(event: firestore_fn.Event[Any]) -> None:
    """Always fails: delivery to other functions must go on."""
    raise RuntimeError("boom")


@db_fn.on_value_written(reference="status/{uid}")
def status_written(event: db_fn.Event[Any]) -> None:
    """Records the Change at status/{uid}."""
    received.append(
        {
            "name": "status_written",
            "params": event.params,
            "type": event.type,
            "instance": event.instance,
            "reference": event.reference,
            "before": event.data.before,
            "after": event.data.after,
        }
    )


@db_fn.on_value_created(reference="items/{itemId}")
def item_created(event: db_fn.Event[Any]) -> None:
    """Records created values only."""
    received.append({"name": "item_created", "params": event.params, "data": event.data})


@scheduler_fn.on_schedule(schedule="every 5 minutes")
def every_five_minutes(event: scheduler_fn.ScheduledEvent) -> None:
    """Records a scheduled run."""
    received.append({"name": "every_five_minutes", "job": event.job_name})


@https_fn.on_request()
def not_a_trigger(req: Any) -> Any:
    """HTTP functions are not event triggers."""
    return https_fn.Response("ok")
