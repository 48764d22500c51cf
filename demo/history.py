"""The demo's history, lived through the app's own services, day after working day.

Every dossier is received at the counter (services.dossiers.receiving), handed to the
department in the next working morning's batch and confirmed there
(services.handovers.batches), processed (services.dossiers.workflow), handed back in the
afternoon's batch and confirmed by the post office, then returned or shipped.
The appointment, timeliness and codes are therefore what the app computes.
The last working day ends with batches waiting in both directions, and one
batch of the day before was confirmed with a dossier missing.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from demo.parcels import deliver, ship
from models import Dossier, User
from services.calendar import LOCAL_TZ, load_calendar
from services.dossiers import workflow
from services.dossiers.receiving import prepare_received
from services.handovers import batches as handovers

#: After receipt, the steps towards each status (handovers are batched separately).
WORK = {
    "received": (),
    "not_accepted": ("refuse",),
    "withdrawn": ("withdraw",),
    "processing": ("to_department",),
    "supplement_requested": ("to_department", "request_supplement"),
    "stopped": ("to_department", "stop"),
    "result_ready": ("to_department", "complete"),
    "result_at_counter": ("to_department", "complete", "to_post_office"),
    "in_delivery": ("to_department", "complete", "to_post_office", "ship"),
    "returned": ("to_department", "complete", "to_post_office", "return"),
}
NOTES = {
    "refuse": "Hồ sơ không thuộc thẩm quyền giải quyết",
    "withdraw": "Công dân xin rút hồ sơ",
    "request_supplement": "Bổ sung bản sao giấy chứng nhận đăng ký doanh nghiệp",
    "stop": "Tổ chức đề nghị dừng giải quyết",
}


@dataclass
class Plan:
    """One demo dossier: what it becomes and on which working day (index) each step happens."""

    dossier: Dossier
    target: str
    received_day: int
    clerk: User
    days: dict[str, int] = field(default_factory=dict)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LOCAL_TZ)


def working_days(today: datetime, span: int = 120) -> list[date]:
    """The working days of the last SPAN days, ending the working day before TODAY."""
    start = (today - timedelta(days=span)).date()
    cal = load_calendar(start, days=span + 10)
    days, day = [], start
    while day < today.astimezone(LOCAL_TZ).date():
        if cal.is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def schedule(plan: Plan, last: int, rng: random.Random) -> None:
    """Give PLAN's steps their working days, all on or before day LAST."""
    steps, r = WORK[plan.target], plan.received_day
    if "to_department" in steps or (plan.target == "received" and r < last):
        plan.days["to_department"] = r + 1
    if plan.target in ("supplement_requested", "stopped"):
        plan.days[steps[-1]] = min(r + 1 + rng.randrange(1, 4), last)
    if "complete" in steps:
        plan.days["complete"] = last if plan.target == "result_ready" else r + rng.randrange(3, 12)
    if "to_post_office" in steps or (plan.target == "result_ready" and rng.random() < 0.5):
        plan.days["to_post_office"] = plan.days["complete"]  # on the last day: still open
    for step in ("ship", "return"):
        if step in steps:
            plan.days[step] = min(plan.days["complete"] + rng.randrange(1, 4), last)


def received_day(target: str, last: int, rng: random.Random) -> int:
    """The working day (index) a dossier meant to end at TARGET is received on."""
    if target == "received":
        return last - rng.randrange(0, 2)  # yesterday's go in today's (open) batch
    if target == "result_ready":
        return last - rng.randrange(3, 9)
    if target in ("processing", "supplement_requested", "stopped"):
        return last - rng.randrange(2, 18)
    if target in ("not_accepted", "withdrawn"):
        return rng.randrange(0, last + 1)
    return rng.randrange(0, last - 16)


