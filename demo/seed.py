"""``seed-demo``: an idempotent demo world of agencies, users and dossiers in every status."""

import random
from datetime import datetime

from flask import current_app
from sqlalchemy import func, select, update

import permissions
from demo import demo_data, history
from demo.deliveries import seed_carrier_inbox, seed_deliveries
from demo.files import seed_files
from extensions import db
from models import (
    Agency,
    CalendarOverride,
    DeliveryOrder,
    Dossier,
    DossierFile,
    DossierHistory,
    ExtraFieldDefinition,
    Handover,
    ProcedureType,
    RequiredDocument,
    User,
)
from services.accounts.users import check_kiosk_binding, create_user, ensure_roles
from services.calendar import LOCAL_TZ
from vietnam.addresses import wards

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
# Who acts for each agency in the demo's batches: sends and confirms them.
SENDERS = ("po_clerk", "po_clerk2", "dept_admin", "dept_admin2")
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
    with current_app.test_request_context():
        try:
            seed_files()  # each upload its own transaction, as at the counter
        finally:
            permissions.forget_grants()
    seed_carrier_inbox()  # through the webhook service, which commits each call itself
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
        DossierFile,
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
    for username, full_name, agency, clerk in demo_data.KIOSKS:
        if username not in users:
            kiosk = create_user(
                username, password, ["po_clerk"], agency, full_name=full_name, enforce_policy=False
            )
            check_kiosk_binding(kiosk, users[clerk])
            kiosk.kiosk_clerk = users[clerk]
            users[username] = kiosk
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


def _make_dossiers(users: dict[str, User], today: datetime) -> None:
    """About 300 dossiers over the last four months, lived through the services."""
    rng = random.Random(2026)
    days = history.working_days(today)
    last = len(days) - 1
    procedures = db.session.scalars(select(ProcedureType).order_by(ProcedureType.code)).all()
    by_post = [p for p in procedures if p.postal_return]
    ward_list = wards(demo_data.PROVINCE)
    statuses = [s for s, n in STATUS_SPREAD.items() for _ in range(n)]
    rng.shuffle(statuses)
    plans = []
    for target in statuses:
        procedure = rng.choice(by_post if target == "in_delivery" else procedures)
        clerk = (
            users["po_clerk2"]
            if rng.random() < 0.2
            else users[rng.choice(["po_clerk", "po_supervisor"])]
        )
        by_mail = target == "in_delivery" or (procedure.postal_return and rng.random() < 0.35)
        dossier = _applicant(rng, ward_list)
        dossier.procedure_type = procedure
        dossier.return_method = "post" if by_mail else "counter"
        dossier.fee_amount = procedure.fee
        plan = history.Plan(dossier, target, history.received_day(target, last, rng), clerk)
        history.schedule(plan, last, rng)
        plans.append(plan)
    people = {u.agency_id: u for u in (users[n] for n in SENDERS)}
    # One "request" for the whole seeding: the services read each user's grants once.
    with current_app.test_request_context():
        try:
            history.receive_all(plans, days, rng)
            history.live_days(plans, days, people, rng)
        finally:
            permissions.forget_grants()
    db.session.flush()
    # Lived through the services with past dates, the demo's history is a load, not a
    # correction after the fact: no row of it counts as recorded late.
    db.session.execute(update(DossierHistory).values(recorded_at=None))


def _applicant(rng: random.Random, ward_list) -> Dossier:
    org = rng.choice(demo_data.ORGANISATIONS) if rng.random() < 0.25 else (None, None)
    return Dossier(
        channel=rng.choice(["counter"] * 8 + ["post"] * 2),
        applicant_name=person(rng),
        applicant_id_number=citizen_id(rng),
        applicant_phone=phone(rng),
        applicant_province_code=demo_data.PROVINCE,
        applicant_ward_code=rng.choice(ward_list)[0],
        applicant_street=rng.choice(demo_data.STREETS).format(n=rng.randrange(1, 120)),
        organization_name=org[0],
        organization_tax_code=org[1],
    )
