"""Rows for tests, built through the same services the app uses."""

from dataclasses import dataclass, field
from datetime import datetime

from extensions import db
from models import Agency, Dossier, ProcedureType, RequiredDocument, User
from services.accounts.users import create_user, ensure_roles
from services.calendar import LOCAL_TZ
from services.dossiers.receiving import prepare_received

PASSWORD = "correct-horse-42"

AGENCIES = {
    "dept": ("000.00.15.H55", "Sở Thông tin và Truyền thông", "department"),
    "dept2": ("000.00.18.H55", "Sở Văn hóa, Thể thao và Du lịch", "department"),
    "po": ("VNP.H55.001", "Bưu điện tỉnh", "post_office"),
    "po2": ("VNP.H55.002", "Bưu điện khu vực Bắc Kạn", "post_office"),
    "it": ("000.10.15.H55", "Trung tâm CNTT", "it_unit"),
    "lead": ("000.00.00.H55", "UBND tỉnh", "leadership"),
}
USERS = {
    "it_admin": ("it_admin", "it"),
    "dept_admin": ("dept_admin", "dept"),
    "po_supervisor": ("po_supervisor", "po"),
    "po_clerk": ("po_clerk", "po"),
    "viewer": ("viewer", "lead"),
    "dept_admin2": ("dept_admin", "dept2"),
    "po_clerk2": ("po_clerk", "po2"),
}


@dataclass
class World:
    agencies: dict[str, Agency] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    procedures: dict[str, ProcedureType] = field(default_factory=dict)


def make_world() -> World:
    world = World()
    ensure_roles()
    for key, (code, name, kind) in AGENCIES.items():
        world.agencies[key] = Agency(code=code, name=name, kind=kind)
        db.session.add(world.agencies[key])
    db.session.flush()
    for username, (role, agency) in USERS.items():
        world.users[username] = create_user(
            username, PASSWORD, [role], AGENCIES[agency][0], full_name=f"Người dùng {username}"
        )
    world.procedures["publish"] = make_procedure(
        "1.004477", "Cấp giấy phép xuất bản tài liệu không kinh doanh", world.agencies["dept"], 10
    )
    world.procedures["same_day"] = make_procedure(
        "1.005453", "Cấp lại giấy xác nhận đăng ký phát hành", world.agencies["dept"], 0
    )
    world.procedures["karaoke"] = make_procedure(
        "1.001029", "Cấp giấy phép kinh doanh karaoke", world.agencies["dept2"], 5, fee=4_000_000
    )
    db.session.commit()
    return world


def make_kiosk(world, clerk="po_clerk", username="kiosk1") -> User:
    """A counter tablet's account bound to CLERK, in CLERK's post office (committed)."""
    from services.accounts.users import check_kiosk_binding

    bound = world.users[clerk]
    kiosk = create_user(
        username, PASSWORD, ["po_clerk"], bound.agency.code, full_name=f"Máy tính bảng {username}"
    )
    check_kiosk_binding(kiosk, bound)
    kiosk.kiosk_clerk = bound
    db.session.commit()
    world.users[username] = kiosk
    return kiosk


def make_procedure(code, name, agency, days, fee=0) -> ProcedureType:
    procedure = ProcedureType(
        code=code, name=name, field="Xuất bản", agency=agency, processing_days=days, fee=fee
    )
    procedure.documents = [RequiredDocument(name="Đơn đề nghị", kind="original", quantity=1)]
    db.session.add(procedure)
    db.session.flush()
    return procedure


def make_dossier(procedure, clerk, applicant="Nguyễn Văn Thuận", received_at=None, **fields):
    """A dossier received by CLERK (committed)."""
    dossier = Dossier(
        procedure_type=procedure,
        applicant_name=applicant,
        applicant_phone=fields.pop("applicant_phone", "0912345678"),
        applicant_id_number=fields.pop("applicant_id_number", "019201012345"),
        # every document of the checklist handed in, as the receipt form records it
        documents_checked=fields.pop("documents_checked", [d.name for d in procedure.documents]),
        **fields,
    )
    when = received_at or datetime(2026, 3, 10, 9, 30, tzinfo=LOCAL_TZ)
    prepare_received(dossier, received_by=clerk, received_at=when)
    db.session.commit()
    return dossier


def make_handover(dossiers, creator, direction="to_department", now=None):
    """A batch of DOSSIERS created and sent by CREATOR through the service (committed)."""
    from services.handovers.batches import create_and_send

    handover = create_and_send(
        creator, direction, dossier_codes=[d.code for d in dossiers], now=now
    )
    db.session.commit()
    return handover


def confirm_handover(handover, receiver, missing=(), now=None):
    """HANDOVER confirmed by RECEIVER, MISSING codes marked missing (committed)."""
    from services.handovers.batches import confirm

    notes = {code: "Không có trong túi hồ sơ" for code in missing}
    confirm(handover, receiver, missing_codes=missing, item_notes=notes, now=now)
    db.session.commit()
    return handover


