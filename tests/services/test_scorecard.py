"""The 766 indicators against hand-computed cases, and the dossiers losing points."""

from datetime import date

import pytest
from sqlalchemy import select

from extensions import db
from models.catalog import RequiredDocument
from models.digitization import DossierFile
from models.integration import PortalSync
from models.report import PERIODIC_NAMES
from services.dossiers.ratings import recording
from services.reporting import losing_points
from services.reporting.periods import Period
from services.reporting.queries import Filters
from services.reporting.scorecard import (
    INDICATORS,
    Indicator,
    satisfaction_of,
    score,
    scorecard,
)
from tests.report_workload import build_month

MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))
BLANK = {name: 0 for name in PERIODIC_NAMES if name != "on_time_rate"}


def by_number(card) -> dict:
    return {s.indicator.number: s for s in card.total}


def test_thresholds_give_full_points_from_80_and_90_percent():
    def fixed(part, whole, points, full_at):
        return Indicator("x", "x", "x", points, full_at, lambda f, c: (part, whole))

    assert score(fixed(80, 100, 4, 0.8), BLANK).points == 4  # at 80 %: every point
    assert score(fixed(95, 100, 4, 0.8), BLANK).points == 4
    assert score(fixed(60, 100, 4, 0.8), BLANK).points == 3  # 60 % × 4 ÷ 80 %
    assert score(fixed(45, 50, 6, 0.9), BLANK).points == 6  # 90 %
    assert score(fixed(72, 100, 6, 0.9), BLANK).points == pytest.approx(4.8)
    empty = score(fixed(0, 0, 6, 0.9), BLANK)
    assert empty.available and empty.ratio is None and empty.points is None  # "—", not 0 %


def test_satisfaction_is_100_less_the_late_and_the_disliked_rates():
    figures = {**BLANK, "received_counter": 20, "settled_early": 8, "settled_late": 1}
    figures["in_progress_overdue"] = 1  # unfinished past its appointment: late too
    value, whole = satisfaction_of(figures, 1)
    assert value == pytest.approx(1 - 2 / 10 - 1 / 20) and whole == 1
    satisfied = Indicator("5.4", "x", "x", 6, 0.9, lambda f, c: satisfaction_of(f, 1))
    assert score(satisfied, figures).points == pytest.approx(6 * 0.75 / 0.9, abs=0.01)
    assert satisfaction_of(figures, None) is None  # no ratings yet: no data
    assert satisfaction_of(BLANK, 0) == (0, 0)


def test_march_as_the_scorecard_reads_it(world):
    build_month(world)
    card = by_number(scorecard(None, MARCH))
    # 2.1: early 4 + on time 1 over settled 9 + unfinished past the appointment 3 (j, k, m);
    # c (apology) and d (two supplement requests) are late, e (one request) is early.
    assert card["2.1"].part == 5 and card["2.1"].whole == 12
    assert card["2.1"].points == pytest.approx(20 * 5 / 12, abs=0.01)
    assert card["3.3c"].ratio == pytest.approx(1 / 15) and card["3.3c"].points is None
    for number in ("1.4", "4.4"):  # no portal configured, nothing sent to the store
        assert not card[number].available and card[number].points is None
    for number in ("4.2", "4.3"):  # nothing digitized: a real zero of 15 received
        assert (card[number].part, card[number].whole, card[number].points) == (0, 15, 0)
    # 5.4 without any "không hài lòng": 100 % − the late rate 7/12 (c, d, f, p; j, k, m).
    assert card["5.4"].ratio == pytest.approx(5 / 12)
    assert card["5.4"].points == pytest.approx(6 * (5 / 12) / 0.9, abs=0.01)
    empty = by_number(scorecard(None, Period(date(2025, 1, 1), date(2025, 1, 31))))
    assert empty["2.1"].ratio is None and empty["2.1"].available
    assert empty["5.4"].ratio is None  # "—", not 0 %


def test_a_disliked_dossier_lowers_satisfaction(world):
    d = build_month(world)
    for name in ("a", "b"):  # received in March, each rated "không hài lòng"
        d[name].rating_key = "ABCDEF"
        recording.record(d[name], recording.Answers(overall="dissatisfied"))
    db.session.commit()
    card = by_number(scorecard(None, MARCH))
    assert card["5.4"].ratio == pytest.approx(1 - 7 / 12 - 2 / 15)
    dept = by_number(scorecard(world.users["dept_admin2"], MARCH))
    assert dept["5.4"].ratio == 0.0  # p, its only dossier judged, was late


