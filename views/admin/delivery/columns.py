"""The parcel list's columns: the status badge with its stalled flag, links, filters."""

from flask import g, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import select

from extensions import db
from models.agency import Agency
from models.base import utcnow
from models.delivery import DELIVERY_STATUSES
from services.delivery.watch import STUCK_STATUSES, is_stuck, stuck_clause, stuck_cutoff, stuck_days
from views.admin.core.filters import BoundedIntEqualFilter
from views.admin.core.formatters import labelled

STATUS_BADGE = labelled(DELIVERY_STATUSES, badges=True)


def office_options():
    rows = db.session.execute(
        select(Agency.id, Agency.name).where(Agency.kind == "post_office").order_by(Agency.name)
    )
    return [(str(i), name) for i, name in rows]


def status_formatter(view, context, model, name):
    """The parcel's status badge, flagged when it has not moved for N working days."""
    badge = STATUS_BADGE(view, context, model, name)
    if model.status not in STUCK_STATUSES:  # the cut-off reads the calendar: not for these
        return badge
    if "_stuck_cutoff" not in g:
        g._stuck_cutoff = stuck_cutoff(utcnow())
    if is_stuck(model, g._stuck_cutoff):
        flag = _("Stuck over %(days)s working days", days=stuck_days())
        return Markup('{} <span class="badge badge-danger stuck-flag">{}</span>').format(
            badge, flag
        )
    return badge


def dossier_link(view, context, model, name):
    return Markup('<a href="{}">{}</a>').format(
        url_for("dossier.details_view", id=model.dossier_id), model.dossier.code
    )


class StuckFilter(BoundedIntEqualFilter):
    """Orders out for delivery or failed for more than N working days."""

    def __init__(self, column, name):
        super().__init__(column, name, options=(("1", _l("Yes")),))

    def apply(self, query, value, alias=None):
        return query.filter(stuck_clause(stuck_cutoff(utcnow())))

    def operation(self):
        return _l("is")


def failure_reason(view, context, model, name):
    """The reason of the last failed attempt, while it still holds (not once delivered)."""
    return "" if model.status == "delivered" else (model.failure_reason or "")
