"""Verify writes: in a transaction's commit, ``{"verify": name, "currentDocument": ...}``
checks that a document the transaction read but does not write is unchanged (the web and
Node SDKs send one for every such read). The Write proto the Python types are generated
from lacks the field (``string verify = 5`` in the SDKs' write.proto), so a verify
travels inside the Write as that unknown field: gRPC keeps it as received, and JSON
requests get it added here."""

from __future__ import annotations

from typing import Any

from google.protobuf import json_format, unknown_fields

from emulator.firestore.errors import invalid

VERIFY_FIELD = 5
_LENGTH_DELIMITED = 2


def verify_target(write: Any) -> str | None:
    """The document name a verify write names (None for other writes)."""
    for found in unknown_fields.UnknownFieldSet(write):
        if found.field_number == VERIFY_FIELD and found.wire_type == _LENGTH_DELIMITED:
            return bytes(found.data).decode("utf-8", errors="replace")
    return None


def add_verify(write: Any, name: str) -> None:
    raw = name.encode()
    write.MergeFromString(bytes([VERIFY_FIELD << 3 | _LENGTH_DELIMITED]) + _varint(len(raw)) + raw)


def parse_json(body: dict[str, Any], message: Any) -> Any:
    """``json_format.ParseDict`` that also accepts ``verify`` in ``body["writes"]``."""
    writes = body.get("writes")
    names: dict[int, str] = {}
    if isinstance(writes, list) and any(isinstance(w, dict) and "verify" in w for w in writes):
        writes = [dict(w) if isinstance(w, dict) else w for w in writes]
        for index, write in enumerate(writes):
            if isinstance(write, dict) and "verify" in write:
                name = write.pop("verify")
                if not isinstance(name, str):
                    raise invalid("A verify write names a document (a string).")
                names[index] = name
        body = {**body, "writes": writes}
    json_format.ParseDict(body, message)
    for index, name in names.items():
        add_verify(message.writes[index], name)
    return message


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)
