"""List filters for instants stored in UTC, picked by users as local calendar days, and
filters named in URLs the same in every language.

Relies on Flask-Admin's ``named_filter_urls`` and ``get_filter_arg`` and on
Flask-Babel's ``LazyString._args`` (the msgid of a lazy label; Flask-Admin reads it
too, for a filter's operation).
"""

import re
import time
from datetime import datetime, timedelta

from flask import current_app, has_app_context
from flask_admin.contrib.sqla import filters as sqla_filters
from flask_admin.model import filters as base_filters
from flask_babel import lazy_gettext

from services.calendar import LOCAL_TZ, day_start
from vietnam.dates import parse_day

FIRST_YEAR, LAST_YEAR = 1990, 2100
#: The column types Flask-Admin's converter filters as text (its conv_string).
STRING_TYPES = (
    "string", "char", "unicode", "varchar", "tinytext", "text", "mediumtext", "longtext",
    "unicodetext", "nchar", "nvarchar", "ntext", "citext", "emailtype", "URLType",
    "IPAddressType",
)  # fmt: skip


RANGE_SEPARATOR = re.compile(r"\s+(?:to|-|–|đến)\s+")


def _sane_days(days) -> bool:
    return all(FIRST_YEAR <= d.year <= LAST_YEAR for d in days)


class SaneDayMixin:
    """Days typed dd/mm/yyyy whatever the browser's language; refuse dates whose day
    boundaries would overflow (year 1 or 9999 in a URL)."""

    def clean(self, value):
        return parse_day(value)

    def validate(self, value):
        try:
            cleaned = self.clean(value)
        except ValueError:
            return False
        days = cleaned if isinstance(cleaned, list) else [cleaned]
        return _sane_days(days)


class SaneDayRangeMixin(SaneDayMixin):
    """Two days, ``dd/mm/yyyy to dd/mm/yyyy``, the first not after the second."""

    def clean(self, value):
        days = [parse_day(part) for part in RANGE_SEPARATOR.split(str(value).strip())]
        if len(days) != 2 or days[0] > days[1]:
            raise ValueError(value)
        return days


class BoundedIntEqualFilter(sqla_filters.IntEqualFilter):
    """Equality on an id column; values that cannot be an id are refused, not sent."""

    def validate(self, value):
        return str(value).isascii() and str(value).isdigit() and 0 < int(value) < 2**31


class LocalDayEqual(SaneDayMixin, sqla_filters.BaseSQLAFilter, base_filters.BaseDateFilter):
    def apply(self, query, value, alias=None):
        column = self.get_column(alias)
        return query.filter(
            column >= day_start(value), column < day_start(value + timedelta(days=1))
        )

    def operation(self):
        return lazy_gettext("on the day")


class LocalDayFrom(SaneDayMixin, sqla_filters.BaseSQLAFilter, base_filters.BaseDateFilter):
    def apply(self, query, value, alias=None):
        return query.filter(self.get_column(alias) >= day_start(value))

    def operation(self):
        return lazy_gettext("from the day")


class LocalDayUntil(SaneDayMixin, sqla_filters.BaseSQLAFilter, base_filters.BaseDateFilter):
    def apply(self, query, value, alias=None):
        return query.filter(self.get_column(alias) < day_start(value + timedelta(days=1)))

    def operation(self):
        return lazy_gettext("until the day")


class LocalDayBetween(
    SaneDayRangeMixin, sqla_filters.BaseSQLAFilter, base_filters.BaseDateBetweenFilter
):
    def __init__(self, column, name, options=None, data_type=None):
        super().__init__(column, name, options, data_type="daterangepicker")

    def apply(self, query, value, alias=None):
        start, end = value
        column = self.get_column(alias)
        return query.filter(column >= day_start(start), column < day_start(end + timedelta(days=1)))

    def operation(self):
        return lazy_gettext("between the days")


class DayEqual(SaneDayMixin, sqla_filters.DateEqualFilter):
    pass


class DayNotEqual(SaneDayMixin, sqla_filters.DateNotEqualFilter):
    pass


class DayAfter(SaneDayMixin, sqla_filters.DateGreaterFilter):
    pass


class DayBefore(SaneDayMixin, sqla_filters.DateSmallerFilter):
    pass


