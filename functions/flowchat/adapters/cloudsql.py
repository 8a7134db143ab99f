"""Connections to Cloud SQL through the Cloud SQL Python Connector (production)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flowchat import config


def connection_creator() -> Callable[[], Any]:
    """A zero-argument function opening a pg8000 connection to the configured instance."""
    from google.cloud.sql.connector import Connector

    connector = Connector(refresh_strategy="lazy")
    instance = config.CLOUD_SQL_INSTANCE.value
    iam = config.DB_IAM_AUTH.value
    auth: dict[str, Any] = (
        {"enable_iam_auth": True} if iam else {"password": config.DB_PASSWORD.value}
    )

    def connect() -> Any:
        return connector.connect(
            instance, "pg8000", user=config.DB_USER.value, db=config.DB_NAME.value, **auth
        )

    return connect
