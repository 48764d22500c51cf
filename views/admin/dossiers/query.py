"""How the dossier screens read millions of rows: search on indexes (services.dossiers.search),
deep pages by a deferred join, and the details page in one statement."""

from functools import lru_cache

from flask import abort, current_app, g, redirect, request
from flask_admin import expose
from flask_login import current_user
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload, with_expression

import permissions
from extensions import db
from models.base import BigId
from models.catalog import ProcedureType
from models.dossier import Dossier, DossierHistory
from models.partitions import quarter_of_id, quarter_partition, same_partition
from models.user import named_only
from services.dossiers import partitions, search, transfers
from views.admin.core.filters import kept_a_while
from views.admin.core.indexed_search import IndexedSearchMixin, agency_codes
from views.admin.core.params import parse_id

#: The list's URL argument that searches every quarter, not only the newest ones.
EVERY_QUARTER = "all_quarters"


class FastListMixin(IndexedSearchMixin):
    """Search, order, pages and details of the dossier list, for millions of rows."""

    search_clauses = staticmethod(search.dossier_clauses)

    @expose("/")
    def index_view(self):
        """The list; a search for one whole code in the user's scope opens that dossier."""
        found = self.exact_code_match(request.args.get("search"))
        if found is not None:
            return redirect(self.get_url(".details_view", id=found))
        return super().index_view()

    def exact_code_match(self, typed: str | None) -> int | None:
        """The id of the one dossier in scope whose code is TYPED (any case), or None."""
        code = search.exact_code(typed)
        if code is None:
            return None
        ids = self.get_query().filter(Dossier.code == code).with_entities(Dossier.id)
        return ids.limit(1).scalar()

    def search_conditions(self, typed: str) -> list:
        """The words, kept to the newest quarters (services.dossiers.search.recent_window);
        the window kept to is left in ``g.search_window`` for the list to say so."""
        window = self.search_window()
        clauses, g.search_window = search.dossier_search(typed, agency_codes(), window)
        return clauses

    def search_window(self) -> search.Window | None:
        """The newest quarters a word search keeps to; None when the user asked for every
        quarter or filters the receipt date (that bounds the search already)."""
        rows = current_app.config.get("SEARCH_WINDOW_ROWS") or 0
        if not rows or request.args.get(EVERY_QUARTER) or self._filters_receipt_date():
            return None
        return kept_a_while(("search_window", rows), lambda: search.recent_window(rows))

    def _filters_receipt_date(self) -> bool:
        return any(
            getattr(getattr(self._filters[index], "column", None), "key", None) == "received_at"
            for index, _name, _value in self._get_list_filter_args() or ()
        )

    def every_quarter_url(self) -> str:
        """This list's URL, searching every quarter."""
        args = {key: value for key, value in request.args.items() if key != "page"}
        return self.get_url(".index_view", **{**args, EVERY_QUARTER: 1})

    def _apply_sorting(self, query, joins, sort_column, sort_desc):
        """Flask-Admin's order, then the id: equal receipt times keep a fixed order
        (so pages neither repeat nor skip rows) and (received_at, id) indexes serve it."""
        query, joins = super()._apply_sorting(query, joins, sort_column, sort_desc)
        descending = sort_desc if sort_column is not None else self.column_default_sort[1]
        return query.order_by(Dossier.id.desc() if descending else Dossier.id.asc()), joins

    def get_list(self, page, sort_column, sort_desc, typed, filters, execute=True, page_size=None):
        """The first page in the default order (newest first) reads this quarter's
        partitions first: PostgreSQL then plans over them alone, not over every quarter
        of the years kept (planning grows with the partitions, and the read stops at the
        page anyway). Only when they hold less than a page is every quarter read. Not for
        a search: a code names its own quarter, and words keep to their window of quarters
        (``search_window``): a search matching nothing would be read twice."""
        asked = (page, sort_column, sort_desc, typed, filters)
        newest_first = not page and sort_column is None and not (typed or "").strip()
        if not execute or not newest_first or not partitions.postgres():
            return super().get_list(*asked, execute, page_size)
        g.newest_first = partitions.this_quarter_first_id()
        count, rows = super().get_list(*asked, True, page_size)
        if len(rows) >= (page_size or self.page_size):
            return count, rows
        return super().get_list(*asked, True, page_size)

    def _apply_pagination(self, query, page, page_size):
        """Deep pages by a deferred join: the page's ids are found on the index alone,
        then only those rows are read (OFFSET over full rows costs 100× more)."""
        newest = g.pop("newest_first", None)
        if newest is not None:  # this quarter's partitions (and the default one) alone
            query = query.filter(Dossier.id >= newest)
        size = page_size or self.page_size
        if not page or not size:
            return super()._apply_pagination(query, page, page_size)
        ids = query.enable_eagerloads(False).with_entities(Dossier.id)
        ids = ids.offset(page * size).limit(size).scalar_subquery()
        return query.filter(Dossier.id.in_(ids))

    def get_one(self, id):
        """The dossier with what its page shows, in one statement kept per quarter and
        scope (``details_statement``); 404 when it is not in the user's scope or not at all
        (the two look alike)."""
        pk = parse_id(id, big=True)
        if pk is None:
            abort(404)
        scope = permissions.scope_clause(current_user, self.resource)
        found = db.session.execute(details_statement(pk, scope), {"pk": pk})
        row = found.unique().scalar_one_or_none()
        if row is None:
            abort(404)
        return row


