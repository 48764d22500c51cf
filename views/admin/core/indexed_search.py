"""Flask-Admin's search box answered through ``services.dossiers.search`` (conditions an index
serves) instead of its ILIKE '%…%' over every searchable column."""

from sqlalchemy import select

from extensions import db
from models.agency import Agency
from views.admin.core.filters import kept_a_while


def agency_codes() -> frozenset[str]:
    """The agencies' codes (the start of every dossier code), kept as filter options are."""
    return kept_a_while("agency_codes", lambda: frozenset(db.session.scalars(select(Agency.code))))


class IndexedSearchMixin:
    """A list whose search is ``search_clauses(search, agency_codes)``, a function of
    ``services.dossiers.search``."""

    search_clauses = None  # set per screen, e.g. staticmethod(search.dossier_clauses)

    def _apply_search(self, query, count_query, joins, count_joins, search):
        for clause in self.search_conditions(search):
            query = query.filter(clause)
            if count_query is not None:
                count_query = count_query.filter(clause)
        return query, count_query, joins, count_joins

    def search_conditions(self, search: str) -> list:
        """The conditions SEARCH becomes (a screen may keep them to fewer rows)."""
        return self.search_clauses(search, agency_codes())
