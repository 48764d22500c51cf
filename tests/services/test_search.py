"""services.dossiers.search: what a search box's words find, through the indexes' conditions."""

from sqlalchemy import select

from extensions import db
from models import DeliveryOrder, Dossier
from services.dossiers import search
from tests import factories


def _dossiers(clauses):
    return set(db.session.scalars(select(Dossier.code).where(*clauses)))


def _orders(clauses):
    return set(db.session.scalars(select(DeliveryOrder.tracking_code).where(*clauses)))


def test_dossier_words_codes_and_starts(world):
    clerk, publish = world.users["po_clerk"], world.procedures["publish"]
    thuan = factories.make_dossier(publish, clerk, "Nguyễn Văn Thuận")
    ha = factories.make_dossier(publish, clerk, "Trần Thị Hà", applicant_phone="0987654321")
    assert _dossiers(search.dossier_clauses("thuận NGUYEN")) == {thuan.code}
    assert _dossiers(search.dossier_clauses("654321")) == {ha.code}
    assert _dossiers(search.dossier_clauses(ha.code.lower())) == {ha.code}
    assert _dossiers(search.dossier_clauses(ha.code[:-4])) == {thuan.code, ha.code}
    assert _dossiers(search.dossier_clauses("100%")) == set()
    known = frozenset({ha.code.partition("-")[0]})
    missing = ha.code[:-4] + "9999"
    assert search.code_clause(missing) is None  # no such code: its words are searched
    assert _dossiers(search.dossier_clauses(missing, known)) == set()  # taken as a code


def test_parcels_by_tracking_code_dossier_code_and_recipient(world):
    clerk, publish = world.users["po_clerk"], world.procedures["publish"]
    first = factories.make_dossier(publish, clerk, "Lê Văn Đức", return_method="post")
    order = factories.ship_result(first, clerk)
    assert order.search_text == f"eb123456785vn le van duc {order.recipient_phone}"
    assert _orders(search.delivery_order_clauses(" eb123456785vn ")) == {"EB123456785VN"}
    assert _orders(search.delivery_order_clauses(first.code)) == {"EB123456785VN"}
    assert _orders(search.delivery_order_clauses("đức lê")) == {"EB123456785VN"}
    assert _orders(search.delivery_order_clauses("Lê Văn Thuận")) == set()