#: The details page's statements, by (quarter, scope): see ``details_statement``.
_KEPT_STATEMENTS: dict = {}


def details_statement(pk: int, scope):
    """The details page's statement for dossier PK among the rows of SCOPE (a SQL
    condition, None for every row), PK its one parameter.

    The same object serves every dossier of PK's quarter in that scope: SQLAlchemy walks a
    new statement's whole tree to key its compiled form on every run (ten joined loads:
    half a millisecond of the page), a kept one once. The partition's bounds are constants
    (``same_partition``) so that PostgreSQL keeps its plan too."""
    key = (quarter_of_id(pk), clause_key(scope))
    statement = _KEPT_STATEMENTS.get(key)
    if statement is None:
        statement = (
            select(Dossier)
            .options(*details_options(key[0]))
            .where(Dossier.id == bindparam("pk", type_=BigId), *same_partition(Dossier.id, pk))
        )
        statement = statement if scope is None else statement.where(scope)
        if len(_KEPT_STATEMENTS) >= 1024:  # quarters × agencies: bounded all the same
            _KEPT_STATEMENTS.clear()
        _KEPT_STATEMENTS[key] = statement
    return statement


def clause_key(clause) -> tuple | None:
    """A hashable key of CLAUSE with its values: two clauses share it only when they
    would read the same rows."""
    if clause is None:
        return None
    cache_key = clause._generate_cache_key()
    return cache_key.key, tuple(p.effective_value for p in cache_key.bindparams)


@lru_cache(maxsize=64)
def details_options(quarter: int | None) -> tuple:
    """The details page's loader options for a dossier of QUARTER (immutable: made once,
    reused by every request); its history is read from that quarter's partition alone."""
    history = Dossier.history.and_(*quarter_partition(DossierHistory.dossier_id, quarter))
    return (
        joinedload(Dossier.procedure_type).joinedload(ProcedureType.extra_fields),
        joinedload(Dossier.agency),
        joinedload(Dossier.post_office),
        named_only(Dossier.received_by),
        named_only(Dossier.updated_by),
        joinedload(history).options(named_only(DossierHistory.actor)),
        joinedload(Dossier.files),  # mostly none: a left join that adds no row
        with_expression(Dossier.carried, transfers.carried()),  # else no transfers to read
    )
