"""The audit log screen: read-only, append-only, narrowed to one record on demand."""

import re

from flask import current_app, request, url_for
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import select

from extensions import db
from models.audit import AuditEntry
from models.dossier import Dossier
from views import labels
from views.admin.core.base import SecuredModelView


def action_formatter(view, context, model, name):
    return labels.audit_action_label(model.action)


def entity_formatter(view, context, model, name):
    return labels.RESOURCE.get(model.entity, model.entity)


def record_link(view, context, model, name):
    """The record's ID as a link to its details page, where the record has one."""
    endpoint = f"{model.entity}.details_view"
    if not model.entity_id or endpoint not in current_app.view_functions:
        return model.entity_id or ""
    if model.action == "delete":
        return model.entity_id  # nothing left to open
    return Markup('<a href="{}">{}</a>').format(
        url_for(endpoint, id=model.entity_id), model.entity_id
    )


#: A dossier code: the agency's code, the receipt day, the day's number (000.00.15.H55-260301-0001).
DOSSIER_CODE = re.compile(r"\b[0-9A-Z][0-9A-Z.]*-\d{6}-\d{4}\b")


def summary_links(view, context, model, name):
    """The summary, each dossier code in it a link to the dossier's page."""
    text = model.summary or ""
    codes = set(DOSSIER_CODE.findall(text))
    if not codes:
        return text
    ids = dict(
        db.session.execute(select(Dossier.code, Dossier.id).where(Dossier.code.in_(codes))).all()
    )
    parts, last = [], 0
    for match in DOSSIER_CODE.finditer(text):
        code = match.group(0)
        parts.append(escape(text[last : match.start()]))
        if code in ids:
            url = url_for("dossier.details_view", id=ids[code])
            code = Markup('<a class="dossier-code" href="{}">{}</a>').format(url, code)
        parts.append(code)
        last = match.end()
    parts.append(text[last:])
    return Markup("").join(parts)


class AuditLogView(SecuredModelView):
    """Read-only for everyone: the audit log is append-only."""

    resource = "audit_log"
    allow_create = False
    allow_edit = False
    simple_list_pager = True
    column_list = (
        "at",
        "actor_username",
        "ip_address",
        "action",
        "entity",
        "entity_id",
        "summary",
    )
    column_details_list = (*column_list, "changes")
    column_default_sort = ("at", True)
    column_sortable_list = ("at",)
    column_filters = ("action", "entity", "entity_id", "actor_username", "at")
    column_labels = {
        "at": _l("Time"),
        "actor_username": _l("User"),
        "ip_address": _l("IP address"),
        "action": _l("Action"),
        "entity": _l("Record type"),
        "entity_id": _l("Record ID"),
        "summary": _l("Summary"),
        "changes": _l("Changes"),
    }

    column_formatters = {
        "action": action_formatter,
        "entity": entity_formatter,
        "entity_id": record_link,
        "summary": summary_links,
    }
    column_choices = {
        "entity": labels.choices(labels.RESOURCE),
        "action": labels.choices(labels.AUDIT_ACTION | labels.ACTION),
    }
    column_formatters_export = {"action": action_formatter, "entity": entity_formatter}

    def get_query(self):
        """``?entity=dossier&entity_id=5`` narrows the log to one record's entries."""
        return self._one_record(super().get_query())

    def get_count_query(self):
        return self._one_record(super().get_count_query())

    def _one_record(self, query):
        entity, entity_id = request.args.get("entity"), request.args.get("entity_id")
        if entity and entity_id:
            query = query.filter(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)
        return query
