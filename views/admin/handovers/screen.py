"""The handover log screen: the batches, each with its dossiers; no batch is typed in."""

from functools import cache

from flask_admin.menu import MenuLink
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.orm import defaultload, joinedload

import permissions
from models.dossier import Dossier
from models.handover import DIRECTIONS, HANDOVER_STATUSES, Handover, HandoverItem
from models.user import name_only, named_only
from services.handovers import eligibility
from views.admin.core.base import SecuredModelView
from views.admin.core.formatters import labelled
from views.admin.handovers.flow import HandoverFlowMixin


def missing_formatter(view, context, model, name):
    """A red flag where the receiver found dossiers missing, else a plain "No"."""
    if not model.has_missing:
        return _("No")
    return Markup('<span class="badge badge-danger">{}</span>').format(_("Yes"))


class HandoverView(HandoverFlowMixin, SecuredModelView):
    resource = "handover"
    allow_edit = False  # a batch changes only by being confirmed or cancelled
    details_template = "admin/handover/details.html"  # with "In biên bản" (print)
    list_template = "admin/handover/list.html"
    route_actions = HandoverFlowMixin.route_actions
    simple_list_pager = True  # grows with the dossiers: no COUNT(*) per page
    column_select_related_list = (
        Handover.from_agency,
        Handover.to_agency,
        Handover.created_by,
    )
    column_list = (
        "code",
        "direction",
        "status",
        "from_agency",
        "to_agency",
        "sent_at",
        "created_by",
        "confirmed_at",
        "has_missing",
    )
    column_details_list = (
        "code",
        "direction",
        "status",
        "from_agency",
        "to_agency",
        "created_by",
        "sent_at",
        "confirmed_at",
        "confirmed_by",
        "has_missing",
        "cancelled_at",
        "cancelled_by",
        "cancel_reason",
        "note",
    )
    column_default_sort = ("created_at", True)
    column_sortable_list = ("code", "created_at", "sent_at", "confirmed_at", "status")
    column_searchable_list = ("code",)
    column_filters = ("direction", "status", "has_missing", "created_at")
    column_labels = {
        "code": _l("Handover code"),
        "direction": _l("Direction"),
        "status": _l("Status"),
        "from_agency": _l("From"),
        "to_agency": _l("To"),
        "created_at": _l("Created at"),
        "created_by": _l("Sent by"),
        "sent_at": _l("Sent at"),
        "confirmed_at": _l("Confirmed at"),
        "confirmed_by": _l("Confirmed by"),
        "has_missing": _l("Missing dossiers"),
        "cancelled_at": _l("Cancelled at"),
        "cancelled_by": _l("Cancelled by"),
        "cancel_reason": _l("Reason for cancelling"),
        "note": _l("Notes"),
    }
    column_choices = {
        "direction": DIRECTIONS.choices(),
        "status": HANDOVER_STATUSES.choices(),
    }
    column_formatters = {
        "status": labelled(HANDOVER_STATUSES, badges=True),
        "has_missing": missing_formatter,
    }

    @property
    def can_create(self):
        """No "Create" tab: batches start from the queue (the route leads there)."""
        return False

    def get_query(self):
        """The list's people are names: their roles and agencies are not read."""
        return super().get_query().options(defaultload(Handover.created_by).options(*name_only()))

    def one_options(self, pk):
        """The batch page in one statement: its agencies, people and dossiers."""
        return batch_options()


@cache
def batch_options() -> tuple:
    """The batch page's loader options (immutable: made once, reused by every request)."""
    return (
        joinedload(Handover.from_agency),
        joinedload(Handover.to_agency),
        named_only(Handover.created_by),
        named_only(Handover.confirmed_by),
        named_only(Handover.cancelled_by),
        joinedload(Handover.items)
        .joinedload(HandoverItem.dossier)
        .joinedload(Dossier.procedure_type),
    )


class HandoverLink(MenuLink):
    """A menu entry to one of the handover screens, shown to those who may use it."""

    def __init__(self, name, endpoint, action, category):
        super().__init__(name=name, endpoint=endpoint, category=category)
        self.action = action

    def is_accessible(self) -> bool:
        return (
            current_user.is_authenticated
            and permissions.can(current_user, "handover", "view")
            and permissions.can(current_user, "handover", self.action)
            and eligibility.direction_of(current_user) is not None
        )

    def is_visible(self) -> bool:
        return self.is_accessible()
