"""The audit log reads in Vietnamese: actions and record types named, a link to the record,
an export entry that says what was exported."""

from sqlalchemy import select

from extensions import db
from models import AuditEntry
from services import audit
from tests import factories


def test_the_audit_log_names_actions_and_records_and_links_them(client, login_as, world):
    dossier = factories.make_dossier(world.procedures["publish"], world.users["po_clerk"])
    login_as("po_clerk")
    client.get("/admin/dossier/export/xlsx/?search=Thuan&flt0_status_equals=received")
    login_as("it_admin")
    page = client.get("/admin/audit_log/").get_data(as_text=True)
    assert "Đăng nhập" in page and "Xuất dữ liệu" in page
    assert "Hồ sơ" in page  # the record type, not "dossier"
    assert ">login<" not in page and ">export<" not in page and ">dossier<" not in page
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "export")).one()
    assert entry.summary.startswith("XLSX – Hồ sơ")
    assert "tìm: «Thuan»" in entry.summary
    audit.record("edit", "dossier", dossier.id, actor=world.users["dept_admin"], summary="x")
    db.session.commit()
    page = client.get(f"/admin/audit_log/?entity=dossier&entity_id={dossier.id}").get_data(
        as_text=True
    )
    assert f'<a href="/admin/dossier/details/?id={dossier.id}">{dossier.id}</a>' in page


def test_a_record_of_a_dossier_holds_its_stored_columns_only(world):
    """What a screen loads beside the row (the details page's ``carried``) is no column of
    it: a deletion's record names the table's columns, no more."""
    from sqlalchemy.orm import with_expression

    from models import Dossier
    from services.dossiers.transfers import carried

    dossier = factories.make_dossier(world.procedures["publish"], world.users["po_clerk"])
    db.session.expire_all()
    loaded = db.session.scalars(
        select(Dossier)
        .where(Dossier.id == dossier.id)
        .options(with_expression(Dossier.carried, carried()))
    ).one()
    assert loaded.carried is False
    stored = {c.key for c in Dossier.__table__.columns} - audit.HIDDEN_FIELDS
    assert set(audit.snapshot(loaded)) == stored and "carried" not in stored
