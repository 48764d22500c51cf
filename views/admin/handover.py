"""The handover log screen."""

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.validators import InputRequired

from models.base import utcnow
from models.handover import Handover
from services import codes
from views import labels
from views.admin.base import SecuredModelView
from views.admin.formatters import handover_items


class HandoverView(SecuredModelView):
    resource = "handover"
    details_template = "admin/handover/details.html"  # adds "In biên bản"
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
        "created_at",
        "created_by",
        "confirmed_at",
        "has_missing",
    )
    column_details_list = (*column_list, "confirmed_by", "note", "items")
    column_default_sort = ("created_at", True)
    column_sortable_list = ("code", "created_at", "confirmed_at", "status")
    column_searchable_list = ("code",)
    column_filters = ("direction", "status", "has_missing", "created_at")
    column_labels = {
        "code": _l("Handover code"),
        "direction": _l("Direction"),
        "status": _l("Status"),
        "from_agency": _l("From"),
        "to_agency": _l("To"),
        "created_at": _l("Created at"),
        "created_by": _l("Created by"),
        "confirmed_at": _l("Confirmed at"),
        "confirmed_by": _l("Confirmed by"),
        "has_missing": _l("Missing dossiers"),
        "note": _l("Notes"),
        "items": _l("Dossiers"),
    }
    column_formatters = {"items": handover_items}
    column_choices = {
        "direction": labels.choices(labels.DIRECTION),
        "status": labels.choices(labels.HANDOVER_STATUS),
    }
    form_columns = ("direction", "from_agency", "to_agency", "note")
    form_choices = {"direction": labels.choices(labels.DIRECTION)}
    form_args = {
        "from_agency": {"validators": [InputRequired()]},
        "to_agency": {"validators": [InputRequired()]},
    }

    def prepare(self, form, model, is_created):
        if is_created:
            model.code = codes.handover_code(model.created_at or utcnow())
            model.created_by_id = current_user.id
