"""Dossiers driven through the workflow at chosen instants, for the figures' tests."""

from datetime import date, datetime, timedelta

from extensions import db
from models import DeliveryOrder
from services.calendar import LOCAL_TZ
from services.dossiers import workflow
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
        if action == "return_at_counter":
            kwargs.setdefault("collector", workflow.Collector(kind="applicant"))
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


def build_month(world):
    """Sixteen dossiers of March 2026 (and one of February, one of April), each a case."""
    drive, d = Driver(world), {}
    for name in "abcdefhijklnq":
        d[name] = drive.receive()
    due = d["a"].due_at  # 24/03/2026 09:30 local for a 10-day procedure received 10/03
    received = at(3, 10)
    drive.finish(d["a"], received, due - timedelta(days=2), "counter")  # early
    drive.finish(d["b"], received, due.replace(hour=9) + timedelta(hours=6), "post")  # on time
    drive.handover(d["c"], received + timedelta(hours=4))
    drive.act(d["c"], "apologize", at(3, 12), new_due_at=due + timedelta(days=5))
    drive.complete(d["c"], at(3, 13))  # before the date, but apologised: late
    drive.handover(d["d"], at(3, 11))
    for ask, give in ((at(3, 12), at(3, 13)), (at(3, 16), at(3, 17))):
        drive.act(d["d"], "request_supplement", ask)
        drive.act(d["d"], "supplement_received", give, side="po")
    drive.complete(d["d"], at(3, 18))  # two supplement requests: late
    drive.handover(d["e"], at(3, 11))
    drive.act(d["e"], "request_supplement", at(3, 12))
    drive.act(d["e"], "supplement_received", at(3, 13), side="po")
    drive.complete(d["e"], at(3, 16))  # one supplement request: still early
    drive.handover(d["f"], at(3, 12))
    drive.complete(d["f"], due + timedelta(days=1))  # the day after: late
    d["g"] = drive.receive("karaoke")
    drive.act(d["g"], "refuse", at(3, 10, 10), side="po")
    drive.act(d["h"], "withdraw", at(3, 11), side="po")
    drive.handover(d["i"], at(3, 11))
    drive.act(d["i"], "stop", at(3, 12))
    d["j"].channel = "post"
    drive.handover(d["k"], at(3, 11))
    drive.handover(d["l"], at(3, 11))
    drive.act(d["l"], "request_supplement", at(3, 12))
    d["m"] = drive.receive("same_day", when=at(3, 20, 10, 0))  # due 20/03 17:00
    drive.handover(d["m"], at(3, 20, 11, 0))
    drive.finish(d["n"], received, due - timedelta(days=1), "none")
    drive.ship(d["n"], at(3, 24), postage=30_000)
    drive.system(d["n"], "returned_to_sender", at(3, 26), "po")
    drive.act(d["n"], "return_at_counter", at(3, 27), side="po")
    d["o"] = drive.receive(when=at(2, 27))
    drive.handover(d["o"], at(3, 2))
    drive.complete(d["o"], at(3, 5))
    d["p"] = drive.receive("karaoke", clerk="po_clerk2")
    drive.handover(d["p"], at(3, 11))
    drive.complete(d["p"], d["p"].due_at + timedelta(days=2))
    d["q"].received_at = at(4, 1)  # April: outside the period
    db.session.commit()
    return d


def live(drive, rng, dossier, when):
    """Take DOSSIER down a random path of the workflow, each move a few hours later."""

    def later():
        return when + timedelta(hours=rng.randint(1, 60))

    fate = rng.random()
    if fate < 0.1:
        return drive.act(dossier, "refuse", later(), side="po")
    if fate < 0.15:
        return drive.act(dossier, "withdraw", later(), side="po")
    if fate < 0.25:
        return dossier
    when = later()
    drive.handover(dossier, when)
    for _ in range(rng.choice((0, 0, 1, 2))):
        when = later()
        drive.act(dossier, "request_supplement", when)
        if rng.random() < 0.2:
            return dossier
        when = later()
        drive.act(dossier, "supplement_received", when, side="po")
    if rng.random() < 0.15:
        when = later()
        drive.act(dossier, "apologize", when, new_due_at=dossier.due_at + timedelta(days=3))
    end = rng.random()
    if end < 0.1:
        return drive.act(dossier, "stop", later())
    if end < 0.2:
        return dossier
    when = dossier.due_at + timedelta(hours=rng.randint(-200, 60))
    drive.complete(dossier, max(when, later()))
    return _return(drive, rng, dossier)


def _return(drive, rng, dossier):
    when = dossier.completed_at + timedelta(hours=rng.randint(1, 30))
    drive.back_to_counter(dossier, when)
    if dossier.return_method == "counter" or rng.random() < 0.2:
        return drive.act(dossier, "return_at_counter", when + timedelta(hours=1), side="po")
    drive.ship(dossier, when + timedelta(hours=1), postage=rng.choice((26_000, 31_500)))
    if rng.random() < 0.7:
        return drive.system(dossier, "delivered", when + timedelta(days=2), "po")
    return drive.system(dossier, "returned_to_sender", when + timedelta(days=3), "po")


def percentile(ordered: list[float], fraction: float) -> float | None:
    """The oracle: PostgreSQL's percentile_cont, linear interpolation between the nearest ranks."""
    if not ordered:
        return None
    position = fraction * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)
