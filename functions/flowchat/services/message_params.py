"""Parameters of messages, presence and their triggers; values are read at run time only."""

from __future__ import annotations

from firebase_functions import params

SEND_MESSAGE_MIN_INTERVAL_SECONDS = params.IntParam(
    "SEND_MESSAGE_MIN_INTERVAL_SECONDS",
    default=1,
    description="send_message: least time between two messages of one member in one room.",
)
PRESENCE_STALE_SECONDS = params.IntParam(
    "PRESENCE_STALE_SECONDS",
    default=300,
    description="Clean-up drops presence connections whose lastActive is older than this.",
)
TYPING_STALE_SECONDS = params.IntParam(
    "TYPING_STALE_SECONDS",
    default=30,
    description="Clean-up drops typing entries older than this.",
)
PROCESSED_EVENTS_RETENTION_DAYS = params.IntParam(
    "PROCESSED_EVENTS_RETENTION_DAYS",
    default=8,
    description="How long handled trigger event ids are kept (longer than the retry window).",
)
