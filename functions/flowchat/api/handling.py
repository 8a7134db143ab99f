"""The common course of a callable: who calls, what they sent, one unit of work.

Most handlers are ``with calling(req, SCHEMA) as call:`` around one service call, then
``return answer(...)`` with the result shaped as api/responses.py declares.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from firebase_functions import https_fn

from flowchat.api.caller import caller_uid
from flowchat.api.errors import translated_errors
from flowchat.api.schema import Data, Schema
from flowchat.unit_of_work import unit_of_work

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

Request = https_fn.CallableRequest[Any]


@dataclass(frozen=True, slots=True)
class Call:
    """A checked request: the unit of work, the signed-in caller and the parsed fields."""

    session: Session
    uid: str
    args: Data


@contextmanager
def calling(
    req: Request,
    schema: Schema,
    opened: Callable[[], AbstractContextManager[Session]] = unit_of_work,
) -> Iterator[Call]:
    """Check the caller and the request, then open one unit of work (committed when the
    block ends, rolled back if it raises; or unit_of_work.read_only for calls that only
    read); domain errors and database outages become callable errors."""
    with translated_errors():
        uid = caller_uid(req)
        args = schema.parse(req)
        with opened() as session:
            yield Call(session, uid, args)


def answer(shape: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON object a callable returns, from a shape typed by api/responses.py."""
    return dict(shape)
