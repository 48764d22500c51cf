"""``seed-demo``: an idempotent demo world of agencies, users and dossiers in every status."""

import random
from datetime import datetime, time, timedelta

from sqlalchemy import func, select

from demo import demo_data
from demo.deliveries import seed_deliveries
from extensions import db
from models import (
    Agency,
    CalendarOverride,
    DeliveryEvent,
    DeliveryOrder,
    Dossier,
    DossierHistory,
    ExtraFieldDefinition,
    Handover,
    HandoverItem,
    ProcedureType,
    RequiredDocument,
    User,
)
from services import codes
from services.addresses import wards
from services.calendar import LOCAL_TZ, load_calendar
from services.dossiers import prepare_received
from services.users import create_user, ensure_roles
from services.validation import s10_check_digit

# How the demo's dossiers are spread over the statuses (they add to 300).
STATUS_SPREAD = {
    "received": 40,
    "processing": 60,
    "supplement_requested": 15,
    "result_ready": 20,
    "result_at_counter": 25,
    "in_delivery": 15,
    "returned": 95,
    "not_accepted": 10,
    "withdrawn": 8,
    "stopped": 12,
}
# The steps that lead to each status after receipt.
PATHS = {
    "received": [],
    "not_accepted": [("refuse", "not_accepted")],
    "withdrawn": [("withdraw", "withdrawn")],
    "processing": [("handover_to_department", "processing")],
    "supplement_requested": [
        ("handover_to_department", "processing"),
        ("request_supplement", "supplement_requested"),
    ],
    "stopped": [("handover_to_department", "processing"), ("stop", "stopped")],
    "result_ready": [
        ("handover_to_department", "processing"),
        ("complete", "result_ready"),
    ],
    "result_at_counter": [
        ("handover_to_department", "processing"),
        ("complete", "result_ready"),
        ("handover_to_post_office", "result_at_counter"),
    ],
    "in_delivery": [
        ("handover_to_department", "processing"),
        ("complete", "result_ready"),
        ("handover_to_post_office", "result_at_counter"),
        ("ship", "in_delivery"),
    ],
    "returned": [
        ("handover_to_department", "processing"),
        ("complete", "result_ready"),
        ("handover_to_post_office", "result_at_counter"),
        ("return_at_counter", "returned"),
    ],
}
NOTES = {
    "refuse": "Hồ sơ không thuộc thẩm quyền giải quyết",
    "withdraw": "Công dân xin rút hồ sơ",
    "request_supplement": "Bổ sung bản sao giấy chứng nhận đăng ký doanh nghiệp",
    "stop": "Tổ chức đề nghị dừng giải quyết",
}
DEMO_PASSWORD_DEFAULT = "demo-2026"  # noqa: S105  (the documented demo password)


def seed_demo(
    password: str = DEMO_PASSWORD_DEFAULT, today: datetime | None = None
) -> dict[str, int]:
    """Load the demo world once; a second run adds nothing. Returns row counts."""
    users = ensure_demo_world(password)
    if not db.session.scalar(select(func.count(Dossier.id))):
        _make_dossiers(users, today or datetime.now(LOCAL_TZ))
    seed_deliveries()
    db.session.commit()
    return counts()


def ensure_demo_world(password: str = DEMO_PASSWORD_DEFAULT) -> dict[str, User]:
    """Roles, agencies, procedures, demo accounts and the calendar example, when missing."""
    ensure_roles()
    agencies = _ensure_agencies()
    _ensure_procedures(agencies)
    users = _ensure_users(password)
    _ensure_calendar()
    return users


def counts() -> dict[str, int]:
    models = (
        Agency,
        User,
        ProcedureType,
        Dossier,
        DossierHistory,
        Handover,
        DeliveryOrder,
    )
    return {m.__tablename__: db.session.scalar(select(func.count()).select_from(m)) for m in models}


def _ensure_agencies() -> dict[str, Agency]:
    existing = {a.code: a for a in db.session.scalars(select(Agency))}
    for code, name, kind, address, phone in demo_data.AGENCIES:
        if code not in existing:
            existing[code] = Agency(code=code, name=name, kind=kind, address=address, phone=phone)
            db.session.add(existing[code])
    db.session.flush()
    return existing


def _ensure_procedures(agencies: dict[str, Agency]) -> None:
    known = set(db.session.scalars(select(ProcedureType.code)))
    for (
        code,
        name,
        field,
        agency,
        days,
        fee,
        level,
        by_post,
        docs,
        extras,
    ) in demo_data.PROCEDURES:
        if code in known:
            continue
        procedure = ProcedureType(
            code=code,
            name=name,
            field=field,
            agency=agencies[agency],
            processing_days=days,
            fee=fee,
            online_level=level,
            postal_return=by_post,
        )
        procedure.documents = [
            RequiredDocument(name=n, kind=k, quantity=q, position=i)
            for i, (n, k, q) in enumerate(docs)
        ]
        procedure.extra_fields = [
            ExtraFieldDefinition(key=k, label=lb, field_type=t, required=r, choices=c, position=i)
            for i, (k, lb, t, r, c) in enumerate(extras)
        ]
        db.session.add(procedure)
    db.session.flush()


