"""List filters for instants stored in UTC, picked by users as local calendar days."""

from datetime import date, datetime, time, timedelta

from flask_admin.contrib.sqla import filters as sqla_filters
from flask_admin.model import filters as base_filters
from flask_babel import lazy_gettext

from services.calendar import LOCAL_TZ


def day_start(day: date) -> datetime:
    """Midnight starting DAY in Asia/Ho_Chi_Minh, as an aware instant."""
    return datetime.combine(day, time(0, 0), tzinfo=LOCAL_TZ)


class LocalDayEqual(sqla_filters.BaseSQLAFilter, base_filters.BaseDateFilter):
    def apply(self, query, value, alias=None):
        column = self.get_column(alias)
        return query.filter(
            column >= day_start(value), column < day_start(value + timedelta(days=1))
        )

    def operation(self):
        return lazy_gettext("on the day")


class LocalDayFrom(sqla_filters.BaseSQLAFilter, base_filters.BaseDateFilter):
    def apply(self, query, value, alias=None):
        return query.filter(self.get_column(alias) >= day_start(value))

    def operation(self):
        return lazy_gettext("from the day")


class LocalDayUntil(sqla_filters.BaseSQLAFilter, base_filters.BaseDateFilter):
    def apply(self, query, value, alias=None):
        return query.filter(self.get_column(alias) < day_start(value + timedelta(days=1)))

    def operation(self):
        return lazy_gettext("until the day")


class LocalDayBetween(sqla_filters.BaseSQLAFilter, base_filters.BaseDateBetweenFilter):
    def __init__(self, column, name, options=None, data_type=None):
        super().__init__(column, name, options, data_type="daterangepicker")

    def apply(self, query, value, alias=None):
        start, end = value
        column = self.get_column(alias)
        return query.filter(column >= day_start(start), column < day_start(end + timedelta(days=1)))

    def operation(self):
        return lazy_gettext("between the days")


class FilterConverter(sqla_filters.FilterConverter):
    """Flask-Admin's converter, taught our UTCDateTime column type."""

    local_day_filters = (
        LocalDayEqual,
        LocalDayFrom,
        LocalDayUntil,
        LocalDayBetween,
        sqla_filters.FilterEmpty,
    )

    @base_filters.convert("UTCDateTime")
    def conv_utc_datetime(self, column, name, **kwargs):
        return [f(column, name, **kwargs) for f in self.local_day_filters]
