"""What the list pages keep between requests (menu, filter menu, row buttons, answers)
still follows every change on the very next page."""

import json
import re

from extensions import db
from models.user import Role
from services.accounts.roles import set_permissions
from tests import factories


def menu_links(html: str) -> set[str]:
    """The hrefs of the top menu (from the navbar's first list to the user's menu)."""
    nav = html[html.index('class="nav navbar-nav mr-auto"') : html.index('id="user-menu"')]
    return set(re.findall(r'href="(/admin/[^"]*)"', nav))


def active_entry(href: str, html: str) -> bool:
    return bool(re.search(rf'<a class="dropdown-item active[^"]*" href="{href}"', html))


def test_menu_follows_a_grid_change_on_the_next_page(app, client, login_as):
    login_as("po_clerk")
    assert "/admin/delivery_order/" in menu_links(client.get("/admin/dossier/").text)

    role = db.session.scalar(db.select(Role).where(Role.name == "po_clerk"))
    kept = {(p.resource, p.action) for p in role.permissions}
    set_permissions(role, {pair for pair in kept if pair[0] != "delivery_order"})
    db.session.commit()

    page = client.get("/admin/dossier/").text
    assert "/admin/delivery_order/" not in menu_links(page)
    assert client.get("/admin/delivery_order/").status_code == 403


def test_a_grid_change_raises_the_roles_version_once_in_one_statement(app, world):
    """Servers cache a role's grants by its version: any change of its rows raises it, once
    per save however many rows changed (one UPDATE, not one per row)."""
    from sqlalchemy import event

    role = db.session.scalar(db.select(Role).where(Role.name == "po_clerk"))
    before = role.grants_version
    kept = {(p.resource, p.action) for p in role.permissions}
    dropped = {pair for pair in kept if pair[0] == "delivery_order"}
    assert len(dropped) >= 2
    updates = []

    def listener(_conn, _cursor, statement, *_args):
        if statement.startswith("UPDATE role"):
            updates.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        set_permissions(role, kept - dropped)
        set_permissions(role, kept)  # back, in a second flush
        db.session.commit()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    db.session.refresh(role)
    assert role.grants_version == before + 2 and len(updates) == 2, updates


def test_menu_differs_by_role_and_marks_the_open_screen(client, login_as):
    login_as("it_admin")
    it_links = menu_links(client.get("/admin/user/").text)
    login_as("po_clerk")
    clerk_page = client.get("/admin/dossier/").text
    assert "/admin/user/" in it_links
    assert "/admin/user/" not in menu_links(clerk_page)
    # the open screen's entry is the active one, on each page its own
    assert active_entry("/admin/dossier/", clerk_page)
    other = client.get("/admin/delivery_order/").text
    assert active_entry("/admin/delivery_order/", other)
    assert not active_entry("/admin/dossier/", other)


def test_menu_in_the_users_language_after_a_switch(client, login_as):
    login_as("po_clerk")
    assert "Bưu gửi trả kết quả" in client.get("/admin/dossier/").text
    client.post("/language", data={"lang": "en", "next": "/admin/dossier/"})
    english = client.get("/admin/dossier/").text
    assert "Delivery orders" in english
    assert "Bưu gửi trả kết quả" not in english
    client.post("/language", data={"lang": "vi", "next": "/admin/dossier/"})
    assert "Bưu gửi trả kết quả" in client.get("/admin/dossier/").text


def test_filter_menu_lists_a_new_procedure_on_the_next_page(client, login_as, world):
    login_as("po_clerk")

    def procedure_options(page: str) -> list[str]:
        data = re.search(r'id="filter-groups-data"[^>]*>(.*?)</div>', page, re.S).group(1)
        groups = json.loads(data.replace("&#34;", '"').replace("&amp;", "&"))
        return [label for flt in groups["Thủ tục"] for _value, label in flt["options"] or ()]

    before = procedure_options(client.get("/admin/dossier/").text)
    factories.make_procedure("9.999999", "Thủ tục mới thêm", world.agencies["dept"], 5)
    db.session.commit()
    after = procedure_options(client.get("/admin/dossier/").text)
    assert "9.999999 — Thủ tục mới thêm" in after
    assert len(after) == len(before) + 1


def test_each_row_links_to_its_own_dossier(client, login_as, world):
    clerk = login_as("po_clerk")
    procedure = next(iter(world.procedures.values()))
    made = [factories.make_dossier(procedure, clerk, applicant=f"Người {n}") for n in range(3)]
    db.session.commit()
    page = client.get("/admin/dossier/").text
    for dossier in made:
        row = re.search(
            rf'href="/admin/dossier/details/\?id={dossier.id}&amp;url=[^"]*"[^<]*<span[^>]*>'
            rf'</span>\s*</a>\s*</td><td class="col-code"[^>]*>'
            rf'<a class="dossier-code text-nowrap" href="/admin/dossier/details/\?id={dossier.id}">'
            rf"{dossier.code}</a></td>",
            page,
        )
        assert row, dossier.code
        details = client.get(f"/admin/dossier/details/?id={dossier.id}")
        assert dossier.code in details.text


def test_column_labels_in_the_users_language_on_list_and_details(client, login_as, world):
    clerk = login_as("po_clerk")
    dossier = factories.make_dossier(next(iter(world.procedures.values())), clerk)
    db.session.commit()
    details = f"/admin/dossier/details/?id={dossier.id}"
    assert "Số CCCD" in client.get(details).text
    assert "Người nộp" in client.get("/admin/dossier/").text
    client.post("/language", data={"lang": "en", "next": "/admin/dossier/"})
    english_details, english_list = client.get(details).text, client.get("/admin/dossier/").text
    assert "Citizen ID" in english_details and "Số CCCD" not in english_details
    assert "Applicant" in english_list
    assert "Người nộp" not in english_list
