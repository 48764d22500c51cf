"""When a dossier was overdue, read from its history: the daily ``overdue_change`` tally.

A dossier stands at an instant T as its history left it: received when
``received_at`` < T, then each history row dated before T applied in order
(a row dated at T belongs to the next day, as periods are half-open). Its
appointment during a stretch is the one a later row replaced (that row's
``due_at_before``), else the dossier's ``due_at``. At the end of local day D
(midnight after it) it is overdue when its clock runs (``received`` or
``processing``) and the appointment is before that instant; the days at whose
end it is overdue are kept as +1 on the first and −1 on the day after the last.
"""

from collections import Counter
from datetime import datetime

from sqlalchemy import select

from models.dossier import Dossier
from models.dossier import DossierHistory as H
from services.calendar import LOCAL_TZ
from services.dossiers.timeliness import RUNNING_STATUSES

#: Actions whose history row records the appointment they replaced.
MOVES_DUE = ("supplement_received", "apologize")


def _day(instant):
    return instant.astimezone(LOCAL_TZ).date()


def _instant(text) -> datetime | None:
    if not text:
        return None
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=LOCAL_TZ)


def stretches(received_at, due_at, status, steps) -> list[tuple]:
    """(from, to or None, status, appointment) of each stretch between RECEIVED_AT and now.

    STEPS: (action, to_status, at, data) in their order; without any the dossier has
    stood in its STATUS since it was received.
    """
    steps = sorted(steps, key=lambda s: s[2])
    dues, due = [], due_at  # the appointment of each stretch, read backwards
    for action, _target, _at, data in reversed(steps):
        dues.append(due)
        if action in MOVES_DUE and data and "due_at_before" in data:
            due = _instant(data["due_at_before"])
    dues.append(due)
    dues.reverse()
    first = "received" if steps else status
    bounds = [received_at, *(max(s[2], received_at) for s in steps)]  # none before receipt
    statuses = [first, *(s[1] for s in steps)]
    ends = [*bounds[1:], None]
    return list(zip(bounds, ends, statuses, dues, strict=True))


def overdue_days(received_at, due_at, status, steps) -> Counter:
    """local day → +1 / −1: the days at whose end the dossier was overdue, as changes."""
    change: Counter = Counter()
    if received_at is None:
        return change
    for begin, end, state, due in stretches(received_at, due_at, status, steps):
        if state not in RUNNING_STATUSES or due is None:
            continue
        first = _day(max(begin, due))
        stop = None if end is None else _day(end)
        if stop is not None and stop <= first:
            continue
        change[first] += 1
        if stop is not None:
            change[stop] -= 1
    return Counter({d: n for d, n in change.items() if n})


def overdue_counts(values: dict, steps) -> Counter:
    """What one dossier (VALUES, history STEPS) adds to ``overdue_change``: (day, *key) → n."""
    if None in (values["agency_id"], values["procedure_type_id"], values["received_at"]):
        return Counter()
    key = (values["agency_id"], values["procedure_type_id"], values["post_office_id"] or 0)
    days = overdue_days(values["received_at"], values["due_at"], values["status"], steps)
    return Counter({(day, *key, "overdue_change"): n for day, n in days.items()})


def overdue_of_rows(values: dict, rows) -> Counter:
    """``overdue_counts`` of history ROWS (DossierHistory objects)."""
    return overdue_counts(values, [(r.action, r.to_status, r.at, r.data) for r in rows])


def overdue_difference(now: dict, before: dict | None, history, new_steps) -> Counter:
    """What a flush changes in ``overdue_change``: the whole HISTORY decides, before and now."""
    fresh = {id(s) for s in new_steps}
    change = overdue_of_rows(now, history)
    if before is not None:
        change.subtract(overdue_of_rows(before, [s for s in history if id(s) not in fresh]))
    return change


def write_in_bulk(connection, change: Counter, upsert, columns) -> None:
    """Add CHANGE ((day, *key, column) → n) to the daily rows with UPSERT, in batches."""
    keys = ("day", "agency_id", "procedure_type_id", "post_office_id")
    params = [
        {**dict(zip(keys, key, strict=True)), **dict.fromkeys(columns, 0), name: amount}
        for (*key, name), amount in sorted(change.items())
        if amount
    ]
    for start in range(0, len(params), 5000):
        connection.execute(upsert, params[start : start + 5000])


def overdue_of_all(connection) -> Counter:
    """``overdue_counts`` of every dossier, streamed in dossier order (for a rebuild)."""
    names = ("id", "agency_id", "procedure_type_id", "post_office_id", "received_at", "due_at")
    dossiers = select(*(getattr(Dossier, n) for n in names), Dossier.status).order_by(Dossier.id)
    steps = select(H.dossier_id, H.action, H.to_status, H.at, H.data).order_by(
        H.dossier_id, H.at, H.id
    )
    history = iter(connection.execute(steps.execution_options(yield_per=20_000)))
    pending = next(history, None)
    total: Counter = Counter()
    for row in connection.execute(dossiers.execution_options(yield_per=20_000)):
        values = dict(zip((*names, "status"), row, strict=True))
        own = []
        while pending is not None and pending[0] <= row[0]:
            if pending[0] == row[0]:
                own.append(tuple(pending[1:]))
            pending = next(history, None)
        total.update(overdue_counts(values, own))
    return total
