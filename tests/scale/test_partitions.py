"""The quarter partitions on real PostgreSQL: where a dossier and its history land, the
partitions made ahead (and a receipt on a new quarter's first day), the default partition
when nobody made them, the code kept unique, and the migration path from plain tables."""

import re
from datetime import UTC, date, datetime, time

import pytest
from click.testing import CliRunner
from flask_migrate import upgrade
from sqlalchemy import create_engine, event, text
from sqlalchemy.exc import IntegrityError

from app import create_app
from cli import partitions_ensure_command, partitions_list_command
from extensions import db
from models import Agency, Dossier, DossierHistory, ProcedureType
from models.partitions import (
    PARTITIONED,
    QUARTER_SPAN,
    partition_name,
    quarter_bounds,
    quarter_first_day,
    quarter_label,
    quarter_number,
)
from services.calendar import LOCAL_TZ
from services.dossiers import partitions, search
from tests import factories
from tests.browser.test_browser_screens import sign_in
from tests.browser_watch import Watch
from tests.conftest import PASSWORD, make_config
from tests.services.test_migrations import empty_database as empty_database  # the fixture

pytestmark = pytest.mark.postgresql_only  # SQLite has no partitions


@pytest.fixture(scope="module", autouse=True)
def _as_created(database_url):
    """The partitions these tests make are dropped after them: every other test's emptying
    of the tables would otherwise truncate them too."""
    yield
    engine = create_engine(database_url)
    with engine.begin() as conn:
        now = quarter_number(datetime.now(LOCAL_TZ))
        kept = {
            partition_name(t, n) for t in PARTITIONED for n in ("default", now, now + 1, now + 2)
        }
        for table in ("dossier_history", "dossier"):
            names = conn.scalars(
                text(
                    "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                    " WHERE i.inhparent = CAST(:t AS regclass)"
                ),
                {"t": table},
            ).all()
            for name in set(names) - kept:
                conn.execute(text(f"ALTER TABLE {table} DETACH PARTITION {name}"))
                conn.execute(text(f"DROP TABLE {name}"))
    engine.dispose()


@pytest.fixture
def procedure(world):
    procedure = factories.make_procedure(
        "1.000001", "Cấp phép xuất bản", world.agencies["dept"], 10
    )
    db.session.commit()
    return procedure


def where(table: str, key: str, value: int) -> str:
    """The partition holding TABLE's row(s) with KEY = VALUE."""
    return db.session.scalar(
        text(f"SELECT DISTINCT tableoid::regclass::text FROM {table} WHERE {key} = :v"),  # noqa: S608
        {"v": value},
    )


def test_a_dossier_and_its_history_land_in_the_quarter_of_receipt(procedure, world):
    now = datetime.now(LOCAL_TZ)
    dossier = factories.make_dossier(procedure, world.users["po_clerk"], received_at=now)
    quarter = quarter_number(now)
    assert dossier.id // QUARTER_SPAN == quarter
    assert where("dossier", "id", dossier.id) == partition_name("dossier", quarter)
    assert where("dossier_history", "dossier_id", dossier.id) == partition_name(
        "dossier_history", quarter
    )
    # read back through the parent, with its history, as every screen reads it
    db.session.expire_all()
    again = db.session.get(Dossier, dossier.id)
    assert [h.action for h in again.history] == ["receive"]


def test_partitions_are_made_ahead_and_a_new_quarter_receives_from_its_first_day(
    app, procedure, world
):
    now = datetime.now(LOCAL_TZ)
    quarter = quarter_number(now)
    outcome = partitions.ensure(ahead=5)
    names = {p.name for p in partitions.listing()}
    for number in range(quarter, quarter + 6):
        assert partition_name("dossier", number) in names
        assert partition_name("dossier_history", number) in names
    assert partitions.ensure(ahead=5).created == []  # made once
    assert set(outcome.created) <= names

    first_day = quarter + 4  # a year on: the same quarter's first day, 07:30 at the counter
    year, month = first_day // 4, (first_day % 4) * 3 + 1
    opening = datetime(year, month, 1, 7, 30, tzinfo=LOCAL_TZ)
    dossier = factories.make_dossier(procedure, world.users["po_clerk"], received_at=opening)
    assert where("dossier", "id", dossier.id) == partition_name("dossier", first_day)
    assert dossier.code.endswith(f"-{opening:%y%m%d}-0001")  # the day's codes start at 1