class DayBetween(SaneDayRangeMixin, sqla_filters.DateBetweenFilter):
    pass


class DayNotBetween(SaneDayRangeMixin, sqla_filters.DateNotBetweenFilter):
    pass


class FilterConverter(sqla_filters.FilterConverter):
    """Flask-Admin's converter, taught our UTCDateTime column type; a column of a few
    known values (its choices) is filtered by equality, never by "contains"."""

    choice_filters = (
        sqla_filters.FilterEqual,
        sqla_filters.FilterNotEqual,
        sqla_filters.FilterEmpty,
        sqla_filters.FilterInList,
        sqla_filters.FilterNotInList,
    )

    @base_filters.convert(*STRING_TYPES)
    def conv_string(self, column, name, **kwargs):
        """With choices, "contains" is both odd (Status contains Processing) and slow
        (no index serves ILIKE '%processing%'): equality and lists, which indexes serve."""
        kinds = self.choice_filters if kwargs.get("options") else self.strings
        return [f(column, name, **kwargs) for f in kinds]

    day_filters = (
        DayEqual,
        DayNotEqual,
        DayAfter,
        DayBefore,
        DayBetween,
        DayNotBetween,
        sqla_filters.FilterEmpty,
    )

    @base_filters.convert("date")
    def conv_date(self, column, name, **kwargs):
        """Flask-Admin's day filters, typed dd/mm/yyyy."""
        return [f(column, name, **kwargs) for f in self.day_filters]

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


class OverdueFilter(sqla_filters.BaseSQLAFilter):
    """Dossiers whose clock runs and whose appointment has passed (or is today)."""

    def __init__(self, column, name, statuses):
        super().__init__(
            column,
            name,
            options=(("overdue", lazy_gettext("Overdue")), ("today", lazy_gettext("Due today"))),
        )
        self.statuses = statuses

    def apply(self, query, value, alias=None):
        now = datetime.now(LOCAL_TZ)
        column = self.get_column(alias)
        running = self.column.class_.status.in_(self.statuses)
        if value == "today":
            tomorrow = day_start(now.date() + timedelta(days=1))
            return query.filter(running, column >= now, column < tomorrow)
        return query.filter(running, column < now)

    def operation(self):
        return lazy_gettext("is")


def msgid(text) -> str:
    """The English msgid of a lazily translated TEXT; TEXT itself when it is plain."""
    return str(getattr(text, "_args", (text,))[0])


def filter_arg(flt) -> str:
    """The name of list filter FLT in a URL (``flt0_<name>``): its label and operation in
    English, lower case, words joined by "_" (``status_equals``, ``appointment_is``)."""
    words = re.sub(r"[^a-z0-9 ]", "", f"{msgid(flt.name)} {msgid(flt.operation())}".lower())
    return "_".join(words.split())


class NamedFilterUrls:
    """Filters named in URLs (``flt0_status_equals=received``), not numbered, and the same
    in every language: Flask-Admin would name them from their label as drawn, in Vietnamese."""

    named_filter_urls = True

    def get_filter_arg(self, index: int, flt) -> str:
        return filter_arg(flt)


class QueryOptions:
    """Filter options read from the database, not once at start-up, kept a little while.

    Flask-Admin reads a filter's options when the view is built (no app context
    then, and new rows would never show); it iterates them again per request. They
    are kept OPTIONS_SECONDS per app process; a write of the rows they list made in
    this process drops them at once (``forget_options``), other servers within that time.
    """

    OPTIONS_SECONDS = 60

    def __init__(self, query):
        self.query = query

    def __bool__(self) -> bool:
        return True

    def __iter__(self):
        if not has_app_context():
            return iter(self.query())
        return iter(kept_a_while(id(self), lambda: list(self.query())))


def kept_a_while(key, build):
    """BUILD() kept OPTIONS_SECONDS per app process, dropped with the filter options."""
    store = current_app.extensions.setdefault("filter_options", {})
    now = time.monotonic()
    kept = store.get(key)
    if kept is None or kept[0] < now:
        kept = store[key] = (now + QueryOptions.OPTIONS_SECONDS, build())
    return kept[1]


def forget_options(*_args) -> None:
    """Drop the kept filter options and menus (a mapper event hook: the rows they list changed)."""
    if has_app_context():
        current_app.extensions.pop("filter_options", None)
