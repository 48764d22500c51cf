"""Column formatters: local times, VND amounts, labels and badges of enumerated values."""

import re
from datetime import date, datetime

from flask import g, render_template
from flask_admin.model import typefmt
from flask_babel import gettext as _
from markupsafe import Markup, escape

from i18n import local_date, local_datetime, per_language, vnd
from models.delivery import EVENT_SOURCES
from models.vocabulary import Vocabulary
from vietnam.text import formula_safe


def _datetime_formatter(view, value, name):
    return local_datetime(value)


def _date_formatter(view, value, name):
    return local_date(value)


def money_formatter(view, context, model, name):
    """Column formatter for VND amounts: ``1.250.000 ₫``."""
    return vnd(getattr(model, name))


def labelled(vocabulary: Vocabulary, badges: bool = False):
    """A column formatter showing VOCABULARY's label for the value (blank for None).

    With BADGES, the label is shown as a badge in the value's colour.
    """

    key = ("labelled", id(vocabulary))  # the formatter keeps it alive: its id is its own

    def formatter(view, context, model, name):
        value = getattr(model, name)
        if value is None:
            return ""
        labels = per_language(key, lambda: {k: str(v) for k, v in vocabulary.labels().items()})
        label = labels.get(value, value)
        if not badges:
            return label
        colour = escape(vocabulary.badge(value))
        return Markup(f'<span class="badge badge-{colour} status-badge">{escape(label)}</span>')  # noqa: S704

    return formatter


def yes_no(view, value, name=None) -> str:
    """Booleans as Có / Không (Flask-Admin draws False as a "stop" icon)."""
    return _("Yes") if value else _("No")


def handover_items(view, context, model, name):
    """The dossiers of a handover, as links (not ``<HandoverItem 373>``)."""
    html = render_template("admin/handover/_items.html", items=model.items)
    return Markup(html)  # noqa: S704  (rendered by an autoescaping template)


def delivery_events(view, context, model, name):
    """A parcel's tracking events, one readable line each."""
    html = render_template(
        "admin/delivery_order/_events.html", events=model.events, event_sources=EVENT_SOURCES
    )
    return Markup(html)  # noqa: S704  (rendered by an autoescaping template)


FORMATTERS = dict(typefmt.BASE_FORMATTERS) | {
    bool: yes_no,
    datetime: _datetime_formatter,
    date: _date_formatter,
}
DETAIL_FORMATTERS = dict(typefmt.DETAIL_FORMATTERS) | {
    bool: yes_no,
    datetime: _datetime_formatter,
    date: _date_formatter,
}


NUMBER_LIKE = re.compile(r"\+?\d{6,}")


def spreadsheet_safe(view, value, name=None):
    """Text a spreadsheet will not run as a formula: ``=cmd|...`` → ``'=cmd|...``.

    In a CSV, long digit strings (ID numbers, phones, tax codes) become ``="0983123456"``,
    which Excel shows as that text instead of a number without its leading zero.
    """
    text = str(value)
    if NUMBER_LIKE.fullmatch(text) and g.get("export_type") == "csv":
        return f'="{text}"'
    return formula_safe(text)


EXPORT_FORMATTERS = dict(typefmt.EXPORT_FORMATTERS) | {
    bool: yes_no,
    datetime: _datetime_formatter,
    date: _date_formatter,
    str: spreadsheet_safe,
}
