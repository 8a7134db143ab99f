"""Helpers to reach the emulator as real clients do: the official Python client (admin),
the GAPIC client with an end user's ID token, and plain HTTP."""

from __future__ import annotations

import os
from typing import Any

import grpc
import httpx
from google.auth.credentials import AnonymousCredentials
from google.cloud import firestore
from google.cloud.firestore_v1.services.firestore import FirestoreClient
from google.cloud.firestore_v1.services.firestore.transports import FirestoreGrpcTransport

from tests.support.id_tokens import id_token as support_id_token

PROJECT = "demo-flowchat"
ROOT = f"projects/{PROJECT}/databases/(default)/documents"


def admin_client(address: str, project: str = PROJECT) -> firestore.Client:
    """The official client in emulator mode (it sends ``Bearer owner``)."""
    previous = os.environ.get("FIRESTORE_EMULATOR_HOST")
    os.environ["FIRESTORE_EMULATOR_HOST"] = address
    try:
        return firestore.Client(project=project, credentials=AnonymousCredentials())
    finally:
        if previous is None:
            del os.environ["FIRESTORE_EMULATOR_HOST"]
        else:
            os.environ["FIRESTORE_EMULATOR_HOST"] = previous


def gapic_client(address: str) -> FirestoreClient:
    """The generated gRPC client, for calls as an end user (metadata per call)."""
    channel = grpc.insecure_channel(address)
    return FirestoreClient(transport=FirestoreGrpcTransport(channel=channel))


def id_token(uid: str, **claims: Any) -> str:
    """An unsigned (alg none) ID token as the Auth emulator issues them."""
    return support_id_token(uid, project_id=PROJECT, **claims)


def bearer(uid: str | None, **claims: Any) -> dict[str, str]:
    """Authorization header for a user (None = no header)."""
    return {"Authorization": f"Bearer {id_token(uid, **claims)}"} if uid else {}


OWNER = {"Authorization": "Bearer owner"}


def rest_client(address: str) -> httpx.Client:
    return httpx.Client(base_url=f"http://{address}", timeout=10)


def set_rules(rest: httpx.Client, source: str, project: str = PROJECT) -> httpx.Response:
    """Loads rules through the control endpoint, as the official emulator takes them."""
    body = {"rules": {"files": [{"name": "firestore.rules", "content": source}]}}
    return rest.put(f"/emulator/v1/projects/{project}:securityRules", json=body)


def clear(rest: httpx.Client, project: str = PROJECT) -> None:
    response = rest.delete(f"/emulator/v1/projects/{project}/databases/(default)/documents")
    response.raise_for_status()
