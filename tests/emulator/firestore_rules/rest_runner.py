"""Runs a rules case against a Firestore emulator over REST, as a client would.

PUT the rules with the control endpoint, clear and seed as ``Bearer owner``, then act
with an unsigned (``alg: none``) ID token or with no Authorization header at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import httpx
from google.cloud.firestore_v1.types import Value
from google.protobuf import json_format

from emulator.firestore.values import to_proto
from tests.emulator.firestore_rules.case_types import (
    Actor,
    Batch,
    Create,
    Delete,
    Get,
    Query,
    RulesCase,
    ServerTime,
    Set,
    Transaction,
    Update,
    Write,
    rules_file,
)
from tests.support.id_tokens import id_token as support_id_token

# A denial names the rule line and the method, as the official emulator words it.
DENIAL = re.compile(r"for '(get|list|create|update|delete)' @ L\d+|No matching allow statements")

_OPERATORS = {
    "==": "EQUAL",
    "!=": "NOT_EQUAL",
    "<": "LESS_THAN",
    "<=": "LESS_THAN_OR_EQUAL",
    ">": "GREATER_THAN",
    ">=": "GREATER_THAN_OR_EQUAL",
    "in": "IN",
    "not-in": "NOT_IN",
    "array-contains": "ARRAY_CONTAINS",
    "array-contains-any": "ARRAY_CONTAINS_ANY",
}


def id_token(actor: Actor, project_id: str) -> str:
    """An unsigned ID token as the Auth emulator issues them."""
    return support_id_token(actor.uid, project_id=project_id, **actor.claims)


def fields_json(data: dict[str, Any]) -> dict[str, Any]:
    """Document fields in the REST JSON mapping (server-time sentinels left out)."""
    return {
        key: json_format.MessageToDict(Value.pb(to_proto(value)))
        for key, value in data.items()
        if not isinstance(value, ServerTime)
    }


def _transforms(data: dict[str, Any]) -> list[dict[str, str]]:
    return [
        {"fieldPath": key, "setToServerValue": "REQUEST_TIME"}
        for key, value in data.items()
        if isinstance(value, ServerTime)
    ]


@dataclass
class RestOutcome:
    status: int
    body: Any
    is_get: bool = False

    @property
    def allowed(self) -> bool:
        """200, or for a get of a missing document 404 NOT_FOUND (the rules passed)."""
        missing = self.is_get and self.status == 404 and _status_of(self.body) == "NOT_FOUND"
        return self.status == 200 or missing

    @property
    def denied(self) -> bool:
        return self.status == 403 and _status_of(self.body) == "PERMISSION_DENIED"


def _status_of(body: Any) -> str | None:
    if isinstance(body, list) and body:
        body = body[0]
    return body.get("error", {}).get("status") if isinstance(body, dict) else None


class RestRunner:
    """One emulator, one project: every case replaces the rules and the data."""

    def __init__(self, client: httpx.Client, project_id: str) -> None:
        self.client = client
        self.project_id = project_id
        self.root = f"projects/{project_id}/databases/(default)/documents"

    def run(self, case: RulesCase) -> RestOutcome:
        self.put_rules_for(case)
        return self.act(case.request, case.actor)

    def put_rules_for(self, case: RulesCase) -> None:
        """The case's rules and only its seeded documents, written as the owner."""
        self.put_rules(rules_file(case.rules))
        self.clear()
        self.seed(case.seed)

    def put_rules(self, source: str) -> None:
        body = {"rules": {"files": [{"name": "firestore.rules", "content": source}]}}
        response = self.client.put(
            f"/emulator/v1/projects/{self.project_id}:securityRules", json=body
        )
        response.raise_for_status()

    def clear(self) -> None:
        self.client.delete(f"/emulator/v1/{self.root}").raise_for_status()

    def seed(self, documents: dict[str, dict[str, Any]]) -> None:
        if not documents:
            return
        writes = [self._write(Set(path, data)) for path, data in documents.items()]
        self._post(":commit", {"writes": writes}, "owner").raise_for_status()

    def exists_as_owner(self, path: str) -> bool:
        response = self.client.get(f"/v1/{self.root}/{path}", headers=_auth("owner"))
        if response.status_code not in (200, 404):
            response.raise_for_status()
        return response.status_code == 200

    def act(self, request: Any, actor: Actor) -> RestOutcome:
        token = None if actor.uid is None else id_token(actor, self.project_id)
        if isinstance(request, Get):
            response = self.client.get(f"/v1/{self.root}/{request.path}", headers=_auth(token))
        elif isinstance(request, Query):
            parent, body = self._query(request)
            response = self._post_to(f"/v1/{parent}:runQuery", body, token)
        elif isinstance(request, Transaction):
            response = self._commit(request.writes, token, self._begin(token))
        else:
            writes = request.writes if isinstance(request, Batch) else (request,)
            response = self._commit(writes, token)
        return RestOutcome(response.status_code, response.json(), isinstance(request, Get))

    def _begin(self, token: str | None) -> str:
        response = self._post(":beginTransaction", {}, token)
        response.raise_for_status()
        return str(response.json()["transaction"])

    def _commit(
        self, writes: tuple[Write, ...], token: str | None, transaction: str | None = None
    ) -> httpx.Response:
        body: dict[str, Any] = {"writes": [self._write(write) for write in writes]}
        if transaction is not None:
            body["transaction"] = transaction
        return self._post(":commit", body, token)

    def _write(self, write: Write) -> dict[str, Any]:
        name = f"{self.root}/{write.path}"
        if isinstance(write, Delete):
            return {"delete": name}
        body: dict[str, Any] = {"update": {"name": name, "fields": fields_json(write.data)}}
        transforms = _transforms(write.data)
        if transforms:
            body["updateTransforms"] = transforms
        if isinstance(write, Create):
            body["currentDocument"] = {"exists": False}
        if isinstance(write, Update):
            plain = [key for key in write.data if not isinstance(write.data[key], ServerTime)]
            body["updateMask"] = {"fieldPaths": plain}
            body["currentDocument"] = {"exists": True}
        return body

    def _query(self, query: Query) -> tuple[str, dict[str, Any]]:
        if query.group:
            parent, collection_id = self.root, query.collection
        else:
            head, _, collection_id = query.collection.rpartition("/")
            parent = f"{self.root}/{head}" if head else self.root
        structured: dict[str, Any] = {
            "from": [{"collectionId": collection_id, "allDescendants": query.group}],
        }
        where = _where(query)
        if where:
            structured["where"] = where
        if query.limit is not None:
            structured["limit"] = query.limit
        if query.offset is not None:
            structured["offset"] = query.offset
        if query.order_by:
            structured["orderBy"] = [
                {"field": {"fieldPath": name}, "direction": direction}
                for name, direction in query.order_by
            ]
        return parent, {"structuredQuery": structured}

    def _post(self, action: str, body: dict[str, Any], token: str | None) -> httpx.Response:
        return self._post_to(
            f"/v1/projects/{self.project_id}/databases/(default)/documents{action}", body, token
        )

    def _post_to(self, url: str, body: dict[str, Any], token: str | None) -> httpx.Response:
        return self.client.post(url, json=body, headers=_auth(token))


def _auth(token: str | None) -> dict[str, str]:
    return {} if token is None else {"Authorization": f"Bearer {token}"}


def _field_filter(field: str, op: str, value: Any) -> dict[str, Any]:
    return {
        "fieldFilter": {
            "field": {"fieldPath": field},
            "op": _OPERATORS[op],
            "value": json_format.MessageToDict(Value.pb(to_proto(value))),
        }
    }


def _and(filters: tuple[tuple[str, str, Any], ...]) -> dict[str, Any] | None:
    parts = [_field_filter(*f) for f in filters]
    if len(parts) <= 1:
        return parts[0] if parts else None
    return {"compositeFilter": {"op": "AND", "filters": parts}}


def _where(query: Query) -> dict[str, Any] | None:
    if not query.any_of:
        return _and(query.where)
    groups = [_and(group) for group in query.any_of]
    return {"compositeFilter": {"op": "OR", "filters": [g for g in groups if g]}}


def written_paths(request: Any) -> list[str]:
    """The documents a write request touches (empty for reads)."""
    if isinstance(request, Batch | Transaction):
        return [write.path for write in request.writes]
    if isinstance(request, Create | Set | Update | Delete):
        return [request.path]
    return []
