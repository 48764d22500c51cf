"""What keeps the dossier screens fast on millions of rows, shown to behave the same:
code-shaped search, deep pages, the details page's statements, cached grants and options."""

import re
from datetime import datetime, timedelta

from sqlalchemy import event, select

from extensions import db
from models import Dossier
from services.accounts.roles import set_permissions
from services.calendar import LOCAL_TZ
from tests import factories
from tests.factories import make_procedure

CODE = re.compile(r"000\.00\.15\.H55-\d{6}-\d{4,}")


def codes_on(client, query=""):
    return CODE.findall(client.get(f"/admin/dossier/?{query}").get_data(as_text=True))


def received(world, count, **fields):
    clerk, publish = world.users["po_clerk"], world.procedures["publish"]
    start = datetime(2026, 3, 2, 8, 0, tzinfo=LOCAL_TZ)
    made = [
        factories.make_dossier(publish, clerk, f"Người {n}", start + timedelta(minutes=n), **fields)
        for n in range(count)
    ]
    db.session.commit()
    return [d.code for d in made]


def test_a_whole_code_a_prefix_and_a_piece_all_find_their_dossiers(client, login_as, world):
    codes = received(world, 3)
    login_as("po_clerk")
    opened = client.get(f"/admin/dossier/?search={codes[1].lower()}")  # opens the dossier
    assert set(CODE.findall(client.get(opened.location).get_data(as_text=True))) == {codes[1]}
    prefix = codes[0][:-2]  # "…-2603020" : the three of them
    assert set(codes_on(client, f"search={prefix}")) == set(codes)
    piece = codes[2].split(".", 2)[2]  # "15.H55-260302-0003": no code starts so
    assert set(codes_on(client, f"search={piece}")) == {codes[2]}
    assert not set(codes_on(client, "search=000.00.15.H55-260302-0009")) & set(codes)


def test_pages_follow_each_other_without_repeating_or_skipping(client, login_as, world):
    clerk, publish = world.users["po_clerk"], world.procedures["publish"]
    same_time = datetime(2026, 3, 3, 9, 0, tzinfo=LOCAL_TZ)  # ties: the id decides
    for n in range(30):
        factories.make_dossier(publish, clerk, f"Cùng giờ {n}", same_time)
    db.session.commit()
    login_as("po_clerk")
    pages = [codes_on(client, f"page={p}&page_size=25") for p in range(2)]
    assert len(pages[0]) == 25 and len(pages[1]) == 5
    seen = pages[0] + pages[1]
    assert len(set(seen)) == 30
    assert seen == sorted(seen, reverse=True)  # same instant: newest id (highest code) first
    assert 'href="/admin/dossier/?page=1' in client.get("/admin/dossier/").get_data(as_text=True)


def test_details_page_loads_its_relations_with_the_dossier(app, client, login_as, world):
    (code,) = received(world, 1)
    dossier_id = db.session.scalar(select(Dossier.id).where(Dossier.code == code))
    url = f"/admin/dossier/details/?id={dossier_id}"
    login_as("po_clerk")
    client.get(url)
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        page = client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert page.status_code == 200
    assert "Cấp giấy phép xuất bản" in page.get_data(as_text=True)
    joined = [s for s in statements if "FROM dossier LEFT OUTER JOIN" in s]
    assert len(joined) == 1 and "procedure_type" in joined[0] and "agency" in joined[0]
    assert not any("FROM permission" in s for s in statements)  # grants already kept


def test_a_grid_change_applies_on_the_next_request(app, client, login_as, world):
    login_as("viewer")
    assert client.get("/admin/dossier/").status_code == 200
    role = next(r for r in world.users["viewer"].roles if r.name == "viewer")
    set_permissions(role, {("report", "view")})
    db.session.commit()
    assert client.get("/admin/dossier/").status_code == 403


def test_a_new_procedure_shows_in_the_list_filter_at_once(client, login_as, world):
    login_as("po_clerk")
    assert "9.999999" not in client.get("/admin/dossier/").get_data(as_text=True)
    make_procedure("9.999999", "Thủ tục mới toanh", world.agencies["dept"], 3)
    db.session.commit()
    assert "9.999999 \\u2014" in client.get("/admin/dossier/").get_data(as_text=True)


def test_a_code_from_an_agencys_start_is_read_without_a_probe(app, client, login_as, world):
    """The start of a code with a known agency code goes straight to the code's index
    (one statement for the list); a piece of a code is still found by its words."""
    codes = received(world, 2)
    login_as("po_clerk")
    statements = []
    with app.app_context():
        listen = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listen)
        try:
            page = client.get(f"/admin/dossier/?search={codes[0][:-2]}").get_data(as_text=True)
        finally:
            event.remove(db.engine, "before_cursor_execute", listen)
    assert all(code in page for code in codes)
    reads = [s for s in statements if "FROM dossier" in s and "app_user" not in s]
    assert len(reads) == 1, reads
    piece = codes[1].split(".", 2)[2]
    assert set(codes_on(client, f"search={piece}")) == {codes[1]}


def test_a_code_past_the_days_9999th_is_found_on_the_codes_index(app, client, login_as, world):
    """Past 9,999 dossiers of a day the code's number has five digits: the whole code
    is still looked up by equality and the start of one by prefix on the code's index,
    not through the words (a trigram search over the whole table)."""
    made = received(world, 2)
    with app.app_context():
        first, second = (db.session.scalar(select(Dossier).filter_by(code=c)) for c in made)
        day = first.code.rsplit("-", 1)[0]
        first.code, second.code = f"{day}-10000", f"{day}-10001"
        db.session.commit()
    login_as("po_clerk")
    statements = []
    listen = lambda *args: statements.append(args[2])  # noqa: E731
    for search, found in ((f"{day}-10001", {f"{day}-10001"}),
                          (f"{day}-100", {f"{day}-10000", f"{day}-10001"})):  # fmt: skip
        statements.clear()
        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", listen)
        try:
            response = client.get(f"/admin/dossier/?search={search}")
            if len(found) == 1:  # a whole code opens its dossier (issue 19)
                assert response.status_code == 302 and "/details/" in response.location
            else:
                assert set(CODE.findall(response.get_data(as_text=True))) == found
        finally:
            with app.app_context():
                event.remove(db.engine, "before_cursor_execute", listen)
        reads = [s for s in statements if "FROM dossier" in s and "app_user" not in s]
        assert len(reads) == 1 and "search_text LIKE" not in reads[0], reads