def make_delivery(dossier, post_office, tracking_code="EB123456785VN"):
    from models import DeliveryOrder

    order = DeliveryOrder(
        dossier=dossier,
        post_office=post_office,
        tracking_code=tracking_code,
        recipient_name=dossier.applicant_name,
        recipient_phone=dossier.applicant_phone,
        recipient_address="Số 1 đường Hoàng Văn Thụ, Thái Nguyên",
        postage=25_000,
    )
    db.session.add(order)
    db.session.commit()
    return order


def make_rates():
    """The default postage price list (committed)."""
    from services.delivery.postage import ensure_default_rates

    ensure_default_rates()
    db.session.commit()


def make_rate(up_to_grams, price=50_000, zone="within"):
    from models import PostageRate

    rate = PostageRate(zone=zone, up_to_grams=up_to_grams, price=price)
    db.session.add(rate)
    db.session.commit()
    return rate


def ship_result(dossier, clerk, tracking_code="EB123456785VN", **shipment):
    """DOSSIER's result shipped by post through the service (committed): the order."""
    from datetime import timedelta

    from models.base import utcnow
    from services.delivery.shipping import Shipment, ship, shipment_from

    dossier.status, dossier.return_method = "result_at_counter", "post"
    values = shipment_from(dossier)
    values.tracking_code = tracking_code
    values.address = values.address or "Số 1 đường Hoàng Văn Thụ, Thái Nguyên"
    values.postage = shipment.pop("postage", 26_000)
    for key, value in shipment.items():
        setattr(values, key, value)
    # Shipped three days ago, so that tests can feed the parcel's events since.
    when = shipment.pop("now", None) or utcnow() - timedelta(days=3)
    order = ship(dossier, clerk, Shipment(**vars(values)), now=when)
    db.session.commit()
    return order


def make_override(day, is_working=False, name="Nghỉ theo quyết định của UBND tỉnh"):
    from models import CalendarOverride

    override = CalendarOverride(day=day, is_working=is_working, name=name)
    db.session.add(override)
    db.session.commit()
    return override


def make_one_of_each(world) -> dict:
    """One row of every panel resource (committed), by resource name → primary key."""
    from datetime import date

    from sqlalchemy import select

    from models import AuditEntry, Role

    dossier = make_dossier(world.procedures["publish"], world.users["po_clerk"])
    handover = make_handover([dossier], world.users["po_clerk"])
    return {
        "dossier": dossier.id,
        "procedure_type": world.procedures["publish"].id,
        "agency": world.agencies["po"].id,
        "handover": handover.id,
        "delivery_order": make_delivery(dossier, world.agencies["po"]).id,
        "user": world.users["viewer"].id,
        "role": db.session.scalar(select(Role.id).where(Role.name == "viewer")),
        "holiday": make_override(date(2026, 12, 31)).id,
        "postage_rate": _first_rate(),
        "audit_log": db.session.scalar(select(AuditEntry.id).limit(1)),
        "portal_mapping": _a_portal_mapping(),
        "carrier_status": make_carrier_status("100").id,
        "carrier_webhook": make_carrier_webhook().id,
        "notification_template": _a_notification_template(),
    }


def _a_notification_template() -> int:
    """The default templates (as the migration seeds them); the first one's id."""
    from sqlalchemy import select

    from models.notification import NotificationTemplate
    from services.integration.notify.templates import ensure_defaults

    ensure_defaults()
    db.session.commit()
    return db.session.scalar(select(NotificationTemplate.id).order_by(NotificationTemplate.id))


def _a_portal_mapping() -> int:
    from models import PortalMapping

    mapping = PortalMapping(kind="procedure", ours="1.004477", portal="1.004477.000.00.00.H55")
    db.session.add(mapping)
    db.session.commit()
    return mapping.id


def make_carrier_status(code, status="accepted", carrier="ems"):
    """One line of CARRIER's status mapping (committed)."""
    from models import CarrierStatus

    line = CarrierStatus(carrier=carrier, code=code, status=status, note="Chấp nhận gửi")
    db.session.add(line)
    db.session.commit()
    return line


def make_carrier_webhook(transaction="EMS-0001", state="unapplied", **fields):
    """One call in the carrier inbox, kept as if it could not be applied (committed)."""
    from models import CarrierWebhook

    row = CarrierWebhook(
        carrier="ems",
        transaction_id=transaction,
        body=b'{"tracking_code": "EB123456785VN", "status_code": "999"}',
        state=state,
        reason=fields.pop("reason", "Mã trạng thái «999» chưa có trong bảng ánh xạ."),
        tracking_code=fields.pop("tracking_code", "EB123456785VN"),
        status_code=fields.pop("status_code", "999"),
        status_name=fields.pop("status_name", "Hàng đang chờ"),
        **fields,
    )
    db.session.add(row)
    db.session.commit()
    return row


def _first_rate() -> int:
    from sqlalchemy import select

    from models import PostageRate

    make_rates()
    return db.session.scalar(select(PostageRate.id).order_by(PostageRate.id).limit(1))


def run_workers() -> int:
    """What the outbox's workers would do now, here: every due row delivered, until none is
    left (scans digitized, downloads made, portal calls). How many rows were delivered."""
    from services.integration import workers

    done = 0
    while claimed := workers.deliver_due():
        done += claimed
    return done
