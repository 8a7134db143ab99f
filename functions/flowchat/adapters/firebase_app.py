"""The Firebase Admin app and Firestore client, initialised lazily, once per process."""

from __future__ import annotations

import os
import threading
from typing import Any

import firebase_admin

_lock = threading.Lock()
_firestore: Any = None


def app() -> firebase_admin.App:
    """The default Admin app (the functions SDK may already have created it)."""
    with _lock:
        try:
            return firebase_admin.get_app()
        except ValueError:
            return firebase_admin.initialize_app()


def firestore_client() -> Any:
    """A Firestore client; anonymous credentials against the emulator."""
    global _firestore
    if _firestore is None:
        if os.environ.get("FIRESTORE_EMULATOR_HOST"):
            from google.cloud import firestore

            # The emulator needs no credentials; firebase_admin would insist on real ones.
            _firestore = firestore.Client(project=project_id())
        else:
            from firebase_admin import firestore as admin_firestore

            _firestore = admin_firestore.client(app())
    return _firestore


def project_id() -> str:
    """The Google Cloud project the functions run in."""
    return os.environ.get("GCLOUD_PROJECT") or os.environ.get("GOOGLE_CLOUD_PROJECT") or ""
