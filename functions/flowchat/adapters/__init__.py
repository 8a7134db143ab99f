"""Adapters to the outside world: PostgreSQL, Firebase services, tokens."""
