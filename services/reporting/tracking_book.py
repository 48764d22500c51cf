"""The tracking book (Sổ theo dõi hồ sơ, Mẫu 07): one row per dossier received in a period.

Rows are read with a server-side cursor and written as they come, so a year of
a large province streams with flat memory; the user's row scope applies.
"""

from collections.abc import Iterator

from sqlalchemy import func, select, text

from extensions import db
from models.catalog import ProcedureType
from models.dossier import Dossier, DossierHistory
from services.dossiers.workflow import STATUS_NAMES
from services.reporting.periods import Period
from services.reporting.queries import Filters, narrow
from services.reporting.xlsx import Sheet

COLUMNS = (
    "STT",
    "Mã hồ sơ",
    "Thủ tục hành chính",
    "Tổ chức, cá nhân nộp hồ sơ",
    "Địa chỉ, số điện thoại",
    "Ngày tiếp nhận",
    "Ngày hẹn trả kết quả",
    "Ngày chuyển hồ sơ đến cơ quan giải quyết",
    "Ngày nhận kết quả từ cơ quan giải quyết",
    "Ngày trả kết quả",
    "Ghi chú",
)
WIDTHS = (6, 26, 40, 28, 40, 17, 17, 20, 20, 17, 30)
H = DossierHistory


def _moved_at(source: str, target: str, first: bool = True):
    """When the dossier first (or last) made the move SOURCE → TARGET."""
    pick = func.min if first else func.max
    query = select(pick(H.at)).where(H.dossier_id == Dossier.id, H.to_status == target)
    if source:
        query = query.where(H.from_status == source)
    return query.scalar_subquery()


def rows(user, period: Period, filters: Filters | None = None) -> Iterator[tuple]:
    """The book's rows in receipt order, numbered from 1."""
    query = (
        select(
            Dossier.code,
            ProcedureType.name,
            Dossier.applicant_name,
            Dossier.organization_name,
            Dossier.applicant_address,
            Dossier.applicant_phone,
            Dossier.received_at,
            Dossier.due_at,
            _moved_at("received", "processing"),
            _moved_at("result_ready", "result_at_counter"),
            _moved_at("", "returned", first=False),
            Dossier.status,
            Dossier.notes,
        )
        .join(ProcedureType, ProcedureType.id == Dossier.procedure_type_id)
        .where(Dossier.received_at >= period.start, Dossier.received_at < period.end)
        .order_by(Dossier.received_at)  # an index order: rows stream, no sort first
    )
    query = narrow(query, user, filters or Filters())
    if db.session.get_bind().dialect.name == "postgresql":
        # The plan's cost passes jit_above_cost, and compiling it (seconds) would hold the
        # first row back; row by row through indexes there is nothing for JIT to win.
        db.session.execute(text("SET LOCAL jit = off"))
    result = db.session.execute(query.execution_options(yield_per=2000))
    for number, r in enumerate(result, start=1):
        applicant = r.organization_name or r.applicant_name
        contact = " – ".join(x for x in (r.applicant_address, r.applicant_phone) if x)
        note = "; ".join(x for x in (STATUS_NAMES[r.status].capitalize(), r.notes) if x)
        yield (number, r.code, r.name, applicant, contact, r.received_at, r.due_at, *r[8:11], note)


def sheet(user, period: Period, filters: Filters | None = None) -> Sheet:
    title = f"SỔ THEO DÕI HỒ SƠ — từ {period.first:%d/%m/%Y} đến {period.last:%d/%m/%Y}"
    return Sheet("Sổ theo dõi hồ sơ", COLUMNS, rows(user, period, filters), WIDTHS, title)