def test_the_dossiers_losing_points_and_why(world):
    d = build_month(world)
    items, more = losing_points.page(None, MARCH)
    reasons = {i.code: i.reasons for i in items}
    assert not more
    assert reasons[d["c"].code] == ("apology",)
    assert reasons[d["d"].code] == ("supplements",)
    assert reasons[d["f"].code] == ("late",)
    for name in "jkm":
        assert reasons[d[name].code] == ("overdue",)
    assert d["e"].code not in reasons and d["l"].code not in reasons
    assert set(reasons) == {d[n].code for n in "cdfpjkm"}
    assert losing_points.page(None, MARCH, number=2) == ([], False)
    mine, _ = losing_points.page(world.users["dept_admin2"], MARCH)
    assert {i.code for i in mine} == {d["p"].code}


def test_every_indicator_has_a_number_and_a_source():
    numbers = [i.number for i in INDICATORS]
    assert len(set(numbers)) == len(numbers)
    assert {"1.4", "2.1", "4.2", "4.3", "4.4", "5.4"} <= set(numbers)


def test_sync_and_digitization_are_read_from_the_portal_and_the_files(app, world):
    month = build_month(world)
    app.config["PORTAL_URL"] = "http://127.0.0.1:9"  # a portal configured: 1.4 has data
    march = [d for d in month.values() if MARCH.start <= d.received_at < MARCH.end]
    open_one = next(d for d in march if d.completed_at is None)
    for dossier in march[:3]:
        db.session.add(PortalSync(dossier_id=dossier.id, portal_status=2))
    names = db.session.scalars(
        select(RequiredDocument.name).where(
            RequiredDocument.procedure_type_id == open_one.procedure_type_id
        )
    ).all()
    first = None
    for name in names or ["Đơn"]:
        row = DossierFile(dossier_id=open_one.id, document=name, state="ready", raw_type="x")
        db.session.add(row)
        db.session.flush()
        first = first or row
    other = next(d for d in march if d is not open_one)
    reused = DossierFile(
        dossier_id=other.id, document="x", state="ready", raw_type="x", reused_from_id=first.id
    )
    db.session.add(reused)
    db.session.commit()
    card = scorecard(None, MARCH)
    total = by_number(card)
    assert (total["1.4"].part, total["1.4"].whole) == (3, len(march))
    assert (total["4.2"].part, total["4.3"].part, total["4.2"].whole) == (1, 1, len(march))
    assert total["4.2"].points == pytest.approx(4 * (1 / len(march)) / 0.8, abs=0.01)
    agencies = {
        row.id: {s.indicator.number: s for s in scores}
        for row, scores in card.rows
        if row.kind == "agency"
    }
    assert agencies[open_one.agency_id]["4.2"].part == 1


def test_digitization_follows_the_post_office_filter(app, world):
    """4.2 of one post office counts only the dossiers that office received."""
    month = build_month(world)
    march = [d for d in month.values() if MARCH.start <= d.received_at < MARCH.end]
    offices = {d.post_office_id for d in march}
    assert len(offices) >= 1 and None not in offices
    mine = next(d for d in march if d.completed_at is None)  # no e-result needed yet
    for name in db.session.scalars(
        select(RequiredDocument.name).where(
            RequiredDocument.procedure_type_id == mine.procedure_type_id
        )
    ).all() or ["Đơn"]:
        db.session.add(DossierFile(dossier_id=mine.id, document=name, state="ready", raw_type="x"))
    db.session.commit()
    here = Filters(post_office_id=mine.post_office_id)
    total = by_number(scorecard(None, MARCH, here))["4.2"]
    received_here = sum(d.post_office_id == mine.post_office_id for d in march)
    assert (total.part, total.whole) == (1, received_here)
    elsewhere = Filters(post_office_id=max(offices | {0}) + 1000)
    assert by_number(scorecard(None, MARCH, elsewhere))["4.2"].whole == 0