def _ensure_users(password: str) -> dict[str, User]:
    users = {u.username: u for u in db.session.scalars(select(User))}
    for username, full_name, role, agency in demo_data.USERS:
        if username not in users:
            users[username] = create_user(
                username, password, [role], agency, full_name=full_name, enforce_policy=False
            )
    return users


def _ensure_calendar() -> None:
    """A provincial decision the package cannot know: an example override."""
    day = datetime(2026, 12, 31).date()
    if not db.session.scalar(select(CalendarOverride.id).where(CalendarOverride.day == day)):
        db.session.add(
            CalendarOverride(
                day=day,
                is_working=False,
                name="Nghỉ theo Quyết định của UBND tỉnh (minh họa)",
            )
        )
        db.session.flush()


def person(rng: random.Random) -> str:
    male = rng.random() < 0.5
    middle = demo_data.MIDDLE_M if male else demo_data.MIDDLE_F
    given = demo_data.GIVEN_M if male else demo_data.GIVEN_F
    return f"{rng.choice(demo_data.FAMILY)} {rng.choice(middle)} {rng.choice(given)}"


def citizen_id(rng: random.Random) -> str:
    """Province 006 (Bắc Kạn) or 019 (Thái Nguyên), a sex/century digit, 8 random digits."""
    return f"0{rng.choice(['06', '19'])}{rng.randrange(0, 2)}{rng.randrange(10**8):08d}"


def phone(rng: random.Random) -> str:
    prefix = rng.choice(["0912", "0983", "0369", "0868", "0705", "0582"])
    return f"{prefix}{rng.randrange(10**6):06d}"


def _working_moment(cal, day, rng: random.Random) -> datetime:
    while not cal.is_working_day(day):
        day += timedelta(days=1)
    minutes = rng.randrange(7 * 60 + 30, 16 * 60 + 30)
    return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=LOCAL_TZ)


def _make_dossiers(users: dict[str, User], today: datetime) -> None:
    rng = random.Random(2026)
    procedures = db.session.scalars(select(ProcedureType).order_by(ProcedureType.code)).all()
    start_day = (today - timedelta(days=120)).date()
    cal = load_calendar(start_day, days=200)
    ward_list = wards(demo_data.PROVINCE)
    statuses = [s for s, n in STATUS_SPREAD.items() for _ in range(n)]
    rng.shuffle(statuses)
    plans = []
    for target in statuses:
        procedure = rng.choice(procedures)
        clerk = (
            users["po_clerk2"]
            if rng.random() < 0.2
            else users[rng.choice(["po_clerk", "po_supervisor"])]
        )
        # Open dossiers are recent; finished ones older, so that their steps fit before today.
        back = (
            rng.randrange(0, 25)
            if target in ("received", "processing", "supplement_requested")
            else rng.randrange(20, 115)
        )
        received_at = _working_moment(cal, (today - timedelta(days=back)).date(), rng)
        if received_at > today:
            received_at = today - timedelta(hours=1)
        plans.append((received_at, target, procedure, clerk))
    plans.sort(key=lambda p: p[0])
    for received_at, target, procedure, clerk in plans:
        org = rng.choice(demo_data.ORGANISATIONS) if rng.random() < 0.25 else (None, None)
        ward_code = rng.choice(ward_list)[0]
        dossier = Dossier(
            procedure_type=procedure,
            channel=rng.choice(["counter"] * 8 + ["post"] * 2),
            return_method="post" if procedure.postal_return and rng.random() < 0.35 else "counter",
            applicant_name=person(rng),
            applicant_id_number=citizen_id(rng),
            applicant_phone=phone(rng),
            applicant_province_code=demo_data.PROVINCE,
            applicant_ward_code=ward_code,
            applicant_street=rng.choice(demo_data.STREETS).format(n=rng.randrange(1, 120)),
            organization_name=org[0],
            organization_tax_code=org[1],
            fee_amount=procedure.fee,
        )
        prepare_received(dossier, received_by=clerk, received_at=received_at)
        _walk(dossier, PATHS[target], users, clerk, today, rng)
    db.session.flush()
    _batch_handovers(users)


