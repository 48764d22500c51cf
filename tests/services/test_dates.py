"""Days and instants typed as Vietnamese write them, whatever the browser's language."""

from datetime import date, datetime, time

import pytest

from vietnam.dates import format_instant, parse_day, parse_hour, parse_instant


def test_days_and_hours_as_people_type_them():
    assert parse_day("07/12/2026") == parse_day(" 2026-12-07 ") == date(2026, 12, 7)
    assert parse_hour("9h30") == parse_hour("09:30") == time(9, 30)
    for bad in ("31/02/2026", "12/2026", "", None, "7/12/26x"):
        with pytest.raises(ValueError):
            parse_day(bad)


@pytest.mark.parametrize(
    "typed, meant",
    [
        ("07/12/2026 09:30", datetime(2026, 12, 7, 9, 30)),
        ("7/12/2026 9h30", datetime(2026, 12, 7, 9, 30)),
        ("07/12/2026  14:05:09", datetime(2026, 12, 7, 14, 5, 9)),
        ("2026-12-07T14:05", datetime(2026, 12, 7, 14, 5)),
        ("2026-12-07T14:05:09", datetime(2026, 12, 7, 14, 5, 9)),
    ],
)
def test_instants_typed_day_first_or_as_iso(typed, meant):
    assert parse_instant(typed) == meant
    assert parse_instant(format_instant(meant)) == meant


@pytest.mark.parametrize(
    "bad", ["", "07/12/2026", "09:30", "07/12/2026 25:00", "12/07/2026 9:61", "x\x00", "\ud800"]
)
def test_anything_else_is_not_an_instant(bad):
    with pytest.raises(ValueError):
        parse_instant(bad)
