"""Foreign-key look-ups (``ajax/lookup``) that respect row scope and cap their size."""

from flask_admin.contrib.sqla.ajax import QueryAjaxModelLoader
from flask_login import current_user
from sqlalchemy import false

import permissions
from models import Agency, DeliveryOrder, Dossier, Handover, ProcedureType, Role, User
from views.admin.params import clamp, parse_id

MAX_LOOKUP_ROWS = 20
RESOURCE_OF_MODEL = {
    Dossier: "dossier",
    Handover: "handover",
    DeliveryOrder: "delivery_order",
    ProcedureType: "procedure_type",
    Agency: "agency",
    User: "user",
    Role: "role",
}


class ScopedAjaxLoader(QueryAjaxModelLoader):
    """Flask-Admin's loader, limited to rows the user may see and to a small page."""

    @property
    def resource(self) -> str:
        return RESOURCE_OF_MODEL[self.model]

    def get_query(self):
        query = super().get_query()
        if not permissions.can(current_user, self.resource, "view"):
            return query.filter(false())
        if hasattr(self.model, "active"):  # pick only what is in use
            query = query.filter(self.model.active.is_(True))
        return permissions.scope(current_user, self.resource, query)

    def get_one(self, pk):
        """The row with PK if the user may see it, else None (the field then refuses it)."""
        pk = parse_id(pk)
        if pk is None:
            return None
        with self.get_query().session.no_autoflush:
            return self.get_query().filter(self.model.id == pk).one_or_none()

    def get_list(self, term, offset=0, limit=10):
        limit = clamp(limit, 1, MAX_LOOKUP_ROWS, 10)
        return super().get_list((term or "")[:100], clamp(offset, 0, 10_000, 0), limit)
