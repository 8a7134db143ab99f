"""Parameters of messages, presence and their triggers; values are read at run time only."""

from __future__ import annotations

from firebase_functions import params

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
