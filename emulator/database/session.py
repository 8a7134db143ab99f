"""One SDK connection's state in the realtime protocol: credentials, listens, requests and
the onDisconnect queue. The transport (frames, handshake) is in websocket.py."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from emulator.database import paths, query, tree
from emulator.database.auth import (
    ADMIN,
    ANONYMOUS,
    Caller,
    ExpiredTokenError,
    InvalidTokenError,
    caller_for,
)
from emulator.database.events import touches
from emulator.database.hashing import value_hash
from emulator.database.server_values import InvalidServerValueError
from emulator.database.store import (
    Change,
    InvalidUpdateError,
    PermissionDeniedError,
    PreconditionFailedError,
    Store,
    merge_targets,
)
from emulator.database.tree import InvalidDataError

_DENIED = {"s": "permission_denied", "d": "Permission denied"}
_OK: dict[str, Any] = {"s": "ok", "d": ""}
_BAD_INPUT = (
    paths.InvalidPathError,
    InvalidDataError,
    InvalidServerValueError,
    InvalidUpdateError,
    query.InvalidQueryError,
)


@dataclass
class Listen:
    """One active listen of a connection."""

    path: str
    spec: query.Query
    wire_query: dict[str, Any] | None
    tag: int | None


@dataclass
class DisconnectOp:
    """A write queued with onDisconnect, run when the socket closes."""

    action: str  # "o" (set) or "om" (update)
    path: str
    data: Any
    registered_by: Caller


class RealtimeSession:
    """State of one SDK connection: its caller, listens and onDisconnect queue."""

    def __init__(self, store: Store, name: str, send: Callable[[dict[str, Any]], None]) -> None:
        self.store, self.name, self._send = store, name, send
        self.caller: Caller = ANONYMOUS
        self.listens: dict[tuple[str, int | None], Listen] = {}
        self.on_disconnect: list[DisconnectOp] = []
        self._expiry: asyncio.TimerHandle | None = None

    # -- requests -------------------------------------------------------------------------

    def handle(self, action: str, body: dict[str, Any]) -> dict[str, Any]:
        """Runs one request and returns its response body ({"s": status, "d": data})."""
        handler = _ACTIONS.get(action)
        if handler is None:
            return {"s": "ok", "d": ""}  # unknown actions (stats, app check...) are accepted
        try:
            return handler(self, body)
        except PermissionDeniedError:
            return dict(_DENIED)
        except _BAD_INPUT as error:
            return {"s": "invalid_data", "d": str(error)}

    def _auth(self, body: dict[str, Any]) -> dict[str, Any]:
        credential = body.get("cred")
        if credential is not None and not isinstance(credential, str):
            return {"s": "invalid_token", "d": "Could not parse auth token."}
        try:
            caller = caller_for(credential)
        except ExpiredTokenError as error:
            return {"s": "expired_token", "d": str(error)}
        except InvalidTokenError as error:
            return {"s": "invalid_token", "d": str(error)}
        if caller.admin and isinstance(body.get("authvar"), dict):
            caller = Caller(auth=body["authvar"])  # an admin acting as a given user
        elif caller.admin and body.get("noauth"):
            caller = ANONYMOUS  # an admin acting as nobody (databaseAuthVariableOverride null)
        self._become(caller)
        return {"s": "ok", "d": {"auth": caller.auth, "expires": caller.expires_at()}}

    def _unauth(self, body: dict[str, Any]) -> dict[str, Any]:
        self._become(ANONYMOUS)
        return dict(_OK)

    def _become(self, caller: Caller) -> None:
        """Switches credentials; the connection is signed out when the token expires."""
        self.caller = caller
        self.cancel_expiry()
        expires = caller.expires_at()
        if expires is not None:
            delay = max(expires - time.time(), 0)
            self._expiry = asyncio.get_running_loop().call_later(delay, self._token_expired)
        self._recheck_listens()

    def _token_expired(self) -> None:
        self._expiry = None
        self.caller = ANONYMOUS
        revoked = {"a": "ac", "b": {"s": "expired_token", "d": "Auth token is expired."}}
        self._send({"t": "d", "d": revoked})
        self._recheck_listens()

    def cancel_expiry(self) -> None:
        """Stops the pending expiry of the current token, if any."""
        if self._expiry is not None:
            self._expiry.cancel()
            self._expiry = None

    def _listen(self, body: dict[str, Any]) -> dict[str, Any]:
        path = _path_of(body)
        spec = _query_of(body)
        listen = Listen(path, spec, body.get("q"), body.get("t"))
        self.store.check_read(self.name, path, self.caller, spec.to_rules_query())
        self.listens[(path, listen.tag)] = listen
        self._push_value(listen)
        return {"s": "ok", "d": {}}

    def _unlisten(self, body: dict[str, Any]) -> dict[str, Any]:
        path = _path_of(body)
        self.listens.pop((path, body.get("t")), None)
        return dict(_OK)

    def _get(self, body: dict[str, Any]) -> dict[str, Any]:
        path = _path_of(body)
        spec = _query_of(body)
        self.store.check_read(self.name, path, self.caller, spec.to_rules_query())
        return {"s": "ok", "d": spec.apply(self.store.get(self.name, path))}

    def _put(self, body: dict[str, Any]) -> dict[str, Any]:
        path = _path_of(body)
        expected = body.get("h")
        guard = None if expected is None else (lambda current: value_hash(current) == expected)
        try:
            self.store.set(self.name, path, body.get("d"), self.caller, precondition=guard)
        except PreconditionFailedError:
            return {"s": "datastale", "d": "Transaction hash does not match"}
        return dict(_OK)

    def _merge(self, body: dict[str, Any]) -> dict[str, Any]:
        path = _path_of(body)
        data = body.get("d")
        if not isinstance(data, dict):
            raise InvalidDataError("merge needs an object")
        self.store.update(self.name, path, data, self.caller)
        return dict(_OK)

    def _on_disconnect(self, action: str, body: dict[str, Any]) -> dict[str, Any]:
        path = _path_of(body)
        data = body.get("d")
        self._check_disconnect_write(action, path, data)
        self.on_disconnect.append(DisconnectOp(action, path, data, self.caller))
        return dict(_OK)

    def _cancel_disconnect(self, body: dict[str, Any]) -> dict[str, Any]:
        path = _path_of(body)
        self.on_disconnect = [op for op in self.on_disconnect if not paths.is_prefix(path, op.path)]
        return dict(_OK)

    def _check_disconnect_write(self, action: str, path: str, data: Any) -> None:
        # Data and rules are checked when the operation is registered, as Firebase does.
        if action == "om" and not isinstance(data, dict):
            raise InvalidDataError("onDisconnect update needs an object")
        if action == "o":
            updates = {path: data}
        else:
            updates = merge_targets(path, data)
        self.store.check_write(self.name, updates, self.caller)

    # -- pushes ---------------------------------------------------------------------------

    def on_change(self, change: Change) -> None:
        """Sends each listen the data a committed change gives it (or revokes it)."""
        # Access is re-checked on every change: read rules may depend on data anywhere.
        self._recheck_listens()
        sent: set[str] = set()
        for listen in list(self.listens.values()):
            if not touches(change, listen.path):
                continue
            for message in self._messages_for(listen, change):
                key = json.dumps(message, sort_keys=True)
                if key not in sent:
                    sent.add(key)
                    self._send({"t": "d", "d": message})

    def _messages_for(self, listen: Listen, change: Change) -> list[dict[str, Any]]:
        if listen.tag is not None:
            return [self._data_message(listen, tree.get(change.after, listen.path))]
        if change.is_merge and paths.is_prefix(listen.path, change.base_path):
            merged = {
                paths.relative(change.base_path, target): tree.get(change.after, target)
                for target in change.updates
            }
            return [{"a": "m", "b": {"p": change.base_path, "d": merged}}]
        messages = []
        for target in change.updates:
            if paths.is_prefix(listen.path, target):
                messages.append({"a": "d", "b": {"p": target, "d": tree.get(change.after, target)}})
            elif paths.is_prefix(target, listen.path):
                messages.append(
                    {"a": "d", "b": {"p": listen.path, "d": tree.get(change.after, listen.path)}}
                )
        return messages

    def _data_message(self, listen: Listen, value: Any) -> dict[str, Any]:
        body: dict[str, Any] = {"p": listen.path, "d": listen.spec.apply(value)}
        if listen.tag is not None:
            body["t"] = listen.tag
        return {"a": "d", "b": body}

    def _push_value(self, listen: Listen) -> None:
        value = self.store.get(self.name, listen.path)
        self._send({"t": "d", "d": self._data_message(listen, value)})

    def _still_readable(self, listen: Listen) -> bool:
        try:
            self.store.check_read(self.name, listen.path, self.caller, listen.spec.to_rules_query())
            return True
        except PermissionDeniedError:
            self.listens.pop((listen.path, listen.tag), None)
            body: dict[str, Any] = {"p": listen.path}
            if listen.wire_query:
                body["q"] = listen.wire_query
            self._send({"t": "d", "d": {"a": "c", "b": body}})
            return False

    def _recheck_listens(self) -> None:
        for listen in list(self.listens.values()):
            self._still_readable(listen)

    # -- disconnect -----------------------------------------------------------------------

    def run_on_disconnect(self) -> None:
        """Runs the queued onDisconnect writes, in order, with the rights checked when they
        were registered; a write whose credential has expired since is checked again as
        unauthenticated, so it fails wherever rules need auth (as in Firebase)."""
        self.cancel_expiry()
        operations, self.on_disconnect = self.on_disconnect, []
        for op in operations:
            caller = ANONYMOUS if op.registered_by.expired() else ADMIN
            try:
                if op.action == "o":
                    self.store.set(self.name, op.path, op.data, caller)
                else:
                    self.store.update(self.name, op.path, op.data, caller)
            except (PermissionDeniedError, *_BAD_INPUT):
                continue  # a refused queued write must not block the ones after it


def _path_of(body: dict[str, Any]) -> str:
    """The request's ``p``, validated."""
    path = body.get("p", "")
    if not isinstance(path, str):
        raise paths.InvalidPathError("Path must be a string")
    return paths.validate(path)


def _query_of(body: dict[str, Any]) -> query.Query:
    """The request's ``q`` (the SDK's query object), validated."""
    spec = body.get("q")
    if spec is not None and not isinstance(spec, dict):
        raise query.InvalidQueryError("Query must be an object")
    try:
        return query.from_wire(spec)
    except (TypeError, ValueError) as error:
        raise query.InvalidQueryError(f"Invalid query: {error}") from error


_ACTIONS: dict[str, Callable[[RealtimeSession, dict[str, Any]], dict[str, Any]]] = {
    "auth": RealtimeSession._auth,
    "gauth": RealtimeSession._auth,
    "unauth": RealtimeSession._unauth,
    "q": RealtimeSession._listen,
    "n": RealtimeSession._unlisten,
    "g": RealtimeSession._get,
    "p": RealtimeSession._put,
    "m": RealtimeSession._merge,
    "o": lambda session, body: session._on_disconnect("o", body),
    "om": lambda session, body: session._on_disconnect("om", body),
    "oc": RealtimeSession._cancel_disconnect,
    "echo": lambda session, body: {"s": "ok", "d": body.get("d")},
}
