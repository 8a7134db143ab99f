"""Firebase Cloud Messaging: notifications sent with the Admin SDK's send_each, 500 a call.

FCM_ENDPOINT (a deployment parameter, empty in production) replaces the base URL
https://fcm.googleapis.com of the HTTP v1 send endpoint: firebase-admin 7.7 has no setting
of its own, so the adapter sets the messaging service's ``_fcm_url`` (the only place
that version reads it) to ``{FCM_ENDPOINT}/v1/projects/{project}/messages:send``. The
OAuth access token still comes from the app's credential, as in production.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

import firebase_admin
from firebase_admin import exceptions, messaging

from flowchat import config
from flowchat.adapters import firebase_app

MAX_PER_CALL = 500  # send_each refuses more
Outcome = Literal["sent", "dead", "failed"]


@dataclass(frozen=True, slots=True)
class Push:
    """One notification to one device token."""

    token: str
    title: str
    body: str
    data: dict[str, str]
    collapse_key: str  # the device keeps only the latest notification per key


def send(pushes: list[Push]) -> dict[str, Outcome]:
    """Send every push (batches of 500); per token: sent, dead (prune it) or failed."""
    app = _app()
    _point_at_endpoint(app)
    outcomes: dict[str, Outcome] = {}
    for start in range(0, len(pushes), MAX_PER_CALL):
        batch = pushes[start : start + MAX_PER_CALL]
        response = messaging.send_each([_message(p) for p in batch], app=app)
        for push, result in zip(batch, response.responses, strict=True):
            outcomes[push.token] = _outcome(result)
    return outcomes


def _message(p: Push) -> messaging.Message:
    # firebase-admin 7 names the registration token `fid` (`token` is deprecated).
    return messaging.Message(
        fid=p.token,
        notification=messaging.Notification(title=p.title, body=p.body),
        data=p.data,
        android=messaging.AndroidConfig(collapse_key=p.collapse_key, priority="high"),
        apns=messaging.APNSConfig(headers={"apns-collapse-id": p.collapse_key}),
        webpush=messaging.WebpushConfig(headers={"Topic": p.collapse_key}),
    )


def _outcome(result: messaging.SendResponse) -> Outcome:
    """Dead: FCM says the token is gone (UNREGISTERED), not a registration token at all
    (INVALID_ARGUMENT naming the token), or of another sender."""
    if result.success:
        return "sent"
    error = result.exception
    if isinstance(error, messaging.UnregisteredError | messaging.SenderIdMismatchError):
        return "dead"
    if isinstance(error, exceptions.InvalidArgumentError) and "registration token" in str(error):
        return "dead"
    return "failed"


_lock = threading.Lock()
_app_override: firebase_admin.App | None = None


def _app() -> firebase_admin.App:
    with _lock:
        return _app_override or firebase_app.app()


def _point_at_endpoint(app: firebase_admin.App) -> None:
    endpoint = config.FCM_ENDPOINT.value.rstrip("/")
    if endpoint:
        service = messaging._get_messaging_service(app)
        service._fcm_url = f"{endpoint}/v1/projects/{app.project_id}/messages:send"


@contextmanager
def sending_with(app: firebase_admin.App) -> Iterator[None]:
    """Send through another Admin app for a while (tests: a credential the fake accepts)."""
    global _app_override
    previous = _app_override
    _app_override = app
    try:
        yield
    finally:
        _app_override = previous