def test_a_quarter_nobody_made_lands_in_the_default_partition_and_is_reported(
    app, procedure, world
):
    ahead = quarter_number(datetime.now(LOCAL_TZ)) + 8  # two years on, not made yet
    year, month = ahead // 4, (ahead % 4) * 3 + 2
    received = datetime(year, month, 14, 9, 0, tzinfo=LOCAL_TZ)
    dossier = factories.make_dossier(procedure, world.users["po_clerk"], received_at=received)
    assert where("dossier", "id", dossier.id) == "dossier_default"
    assert where("dossier_history", "dossier_id", dossier.id) == "dossier_history_default"

    result = CliRunner().invoke(
        partitions_ensure_command, ["--ahead", "9"], obj=app.cli, standalone_mode=False
    )
    assert result.exception is None, result.output
    label = quarter_label(ahead)
    assert label in result.output  # left in the default partition, said so
    names = {p.name for p in partitions.listing()}
    assert partition_name("dossier", ahead - 1) in names
    assert partition_name("dossier_history", ahead + 1) in names
    assert partition_name("dossier", ahead) not in names
    assert db.session.get(Dossier, dossier.id).code == dossier.code  # still served

    listed = CliRunner().invoke(partitions_list_command, [], obj=app.cli)
    assert partition_name("dossier", ahead + 1) in listed.output
    assert "FOR VALUES FROM" in listed.output


def test_a_code_is_refused_twice_within_its_quarter(procedure, world):
    when = datetime.now(LOCAL_TZ)
    first = factories.make_dossier(procedure, world.users["po_clerk"], received_at=when)
    copy = factories.make_dossier(procedure, world.users["po_clerk"], received_at=when)
    copy.code = first.code
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_history_rows_point_only_at_existing_dossiers(procedure, world):
    dossier = factories.make_dossier(procedure, world.users["po_clerk"])
    stray = DossierHistory(dossier_id=dossier.id + 1, action="receive", to_status="received")
    db.session.add(stray)
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_the_migration_keeps_the_plain_tables_rows_as_the_legacy_partition(empty_database):
    """An existing database: its rows stay (small ids, in the legacy partitions), the
    foreign keys hold, and the next receipt takes a quarter id."""
    app = factories_app(empty_database)
    with app.app_context():
        upgrade(revision="0022_digitization_more")
        agency = Agency(code="000.00.15.H55", name="Sở Tư pháp", kind="department")
        kind = ProcedureType(
            code="1.001", name="Lý lịch tư pháp", field="Tư pháp", agency=agency, processing_days=10
        )
        db.session.add(kind)
        db.session.flush()
        agency, procedure = agency.id, kind.id
        db.session.commit()
        db.session.close()  # no transaction left open across the migration's locks
        with db.engine.begin() as conn:  # written as before the partitions: a small id
            conn.execute(
                text(
                    "INSERT INTO dossier (id, code, procedure_type_id, agency_id, status,"
                    " channel, return_method, applicant_name, received_at, fee_amount,"
                    " supplement_count, apology_count, search_text, created_at, updated_at,"
                    " version) VALUES (41, '000.00.15.H55-260310-0001', :p, :a, 'received',"
                    " 'counter', 'counter', 'Nguyễn Văn A', now(), 0, 0, 0, '', now(), now(), 1)"
                ),
                {"p": procedure, "a": agency},
            )
            conn.execute(
                text(
                    "INSERT INTO dossier_history (dossier_id, action, to_status, at)"
                    " VALUES (41, 'receive', 'received', now())"
                )
            )
        upgrade()
        assert where("dossier", "id", 41) == "dossier_legacy"
        assert where("dossier_history", "dossier_id", 41) == "dossier_history_legacy"
        with pytest.raises(IntegrityError):
            db.session.execute(
                text(
                    "INSERT INTO dossier (id, code, procedure_type_id, agency_id, status,"
                    " channel, return_method, applicant_name, received_at, fee_amount,"
                    " supplement_count, apology_count, search_text, created_at, updated_at,"
                    " version) SELECT 42, code, procedure_type_id, agency_id, status, channel,"
                    " return_method, applicant_name, received_at, fee_amount, supplement_count,"
                    " apology_count, search_text, created_at, updated_at, version"
                    " FROM dossier WHERE id = 41"
                )
            )  # the legacy rows keep their unique code
        db.session.rollback()
        received = datetime.now(LOCAL_TZ)
        row = Dossier(
            code="000.00.15.H55-" + received.strftime("%y%m%d") + "-0001",
            procedure_type_id=procedure,
            agency_id=agency,
            applicant_name="Trần Thị B",
            received_at=received,
        )
        db.session.add(row)
        db.session.commit()
        assert row.id // QUARTER_SPAN == quarter_number(received)
        assert where("dossier", "id", row.id) == partition_name(
            "dossier", quarter_number(date.today())
        )
        db.session.remove()
        db.engine.dispose()


