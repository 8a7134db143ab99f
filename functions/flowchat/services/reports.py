"""Message reports: members report, the room's owners and admins see them live and resolve.

PostgreSQL holds the reports; each is mirrored whole to rooms/{roomId}/reports/{id}, which
the rules let only the room's moderators read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from flowchat.adapters import firebase_app
from flowchat.adapters.projector import Op, Target, Write
from flowchat.adapters.tables import message_reports
from flowchat.errors import NotFound, PreconditionFailed
from flowchat.services import audit, membership, outbox
from flowchat.services.domain import MODERATORS, ReportStatus

MAX_REASON = 500


@dataclass(frozen=True, slots=True)
class ReportFiled:
    """The caller's open report on a message; created is False if it already existed."""

    report_id: str
    created: bool


@dataclass(frozen=True, slots=True)
class ReportResolved:
    """A report now closed (its status is RESOLVED)."""

    report_id: str


def report(session: Session, room_id: str, uid: str, message_id: str, reason: str) -> ReportFiled:
    """File a report on a message of the caller's room.

    Reporting the same message again while the first report is open changes nothing.
    """
    membership.require_member(session, room_id, uid)
    if not _message_exists(room_id, message_id):
        raise NotFound("no such message in this room")
    created = session.execute(
        insert(message_reports)
        .values(room_id=room_id, message_id=message_id, reporter_id=uid, reason=reason)
        .on_conflict_do_nothing(
            index_elements=[
                message_reports.c.room_id,
                message_reports.c.message_id,
                message_reports.c.reporter_id,
            ],
            index_where=message_reports.c.status == ReportStatus.OPEN.value,
        )
        .returning(message_reports.c.id)
    ).scalar()
    if created is None:
        existing = session.execute(
            select(message_reports.c.id).where(
                message_reports.c.room_id == room_id,
                message_reports.c.message_id == message_id,
                message_reports.c.reporter_id == uid,
                message_reports.c.status == ReportStatus.OPEN.value,
            )
        ).scalar_one()
        return ReportFiled(existing, created=False)
    audit.record(
        session, "message_reported", uid, room_id=room_id, message_id=message_id, report_id=created
    )
    project(session, created)
    return ReportFiled(created, created=True)


def resolve(
    session: Session, room_id: str, uid: str, report_id: str, resolution: str | None
) -> ReportResolved:
    """Close an open report (moderators only)."""
    m = membership.require_member(session, room_id, uid, MODERATORS, lock=True)
    membership.require_group(m, "resolving reports")
    status = session.execute(
        select(message_reports.c.status).where(
            message_reports.c.id == report_id, message_reports.c.room_id == room_id
        )
    ).scalar()
    if status is None:
        raise NotFound("no such report in this room")
    if status == ReportStatus.RESOLVED:
        raise PreconditionFailed("this report is already resolved")
    session.execute(
        update(message_reports)
        .where(message_reports.c.id == report_id)
        .values(
            status=ReportStatus.RESOLVED.value,
            resolved_by=uid,
            resolved_at=func.now(),
            resolution=resolution,
        )
    )
    audit.record(session, "report_resolved", uid, room_id=room_id, report_id=report_id)
    project(session, report_id)
    return ReportResolved(report_id)


def document(r: Row[Any]) -> dict[str, Any]:
    """rooms/{roomId}/reports/{id}: what the room's moderators see."""
    return {
        "messageId": r.message_id,
        "reporterId": r.reporter_id,
        "reason": r.reason,
        "status": r.status,
        "createdAt": r.created_at,
        "resolvedBy": r.resolved_by,
        "resolvedAt": r.resolved_at,
        "resolution": r.resolution,
    }


def project(session: Session, report_id: str) -> None:
    r = session.execute(select(message_reports).where(message_reports.c.id == report_id)).one()
    path = f"rooms/{r.room_id}/reports/{r.id}"
    outbox.enqueue(session, [Write(Target.FIRESTORE, path, Op.SET, document(r))])


def _message_exists(room_id: str, message_id: str) -> bool:
    client = firebase_app.firestore_client()
    return bool(client.document(f"rooms/{room_id}/messages/{message_id}").get().exists)
