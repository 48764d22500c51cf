"""What each printed form of a dossier says, as plain data (the templates only lay it out).

Numbered as DOMAIN.md: 01 receipt, 02 supplement request, 03 refusal, 04 apology
with a new appointment, 05 stop notice, 06 control slip (services/printing/control_slip.py
builds the control slip, the handover record and the delivery label); and the return
slip handed over with the result at the counter (no number: the circulars have none).
A form exists only once its event has happened; asking for another raises NotFound.
"""

from dataclasses import dataclass
from datetime import datetime

from models.catalog import DOCUMENT_KINDS
from models.dossier import COLLECTORS, RETURN_METHODS, TIMELINESS, Dossier
from models.dossier_actions import ACTIONS
from services.errors import NotFound
from services.printing.common import Heading, Signature, heading_for, last_step, local
from services.printing.control_slip import control_slip, has_control_slip

#: Letters to the applicant: form → (number, title).
LETTERS = {
    "supplement": ("Mẫu 02", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"),
    "refusal": ("Mẫu 03", "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"),
    "apology": ("Mẫu 04", "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"),
    "stop": ("Mẫu 05", "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ"),
}
#: Every form of a dossier, in the order the buttons show them, with its short name.
DOSSIER_FORMS = {
    "receipt": "Giấy tiếp nhận và hẹn trả kết quả",
    "supplement": "Phiếu yêu cầu bổ sung",
    "refusal": "Phiếu từ chối",
    "apology": "Phiếu xin lỗi, hẹn lại",
    "stop": "Thông báo dừng giải quyết",
    "control-slip": "Phiếu kiểm soát",
    "return-slip": "Phiếu trả kết quả",
}
#: The form that each step of a dossier's history makes printable (the actions' ``slip``).
FORM_OF_STEP = {a.name: a.slip for a in ACTIONS if a.slip}
#: The history action that issues each letter.
ISSUED_BY = {a.slip: a.name for a in ACTIONS if a.slip in LETTERS}


@dataclass(frozen=True)
class Applicant:
    name: str
    organization: str
    id_number: str
    phone: str
    email: str
    address: str


@dataclass(frozen=True)
class DocumentLine:
    number: int
    name: str
    kind: str
    quantity: int


@dataclass(frozen=True)
class Receipt:
    """Mẫu 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả."""

    heading: Heading
    code: str
    office: str
    applicant: Applicant
    procedure_code: str
    procedure_name: str
    processing_days: int
    received_at: datetime
    due_at: datetime
    return_method: str
    documents: tuple[DocumentLine, ...]
    fee: int
    lookup_url: str
    signatures: tuple[Signature, ...]
    form_number: str = "Mẫu 01"
    title: str = "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"


@dataclass(frozen=True)
class Letter:
    """Mẫu 02–05: a letter to the applicant about one step (its reason, its dates)."""

    form: str
    form_number: str
    title: str
    heading: Heading
    code: str
    applicant: Applicant
    procedure_code: str
    procedure_name: str
    received_at: datetime
    at: datetime
    reason: str
    due_before: datetime | None
    due_after: datetime | None
    signatures: tuple[Signature, ...]


@dataclass(frozen=True)
class ReturnSlip:
    """Phiếu trả kết quả: the result handed over at the counter, to whom, and when."""

    heading: Heading
    code: str
    office: str
    applicant: Applicant
    procedure_code: str
    procedure_name: str
    received_at: datetime
    due_at: datetime | None
    returned_at: datetime
    timeliness: str
    result_number: str
    result_date: object
    collector: str
    collector_name: str
    signatures: tuple[Signature, ...]
    form_number: str = ""
    title: str = "PHIẾU TRẢ KẾT QUẢ GIẢI QUYẾT HỒ SƠ"


def applicant_of(dossier: Dossier) -> Applicant:
    return Applicant(
        name=dossier.applicant_name,
        organization=dossier.organization_name or "",
        id_number=dossier.applicant_id_number or "",
        phone=dossier.applicant_phone or "",
        email=dossier.applicant_email or "",
        address=dossier.applicant_address or "",
    )


def has_receipt(dossier: Dossier) -> bool:
    """A receipt is issued on receipt, never for a dossier refused at reception."""
    return dossier.status != "not_accepted" and last_step(dossier, "receive") is not None


def letter_forms(dossier: Dossier) -> list[str]:
    """The letters (02–05) whose step DOSSIER's history holds."""
    actions = {s.action for s in dossier.history}
    return [form for form in LETTERS if ISSUED_BY[form] in actions]


def receipt(dossier: Dossier, lookup_url: str) -> Receipt:
    """Mẫu 01 for DOSSIER; LOOKUP_URL is the public look-up page of its code (the QR)."""
    if not has_receipt(dossier):
        raise NotFound("Hồ sơ này không có giấy tiếp nhận.")
    procedure = dossier.procedure_type
    office = dossier.post_office or (dossier.received_by.agency if dossier.received_by else None)
    clerk = dossier.received_by.full_name if dossier.received_by else ""
    return Receipt(
        heading=heading_for(office, dossier.code, dossier.received_at),
        code=dossier.code,
        office=office.name if office else "",
        applicant=applicant_of(dossier),
        procedure_code=procedure.code,
        procedure_name=procedure.name,
        processing_days=procedure.processing_days,
        received_at=local(dossier.received_at),
        due_at=local(dossier.due_at),
        return_method=RETURN_METHODS.vi(dossier.return_method),
        documents=document_lines(dossier),
        fee=dossier.fee_amount or 0,
        lookup_url=lookup_url,
        signatures=(Signature("NGƯỜI NỘP HỒ SƠ", ""), Signature("NGƯỜI TIẾP NHẬN HỒ SƠ", clerk)),
    )


def has_return_slip(dossier: Dossier) -> bool:
    """A return slip is issued once the result was returned at the counter."""
    return dossier.status == "returned" and last_step(dossier, "return_at_counter") is not None


def return_slip(dossier: Dossier) -> ReturnSlip:
    """The return slip of DOSSIER, from its latest return at the counter."""
    step = last_step(dossier, "return_at_counter") if dossier.status == "returned" else None
    if step is None:
        raise NotFound("Hồ sơ chưa được trả kết quả tại quầy.")
    office = dossier.post_office or (step.actor.agency if step.actor else None)
    data = step.data or {}
    clerk = step.actor.full_name if step.actor else ""
    collector = data.get("collector_name") or dossier.collector_name or dossier.applicant_name
    return ReturnSlip(
        heading=heading_for(office, dossier.code, step.at),
        code=dossier.code,
        office=office.name if office else "",
        applicant=applicant_of(dossier),
        procedure_code=dossier.procedure_type.code,
        procedure_name=dossier.procedure_type.name,
        received_at=local(dossier.received_at),
        due_at=local(dossier.due_at),
        returned_at=local(step.at),
        timeliness=TIMELINESS.vi(dossier.timeliness) if dossier.timeliness else "",
        result_number=dossier.result_number or "",
        result_date=dossier.result_date,
        collector=COLLECTORS.vi(data.get("collected_by") or dossier.collected_by or "applicant"),
        collector_name=collector,
        signatures=(
            Signature("NGƯỜI NHẬN KẾT QUẢ", collector),
            Signature("NGƯỜI TRẢ KẾT QUẢ", clerk),
        ),
    )


def document_lines(dossier: Dossier) -> tuple[DocumentLine, ...]:
    """The documents handed in, with the kind and count the procedure asks for."""
    required = {d.name: d for d in dossier.procedure_type.documents}
    lines = []
    for number, name in enumerate(dossier.documents_checked or [], start=1):
        doc = required.get(name)
        kind = DOCUMENT_KINDS.vi(doc.kind) if doc else ""
        lines.append(DocumentLine(number, name, kind, doc.quantity if doc else 1))
    return tuple(lines)


def letter(dossier: Dossier, form: str) -> Letter:
    """Mẫu 02–05 for DOSSIER, from the latest history step that issues FORM."""
    if form not in LETTERS:
        raise NotFound("Không có mẫu phiếu này.")
    number, title = LETTERS[form]
    step = last_step(dossier, ISSUED_BY[form])
    if step is None:
        raise NotFound("Hồ sơ chưa có phiếu này.")
    actor = step.actor
    issuer = actor.agency if actor else dossier.agency
    data = step.data or {}
    return Letter(
        form=form,
        form_number=number,
        title=title,
        heading=heading_for(issuer, dossier.code, step.at),
        code=dossier.code,
        applicant=applicant_of(dossier),
        procedure_code=dossier.procedure_type.code,
        procedure_name=dossier.procedure_type.name,
        received_at=local(dossier.received_at),
        at=local(step.at),
        reason=step.note or "",
        due_before=local(_parse(data.get("due_at_before"))),
        due_after=local(_parse(data.get("due_at_after"))),
        signatures=(Signature(_signer_title(issuer), actor.full_name if actor else ""),),
    )


def _signer_title(agency) -> str:
    if agency is not None and agency.kind == "post_office":
        return "NGƯỜI TIẾP NHẬN HỒ SƠ"
    return "CÁN BỘ GIẢI QUYẾT HỒ SƠ"


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def available_forms(dossier: Dossier, sent_batches: list | None = None) -> list[str]:
    """The forms of DOSSIER that exist now, in DOSSIER_FORMS' order (SENT_BATCHES: the
    batches that carried it, when the caller has read them; see has_control_slip)."""
    slip = has_control_slip(dossier, sent_batches)
    exists = {"receipt": has_receipt(dossier), "control-slip": slip}
    exists["return-slip"] = has_return_slip(dossier)
    exists |= {form: True for form in letter_forms(dossier)}
    return [form for form in DOSSIER_FORMS if exists.get(form)]


def latest_form(dossier: Dossier) -> str | None:
    """The form the dossier's latest step has just made printable (offered first)."""
    if not dossier.history:
        return None
    return FORM_OF_STEP.get(max(dossier.history, key=lambda s: s.at).action)


def dossier_form(dossier: Dossier, form: str, lookup_url: str = ""):
    """FORM of DOSSIER as data; NotFound for an unknown form or one not issued yet."""
    if form == "receipt":
        return receipt(dossier, lookup_url)
    if form == "control-slip":
        return control_slip(dossier)
    if form == "return-slip":
        return return_slip(dossier)
    return letter(dossier, form)