def _walk(dossier: Dossier, steps, users, clerk, today: datetime, rng: random.Random) -> None:
    """Move DOSSIER along STEPS with plausible times before TODAY, writing its history."""
    dept_user = (
        users["dept_admin"]
        if dossier.agency_id == users["dept_admin"].agency_id
        else users["dept_admin2"]
    )
    moment = dossier.received_at
    span = max((today - moment) / (len(steps) + 1), timedelta(minutes=30))
    for action, to_status in steps:
        moment = moment + span * rng.uniform(0.4, 1.0)
        actor = dept_user if action in ("request_supplement", "stop", "complete") else clerk
        if action == "handover_to_department":
            actor = dept_user
        elif action == "handover_to_post_office":
            actor = clerk
        data = None
        if action == "complete":
            dossier.result_number = f"{rng.randrange(1, 999)}/GP-STTTT"
            dossier.result_date = moment.astimezone(LOCAL_TZ).date()
            dossier.result_outcome = "granted" if rng.random() < 0.92 else "refused"
            dossier.result_summary = (
                "Cấp giấy phép theo đề nghị"
                if dossier.result_outcome == "granted"
                else "Không đủ điều kiện cấp phép"
            )
            dossier.completed_at = moment
            dossier.timeliness = _timeliness(moment, dossier.due_at)
        if action == "request_supplement":
            dossier.supplement_count += 1
            dossier.paused_at = moment
        if action in ("return_at_counter",):
            dossier.returned_at = moment
        if action == "ship":
            _delivery(dossier, clerk, moment, rng)
        dossier.history.append(
            DossierHistory(
                action=action,
                from_status=dossier.status,
                to_status=to_status,
                at=moment,
                actor_id=actor.id,
                note=NOTES.get(action),
                data=data,
            )
        )
        dossier.status = to_status
    if dossier.status == "returned" and dossier.return_method == "post":
        _delivery(dossier, clerk, dossier.returned_at, rng, delivered=True)


def _timeliness(done: datetime, due: datetime) -> str:
    done_day, due_day = (
        done.astimezone(LOCAL_TZ).date(),
        due.astimezone(LOCAL_TZ).date(),
    )
    return "early" if done_day < due_day else "on_time" if done_day == due_day else "late"


def _tracking_code(rng: random.Random) -> str:
    serial = f"{rng.randrange(10**8):08d}"
    return f"EB{serial}{s10_check_digit(serial)}VN"


def _delivery(
    dossier: Dossier, clerk: User, moment: datetime, rng: random.Random, delivered=False
) -> None:
    order = DeliveryOrder(
        dossier=dossier,
        tracking_code=_tracking_code(rng),
        post_office_id=dossier.post_office_id or clerk.agency_id,
        status="delivered" if delivered else "in_transit",
        recipient_name=dossier.applicant_name,
        recipient_phone=dossier.applicant_phone,
        recipient_province_code=dossier.applicant_province_code,
        recipient_ward_code=dossier.applicant_ward_code,
        recipient_street=dossier.applicant_street,
        recipient_address=dossier.applicant_address or "",
        postage=rng.choice([22_000, 25_000, 32_000]),
        cod_amount=0,
        created_at=moment,
        created_by_id=clerk.id,
        delivered_at=moment + timedelta(days=1) if delivered else None,
    )
    steps = ["created", "accepted", "in_transit"] + (
        ["out_for_delivery", "delivered"] if delivered else []
    )
    order.events = [
        DeliveryEvent(
            status=s,
            at=moment + timedelta(hours=5 * i),
            source="tracking" if i else "manual",
        )
        for i, s in enumerate(steps)
    ]
    db.session.add(order)


def _batch_handovers(users: dict[str, User]) -> None:
    """One handover batch per day, direction and pair of agencies, from the histories."""
    batches: dict[tuple, list[tuple[Dossier, DossierHistory]]] = {}
    rows = db.session.execute(
        select(Dossier, DossierHistory)
        .join(DossierHistory)
        .where(DossierHistory.action.in_(("handover_to_department", "handover_to_post_office")))
    )
    for dossier, step in rows:
        direction = "to_department" if step.to_status == "processing" else "to_post_office"
        day = step.at.astimezone(LOCAL_TZ).date()
        batches.setdefault((day, direction, dossier.agency_id, dossier.post_office_id), []).append(
            (dossier, step)
        )
    for (_day, direction, dept_id, po_id), items in sorted(
        batches.items(), key=lambda kv: (kv[0][0], kv[0][1])
    ):
        first = min(step.at for _, step in items)
        created = first - timedelta(hours=2)
        sender, receiver = (po_id, dept_id) if direction == "to_department" else (dept_id, po_id)
        handover = Handover(
            code=codes.handover_code(created),
            direction=direction,
            status="confirmed",
            from_agency_id=sender,
            to_agency_id=receiver,
            created_at=created,
            sent_at=created,
            confirmed_at=first,
            confirmed_by_id=items[0][1].actor_id,
            created_by_id=_creator(users, direction, dept_id, po_id),
        )
        handover.items = [HandoverItem(dossier=d) for d, _ in items]
        for _, step in items:
            step.data = {"handover": handover.code}
        db.session.add(handover)


def _creator(users, direction, dept_id, po_id) -> int:
    if direction == "to_department":
        return (
            users["po_clerk2"] if users["po_clerk2"].agency_id == po_id else users["po_clerk"]
        ).id
    return (
        users["dept_admin"] if users["dept_admin"].agency_id == dept_id else users["dept_admin2"]
    ).id
