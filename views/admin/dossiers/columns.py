"""The dossier list's columns and filter options: formatters and the options they list."""

from datetime import date, datetime

from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy import event, select

from extensions import db
from i18n import local_datetime
from models.agency import Agency
from models.catalog import ProcedureType
from services.calendar import LOCAL_TZ
from services.dossiers.timeliness import is_due_today, is_overdue
from vietnam.dates import format_day
from views.admin.core.filters import forget_options


def procedure_options():
    """(id, code — name) of every procedure type, for the list filter."""
    rows = db.session.execute(
        select(ProcedureType.id, ProcedureType.code, ProcedureType.name).order_by(
            ProcedureType.code
        )
    )
    return [(str(i), f"{code} — {name}") for i, code, name in rows]


def department_options():
    rows = db.session.execute(
        select(Agency.id, Agency.name).where(Agency.kind == "department").order_by(Agency.name)
    )
    return [(str(i), name) for i, name in rows]


for _model in (ProcedureType, Agency):  # the options below list their rows
    for _event in ("after_insert", "after_update", "after_delete"):
        event.listen(_model, _event, forget_options)


def code_link(view, context, model, name):
    """The dossier's code as a link to its page (one click from any list)."""
    return Markup('<a class="dossier-code text-nowrap" href="{}">{}</a>').format(
        view.get_url(".details_view", id=model.id), model.code
    )


def due_formatter(view, context, model, name):
    """The appointment, flagged when overdue or due today."""
    now = datetime.now(LOCAL_TZ)
    text = local_datetime(model.due_at)
    if is_overdue(model.status, model.due_at, now):
        return Markup('{} <span class="badge badge-danger">{}</span>').format(text, _("Overdue"))
    if is_due_today(model.status, model.due_at, now):
        return Markup('{} <span class="badge badge-warning">{}</span>').format(text, _("Due today"))
    return text


def extra_data_formatter(view, context, model, name):
    """The procedure's extra fields, by their labels."""
    values = model.extra_data or {}
    fields = {f.key: f for f in model.procedure_type.extra_fields}
    items = [
        (fields[k].label if k in fields else k, _extra_value(fields.get(k), v))
        for k, v in values.items()
    ]
    return Markup("<br>").join(Markup("<b>{}</b>: {}").format(k, v) for k, v in items)


def _extra_value(definition, value):
    """A stored extra value as shown: a date field's ISO day as dd/mm/yyyy."""
    if definition is not None and definition.field_type == "date" and isinstance(value, str):
        try:
            return format_day(date.fromisoformat(value))
        except ValueError:
            return value
    return value


def documents_formatter(view, context, model, name):
    return Markup("<br>").join(model.documents_checked or [])


def procedure_formatter(view, context, model, name):
    """The procedure's name, its national code small and muted above it."""
    procedure = model.procedure_type
    code, name = escape(procedure.code), escape(procedure.name)
    return Markup(f'<small class="text-muted d-block">{code}</small>{name}')  # noqa: S704
