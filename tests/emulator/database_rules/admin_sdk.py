"""Perform a case's operation through firebase_admin.db, acting as the case's user."""

from __future__ import annotations

import json
import uuid
from typing import Any

import firebase_admin
from firebase_admin import db

from emulator.database_rules import auth_from_claims

from .case_types import Read, RulesCase, Set

_APPS: dict[str, firebase_admin.App] = {}


def app_acting_as(claims: dict[str, Any] | None) -> firebase_admin.App:
    """An Admin SDK app whose requests carry ``auth_variable_override`` for the user."""
    override = auth_from_claims(claims)
    key = json.dumps(override, sort_keys=True)
    if key not in _APPS:
        _APPS[key] = firebase_admin.initialize_app(
            options={"databaseAuthVariableOverride": override, "projectId": "demo-rules-table"},
            name=f"rules-table-{uuid.uuid4().hex[:8]}",
        )
    return _APPS[key]


def sdk_query(ref: db.Reference, params: dict[str, str]) -> db.Query | db.Reference:
    """The SDK query equivalent to REST query parameters."""
    if not params:
        return ref
    values = {key: json.loads(value) for key, value in params.items()}
    order = values["orderBy"]
    query = {"$key": ref.order_by_key, "$value": ref.order_by_value}.get(
        order, lambda: ref.order_by_child(order)
    )()
    for name in ("startAt", "endAt", "equalTo", "limitToFirst", "limitToLast"):
        if name in values:
            method = "".join(("_" + ch.lower()) if ch.isupper() else ch for ch in name)
            query = getattr(query, method)(values[name])
    return query


def perform(case: RulesCase, url: str) -> Any:
    """Run the case's operation; raises the SDK's FirebaseError when it is refused."""
    app = app_acting_as(case.auth)
    ref = db.reference(case.op.path or "/", app=app, url=url)
    if isinstance(case.op, Read):
        return sdk_query(ref, case.op.query).get()
    if isinstance(case.op, Set):
        if case.op.value is None:
            return ref.delete()
        return ref.set(case.op.value)
    return ref.update(case.op.values)


def delete_apps() -> None:
    """Remove the apps created for the tests."""
    while _APPS:
        firebase_admin.delete_app(_APPS.popitem()[1])
