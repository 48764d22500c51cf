"""The receipt rule-set, one for the counter form and the API alike.

The doors parse their input into plain values and call ``decide``: it checks
the applicant, the procedure's documents checklist and extra fields, the
return method the procedure allows, and how far back the receipt may be dated,
and names every problem at once (field → message) or returns the ``Receipt``
that services.dossiers.receiving records.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app

import permissions
from models.base import utcnow
from models.catalog import ProcedureType
from models.dossier import CHANNELS, RETURN_METHODS
from services.calendar import LOCAL_TZ, load_calendar
from services.dossiers import consent
from services.dossiers.extra_fields import clean_extra
from services.errors import FieldErrors
from vietnam.validation import normalise_citizen_id, normalise_phone, normalise_tax_code

CLOCK_SKEW = timedelta(minutes=5)
# The matrix action that allows dating a receipt further back than the window.
BACKDATE_ACTION = "receive_backdated"
REASON_MAX = 500
FIRST_YEAR = 2000  # earlier years are typing mistakes (and overflow near year 1)


@dataclass
class Receipt:
    """What the rules decided for one receipt."""

    procedure: ProcedureType
    applicant: dict
    channel: str
    return_method: str
    documents: list[str]
    extra: dict
    fee: int
    received_at: datetime | None
    backdate_reason: str | None = None  # set only when the window was passed
    notify: list[str] | None = None  # the channels the applicant chose for messages


def decide(
    procedure: ProcedureType | None,
    values: dict,
    actor,
    *,
    errors: dict | None = None,
    now: datetime | None = None,
) -> Receipt:
    """The Receipt for VALUES, or ValidationFailed naming every invalid field.

    ERRORS are the door's own parse errors, reported together with the rules'.
    """
    problems = FieldErrors(errors or {})
    if procedure is None or not procedure.active:
        problems.add("procedure_code", "Chọn một thủ tục hành chính đang áp dụng.")
        procedure = None
    applicant, found = check_applicant(values)
    channel = values.get("channel") or "counter"
    if channel not in CHANNELS:
        found["channel"] = "Hình thức nộp phải là: " + ", ".join(CHANNELS) + "."
    return_method = values.get("return_method") or "counter"
    if refusal := return_method_error(procedure, return_method):
        found["return_method"] = refusal
    documents, extra = _procedure_checks(procedure, values, found)
    notify = values.get("notify")
    if notify is None:
        notify = consent.default_channels(return_method, applicant.get("applicant_phone"))
    notify, refusal = consent.clean(
        notify, applicant.get("applicant_phone"), applicant.get("applicant_email")
    )
    if refusal:
        found["notify"] = refusal
    received_at = values.get("received_at")
    reason = (values.get("received_at_reason") or "").strip()[:REASON_MAX] or None
    backdated = received_at_errors(received_at, reason, actor, now or utcnow(), found)
    for field, message in found.items():
        problems.add(field, message)
    problems.check(f"Hồ sơ chưa thể tiếp nhận: {len(problems)} mục chưa hợp lệ.")
    return Receipt(
        procedure=procedure,
        applicant=applicant,
        channel=channel,
        return_method=return_method,
        documents=documents,
        extra=extra,
        fee=procedure.fee,
        received_at=received_at,
        backdate_reason=reason if backdated else None,
        notify=notify or None,
    )


def _procedure_checks(procedure, values: dict, found: dict) -> tuple[list[str], dict]:
    """The documents handed in and the extra-field values, problems added to FOUND."""
    if procedure is None:
        return [], {}
    documents, missing = handed_in(procedure, values.get("documents") or [])
    if missing:
        found["documents"] = "Chưa nộp đủ giấy tờ: " + "; ".join(missing) + "."
    extra, extra_errors = clean_extra(procedure, values.get("extra") or {})
    found |= {f"extra.{key}": message for key, message in extra_errors.items()}
    return documents, extra


def check_applicant(values: dict) -> tuple[dict, dict[str, str]]:
    """Applicant fields normalised by DOMAIN.md's formats: (clean values, errors by field)."""
    clean, errors = {}, {}
    name = (values.get("applicant_name") or "").strip()
    if not name:
        errors["applicant_name"] = "Vui lòng nhập họ tên người nộp."
    clean["applicant_name"] = name[:200]
    for key, normalise in (
        ("applicant_id_number", normalise_citizen_id),
        ("applicant_phone", normalise_phone),
        ("organization_tax_code", normalise_tax_code),
    ):
        raw = (values.get(key) or "").strip()
        clean[key] = None
        if raw:
            try:
                clean[key] = normalise(raw)
            except ValueError as exc:
                errors[key] = str(exc)
    email = (values.get("applicant_email") or "").strip()
    if email and (
        len(email) > 255 or "@" not in email or "." not in email.rsplit("@", 1)[-1] or " " in email
    ):
        errors["applicant_email"] = "Địa chỉ email không hợp lệ."
    clean["applicant_email"] = email or None
    return clean, errors