def receive_all(plans: list[Plan], days: list[date], rng: random.Random) -> None:
    """Receive each dossier at the counter at an office hour of its day (some after 15:00)."""
    timed = []
    for plan in plans:
        minutes = rng.randrange(7 * 60 + 30, 16 * 60 + 30)
        timed.append((at(days[plan.received_day], minutes // 60, minutes % 60), id(plan), plan))
    for when, _, plan in sorted(timed):
        prepare_received(plan.dossier, received_by=plan.clerk, received_at=when)
        for action in ("refuse", "withdraw"):
            if action in WORK[plan.target]:
                workflow.transition(
                    plan.dossier, action, plan.clerk, note=NOTES[action],
                    now=when + timedelta(minutes=rng.randrange(5, 40)),
                )  # fmt: skip


def live_days(plans, days, people, rng: random.Random) -> None:
    """Run the working days in order: morning batches, department work, afternoon batches."""
    last = len(days) - 1
    missing_done = False
    for index, day in enumerate(days):
        moved = _batches(plans, index, "to_department", people, at(day, 8, 30))
        for batch in moved:
            open_ = index == last
            missing = [] if open_ or missing_done or index != last - 1 else batch.items[-1:]
            if not open_:
                confirmed = at(day, 9 + rng.randrange(0, 2), rng.randrange(0, 60))
                codes = [item.dossier.code for item in missing]
                handovers.confirm(batch, people[batch.to_agency_id], missing_codes=codes,
                                  item_notes={c: "Không có trong túi hồ sơ" for c in codes},
                                  now=confirmed)  # fmt: skip
                missing_done = missing_done or bool(missing)
                _resend(plans, missing, index)
        _department_work(plans, index, day, people, rng)
        for batch in _batches(plans, index, "to_post_office", people, at(day, 15, 30)):
            if index != last:
                handovers.confirm(batch, people[batch.to_agency_id], now=at(day, 16, 30))
        _counter_work(plans, index, day, rng)


def _resend(plans, missing_items, index) -> None:
    """A dossier found missing goes in the next morning's batch (it was found after all)."""
    codes = {item.dossier.code for item in missing_items}
    for plan in plans:
        if plan.dossier.code in codes:
            plan.target, plan.days = "received", {"to_department": index + 1}


def _batches(plans, index, step, people, when):
    """Create and send the batches of STEP due on day INDEX: one per pair of agencies."""
    groups: dict[tuple[int, int], list[Dossier]] = {}
    for plan in plans:
        if plan.days.get(step) == index:
            dossier = plan.dossier
            pair = (
                (dossier.post_office_id, dossier.agency_id)
                if step == "to_department"
                else (dossier.agency_id, dossier.post_office_id)
            )
            groups.setdefault(pair, []).append(dossier)
    return [
        handovers.create_and_send(
            people[sender], step, ids=[d.id for d in members], now=when + timedelta(minutes=n)
        )
        for n, ((sender, _receiver), members) in enumerate(sorted(groups.items()))
    ]


def _department_work(plans, index, day, people, rng) -> None:
    for plan in plans:
        for action in ("complete", "request_supplement", "stop"):
            if plan.days.get(action) != index or plan.dossier.status != "processing":
                continue
            when = at(day, 13 + rng.randrange(0, 2), rng.randrange(0, 60))
            actor = people[plan.dossier.agency_id]
            result = None
            if action == "complete":
                granted = rng.random() < 0.92
                result = workflow.Result(
                    number=f"{rng.randrange(1, 999)}/GP-STTTT",
                    date=day,
                    outcome="granted" if granted else "refused",
                    summary="Cấp giấy phép theo đề nghị" if granted else "Không đủ điều kiện",
                )
            workflow.transition(
                plan.dossier, action, actor, note=NOTES.get(action), result=result, now=when
            )


def _counter_work(plans, index, day, rng) -> None:
    for plan in plans:
        dossier = plan.dossier
        if dossier.status != "result_at_counter":
            continue
        when = at(day, 9 + rng.randrange(0, 7), rng.randrange(0, 60))
        if plan.days.get("ship") == index:
            ship(dossier, plan.clerk, when, rng)
        elif plan.days.get("return") == index:
            if dossier.return_method == "post":
                ship(dossier, plan.clerk, when, rng)
                deliver(dossier, when + timedelta(days=1))
            else:
                applicant = workflow.Collector(kind="applicant")
                workflow.transition(
                    dossier, "return_at_counter", plan.clerk, collector=applicant, now=when
                )
