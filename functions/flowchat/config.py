"""Deployment parameters, declared once; values are read at run time only."""

from __future__ import annotations

import os
import re

from firebase_functions import params

DATABASE_URL = params.StringParam(
    "DATABASE_URL",
    default="",
    description="SQLAlchemy URL of PostgreSQL for local work (empty in production).",
)
CLOUD_SQL_INSTANCE = params.StringParam(
    "CLOUD_SQL_INSTANCE",
    default="",
    description="Cloud SQL instance connection name, project:region:instance.",
)
DB_NAME = params.StringParam("DB_NAME", default="flowchat")
DB_USER = params.StringParam(
    "DB_USER",
    default="flowchat",
    description="Database user (with IAM auth: the service account minus .gserviceaccount.com).",
)
DB_IAM_AUTH = params.BoolParam("DB_IAM_AUTH", default=True)
DB_PASSWORD = params.SecretParam("DB_PASSWORD", description="Used only when DB_IAM_AUTH is false.")
DB_POOL_SIZE = params.IntParam("DB_POOL_SIZE", default=5)

RTDB_URL = params.StringParam(
    "RTDB_URL",
    default="",
    description="Realtime Database URL for the roomMembers mirror; empty disables that mirror.",
)
FIRESTORE_WRITE_TIMEOUT_SECONDS = params.IntParam("FIRESTORE_WRITE_TIMEOUT_SECONDS", default=10)

ARGON2_TIME_COST = params.IntParam("ARGON2_TIME_COST", default=3)
ARGON2_MEMORY_KIB = params.IntParam("ARGON2_MEMORY_KIB", default=65536)

LOGIN_WINDOW_SECONDS = params.IntParam("LOGIN_WINDOW_SECONDS", default=900)
LOGIN_MAX_FAILURES_PER_ACCOUNT = params.IntParam("LOGIN_MAX_FAILURES_PER_ACCOUNT", default=5)
LOGIN_MAX_FAILURES_PER_ADDRESS = params.IntParam("LOGIN_MAX_FAILURES_PER_ADDRESS", default=50)
LOGIN_MAX_FAILURES_PER_DEVICE = params.IntParam("LOGIN_MAX_FAILURES_PER_DEVICE", default=5)
# Registrations per client address and LOGIN_WINDOW_SECONDS, successful or not: each costs
# an argon2id hash and may probe whether a username is taken.
REGISTER_MAX_PER_ADDRESS = params.IntParam("REGISTER_MAX_PER_ADDRESS", default=10)
LOGIN_DEVICE_DAYS = params.IntParam("LOGIN_DEVICE_DAYS", default=180)

CLOUDINARY_CLOUD_NAME = params.StringParam(
    "CLOUDINARY_CLOUD_NAME",
    default="demo-flowchat",
    description="Cloudinary cloud of every file URL (firestore.rules is rendered from it).",
)
CLOUDINARY_API_KEY = params.SecretParam("CLOUDINARY_API_KEY", description="Cloudinary API key.")
CLOUDINARY_API_SECRET = params.SecretParam(
    "CLOUDINARY_API_SECRET", description="Cloudinary API secret: signs uploads, never sent."
)

PUSH_INTERVAL_SECONDS = params.IntParam(
    "PUSH_INTERVAL_SECONDS",
    default=60,
    description="At most one push per member and room in this many seconds.",
)
FCM_ENDPOINT = params.StringParam(
    "FCM_ENDPOINT",
    default="",
    description="Base URL replacing https://fcm.googleapis.com (tests, local fakes); empty: FCM.",
)

SECRETS = [DB_PASSWORD, CLOUDINARY_API_KEY, CLOUDINARY_API_SECRET]

_LOCAL_ORIGINS = r"https?://(localhost|127\.0\.0\.1)(:\d+)?"


def cors_origins() -> re.Pattern[str]:
    """Origins allowed to call the callables.

    The Python SDK wraps callables for CORS when they are declared, so this is read
    at import (from the deployment's .env), unlike the params above.
    """
    configured = [o.strip() for o in os.environ.get("CORS_ORIGINS", "").split(",") if o.strip()]
    project = os.environ.get("GCLOUD_PROJECT") or os.environ.get("GOOGLE_CLOUD_PROJECT") or ""
    hosted = [f"https://{project}.web.app", f"https://{project}.firebaseapp.com"]
    alternatives = [re.escape(o) for o in [*hosted, *configured]]
    # Dev servers on localhost only for local work: a demo- project or the functions emulator.
    local = project.startswith("demo-") or os.environ.get("FUNCTIONS_EMULATOR") == "true"
    if local:
        alternatives.append(_LOCAL_ORIGINS)
    return re.compile("^(" + "|".join(alternatives) + ")$")