def return_method_error(procedure: ProcedureType | None, return_method: str) -> str | None:
    """Why RETURN_METHOD is refused for PROCEDURE, or None: by post only where allowed."""
    if return_method not in RETURN_METHODS:
        return "Hình thức nhận kết quả phải là counter (tại quầy) hoặc post (qua bưu chính)."
    if return_method == "post" and procedure is not None and not procedure.postal_return:
        return "Thủ tục này không trả kết quả qua bưu chính."
    return None


def handed_in(procedure: ProcedureType, names) -> tuple[list[str], list[str]]:
    """(the procedure's documents among NAMES, in its order; those still missing)."""
    given = {str(n).strip() for n in names}
    required = [d.name for d in procedure.documents]
    return [n for n in required if n in given], [n for n in required if n not in given]


def earliest_receipt_day(now: datetime, working_days: int) -> date:
    """The earliest day a receipt may be dated without a supervisor: N working days back."""
    today = now.astimezone(LOCAL_TZ).date()
    span = working_days * 3 + 30
    cal = load_calendar(today - timedelta(days=span), days=span)
    return cal.subtract_working_days(today, working_days)


def received_at_errors(received_at, reason, actor, now, errors: dict) -> bool:
    """Add to ERRORS what is wrong with RECEIVED_AT; True when it passes the window.

    Not in the future; at most RECEIPT_BACKDATE_WORKING_DAYS working days back
    (paper taken during an outage is entered later); older only by a user the
    matrix allows ``receive_backdated``, with a reason; never more than
    RECEIPT_BACKDATE_MAX_DAYS calendar days back, whoever enters it.
    """
    if received_at is None:
        return False
    if received_at.tzinfo is None:
        errors["received_at"] = "Thời điểm tiếp nhận phải kèm múi giờ, ví dụ +07:00."
        return False
    if not FIRST_YEAR <= received_at.year <= now.year + 1:  # the future: below
        errors["received_at"] = f"Năm tiếp nhận phải từ {FIRST_YEAR} đến nay."
        return False
    if received_at > now + CLOCK_SKEW:
        errors["received_at"] = "Thời điểm tiếp nhận không được ở tương lai."
        return False
    limit = int(current_app.config["RECEIPT_BACKDATE_WORKING_DAYS"])
    earliest = earliest_receipt_day(now, limit)
    day = received_at.astimezone(LOCAL_TZ).date()
    if day >= earliest:
        return False
    max_days = int(current_app.config["RECEIPT_BACKDATE_MAX_DAYS"])
    floor = now.astimezone(LOCAL_TZ).date() - timedelta(days=max_days)
    if day < floor:
        errors["received_at"] = (
            f"Không thể nhập hồ sơ tiếp nhận trước ngày {floor:%d/%m/%Y} "
            f"(quá {max_days} ngày trước hôm nay), kể cả giám sát viên: kỳ báo cáo đã khóa."
        )
        return False
    if not permissions.can(actor, "dossier", BACKDATE_ACTION):
        errors["received_at"] = (
            f"Chỉ được nhập hồ sơ tiếp nhận từ ngày {earliest:%d/%m/%Y} trở đi "
            f"(không quá {limit} ngày làm việc trước hôm nay). Hồ sơ tiếp nhận sớm hơn "
            "phải do giám sát viên bưu điện nhập, kèm lý do."
        )
    elif not reason:
        errors["received_at_reason"] = (
            f"Hồ sơ tiếp nhận trước ngày {earliest:%d/%m/%Y}: vui lòng ghi lý do nhập muộn."
        )
    return True
