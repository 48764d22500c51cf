"""Heavy downloads made by the workers: a tracking book or report longer than a month.

``ask`` records what the user wants (one unfinished file per user at a time) in the caller's
transaction; ``make`` — the workers' job, run after that commit — builds the file, counting
its progress as it goes, and keeps it on the row for ``EXPORT_KEEP_DAYS``. A short period is
still streamed by the request itself (``is_heavy`` decides). ``make`` may run again on the
same row (a worker killed half-way): it starts the file over, nothing half-made is kept.
"""

from datetime import date, timedelta

from flask import current_app
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import IntegrityError

from extensions import db
from models.base import utcnow
from models.export import EXPORT_KINDS, UNFINISHED, ReportExport
from models.user import User
from services.errors import Conflict, NotFound
from services.reporting import queries as q
from services.reporting import replica, report_sheets, tracking_book
from services.reporting.periods import Period
from services.reporting.queries import Filters
from services.reporting.xlsx import stream_workbook

PROGRESS_EVERY = 2000  # rows between two progress writes
LIST_SIZE = 20


def is_heavy(period: Period) -> bool:
    """Whether a download of PERIOD is made in the background rather than by the request."""
    return period.days > current_app.config["EXPORT_INLINE_MAX_DAYS"]


def _params(period: Period, filters: Filters) -> dict:
    return {
        "from": period.first.isoformat(),
        "to": period.last.isoformat(),
        "filters": {k: v for k, v in vars(filters).items() if v is not None},
    }


def _read_params(params: dict) -> tuple[Period, Filters]:
    period = Period(date.fromisoformat(params["from"]), date.fromisoformat(params["to"]))
    return period, Filters(**params.get("filters", {}))


def ask(user: User, kind: str, period: Period, filters: Filters | None = None) -> ReportExport:
    """Record USER's wish for a file of KIND over PERIOD (the caller commits, then the
    workers make it). Conflict while another of USER's files is still being made."""
    filters = filters or Filters()
    purge()  # files past their days go as new ones are asked for (the table stays small)
    _refuse_second(user)
    export = ReportExport(
        user_id=user.id,
        kind=kind,
        params=_params(period, filters),
        label=f"{EXPORT_KINDS.vi(kind)} {period.first:%d/%m/%Y}–{period.last:%d/%m/%Y}",
        status="queued",
        rows_total=_expected_rows(user, kind, period, filters),
    )
    db.session.add(export)
    try:
        with db.session.begin_nested():  # the index decides when two requests race
            db.session.flush()
    except IntegrityError:
        _refuse_second(user)
        raise
    return export


def ask_again(user: User, export_id) -> ReportExport:
    """USER asks once more for their failed file EXPORT_ID: a new file of the same kind,
    period and filters (the failed one stays, with its reason). Conflict unless it failed."""
    failed = get_own(user, export_id)
    if failed.status != "failed":
        raise Conflict("Chỉ tạo lại được tệp đã bị lỗi.")
    period, filters = _read_params(failed.params)
    return ask(user, failed.kind, period, filters)


def _expected_rows(user, kind: str, period: Period, filters: Filters) -> int | None:
    """The tracking book's row count, from the daily figures (the progress bar's end)."""
    if kind != "tracking_book":
        return None
    found = q.facts(user, period, filters, None, ("received",))
    return int(found.get(None, {}).get("received") or 0)


def _refuse_second(user: User) -> None:
    busy = db.session.scalar(
        select(ReportExport)
        .where(ReportExport.user_id == user.id, ReportExport.status.in_(UNFINISHED))
        .limit(1)
    )
    if busy is not None:
        raise Conflict(
            f"Tệp «{busy.label}» của bạn đang được tạo. Mỗi người chỉ tạo một tệp lớn "
            "một lúc: hãy chờ tệp đó xong rồi yêu cầu tệp mới."
        )


