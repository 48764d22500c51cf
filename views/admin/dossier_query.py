"""How the dossier screens read millions of rows: code-shaped search on the code's
index, folded words on the trigram index, deep pages by a deferred join, and the
details page in one statement."""

import re
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from extensions import db
from models.agency import Agency
from models.catalog import ProcedureType
from models.dossier import Dossier, DossierHistory
from models.user import named_only
from services.text import contains_pattern, fold
from views.admin.filters import kept_a_while

# "000.00.15.H55-260310-0001", or the start of one ("000.00.15.H55-2603"); past the
# 9,999th dossier of a day the number has more digits ("…-260310-10000").
CODE_SHAPE = re.compile(r"[0-9A-Z][0-9A-Z.]*-\d{1,6}(-\d*)?", re.ASCII)
FULL_CODE = re.compile(r".+-\d{6}-\d{4,}", re.ASCII)


def code_clause(search: str):
    """The condition on the code's unique index for a code-shaped SEARCH, or None.

    A whole code is looked up by equality; the start of one by a prefix (the index
    serves it under the C collation, or a text_pattern_ops one). When no code is or
    starts so, None: the words are then searched like any others (inside codes too).
    """
    term = search.strip().upper()
    if not CODE_SHAPE.fullmatch(term):
        return None
    clause = Dossier.code == term if FULL_CODE.fullmatch(term) else Dossier.code.like(term + "%")
    if term.partition("-")[0] in agency_codes():
        return clause  # a code from its start: the words would find no other dossier
    found = db.session.scalar(select(Dossier.id).where(clause).limit(1))
    return clause if found is not None else None


def agency_codes() -> frozenset[str]:
    """The agencies' codes (the start of every dossier code), kept as filter options are."""
    return kept_a_while("agency_codes", lambda: frozenset(db.session.scalars(select(Agency.code))))


def words_clauses(column, search: str) -> list:
    """Each word of SEARCH, folded (diacritics ignored), inside the folded COLUMN: a
    trigram index serves it on PostgreSQL."""
    return [column.like(contains_pattern(word), escape="\\") for word in fold(search).split()]


class IndexedSearchMixin:
    """Flask-Admin's search box answered by ``search_clauses`` (conditions an index
    serves) instead of ILIKE '%…%' over every searchable column."""

    def search_clauses(self, search: str) -> list:
        raise NotImplementedError

    def _apply_search(self, query, count_query, joins, count_joins, search):
        for clause in self.search_clauses(search):
            query = query.filter(clause)
            if count_query is not None:
                count_query = count_query.filter(clause)
        return query, count_query, joins, count_joins


class FastListMixin(IndexedSearchMixin):
    """Search, order, pages and details of the dossier list, for millions of rows."""

    def search_clauses(self, search: str) -> list:
        """A code (or its start) by the code's index; else every word against the
        folded search column (diacritics ignored), by the trigram index."""
        clause = code_clause(search)
        return [clause] if clause is not None else words_clauses(Dossier.search_text, search)

    def _apply_sorting(self, query, joins, sort_column, sort_desc):
        """Flask-Admin's order, then the id: equal receipt times keep a fixed order
        (so pages neither repeat nor skip rows) and (received_at, id) indexes serve it."""
        query, joins = super()._apply_sorting(query, joins, sort_column, sort_desc)
        descending = sort_desc if sort_column is not None else self.column_default_sort[1]
        return query.order_by(Dossier.id.desc() if descending else Dossier.id.asc()), joins

    def _apply_pagination(self, query, page, page_size):
        """Deep pages by a deferred join: the page's ids are found on the index alone,
        then only those rows are read (OFFSET over full rows costs 100× more)."""
        size = page_size or self.page_size
        if not page or not size:
            return super()._apply_pagination(query, page, page_size)
        ids = query.enable_eagerloads(False).with_entities(Dossier.id)
        ids = ids.offset(page * size).limit(size).scalar_subquery()
        return query.filter(Dossier.id.in_(ids))

    def one_options(self):
        """What the details page shows, joined to the dossier in one statement (of the
        people only their names are shown). Built once: the options never change."""
        return details_options()


@cache
def details_options() -> tuple:
    """The details page's loader options (immutable: made once, reused by every request)."""
    return (
        joinedload(Dossier.procedure_type).joinedload(ProcedureType.extra_fields),
        joinedload(Dossier.agency),
        joinedload(Dossier.post_office),
        named_only(Dossier.received_by),
        named_only(Dossier.updated_by),
        joinedload(Dossier.history).options(named_only(DossierHistory.actor)),
    )
