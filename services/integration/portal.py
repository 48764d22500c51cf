"""The national portal sink: a dossier's full state, then its steps not yet acknowledged.

Pending rows of one dossier coalesce: one delivery sends the dossier's current full
state once (keyed by its code), then every step of the dossier's rows not yet done,
oldest first, marking each done as the portal acknowledges it. Whoever sends a step
sends the earlier ones first, so the portal sees the steps in order even when two
workers hold rows of the same dossier; a step sent twice carries the same key and
counts once. Codes go through ``portal_mapping`` (IT staff edit it) before the
defaults: the procedure's own code and field, the status's portal code.
"""

import hashlib
import json
from datetime import datetime

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import joinedload, selectinload

import permissions
from extensions import db
from models.base import utcnow
from models.dossier import CHANNELS, STATUSES, Dossier, DossierHistory
from models.dossier_actions import BY_NAME
from models.integration import OutboxMessage, PortalMapping, PortalSync
from services.calendar import LOCAL_TZ
from services.integration import outbox
from services.integration.outbox import Batch, Done, Outcome
from services.integration.portal_client import PortalClient

SINK = "portal"


def enabled(config) -> bool:
    """The portal sink is on only when PORTAL_URL is set (no rows pile up otherwise)."""
    return bool(config.get("PORTAL_URL"))


def stamp(instant: datetime | None) -> str | None:
    """``yyyyMMddHHmmss`` in Asia/Ho_Chi_Minh."""
    return instant.astimezone(LOCAL_TZ).strftime("%Y%m%d%H%M%S") if instant else None


def mappings() -> dict[tuple[str, str], str]:
    return {(m.kind, m.ours): m.portal for m in db.session.scalars(select(PortalMapping))}


def header(dossier: Dossier, maps: dict, unit_code: str) -> dict:
    """The dossier's full state in the portal's fields; only true values are sent."""
    procedure = dossier.procedure_type
    organisation = bool(dossier.organization_name or dossier.organization_tax_code)
    body = {
        "MaDonVi": unit_code,
        "MaHoSo": dossier.code,
        "MaTTHC": maps.get(("procedure", procedure.code), procedure.code),
        "TenTTHC": procedure.name,
        "MaLinhVuc": maps.get(("field", procedure.field), procedure.field),
        "KenhThucHien": CHANNELS.portal(dossier.channel),
        "ChuHoSo": dossier.organization_name or dossier.applicant_name,
        "LoaiDoiTuong": 2 if organisation else 1,
        "SoGiayToChuHoSo": dossier.organization_tax_code or dossier.applicant_id_number,
        "SoDienThoai": dossier.applicant_phone,
        "Email": dossier.applicant_email,
        "TrichYeuHoSo": procedure.name,
        "NgayTiepNhan": stamp(dossier.received_at),
        "NgayHenTra": stamp(dossier.due_at),
        "NgayKetThucXuLy": stamp(dossier.completed_at),
        "NgayTra": stamp(dossier.returned_at),
        "TrangThaiHoSo": status_code(dossier.status, maps),
        "HinhThuc": 1 if dossier.return_method == "post" else 0,
        "DonViXuLy": dossier.agency.code,
        "TaiLieuNop": [
            {"TenGiayTo": name, "DuocSoHoa": 0, "DuocTaiSuDung": 0}
            for name in dossier.documents_checked or []
        ],
        "DanhSachGiayToKetQua": (
            [{"SoKyHieu": dossier.result_number, "NgayBanHanh": stamp_day(dossier.result_date)}]
            if dossier.result_number
            else []
        ),
        "DanhSachLePhi": (
            [{"TenPhiLePhi": "Phí, lệ phí", "MucPhi": dossier.fee_amount}]
            if dossier.fee_amount
            else []
        ),
        "DanhSachHoSoBoSung": [
            {"NgayYeuCau": stamp(h.at), "NoiDungBoSung": h.note or ""}
            for h in dossier.history
            if h.action == "request_supplement"
        ],
    }
    return {k: v for k, v in body.items() if v is not None}


def stamp_day(day) -> str | None:
    return day.strftime("%Y%m%d000000") if day else None


def mapping_problem(kind: str | None, ours: str | None, portal_code: str | None) -> str | None:
    """What is wrong with a mapping row, in Vietnamese, or None."""
    if kind == "status":
        if (ours or "").strip() not in STATUSES:
            return f"Trạng thái phải là một trong: {', '.join(STATUSES)}."
        code = (portal_code or "").strip()
        if not (code.isascii() and code.isdigit() and 1 <= int(code) <= 10):
            return "Mã trạng thái trên Cổng là một số từ 1 đến 10."
    return None


def status_code(status: str, maps: dict) -> int:
    mapped = maps.get(("status", status))
    return int(mapped) if mapped and mapped.isdigit() else STATUSES.portal(status)


