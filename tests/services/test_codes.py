"""Dossier codes ``<agency code>-YYMMDD-NNNN`` and handover codes ``BG-YYMMDD-NNN``."""

import re
from datetime import UTC, datetime

from sqlalchemy import func, select

from extensions import db
from models import Dossier
from services.calendar import LOCAL_TZ
from services.dossiers.codes import handover_code
from services.dossiers.receiving import prepare_received
from tests.factories import make_dossier

DOSSIER_CODE = re.compile(r"^(?P<agency>.+)-(?P<day>\d{6})-(?P<seq>\d{4})$")
HANDOVER_CODE = re.compile(r"^BG-\d{6}-\d{3}$")


def at(d, hh=9, mm=30):
    return datetime(2026, 3, d, hh, mm, tzinfo=LOCAL_TZ)


def receive(world, procedure="publish", clerk="po_clerk", when=None):
    return make_dossier(world.procedures[procedure], world.users[clerk], received_at=when)


def test_code_is_agency_code_date_and_sequence(world):
    dossier = receive(world, when=at(10))
    match = DOSSIER_CODE.match(dossier.code)
    assert match, dossier.code
    assert match["agency"] == "000.00.15.H55"
    assert match["day"] == "260310"
    assert match["seq"] == "0001"
    assert dossier.code == "000.00.15.H55-260310-0001"


def test_code_is_stored(world):
    dossier = receive(world, when=at(10))
    db.session.expire_all()
    assert db.session.get(Dossier, dossier.id).code == "000.00.15.H55-260310-0001"


def test_consecutive_receipts_on_the_same_day_count_up(world):
    codes = [receive(world, when=at(10, 9, m)).code for m in (0, 10, 20)]
    assert codes == [
        "000.00.15.H55-260310-0001",
        "000.00.15.H55-260310-0002",
        "000.00.15.H55-260310-0003",
    ]


def test_procedures_of_the_same_agency_share_its_sequence(world):
    first = receive(world, "publish", when=at(10, 9))
    second = receive(world, "same_day", when=at(10, 10))
    assert first.code == "000.00.15.H55-260310-0001"
    assert second.code == "000.00.15.H55-260310-0002"


def test_another_resolving_agency_has_its_own_sequence(world):
    receive(world, "publish", when=at(10, 9))
    receive(world, "publish", when=at(10, 9, 5))
    other = receive(world, "karaoke", when=at(10, 9, 10))
    third = receive(world, "publish", when=at(10, 9, 15))
    assert other.code == "000.00.18.H55-260310-0001"
    assert third.code == "000.00.15.H55-260310-0003"


def test_sequence_is_per_resolving_agency_not_per_post_office(world):
    first = receive(world, clerk="po_clerk", when=at(10, 9))
    second = receive(world, clerk="po_clerk2", when=at(10, 9, 5))
    assert first.code.endswith("-0001")
    assert second.code == "000.00.15.H55-260310-0002"


def test_next_local_day_restarts_at_0001(world):
    receive(world, when=at(10, 9))
    receive(world, when=at(10, 10))
    next_day = receive(world, when=at(11, 8, 5))
    assert next_day.code == "000.00.15.H55-260311-0001"


def test_late_evening_local_receipt_belongs_to_the_local_day(world):
    # 23:30 on 10/03 in Hà Nội is 16:30 UTC the same day; 00:30 on 11/03 is 17:30 UTC on 10/03.
    evening = datetime(2026, 3, 10, 16, 30, tzinfo=UTC)
    assert evening == at(10, 23, 30)
    after_midnight = datetime(2026, 3, 10, 17, 30, tzinfo=UTC)
    assert receive(world, when=evening).code == "000.00.15.H55-260310-0001"
    assert receive(world, when=after_midnight).code == "000.00.15.H55-260311-0001"


def test_early_morning_local_receipt_is_not_the_previous_utc_day(world):
    # 06:00 on 11/03 in Hà Nội is 23:00 UTC on 10/03.
    early = datetime(2026, 3, 10, 23, 0, tzinfo=UTC)
    assert receive(world, when=early).code == "000.00.15.H55-260311-0001"


def test_rolled_back_receipt_gives_its_number_back(world):
    assert receive(world, when=at(10, 9)).code.endswith("-0001")
    procedure = world.procedures["publish"]
    abandoned = Dossier(procedure_type=procedure, applicant_name="Hồ sơ bị hủy giao dịch")
    prepare_received(abandoned, received_by=world.users["po_clerk"], received_at=at(10, 9, 5))
    assert abandoned.code == "000.00.15.H55-260310-0002"
    db.session.rollback()

    kept = receive(world, when=at(10, 9, 10))
    assert kept.code == "000.00.15.H55-260310-0002"
    codes = db.session.scalars(select(Dossier.code).order_by(Dossier.code)).all()
    assert codes == ["000.00.15.H55-260310-0001", "000.00.15.H55-260310-0002"]


def test_codes_are_unique_across_days_and_agencies(world):
    for day in (10, 11):
        for procedure in ("publish", "karaoke", "same_day"):
            receive(world, procedure, when=at(day, 10))
    total, distinct = db.session.execute(
        select(func.count(Dossier.id), func.count(func.distinct(Dossier.code)))
    ).one()
    assert total == distinct == 6


def test_handover_code_format_and_sequence(app):
    first = handover_code(at(10, 8))
    second = handover_code(at(10, 16))
    db.session.commit()
    assert HANDOVER_CODE.match(first)
    assert (first, second) == ("BG-260310-001", "BG-260310-002")
    assert handover_code(at(11, 8)) == "BG-260311-001"
    # Local day, not UTC day: 23:30 on 10/03 in Hà Nội.
    assert handover_code(datetime(2026, 3, 10, 16, 30, tzinfo=UTC)) == "BG-260310-003"
    db.session.commit()


def test_handover_sequence_is_separate_from_dossier_codes(world):
    receive(world, when=at(10, 9))
    receive(world, "karaoke", when=at(10, 9))
    assert handover_code(at(10, 10)) == "BG-260310-001"
    db.session.commit()


def test_rolled_back_handover_gives_its_number_back(app):
    assert handover_code(at(10, 8)) == "BG-260310-001"
    db.session.commit()
    assert handover_code(at(10, 9)) == "BG-260310-002"
    db.session.rollback()
    assert handover_code(at(10, 10)) == "BG-260310-002"
    db.session.commit()
