"""The words our static scripts show (select2 look-ups, date pickers), in the user's language.

Rendered into the page as a data attribute (no inline script under the CSP) and read by
static/panel.js.
"""

from flask_babel import gettext as _

from i18n import per_language


def client_text() -> dict:
    """Translated labels for select2 and the date picker; the week starts on Monday."""
    return per_language("client_text", _client_text)


def _client_text() -> dict:
    return {
        "select2": {
            "noMatches": _("No matches found"),
            "searching": _("Searching…"),
            "inputTooShort": _("Type at least %(n)s more characters", n="{n}"),
            "loadMore": _("Loading more results…"),
        },
        "datepicker": {
            "format": "DD/MM/YYYY",
            "applyLabel": _("Apply"),
            "cancelLabel": _("Cancel"),
            "fromLabel": _("Date from"),
            "toLabel": _("Date to"),
            "daysOfWeek": [_("Su"), _("Mo"), _("Tu"), _("We"), _("Th"), _("Fr"), _("Sa")],
            "monthNames": [_("Month %(n)s", n=n) for n in range(1, 13)],
            "firstDay": 1,
        },
    }