def factories_app(url):
    return create_app(make_config(url))


def test_a_quarter_follows_the_office_clock():
    """An id's quarter is the receipt's on the office's clock; its bounds hold it."""
    from models.partitions import dossier_id, quarter_bounds, quarter_of_id

    late = datetime(2027, 3, 31, 23, 59, tzinfo=LOCAL_TZ)  # still the first quarter
    value = dossier_id(12, late)
    low, high = quarter_bounds(quarter_number(late))
    assert low <= value < high
    assert quarter_of_id(value) == 2027 * 4
    assert quarter_of_id(12) is None  # a legacy row's
    # 17:30 UTC on 31 March is 00:30 on 1 April in Hà Nội: the second quarter
    assert quarter_number(datetime(2027, 3, 31, 17, 30, tzinfo=UTC)) == 2027 * 4 + 1


# -- a word search keeps to the newest quarters (services.dossiers.search.recent_window) ---
def quarter_start(number: int) -> datetime:
    return datetime.combine(quarter_first_day(number), time(9, 0), tzinfo=LOCAL_TZ)


@pytest.fixture
def two_quarters(app, procedure, world, monkeypatch):
    """Two dossiers of "Hoàng Đức" two quarters ago, three this quarter; the window is
    three dossiers, so the newest quarter alone."""
    now = quarter_number(datetime.now(LOCAL_TZ))
    partitions.ensure(since=quarter_start(now - 2).date())
    clerk = world.users["po_clerk"]
    old = [
        factories.make_dossier(procedure, clerk, f"Hoàng Đức Cũ {n}", quarter_start(now - 2))
        for n in range(2)
    ]
    new = [
        factories.make_dossier(procedure, clerk, f"Hoàng Đức Mới {n}", datetime.now(LOCAL_TZ))
        for n in range(3)
    ]
    db.session.commit()
    db.session.execute(text("ANALYZE dossier"))  # the estimates the window is made from
    db.session.commit()
    monkeypatch.setitem(app.config, "SEARCH_WINDOW_ROWS", 3)
    app.extensions.pop("filter_options", None)  # the window kept from an earlier test
    return [d.code for d in old], [d.code for d in new], quarter_start(now)


def listed_codes(client, query: str) -> tuple[set[str], str]:
    page = client.get(f"/admin/dossier/?{query}").get_data(as_text=True)
    return {c for c in re.findall(r"000\.00\.15\.H55-\d{6}-\d{4,}", page)}, page


