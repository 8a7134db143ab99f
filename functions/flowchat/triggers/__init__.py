"""Trigger handlers: turn a Cloud Functions event into service calls."""
