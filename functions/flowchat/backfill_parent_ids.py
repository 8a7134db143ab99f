"""Sets parentId: null on top-level messages written before it was required.

Usage: python -m flowchat.backfill_parent_ids (from functions/, with the project's
credentials, or FIRESTORE_EMULATOR_HOST for a local emulator). Safe to run again.
"""

from __future__ import annotations

from flowchat.adapters import firebase_app
from flowchat.services import parent_id_backfill


def main() -> None:
    written = parent_id_backfill.backfill(firebase_app.firestore_client())
    print(f"parentId set on {written} message(s)")


if __name__ == "__main__":
    main()
