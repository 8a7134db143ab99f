"""The local stack behind scripts/dev.sh: PostgreSQL, emulators, Firebase CLI, demo data."""