def test_a_word_search_reads_the_newest_quarters_and_the_older_ones_on_request(
    client, login_as, two_quarters
):
    old, new, since = two_quarters
    window = search.recent_window(3)
    assert window.low == quarter_bounds(quarter_number(since))[0]
    assert window.since == since.date()
    assert search.recent_window(5) is None  # that is every dossier: nothing left out

    login_as("po_clerk")
    found, page = listed_codes(client, "search=hoang+duc")
    assert found == set(new)
    assert f"Chỉ mới tìm trong các hồ sơ nhận từ ngày {since:%d/%m/%Y} đến nay" in page
    link = re.search(r'href="([^"]+)" id="search-every-quarter"', page)
    assert link and "all_quarters=1" in link[1] and "search=hoang" in link[1]

    found, page = listed_codes(client, "search=hoang+duc&all_quarters=1")
    assert found == set(old + new)
    assert "search-every-quarter" not in page
    # sorting (and paging, built alike) the older search keeps to every quarter
    hrefs = re.findall(r'href="(/admin/dossier/\?sort=[^"]*)"', page)
    assert hrefs and all("all_quarters=1" in href for href in hrefs)

    # a code names its quarter: an old one is found without asking
    assert listed_codes(client, f"search={old[0][:-1]}")[0] == set(old)
    # the receipt date filtered bounds the search already
    first = quarter_start(quarter_number(since) - 2)
    days = f"{first:%d/%m/%Y}+to+{since:%d/%m/%Y}"
    found, page = listed_codes(client, f"search=hoang+duc&flt0_received_at_between_the_days={days}")
    assert set(old) <= found and "search-every-quarter" not in page
    # no words, no window
    assert "search-every-quarter" not in listed_codes(client, "")[1]


@pytest.mark.browser
def test_the_clerk_clicks_to_search_the_older_quarters(browser, live_server, two_quarters):
    old, new, since = two_quarters
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = context.new_page()
    watch = Watch(page, live_server)
    sign_in(page, live_server, "po_clerk", PASSWORD)
    page.goto(f"{live_server}/admin/dossier/")
    page.fill("input[name=search]", "Hoàng Đức")
    page.press("input[name=search]", "Enter")
    page.wait_for_selector("#search-window")
    rows = page.locator("table.model-list tbody tr")
    assert rows.count() == len(new)
    assert since.strftime("%d/%m/%Y") in page.inner_text("#search-window")
    page.click("#search-every-quarter")
    page.wait_for_url("**all_quarters=1**")
    assert page.locator("#search-window").count() == 0
    assert rows.count() == len(old + new)
    assert "Hoàng Đức Cũ 0" in page.inner_text("table.model-list")
    watch.check_page()
    assert watch.take() == []
    context.close()


def dossier_reads(app, client, path: str) -> tuple[list[str], str]:
    """The statements reading dossiers while GET PATH, and the page."""
    statements = []

    def listen(*args):
        if "FROM dossier" in args[2] and "app_user.username" not in args[2]:
            statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        page = client.get(path).get_data(as_text=True)
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
    return statements, page


def test_the_first_page_reads_this_quarter_first_and_the_older_ones_when_short(
    app, client, login_as, procedure, world
):
    now = quarter_number(datetime.now(LOCAL_TZ))
    partitions.ensure(since=quarter_start(now - 2).date())
    clerk = world.users["po_clerk"]
    old = factories.make_dossier(procedure, clerk, "Người quý trước", quarter_start(now - 2))
    new = [
        factories.make_dossier(procedure, clerk, f"Người quý này {n}", quarter_start(now))
        for n in range(3)
    ]
    db.session.commit()
    login_as("po_clerk")
    reads, page = dossier_reads(app, client, "/admin/dossier/")
    assert len(reads) == 2  # this quarter: three rows, less than a page; then every quarter
    shown = re.findall(r"000\.00\.15\.H55-\d{6}-\d{4,}", page)
    assert shown.index(new[0].code) < shown.index(old.code)  # the older quarter's last

    more = [
        factories.make_dossier(procedure, clerk, f"Người mới {n}", datetime.now(LOCAL_TZ))
        for n in range(25)
    ]
    db.session.commit()
    reads, page = dossier_reads(app, client, "/admin/dossier/")
    assert len(reads) == 1 and "dossier.id >=" in reads[0]  # a page from this quarter
    assert more[-1].code in page and old.code not in page
    reads, page = dossier_reads(app, client, "/admin/dossier/?page=1")
    assert len(reads) == 1 and old.code in page  # the next pages read every quarter
