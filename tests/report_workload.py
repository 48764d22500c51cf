"""Dossiers driven through the workflow at chosen instants, for the figures' tests."""

from datetime import date, datetime, timedelta

from extensions import db
from models import DeliveryOrder
from services import workflow
from services.calendar import LOCAL_TZ
from tests import factories

RESULT = workflow.Result(number="12/GP-STTTT", date=date(2026, 3, 20), outcome="granted")


def at(month, day, hour=9, minute=30, year=2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LOCAL_TZ)


class Driver:
    """Moves dossiers of WORLD as the right role, each move at a given instant."""

    def __init__(self, world):
        self.world = world
        self.parcels = 0

    def user(self, dossier, side):
        dept = (
            "dept_admin" if dossier.agency_id == self.world.agencies["dept"].id else "dept_admin2"
        )
        po = "po_clerk" if dossier.post_office_id == self.world.agencies["po"].id else "po_clerk2"
        return self.world.users[dept if side == "dept" else po]

    def receive(self, procedure="publish", when=None, clerk="po_clerk", **fields):
        proc = self.world.procedures[procedure]
        return factories.make_dossier(
            proc, self.world.users[clerk], received_at=when or at(3, 10), **fields
        )

    def system(self, dossier, name, when, side):
        workflow.move(
            dossier, name, workflow.SYSTEM_MOVES[name], self.user(dossier, side), now=when
        )
        db.session.commit()
        return dossier

    def act(self, dossier, action, when, side="dept", **kwargs):
        kwargs.setdefault("note", "Lý do cụ thể")
        if action == "complete":
            kwargs.setdefault("result", RESULT)
        workflow.transition(dossier, action, self.user(dossier, side), now=when, **kwargs)
        db.session.commit()
        return dossier

    def handover(self, dossier, when):
        return self.system(dossier, "handover_to_department", when, "dept")

    def complete(self, dossier, when):
        return self.act(dossier, "complete", when)

    def back_to_counter(self, dossier, when):
        return self.system(dossier, "handover_to_post_office", when, "po")

    def ship(self, dossier, when, postage=25_000):
        self.parcels += 1
        order = factories.make_delivery(
            dossier, dossier.post_office, tracking_code=tracking_code(self.parcels)
        )
        order.created_at, order.postage = when, postage
        db.session.commit()
        return self.system(dossier, "ship", when, "po")

    def finish(self, dossier, received, done, how="counter"):
        """Handover a day after RECEIVED, result at DONE, back and returned HOW after."""
        self.handover(dossier, received + timedelta(days=1))
        self.complete(dossier, done)
        self.back_to_counter(dossier, done + timedelta(hours=2))
        if how == "counter":
            return self.act(dossier, "return_at_counter", done + timedelta(hours=3), side="po")
        if how == "post":
            self.ship(dossier, done + timedelta(hours=3))
            return self.system(dossier, "delivered", done + timedelta(days=1), "po")
        return dossier


def tracking_code(serial: int) -> str:
    """A valid UPU S10 code with SERIAL as its number."""
    digits = f"{serial:08d}"
    total = sum(int(d) * w for d, w in zip(digits, (8, 6, 4, 2, 3, 5, 9, 7), strict=True))
    check = 11 - total % 11
    check = {10: 0, 11: 5}.get(check, check)
    return f"EB{digits}{check}VN"


def parcels_of(dossier) -> list[DeliveryOrder]:
    return db.session.query(DeliveryOrder).filter_by(dossier_id=dossier.id).all()
