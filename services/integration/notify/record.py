"""What one message reads (one statement) and how its log row is written.

The final write of a message — its log row ``sent``, ``recorded``, ``skipped`` or
``failed`` — and its outbox row done go in one transaction: a message is logged as
sent exactly when its outbox row is finished.
"""

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import and_, insert, select, update

from extensions import db
from models.base import utcnow
from models.catalog import ProcedureType
from models.delivery import DeliveryOrder
from models.dossier import STATUSES, Dossier
from models.integration import OutboxMessage
from models.notification import NotificationLog, NotificationTemplate
from services.calendar import LOCAL_TZ
from services.integration.outbox import Batch, Claimed

TRACKING_EVENTS = ("shipped", "delivered", "returned_to_sender")


@dataclass(frozen=True)
class Context:
    """What one message needs, read in one short transaction."""

    consent: tuple[str, ...]
    phone: str | None
    email: str | None
    values: dict[str, str]
    template: dict | None  # the template row's columns; None: the default text
    log_result: str | None  # this message's log so far (None: never tried)
    unsure: int


def _local(instant: datetime | None) -> str:
    return instant.astimezone(LOCAL_TZ).strftime("%H:%M %d/%m/%Y") if instant else ""


def _query(row: Claimed, event: str, channel: str):
    """One statement: the dossier's columns, its procedure's name, this message's log so far
    and the template of EVENT on CHANNEL."""
    template = and_(NotificationTemplate.event == event, NotificationTemplate.channel == channel)
    return (
        select(
            Dossier.code,
            Dossier.notify_channels,
            Dossier.applicant_phone,
            Dossier.applicant_email,
            Dossier.received_at,
            Dossier.due_at,
            Dossier.status,
            ProcedureType.name,
            NotificationLog.result,
            NotificationLog.unsure,
            NotificationTemplate.id,
            NotificationTemplate.active,
            NotificationTemplate.subject,
            NotificationTemplate.body,
            NotificationTemplate.provider_template,
        )
        .join(ProcedureType, ProcedureType.id == Dossier.procedure_type_id)
        .outerjoin(NotificationLog, NotificationLog.outbox_key == row.idempotency_key)
        .outerjoin(NotificationTemplate, template)
        .where(Dossier.id == row.dossier_id)
    )


def read(row: Claimed, event: str, channel: str) -> Context | None:
    """The dossier, its template and this message's log so far; None when the dossier is gone.

    The read's transaction stays open for the caller's next check (the SMS rate limit); the
    caller ends it before calling the provider."""
    query = _query(row, event, channel)
    found = db.session.execute(query).first()
    tracking = None
    if found is not None and event in TRACKING_EVENTS:
        tracking = db.session.scalar(
            select(DeliveryOrder.tracking_code)
            .where(DeliveryOrder.dossier_id == row.dossier_id)
            .order_by(DeliveryOrder.id.desc())
            .limit(1)
        )
    if found is None:
        db.session.rollback()
        return None
    (code, consent, phone, email, received, due, status, procedure, result, unsure) = found[:10]
    template_id, active, subject, body, provider_template = found[10:]
    values = {
        "ma_ho_so": code,
        "thu_tuc": procedure,
        "ngay_tiep_nhan": _local(received),
        "hen_tra": _local(due),
        "ma_buu_gui": tracking or "",
        "trang_thai": STATUSES.vi(status),
        "sdt_trung_tam": current_app.config.get("NOTIFY_CENTER_PHONE") or "",
    }
    columns = {
        "id": template_id,
        "active": active,
        "subject": subject,
        "body": body,
        "provider_template": provider_template,
    }
    return Context(
        consent=tuple(consent or ()),
        phone=phone,
        email=email,
        values=values,
        template=columns if template_id is not None else None,
        log_result=result,
        unsure=unsure or 0,
    )


def write(
    row: Claimed, event: str, channel: str, exists: bool, *, finish: Batch | None = None, **values
) -> None:
    """Write ROW's log (insert or update); with FINISH, ROW's outbox row is done in the same
    transaction (while FINISH's lease still holds it)."""
    session = db.session
    try:
        if exists:
            session.execute(
                update(NotificationLog)
                .where(NotificationLog.outbox_key == row.idempotency_key)
                .values(**values)
            )
        else:
            session.execute(
                insert(NotificationLog).values(
                    outbox_key=row.idempotency_key,
                    dossier_id=row.dossier_id,
                    event=event,
                    channel=channel,
                    created_at=utcnow(),
                    **values,
                )
            )
        if finish is not None:
            now = utcnow()
            session.execute(
                update(OutboxMessage)
                .where(
                    OutboxMessage.id == row.id,
                    OutboxMessage.lease_token == finish.token,
                    OutboxMessage.status == "sending",
                )
                .values(status="done", done_at=now, updated_at=now, lease_token=None)
                .execution_options(synchronize_session=False)
            )
        session.commit()
    except BaseException:
        session.rollback()
        raise
    if finish is not None:
        finish.finished.add(row.id)
