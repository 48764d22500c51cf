"""Each report figure is one record (models.report.FIGURES): it has its kind, its direction
and its labels, and every list of figures derives from the catalogue, covering exactly the
figures it should."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from sqlalchemy import BigInteger

from models.report import (
    DOWN,
    FIGURE,
    FIGURES,
    HOURS,
    KINDS,
    MEASURES,
    MONEY,
    NEITHER,
    PLACES,
    QUERY,
    RATE,
    RATIO,
    STORED,
    SUM,
    TALLIES,
    UP,
    ReportDaily,
    placed,
    stored_for,
)
from services.reporting import facts, figures, pages
from services.reporting import queries as q
from services.reporting.review import REVIEWED, change
from views.admin.reports import context as ctx
from views.api.reports import SUMMARY_FIELDS

ROOT = Path(__file__).resolve().parents[2]
NAMES = [f.name for f in FIGURES]
KEYS = {"day", "agency_id", "procedure_type_id", "post_office_id"}


def names(where: str) -> list[str]:
    return [f.name for f in placed(where)]


def test_every_figure_has_its_kind_direction_and_source():
    assert len(set(NAMES)) == len(NAMES) == len(FIGURE)
    for f in FIGURES:
        assert f.kind in KINDS and f.better in (UP, DOWN, NEITHER), f.name
        assert f.source in (STORED, SUM, RATIO, QUERY), f.name
        made_of = {*f.parts, *f.whole}
        assert made_of <= set(MEASURES), f.name  # computed from stored figures only
        assert bool(made_of) == (f.source in (SUM, RATIO)), f.name
        assert bool(f.whole) == (f.source == RATIO), f.name
    assert {f.name for f in FIGURES if f.kind == RATE} == {
        f.name for f in FIGURES if f.source == RATIO
    }
    assert all(FIGURE[m].kind not in (RATE, HOURS) for m in MEASURES)  # they add up


def test_every_figure_has_a_vietnamese_label():
    with (ROOT / "translations/vi/LC_MESSAGES/messages.po").open("rb") as po:
        catalog = read_po(po)
    for f in FIGURES:
        message = catalog.get(f.msgid)
        assert message is not None and message.string and not message.fuzzy, f.msgid
        assert message.string != f.msgid, f.msgid


def test_the_labels_are_shown_in_vietnamese(app):
    with (ROOT / "translations/vi/LC_MESSAGES/messages.po").open("rb") as po:
        catalog = read_po(po)
    with app.test_request_context():
        for f in FIGURES:
            assert str(ctx.LABELS[f.name]) == catalog.get(f.msgid).string


@pytest.mark.parametrize("where", PLACES)
def test_each_place_is_numbered_one_to_n(where):
    places = sorted(f.place(where) for f in FIGURES if f.place(where) is not None)
    assert places == list(range(1, len(places) + 1))


def test_the_daily_table_has_a_column_per_stored_figure():
    columns = ReportDaily.__table__.c
    assert set(columns.keys()) - KEYS == set(MEASURES) | set(TALLIES)  # tallies: not figures
    assert not set(TALLIES) & set(FIGURE)
    assert set(MEASURES) == {f.name for f in FIGURES if f.source == STORED}
    for name in MEASURES:
        assert isinstance(columns[name].type, BigInteger) == (FIGURE[name].kind == MONEY), name


def test_every_stored_figure_is_counted_by_the_rebuild_and_the_moves(app):
    counted = set()
    for source in (q.received, q.completed, q.events, q.parcels):
        counted |= set(source(facts.ALL_TIME, None)[None])
    assert counted == set(MEASURES)
    moves = {n for n in q.MOVES} | {"apologies"}
    assert moves <= set(MEASURES)


#: What each place lists, as the pages, the XLSX and the API contract have promised.
PROMISED = {
    "kpi": """received completed on_time_rate in_progress overdue returned_at_counter
        returned_by_post supplement_requests""",
    "table": """received completed completed_early completed_on_time completed_late on_time_rate
        in_progress overdue supplement_requests refused returned_at_counter returned_by_post""",
    "api": """received completed_early completed_on_time completed_late in_progress overdue
        returned_at_counter returned_by_post supplement_requests refused apologies delivered
        returned_to_sender on_time_rate""",
    "review": """received completed completed_early completed_on_time completed_late on_time_rate
        overdue supplement_requests refused apologies returned_at_counter returned_by_post
        delivered_rate returned_to_sender_rate postage fees handover_delay_median""",
}


def test_each_derived_list_is_its_place_in_the_catalogue():
    derived = {
        "kpi": pages.KPIS,
        "table": ctx.TABLE_COLUMNS,
        "api": SUMMARY_FIELDS,
        "review": REVIEWED,
    }
    assert set(derived) == set(PLACES)
    for where, listed in derived.items():
        assert listed == tuple(names(where)) == tuple(PROMISED[where].split()), where
    assert ctx.SHOWN == tuple(NAMES) == figures.FIGURES and set(ctx.LABELS) == set(NAMES)
    assert set(figures.finish({})) == set(NAMES)


def test_the_dashboard_reads_the_stored_figures_of_its_kpis_and_charts():
    charted = {f.name for f in FIGURES if f.chart}
    assert {f.chart for f in FIGURES if f.chart} == {chart[0] for chart in ctx.CHARTS}
    wanted = {m for n in (*pages.KPIS, *charted) for m in stored_for([n])}
    assert set(pages.DASHBOARD_MEASURES) == wanted
    assert stored_for(["on_time_rate"]) == ("completed", "completed_early", "completed_on_time")
    assert stored_for(["overdue", "handover_delay_median"]) == ()


def test_computed_figures_follow_their_parts():
    done = figures.finish({"completed": 4, "completed_early": 1, "completed_on_time": 2})
    assert done["on_time_rate"] == 3 / 4 and done["delivered_rate"] is None
    assert figures.finish({"delivered": 3})["returned_by_post"] == 3
    assert figures.finish({})["handover_delay_median"] is None and done["overdue"] == 0


def test_the_review_reads_each_figure_its_way():
    verdicts = {UP: "better", DOWN: "worse", NEITHER: "neutral"}
    for name in REVIEWED:
        assert change(name, 2, 1).verdict == verdicts[FIGURE[name].better], name
        assert change(name, 1, 1).verdict == "neutral"
        relative = change(name, 2, 1).relative
        assert (relative is None) == (FIGURE[name].kind == RATE), name


def test_each_kind_has_its_format(app):
    expected = {
        "count": ("1.234", 1234, None),
        "money": ("1.234 ₫", 1234, None),
        "rate": ("50,0 %", 50.0, " (%)"),
        "hours": ("2,0 giờ", 2.0, " (giờ)"),
    }
    sample = {"count": 1234, "money": 1234, "rate": 0.5, "hours": 7200}
    with app.test_request_context():
        for f in FIGURES:
            shown, cell, unit = expected[f.kind]
            assert ctx.show(f.name, sample[f.kind]) == shown, f.name
            assert ctx.plain(f.name, sample[f.kind]) == cell, f.name
            assert ctx.heading(f.name) == str(ctx.LABELS[f.name]) + (unit or ""), f.name


def test_no_kind_is_guessed_from_a_name():
    sources = [*ROOT.glob("services/reporting/*.py"), *ROOT.glob("views/admin/reports/*.py")]
    sources += [ROOT / "views/api/reports.py", ROOT / "templates/admin/report/index.html"]
    for path in sources:
        text = path.read_text()
        for guess in ('endswith("_rate")', 'startswith("handover_delay', "in MONEY"):
            assert guess not in text, (path, guess)
