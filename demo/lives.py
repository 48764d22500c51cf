"""The life of each synthetic dossier for ``generate-data``: its moves, its handover
batches, its parcel and tracking events, as rows ready for the bulk writer."""

import random
from datetime import date

from demo import bulk
from demo.timeline import CONFIRM_MORNING, SEND, Timeline
from models import partitions
from vietnam.validation import s10_check_digit

OPENING, CLOSING = 8 * 60, 17 * 60


class Life:
    """Builds the rows of every table for the dossiers received, day by day."""

    def __init__(
        self, rng: random.Random, timeline: Timeline, world: dict, counters, ids, quarter_ids=False
    ):
        self.rng, self.t, self.world = rng, timeline, world
        self.counters, self.ids = counters, ids
        self.quarter_ids = quarter_ids  # PostgreSQL: a dossier's id holds its quarter
        self.pending = 0
        self._reset()

    def _reset(self) -> None:
        self.rows = {name: [] for name in bulk.ORDER}
        self.touched: set = set()
        self.groups: dict = {}
        self.pending = 0

    def _id(self, table: str) -> int:
        self.ids[table] += 1
        return self.ids[table] - 1

    def _seq(self, scope: str, day: date) -> int:
        key = (scope, day)
        self.counters[key] = self.counters.get(key, 0) + 1
        self.touched.add(key)
        return self.counters[key]

    def _staff(self, agency_id: int):
        return self.rng.choice(self.world["staff"].get(agency_id) or [None])

    def take(self) -> tuple[dict, list[dict]]:
        """The rows built since the last call (handover batches closed), and the counters."""
        for key, group in self.groups.items():
            self._handover(key, group)
        rows = self.rows
        counters = [
            {"scope": scope, "day": day, "last_seq": self.counters[(scope, day)]}
            for scope, day in sorted(self.touched)
        ]
        self._reset()
        return rows, counters

    def receive_day(self, w: int, n: int) -> None:
        rng, world = self.rng, self.world
        minutes = sorted(rng.choices(world["minutes"], k=n))  # codes follow the clock
        procedures = rng.choices(world["procedures"], k=n)
        offices = rng.choices(world["offices"], k=n)
        people = rng.choices(world["names"], k=n)
        for i in range(n):
            self._dossier(w, minutes[i], procedures[i], offices[i], people[i])
        self.pending += n

    def _dossier(self, w, minute, procedure, office, person) -> None:
        rng, t = self.rng, self.t
        proc_id, agency_id, agency_code, n_days, fee, postal, checklist = procedure
        dossier_id, clerk = self._id("dossier"), self._staff(office)
        if self.quarter_ids:
            dossier_id = partitions.dossier_id(dossier_id, t.day(w))
        code = f"{agency_code}-{t.day(w):%y%m%d}-{self._seq(f'dossier:{agency_id}', t.day(w)):04d}"
        start = (w, minute) if minute < t.cutoff else (w + 1, OPENING)
        due = (start[0] + n_days, start[1]) if n_days else (start[0], CLOSING)
        name, folded = person
        phone = f"{rng.choice(('0912', '0983', '0369', '0868', '0705'))}{rng.randrange(10**6):06d}"
        cccd = f"0{rng.choice(('06', '19'))}{rng.randrange(2)}{rng.randrange(10**8):08d}"
        post = postal and rng.random() < 0.3
        facts = {"agency": agency_id, "office": office, "clerk": clerk, "due": due, "post": post}
        facts |= {"name": name, "folded": folded, "phone": phone}
        facts["address"] = rng.choice(self.world["streets"])
        moves = self._moves(dossier_id, w, minute, n_days, facts)
        received = t.stamp(w, minute, rng.randrange(60))
        history = self.rows["dossier_history"]
        status, last = "received", received
        for action, source, target, at, actor in [("receive", None, status, None, clerk), *moves]:
            last = t.stamp(*at) if at else received
            history.append(
                (self._id("dossier_history"), dossier_id, action, source, target, last, actor, None)
            )
            status = target
        done, back = facts.get("completed"), facts.get("returned")
        self.rows["dossier"].append(
            (
                dossier_id,
                code,
                proc_id,
                agency_id,
                office,
                status,
                "counter",
                "post" if post else "counter",
                name,
                cccd,
                phone,
                facts["address"],
                received,
                clerk,
                t.stamp(*start),
                t.stamp(*due),
                t.stamp(*facts["paused"]) if status == "supplement_requested" else None,
                fee,
                facts.get("outcome"),
                t.stamp(*done) if done else None,
                t.stamp(*back) if back else None,
                facts.get("timeliness"),
                facts.get("supplements", 0),
                0,
                f"{code.lower()} {folded} {phone} {cccd}",
                received,
                last,
                1 + len(moves),
                checklist,
            )
        )

    def _moves(self, dossier_id, w, minute, n_days, facts) -> list[tuple]:
        """The moves after receipt that have happened by now (action, from, to, at, actor)."""
        rng, t, fate = self.rng, self.t, self.rng.random()
        dept = self._staff(facts["agency"])
        plan = []
        if fate < 0.03:
            plan.append(
                ("refuse", "received", "not_accepted", (w, min(minute + 10, 1439)), facts["clerk"])
            )
            return [m for m in plan if t.past(*m[3])]
        hand_w = w if minute < SEND else w + 1
        if t.past(hand_w, SEND):
            self._join("to_department", facts["office"], facts["agency"], hand_w, dossier_id)
        plan.append(
            (
                "handover_to_department",
                "received",
                "processing",
                (hand_w + 1, CONFIRM_MORNING),
                dept,
            )
        )
        work = max(0, round(n_days * rng.uniform(0.3, 1.15)))
        done_w = hand_w + 1 + work
        if fate < 0.08:
            end = ("withdraw", "withdrawn") if fate < 0.05 else ("stop", "stopped")
            plan.append((end[0], "processing", end[1], (hand_w + 1 + work // 2, 600), dept))
            return [m for m in plan if t.past(*m[3])]
        if fate < 0.14:
            ask = (hand_w + 2, 900)
            facts["paused"], facts["supplements"] = ask, 1
            plan.append(("request_supplement", "processing", "supplement_requested", ask, dept))
            plan.append(
                (
                    "supplement_received",
                    "supplement_requested",
                    "processing",
                    (ask[0] + 4, 540),
                    facts["clerk"],
                )
            )
            done_w = max(done_w + 4, ask[0] + 5)
        return self._result(dossier_id, plan, done_w, dept, facts)

    def _result(self, dossier_id, plan, done_w, dept, facts) -> list[tuple]:
        rng, t = self.rng, self.t
        done = (done_w, rng.randrange(600, 960))  # after the morning handover, before 16:30
        plan.append(("complete", "processing", "result_ready", done, dept))
        past = [m for m in plan if t.past(*m[3])]
        if len(past) < len(plan):
            return past
        due_w = facts["due"][0] + 4 * facts.get("supplements", 0)
        facts["completed"], facts["outcome"] = done, "granted" if rng.random() < 0.96 else "refused"
        facts["timeliness"] = (
            "early" if done_w < due_w else "on_time" if done_w == due_w else "late"
        )
        if t.past(done_w, SEND):
            self._join("to_post_office", facts["agency"], facts["office"], done_w, dossier_id)
        at_counter = (done_w + 1, 540)
        plan.append(
            (
                "handover_to_post_office",
                "result_ready",
                "result_at_counter",
                at_counter,
                facts["clerk"],
            )
        )
        if not facts["post"]:
            back = (done_w + 1 + rng.randrange(6), rng.randrange(600, 1000))
            plan.append(
                ("return_at_counter", "result_at_counter", "returned", back, facts["clerk"])
            )
        elif t.past(done_w + 1, 600):
            delivered = self._parcel(dossier_id, (done_w + 1, 600), facts)
            plan.append(
                ("ship", "result_at_counter", "in_delivery", (done_w + 1, 600), facts["clerk"])
            )
            plan.append(("delivered", "in_delivery", "returned", delivered, None))
        past = [m for m in plan if t.past(*m[3])]
        if past[-1][2] == "returned":
            facts["returned"] = past[-1][3]
        return past

    def _parcel(self, dossier_id, shipped, facts):
        """A delivery order and its tracking events so far; returns when it is delivered."""
        t, w = self.t, shipped[0]
        order_id = self._id("delivery_order")
        serial = f"{order_id % 10**8:08d}"
        steps = [
            ("accepted", (w, 840)),
            ("in_transit", (w + 1, 480)),
            ("out_for_delivery", (w + 2, 450)),
            ("delivered", (w + 2, self.rng.randrange(600, 960))),
        ]
        happened = [(s, at) for s, at in steps if t.past(*at)]
        for status, at in happened:
            stamp = t.stamp(*at)
            self.rows["delivery_event"].append(
                (self._id("delivery_event"), order_id, status, stamp, None, "tracking", stamp)
            )
        status = happened[-1][0] if happened else "created"
        tracking_code = f"EG{serial}{s10_check_digit(serial)}VN"
        self.rows["delivery_order"].append(
            (
                order_id,
                tracking_code,
                dossier_id,
                facts["office"],
                status,
                facts["name"],
                facts["phone"],
                facts["address"],
                32_000,
                0,
                t.stamp(*shipped),
                facts["clerk"],
                t.stamp(*steps[-1][1]) if status == "delivered" else None,
                t.stamp(*happened[-1][1]) if happened else t.stamp(*shipped),
                f"{tracking_code.lower()} {facts['folded']} {facts['phone']}",  # search_key
                1 + len(happened),
            )
        )
        return steps[-1][1]

    def _join(self, direction, from_id, to_id, w, dossier_id) -> None:
        self.groups.setdefault((direction, from_id, to_id, w), []).append(dossier_id)

    def _handover(self, key, dossier_ids) -> None:
        direction, from_id, to_id, w = key
        t, handover_id = self.t, self._id("handover")
        code = f"BG-{t.day(w):%y%m%d}-{self._seq('handover', t.day(w)):03d}"
        confirmed = (w + 1, CONFIRM_MORNING if direction == "to_department" else 540)
        done = t.past(*confirmed)
        self.rows["handover"].append(
            (
                handover_id,
                code,
                direction,
                "confirmed" if done else "sent",
                from_id,
                to_id,
                t.stamp(w, SEND - 30),
                self._staff(from_id),
                t.stamp(w, SEND),
                t.stamp(*confirmed) if done else None,
                self._staff(to_id) if done else None,
                False,
                1 + done,
            )
        )
        items = self.rows["handover_item"]
        for dossier_id in dossier_ids:
            items.append((self._id("handover_item"), handover_id, dossier_id, False))
