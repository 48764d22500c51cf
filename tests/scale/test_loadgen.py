"""``generate-data``: whole lives in bulk, consistent with the rules, resumable."""

from collections import Counter

from sqlalchemy import func, select

from extensions import db
from models import (
    DeliveryEvent,
    DeliveryOrder,
    Dossier,
    DossierHistory,
    Handover,
    HandoverItem,
)
from models.partitions import QUARTER_SPAN
from services.calendar import LOCAL_TZ
from vietnam.validation import normalise_tracking_code


def generate(runner, *args):
    result = runner.invoke(args=["generate-data", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_every_dossier_has_a_life_that_ends_in_its_status(runner, app):
    output = generate(runner, "--dossiers", "3000", "--batch", "1000", "--days", "120")
    assert "Added 3,000 dossiers" in output
    assert "Dossiers: 3,000/3,000 (100%)" in output  # a progress line, not a bar: no terminal
    last = {}
    for dossier_id, action, to_status in db.session.execute(
        select(DossierHistory.dossier_id, DossierHistory.action, DossierHistory.to_status).order_by(
            DossierHistory.dossier_id, DossierHistory.at, DossierHistory.id
        )
    ):
        last.setdefault(dossier_id, []).append((action, to_status))
    dossiers = db.session.execute(select(Dossier.id, Dossier.status, Dossier.version)).all()
    assert len(dossiers) == 3000
    for dossier_id, status, version in dossiers:
        moves = last[dossier_id]
        assert moves[0] == ("receive", "received")
        assert moves[-1][1] == status and version == len(moves)
    statuses = Counter(status for _, status, _ in dossiers)
    assert statuses["returned"] > 1500 and statuses["processing"] > 0
    assert statuses["not_accepted"] > 0 and statuses["in_delivery"] + statuses["returned"] > 0


def test_times_fall_in_office_hours_and_working_order(runner, app):
    generate(runner, "--dossiers", "800", "--days", "60")
    rows = db.session.execute(
        select(Dossier.received_at, Dossier.due_at, Dossier.completed_at, Dossier.timeliness)
    ).all()
    for received, due, completed, timeliness in rows:
        local = received.astimezone(LOCAL_TZ)
        assert (7, 30) <= (local.hour, local.minute) < (17, 0)
        assert due > received
        if completed:
            assert completed > received and timeliness in ("early", "on_time", "late")


def test_handovers_and_parcels_belong_to_their_dossiers(runner, app):
    generate(runner, "--dossiers", "1500", "--days", "90")
    handed = db.session.scalar(select(func.count(func.distinct(HandoverItem.dossier_id))))
    assert handed > 1000
    for code, status, confirmed in db.session.execute(
        select(Handover.code, Handover.status, Handover.confirmed_at)
    ):
        assert code.startswith("BG-") and (status == "confirmed") == (confirmed is not None)
    orders = db.session.execute(
        select(DeliveryOrder.tracking_code, Dossier.return_method, DeliveryOrder.id).join(
            Dossier, Dossier.id == DeliveryOrder.dossier_id
        )
    ).all()
    assert orders
    for tracking_code, return_method, _ in orders:
        assert return_method == "post"
        assert normalise_tracking_code(tracking_code) == tracking_code  # check digit right
    assert db.session.scalar(select(func.count(DeliveryEvent.id))) >= len(orders)


def test_a_second_run_adds_and_codes_continue(runner, app):
    generate(runner, "--dossiers", "600", "--days", "30")
    generate(runner, "--dossiers", "600", "--days", "30", "--seed", "9")
    codes = db.session.scalars(select(Dossier.code)).all()
    assert len(codes) == len(set(codes)) == 1200
    by_day: dict[str, list[int]] = {}
    for code in codes:
        prefix, _, seq = code.rpartition("-")
        by_day.setdefault(prefix, []).append(int(seq))
    for seqs in by_day.values():
        assert sorted(seqs) == list(range(1, len(seqs) + 1))
    handover_codes = db.session.scalars(select(Handover.code)).all()
    assert len(handover_codes) == len(set(handover_codes))
    ids = db.session.scalars(select(Dossier.id)).all()
    # on PostgreSQL each id holds its quarter (models.partitions) beside the sequence's value
    assert sorted(i % QUARTER_SPAN for i in ids) == list(range(1, 1201))
