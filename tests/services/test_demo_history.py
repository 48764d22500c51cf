"""The demo's history is the app's own: made through the services, at office hours."""

from datetime import time

from sqlalchemy import func, select

from demo.seed import seed_demo
from extensions import db
from models import Dossier, DossierHistory, Handover
from services.calendar import LOCAL_TZ, due_date_for, load_calendar, parse_cutoff
from services.dossiers.timeliness import timeliness_at


def test_demo_history_goes_through_the_services(app):
    seed_demo()
    waiting = db.session.execute(
        select(Handover.direction, func.count())
        .where(Handover.status == "sent")
        .group_by(Handover.direction)
    ).all()
    assert {direction for direction, n in waiting if n} == {"to_department", "to_post_office"}
    flagged = db.session.scalars(select(Handover).where(Handover.has_missing.is_(True))).all()
    assert len(flagged) == 1 and any(item.missing for item in flagged[0].items)

    cutoff = parse_cutoff(app.config["RECEIPT_CUTOFF"])
    dossiers = db.session.scalars(select(Dossier)).all()
    for dossier in dossiers:  # appointments and timeliness as the app computes them
        days = dossier.procedure_type.processing_days
        assert (dossier.clock_started_at, dossier.due_at) == due_date_for(
            dossier.received_at, days, cutoff
        ), dossier.code
        if dossier.completed_at:
            assert dossier.timeliness == timeliness_at(
                dossier.completed_at, dossier.due_at, dossier.supplement_count
            )

    steps = db.session.scalars(select(DossierHistory)).all()
    cal = load_calendar(min(s.at for s in steps).astimezone(LOCAL_TZ).date(), days=200)
    for step in steps:  # people work on working days, in office hours
        local = step.at.astimezone(LOCAL_TZ)
        if step.action != "delivered":
            assert cal.is_working_day(local.date()), (step.action, local)
            assert time(7, 30) <= local.time() <= time(17, 30), (step.action, local)
        if step.action.startswith("handover_to_"):
            assert step.data["handover"].startswith("BG-")  # moved by a confirmed batch
    confirmed = set(db.session.scalars(select(Handover.code).where(Handover.status == "confirmed")))
    assert all(
        s.data["handover"] in confirmed for s in steps if s.action.startswith("handover_to_")
    )
