"""Column formatters: local times, VND amounts, labels and badges of enumerated values."""

from datetime import date, datetime

from flask_admin.model import typefmt
from markupsafe import Markup

from i18n import local_date, local_datetime, vnd


def _datetime_formatter(view, value, name):
    return local_datetime(value)


def _date_formatter(view, value, name):
    return local_date(value)


def money_formatter(view, context, model, name):
    """Column formatter for VND amounts: ``1.250.000 ₫``."""
    return vnd(getattr(model, name))


def labelled(mapping: dict, badges: dict | None = None):
    """A column formatter showing MAPPING's label for the value (blank for None).

    With BADGES (value → Bootstrap colour), the label is shown as a badge.
    """

    def formatter(view, context, model, name):
        value = getattr(model, name)
        if value is None:
            return ""
        label = mapping.get(value, value)
        if badges is None:
            return label
        return Markup('<span class="badge badge-{} status-badge">{}</span>').format(
            badges.get(value, "secondary"), label
        )

    return formatter


FORMATTERS = dict(typefmt.BASE_FORMATTERS) | {
    datetime: _datetime_formatter,
    date: _date_formatter,
}
DETAIL_FORMATTERS = dict(typefmt.DETAIL_FORMATTERS) | {
    datetime: _datetime_formatter,
    date: _date_formatter,
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(view, value, name=None):
    """Text a spreadsheet will not run as a formula: ``=cmd|...`` → ``'=cmd|...``."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


EXPORT_FORMATTERS = dict(typefmt.EXPORT_FORMATTERS) | {
    datetime: _datetime_formatter,
    date: _date_formatter,
    str: spreadsheet_safe,
}
