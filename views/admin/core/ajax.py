"""Foreign-key look-ups (``ajax/lookup``) that respect row scope and cap their size."""

from flask_admin.contrib.sqla.ajax import QueryAjaxModelLoader
from flask_login import current_user
from sqlalchemy import false

import permissions
from models import Agency, DeliveryOrder, Dossier, Handover, ProcedureType, Role, User
from vietnam.text import fold, search_key
from views.admin.core.params import big_ids, clamp, parse_id

MAX_LOOKUP_ROWS = 20
# Small catalogs searched without diacritics in Python: model → the fields matched.
FOLDED_CATALOGS = {ProcedureType: ("code", "name")}
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

    def one_query(self):
        """Where a posted id is looked up: the rows in scope (a subclass may list fewer)."""
        return self.get_query()

    def get_one(self, pk):
        """The row with PK if the user may see it, else None (the field then refuses it)."""
        pk = parse_id(pk, big_ids(self.model))
        if pk is None:
            return None
        query = self.one_query()
        with query.session.no_autoflush:
            return query.filter(self.model.id == pk).one_or_none()

    def get_list(self, term, offset=0, limit=10):
        limit = clamp(limit, 1, MAX_LOOKUP_ROWS, 10)
        term, offset = (term or "")[:100], clamp(offset, 0, 10_000, 0)
        if self.model in FOLDED_CATALOGS:
            return self._folded(term, offset, limit)
        return super().get_list(term, offset, limit)

    def _folded(self, term, offset, limit):
        """Catalog rows whose code or name holds every word of TERM, with or without
        diacritics (``buu chinh`` finds ``bưu chính``), as the dossier search does.

        A catalog has hundreds of rows, not millions: they are matched here, in order.
        """
        words = fold(term).split()
        fields = FOLDED_CATALOGS[self.model]
        rows = self.get_query().order_by(*(getattr(self.model, f) for f in fields))
        found = [
            row
            for row in rows
            if all(w in search_key(*(getattr(row, f) for f in fields)) for w in words)
        ]
        return found[offset : offset + limit]