def mine(user: User, limit: int = LIST_SIZE) -> list[ReportExport]:
    """USER's latest files, newest first (the content is not loaded)."""
    query = (
        select(ReportExport)
        .where(ReportExport.user_id == user.id)
        .order_by(ReportExport.created_at.desc(), ReportExport.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def get_own(user: User, export_id) -> ReportExport:
    """USER's file EXPORT_ID; NotFound for another's (nobody reads another's download)."""
    try:
        export_id = int(export_id)
    except (TypeError, ValueError):
        export_id = None
    in_range = export_id is not None and 0 < export_id < 2**31
    export = db.session.get(ReportExport, export_id) if in_range else None
    if export is None or export.user_id != user.id:
        raise NotFound("Không tìm thấy tệp này.")
    return export


def content(export: ReportExport) -> bytes:
    """The finished file's bytes; NotFound while it is not ready."""
    if export.status != "done" or export.content is None:
        raise NotFound("Tệp này chưa sẵn sàng.")
    return export.content


def _sheets(export: ReportExport, user: User, count):
    period, filters = _read_params(export.params)
    if export.kind == "tracking_book":
        sheet = tracking_book.sheet(user, period, filters)
        sheet.rows = count(sheet.rows)
        return [sheet], f"so-theo-doi-{period.first:%Y%m%d}-{period.last:%Y%m%d}"
    return report_sheets.sheets(user, period, filters), (
        f"bao-cao-{period.first:%Y%m%d}-{period.last:%Y%m%d}"
    )


def make(export_id: int) -> None:
    """Build file EXPORT_ID (the workers' job). Runs in its own transactions: the claim, the
    progress, the finished file. A file already finished is left as it is."""
    session = db.session
    claimed = session.execute(
        update(ReportExport)
        .where(ReportExport.id == export_id, ReportExport.status.in_(UNFINISHED))
        .values(status="running", started_at=utcnow(), rows_done=0, error=None)
    ).rowcount
    session.commit()
    if not claimed:
        return
    export = session.get(ReportExport, export_id)
    user = session.get(User, export.user_id)
    try:
        data, filename, rows = _build(export, user)
    except Exception as exc:  # the file failed: say so on its row, keep the worker alive
        session.rollback()
        _finish(export_id, status="failed", error=f"Không tạo được tệp: {type(exc).__name__}.")
        raise
    done = {"content": data, "size": len(data), "filename": filename, "rows_done": rows}
    _finish(export_id, status="done", **done)


def _build(export: ReportExport, user: User) -> tuple[bytes, str, int]:
    """The file's bytes, its name and rows: its figures read from the replica when it may
    serve (the claim, the progress and the file itself are written to the primary)."""
    with replica.reading():
        return _read_and_write(export, user)


def _read_and_write(export: ReportExport, user: User) -> tuple[bytes, str, int]:
    postgres = db.session.get_bind().dialect.name == "postgresql"
    if postgres:  # a worker's statement may run past the panel's short timeout
        db.session.execute(text("SET LOCAL statement_timeout = 0"))
    done = [0]

    def count(rows):
        for row in rows:
            yield row
            done[0] += 1
            if postgres and done[0] % PROGRESS_EVERY == 0:
                _progress(export.id, done[0])  # SQLite would wait on its own reader

    sheets, stem = _sheets(export, user, count)
    data = b"".join(stream_workbook(sheets))
    db.session.rollback()  # the read transaction (and its cursor) ends here
    return data, f"{stem}.xlsx", done[0]


def _progress(export_id: int, rows: int) -> None:
    with db.engine.begin() as conn:  # its own connection: seen at once by the page
        conn.execute(
            update(ReportExport).where(ReportExport.id == export_id).values(rows_done=rows)
        )


def _finish(export_id: int, **values) -> None:
    db.session.execute(
        update(ReportExport)
        .where(ReportExport.id == export_id)
        .values(finished_at=utcnow(), **values)
    )
    db.session.commit()


def purge(now=None) -> int:
    """Drop finished files older than EXPORT_KEEP_DAYS (the caller commits); how many."""
    keep = timedelta(days=current_app.config["EXPORT_KEEP_DAYS"])
    cutoff = (now or utcnow()) - keep
    query = delete(ReportExport).where(
        ReportExport.created_at < cutoff, ReportExport.status.not_in(UNFINISHED)
    )
    return db.session.execute(query).rowcount
