"""One table per enumeration: each value with its Vietnamese name, msgid, badge, portal code.

An enumeration is declared once, beside its model, as a ``Vocabulary`` of ``Term``s; its
CHECK constraint, panel labels and badges, form and filter choices, service messages,
printed names and API schema enums are all computed from it, so adding a value is one
edit. A ``Vocabulary`` is the tuple of its values (``in``, iteration, ``join`` and
SQLAlchemy's ``in_`` work as on a plain tuple) that also knows its terms.

``N_`` marks an English msgid for pybabel (one of its default keywords) without
translating it; ``label`` and ``choices`` translate it when read, in the user's language.
"""

from dataclasses import dataclass

from flask_babel import LazyString, lazy_gettext

from models.base import enum_check

DEFAULT_BADGE = "secondary"


def N_(msgid: str) -> str:
    """MSGID unchanged, marked for extraction into the catalogue."""
    return msgid


@dataclass(frozen=True)
class Term:
    """One value: as stored, its Vietnamese name (services, printed forms), its UI msgid."""

    value: str
    vi: str
    msgid: str
    badge: str | None = None  # Bootstrap colour, where the panel shows the value as a badge
    portal: int | None = None  # code on the national public-service portal (statuses)


class Vocabulary(tuple):
    """The values of one enumeration in order, with their terms."""

    def __new__(cls, *terms: Term):
        values = tuple(t.value for t in terms)
        if len(set(values)) != len(values):
            raise ValueError(f"a value is declared twice: {values}")
        vocabulary = super().__new__(cls, values)
        vocabulary.terms = terms
        vocabulary._by_value = {t.value: t for t in terms}
        return vocabulary

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(self)

    def term(self, value: str) -> Term:
        return self._by_value[value]

    def vi(self, value: str | None) -> str:
        """VALUE's Vietnamese name; an unknown value as it is, None as ""."""
        if value is None:
            return ""
        term = self._by_value.get(value)
        return term.vi if term else value

    def label(self, value: str | None) -> LazyString | str:
        """VALUE's label, translated when shown; an unknown value as it is, None as ""."""
        if value is None:
            return ""
        term = self._by_value.get(value)
        return lazy_gettext(term.msgid) if term else value

    def badge(self, value: str | None) -> str:
        """VALUE's badge colour (``secondary`` when it has none)."""
        term = self._by_value.get(value)
        return (term.badge if term else None) or DEFAULT_BADGE

    def portal(self, value: str) -> int | None:
        return self._by_value[value].portal

    def labels(self) -> dict[str, LazyString]:
        """Value → label (translated when shown)."""
        return {t.value: lazy_gettext(t.msgid) for t in self.terms}

    def choices(self) -> list[tuple[str, LazyString]]:
        """(value, label) pairs for a select or a filter, in declaration order."""
        return list(self.labels().items())

    def check(self, column: str) -> str:
        """SQL for the CHECK that keeps COLUMN among the values."""
        return enum_check(column, self)
