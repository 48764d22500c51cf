"""``generate-data``: synthetic dossiers in bulk, for load tests and benchmarks.

Rows go in with multi-row INSERTs in batches, not one ORM object at a time;
codes stay unique and gap-free because the per-day counters are read first and
written back in the same transaction as each batch.
"""

import random
from collections.abc import Callable
from datetime import datetime, time, timedelta

from sqlalchemy import insert, select

from demo.seed import citizen_id, ensure_demo_world, person, phone
from extensions import db
from models import Agency, CodeCounter, Dossier, DossierHistory, ProcedureType, User
from services.calendar import LOCAL_TZ, appointment, clock_start, load_calendar, parse_cutoff
from services.report_facts import rebuild
from services.text import search_key
from services.timeliness import timeliness_at

# Finished dossiers dominate a year of real data; the rest are spread over the open statuses.
STATUS_WEIGHTS = {
    "returned": 62,
    "processing": 10,
    "received": 4,
    "supplement_requested": 3,
    "result_ready": 4,
    "result_at_counter": 5,
    "in_delivery": 3,
    "not_accepted": 3,
    "withdrawn": 2,
    "stopped": 4,
}
FINISHED = ("result_ready", "result_at_counter", "in_delivery", "returned")


def generate_dossiers(
    count: int,
    *,
    batch: int = 5_000,
    seed: int = 7,
    days: int = 365,
    cutoff: str = "15:00",
    progress: Callable[[int], None] | None = None,
) -> int:
    """Insert COUNT dossiers received over the last DAYS days; returns how many."""
    ensure_demo_world()
    db.session.commit()
    rng = random.Random(seed)
    procedures = db.session.execute(
        select(
            ProcedureType.id,
            ProcedureType.agency_id,
            Agency.code,
            ProcedureType.processing_days,
            ProcedureType.fee,
        )
        .join(Agency, Agency.id == ProcedureType.agency_id)
        .where(ProcedureType.active.is_(True))
    ).all()
    clerks = db.session.execute(
        select(User.id, User.agency_id).join(Agency).where(Agency.kind == "post_office")
    ).all()
    today = datetime.now(LOCAL_TZ).date()
    first_day = today - timedelta(days=days)
    cal = load_calendar(first_day, days=days + 120)
    work_days = [
        first_day + timedelta(days=d)
        for d in range(days)
        if cal.is_working_day(first_day + timedelta(days=d))
    ]
    counters = {(c.scope, c.day): c.last_seq for c in db.session.scalars(select(CodeCounter))}
    statuses = list(STATUS_WEIGHTS)
    weights = list(STATUS_WEIGHTS.values())
    cut = parse_cutoff(cutoff)
    done = 0
    while done < count:
        size = min(batch, count - done)
        rows, touched = [], set()
        for _ in range(size):
            proc_id, agency_id, agency_code, n_days, fee = rng.choice(procedures)
            clerk_id, office_id = rng.choice(clerks)
            day = rng.choice(work_days)
            minutes = rng.randrange(7 * 60 + 30, 16 * 60 + 45)
            received = datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=LOCAL_TZ)
            scope = f"dossier:{agency_id}"
            seq = counters.get((scope, day), 0) + 1
            counters[(scope, day)] = seq
            touched.add((scope, day))
            code = f"{agency_code}-{day:%y%m%d}-{seq:04d}"
            start = clock_start(received, cut, cal)
            due = appointment(start, n_days, cal)
            status = rng.choices(statuses, weights)[0]
            completed = None
            if status in FINISHED:
                completed = due + timedelta(hours=rng.randrange(-24 * n_days - 8, 40))
                completed = max(completed, received + timedelta(hours=1))
            name, tel, cccd = person(rng), phone(rng), citizen_id(rng)
            rows.append(
                {
                    "code": code,
                    "procedure_type_id": proc_id,
                    "agency_id": agency_id,
                    "post_office_id": office_id,
                    "status": status,
                    "channel": "counter",
                    "return_method": "post" if rng.random() < 0.3 else "counter",
                    "applicant_name": name,
                    "applicant_phone": tel,
                    "applicant_id_number": cccd,
                    "applicant_address": "Thái Nguyên",
                    "received_at": received,
                    "received_by_id": clerk_id,
                    "clock_started_at": start,
                    "due_at": due,
                    "fee_amount": fee,
                    "completed_at": completed,
                    "timeliness": timeliness_at(completed, due) if completed else None,
                    "returned_at": completed + timedelta(days=2) if status == "returned" else None,
                    "supplement_count": 0,
                    "apology_count": 0,
                    "search_text": search_key(code, name, tel, cccd),
                    "created_at": received,
                    "updated_at": received,
                    "version": 1,
                }
            )
        _write_batch(rows, touched, counters)
        done += size
        if progress:
            progress(size)
    rebuild(db.session.connection())  # rows went in without the ORM: recount the daily figures
    db.session.commit()
    return done


def _write_batch(rows: list[dict], touched: set, counters: dict) -> None:
    """One transaction: the dossiers, their receipt history rows, the counters."""
    db.session.execute(insert(Dossier.__table__), rows)  # Core executemany: multi-row VALUES
    codes = [r["code"] for r in rows]
    found = db.session.execute(select(Dossier.code, Dossier.id).where(Dossier.code.in_(codes)))
    ids = {code: dossier_id for code, dossier_id in found}
    db.session.execute(
        insert(DossierHistory.__table__),
        [
            {
                "dossier_id": ids[r["code"]],
                "action": "receive",
                "from_status": None,
                "to_status": "received",
                "at": r["received_at"],
                "actor_id": r["received_by_id"],
            }
            for r in rows
        ],
    )
    for scope, day in touched:
        row = db.session.get(CodeCounter, (scope, day))
        if row is None:
            db.session.add(CodeCounter(scope=scope, day=day, last_seq=counters[(scope, day)]))
        else:
            row.last_seq = counters[(scope, day)]
    db.session.commit()
