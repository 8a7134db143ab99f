"""The emulator's Firestore as real clients reach it: the official Python client (admin),
the GAPIC client with an end user's ID token per call, and plain HTTP with the control
endpoints of the official emulator."""

from __future__ import annotations

import os

import grpc
import httpx
from google.auth.credentials import AnonymousCredentials
from google.cloud import firestore
from google.cloud.firestore_v1.services.firestore import FirestoreClient
from google.cloud.firestore_v1.services.firestore.transports import FirestoreGrpcTransport

from tests.support.environment import environ_restored
from tests.support.id_tokens import PROJECT_ID as PROJECT

ROOT = f"projects/{PROJECT}/databases/(default)/documents"


def admin_client(address: str, project: str = PROJECT) -> firestore.Client:
    """The official client in emulator mode (it sends ``Bearer owner``)."""
    with environ_restored("FIRESTORE_EMULATOR_HOST"):
        os.environ["FIRESTORE_EMULATOR_HOST"] = address
        return firestore.Client(project=project, credentials=AnonymousCredentials())


def gapic_client(address: str) -> FirestoreClient:
    """The generated gRPC client, for calls as an end user (metadata per call)."""
    channel = grpc.insecure_channel(address)
    return FirestoreClient(transport=FirestoreGrpcTransport(channel=channel))


def rest_client(address: str) -> httpx.Client:
    """Plain HTTP to the emulator, no credentials."""
    return httpx.Client(base_url=f"http://{address}", timeout=10)


def set_rules(rest: httpx.Client, source: str, project: str = PROJECT) -> httpx.Response:
    """Loads rules through the control endpoint, as the official emulator takes them."""
    body = {"rules": {"files": [{"name": "firestore.rules", "content": source}]}}
    return rest.put(f"/emulator/v1/projects/{project}:securityRules", json=body)


def clear(rest: httpx.Client, project: str = PROJECT) -> None:
    """Deletes every document of the project (the official emulator's control endpoint)."""
    response = rest.delete(f"/emulator/v1/projects/{project}/databases/(default)/documents")
    response.raise_for_status()
