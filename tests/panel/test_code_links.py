"""The dossier code is a link to the dossier's page in every list that shows it."""

import re

from extensions import db
from services import audit
from tests import factories


def _links_to(page: str, code: str) -> set[str]:
    return set(re.findall(rf'<a[^>]*href="([^"]+)"[^>]*>{re.escape(code)}</a>', page))


def test_the_dossier_list_links_each_code(client, login_as, world):
    dossier = factories.make_dossier(world.procedures["publish"], world.users["po_clerk"])
    db.session.commit()
    login_as("po_clerk")
    page = client.get("/admin/dossier/").get_data(as_text=True)
    assert _links_to(page, dossier.code) == {f"/admin/dossier/details/?id={dossier.id}"}
    details = client.get(f"/admin/dossier/details/?id={dossier.id}").get_data(as_text=True)
    assert not _links_to(details, dossier.code)  # the page itself: no link to itself
    export = client.get("/admin/dossier/export/csv/").get_data(as_text=True)
    assert dossier.code in export and "<a" not in export


def test_parcels_and_handover_items_link_the_code(client, login_as, world):
    dossier = factories.make_dossier(world.procedures["publish"], world.users["po_clerk"])
    batch = factories.make_handover([dossier], world.users["po_clerk"])
    factories.make_delivery(dossier, world.agencies["po"])
    db.session.commit()
    login_as("po_supervisor")
    target = f"/admin/dossier/details/?id={dossier.id}"
    assert target in _links_to(
        client.get("/admin/delivery_order/").get_data(as_text=True), dossier.code
    )
    details = client.get(f"/admin/handover/details/?id={batch.id}").get_data(as_text=True)
    assert target in _links_to(details, dossier.code)


def test_the_audit_log_links_the_codes_in_its_summaries(client, login_as, world):
    dossier = factories.make_dossier(world.procedures["publish"], world.users["po_clerk"])
    audit.record(
        "update",
        "dossier",
        dossier.id,
        actor=world.users["po_clerk"],
        summary=f"Sửa hồ sơ {dossier.code} <b>x</b>",
    )
    db.session.commit()
    login_as("it_admin")
    page = client.get("/admin/audit_log/").get_data(as_text=True)
    assert _links_to(page, dossier.code) == {f"/admin/dossier/details/?id={dossier.id}"}
    assert "<b>x</b>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page