def step(dossier: Dossier, row: DossierHistory, maps: dict) -> dict:
    """One processing step in the portal's fields."""
    action = BY_NAME.get(row.action)
    what = action.vi if action and action.vi else (row.action or "").replace("_", " ")
    actor = row.actor
    content = f"{what}: {row.note}" if row.note else what
    body = {
        "MaHoSo": dossier.code,
        "NguoiXuLy": actor.full_name if actor else "Hệ thống",
        "ChucDanh": ", ".join(sorted(actor.role_names)) if actor else None,
        "ThoiDiemXuLy": stamp(row.at),
        "PhongBanXuLy": actor.agency.name if actor and actor.agency else None,
        "NoiDungXuLy": content[:1000],
        "TrangThai": status_code(row.to_status, maps),
        "NgayBatDau": stamp(row.at),
        "NgayKetThucTheoQuyDinh": stamp(dossier.due_at),
    }
    return {k: v for k, v in body.items() if v is not None}


def _read(dossier_id: int, history_ids) -> tuple[dict, dict[int, dict], str] | None:
    """The header and the steps (history id → body) to send, read in one short transaction."""
    dossier = db.session.scalars(
        select(Dossier)
        .where(Dossier.id == dossier_id)
        .options(
            joinedload(Dossier.procedure_type),
            joinedload(Dossier.agency),
            selectinload(Dossier.history).joinedload(DossierHistory.actor),
        )
    ).first()
    if dossier is None:
        db.session.rollback()
        return None
    maps = mappings()
    unit = current_app.config.get("PORTAL_UNIT_CODE") or ""
    wanted = set(history_ids)
    steps = {h.id: step(dossier, h, maps) for h in dossier.history if h.id in wanted}
    result = header(dossier, maps, unit), steps, dossier.code
    db.session.rollback()
    return result


def deliver(batch: Batch) -> Outcome:
    """Send one dossier's state, then its open steps in order (see the module's note)."""
    dossier_id = batch.rows[0].dossier_id
    rows = outbox.open_rows(SINK, dossier_id)  # this lease's rows and any other open ones
    read = _read(dossier_id, [h for _, h, _ in rows if h])
    if read is None:
        return outbox.Terminal(f"Không còn hồ sơ #{dossier_id}.")
    body, steps, code = read
    client = PortalClient(current_app.config)
    digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:24]
    outcome = client.upsert(body, key=f"{code}:{digest}")  # the same state, the same key
    if not isinstance(outcome, Done):
        return outcome
    record_sync(dossier_id, body["TrangThaiHoSo"])
    batch.done([row_id for row_id, history_id, _ in rows if history_id is None])
    for row_id, history_id, key in rows:
        if history_id is None:
            continue
        if history_id in steps:
            outcome = client.step({**steps[history_id], "IdempotencyKey": key}, key)
            if not isinstance(outcome, Done):
                return outcome
        batch.done([row_id])
    return Done()


def record_sync(dossier_id: int, portal_status: int) -> None:
    """Remember that the portal holds DOSSIER_ID's state now."""
    now = utcnow()
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    statement = insert(PortalSync).values(
        dossier_id=dossier_id, portal_status=portal_status, first_synced_at=now, synced_at=now
    )
    statement = statement.on_conflict_do_update(
        index_elements=["dossier_id"], set_={"portal_status": portal_status, "synced_at": now}
    )
    try:
        db.session.execute(statement)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


# -- what the screens show ------------------------------------------------------------------
def sync_rate(user, period) -> tuple[int, int, float | None]:
    """Indicator 1.4 for PERIOD in USER's scope: (synced, received, ratio or None)."""
    received = permissions.scope(
        user,
        "dossier",
        select(Dossier.id).where(
            Dossier.received_at >= period.start, Dossier.received_at < period.end
        ),
    ).subquery()
    total = db.session.scalar(select(func.count()).select_from(received))
    synced = db.session.scalar(
        select(func.count())
        .select_from(received)
        .join(PortalSync, PortalSync.dossier_id == received.c.id)
    )
    return synced, total, (synced / total if total else None)


def sync_state(dossier_id: int) -> dict:
    """The dossier's sync state in one query: when the portal last had it, what is waiting."""
    waiting = (
        select(func.count())
        .where(
            OutboxMessage.dossier_id == dossier_id,
            OutboxMessage.sink == SINK,
            OutboxMessage.status.in_(("pending", "sending", "dead")),
        )
        .scalar_subquery()
    )
    dead = (
        select(func.count())
        .where(
            OutboxMessage.dossier_id == dossier_id,
            OutboxMessage.sink == SINK,
            OutboxMessage.status == "dead",
        )
        .scalar_subquery()
    )
    synced = select(PortalSync.synced_at).where(PortalSync.dossier_id == dossier_id)
    status = select(PortalSync.portal_status).where(PortalSync.dossier_id == dossier_id)
    row = db.session.execute(
        select(synced.scalar_subquery(), status.scalar_subquery(), waiting, dead)
    ).one()
    synced_at, portal_status, waiting_count, dead_count = row
    return {
        "synced_at": synced_at,
        "portal_status": portal_status,
        "waiting": waiting_count,
        "dead": dead_count,
    }
