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
