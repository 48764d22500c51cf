"""What a search box's words become: conditions an index serves, on millions of rows.

A dossier code (or its start) goes to the code's unique index, a whole UPU S10 tracking
code to its own; other words, folded (diacritics ignored), each inside a folded search
column, which a trigram index serves on PostgreSQL. The panel's lists call these.

Words that few or no dossiers hold make the trigram index read its posting lists to
their end, and those grow with the table. So on PostgreSQL a word search keeps to a
window of the newest quarters (``recent_window``: about SEARCH_WINDOW_ROWS dossiers),
which bounds its time however many years the table holds; the user asks for the older
quarters with one click.
"""

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, or_, select

from extensions import db
from models.delivery import DeliveryOrder
from models.dossier import Dossier
from models.partitions import LEGACY_BELOW, quarter_bounds, quarter_first_day
from services.dossiers import partitions
from vietnam.text import contains_pattern, fold

# "000.00.15.H55-260310-0001", or the start of one ("000.00.15.H55-2603"); past the
# 9,999th dossier of a day the number has more digits ("…-260310-10000").
CODE_SHAPE = re.compile(r"[0-9A-Z][0-9A-Z.]*-\d{1,6}(-\d*)?", re.ASCII)
FULL_CODE = re.compile(r".+-\d{6}-\d{4,}", re.ASCII)
# A whole UPU S10 tracking code: two letters, nine digits, two letters.
TRACKING_CODE = re.compile(r"[A-Z]{2}\d{9}[A-Z]{2}", re.ASCII)


def code_clause(search: str, agency_codes: frozenset[str] = frozenset()):
    """The condition on the dossier code's unique index for a code-shaped SEARCH, or None.

    A whole code is looked up by equality; the start of one by a prefix (the index
    serves it under the C collation, or a text_pattern_ops one). A code starting with one
    of AGENCY_CODES is taken as one at once; otherwise, when no code is or starts so,
    None: the words are then searched like any others (inside codes too).
    """
    term = search.strip().upper()
    if not CODE_SHAPE.fullmatch(term):
        return None
    clause = Dossier.code == term if FULL_CODE.fullmatch(term) else Dossier.code.like(term + "%")
    quarters = code_quarters(term)
    if quarters is not None and db.session.get_bind().dialect.name == "postgresql":
        clause = and_(clause, _in_quarters(*quarters))
    if term.partition("-")[0] in agency_codes:
        return clause  # a code from its start: the words would find no other dossier
    found = db.session.scalar(select(Dossier.id).where(clause).limit(1))
    return clause if found is not None else None


def code_quarters(term: str) -> tuple[int, int] | None:
    """The first and last quarter (models.partitions) a code starting with TERM can be of,
    from the receipt day inside it (``YYMMDD``: its year, or its month); None if unsaid."""
    digits = term.partition("-")[2].partition("-")[0]
    if len(digits) < 2:
        return None
    year = 2000 + int(digits[:2])
    month = int(digits[2:4]) if len(digits) >= 4 else 0
    if 1 <= month <= 12:
        return (year * 4 + (month - 1) // 3,) * 2
    return year * 4, year * 4 + 3


def _in_quarters(first: int, last: int):
    """Dossier ids of quarters FIRST..LAST, or of the rows from before the partitions: the
    other quarters' partitions are not read (PostgreSQL prunes them)."""
    low, high = quarter_bounds(first)[0], quarter_bounds(last)[1]
    return or_(and_(Dossier.id >= low, Dossier.id < high), Dossier.id < LEGACY_BELOW)


def exact_code(search: str | None) -> str | None:
    """SEARCH as a whole dossier code (upper-cased: scanners and hands type it in lower
    case too), or None when it is not shaped like one."""
    term = (search or "").strip().upper()
    if CODE_SHAPE.fullmatch(term) and FULL_CODE.fullmatch(term):
        return term
    return None


def words_clauses(column, search: str) -> list:
    """Each word of SEARCH, folded, inside the folded COLUMN (``%`` and ``_`` as such)."""
    return [column.like(contains_pattern(word), escape="\\") for word in fold(search).split()]


@dataclass(frozen=True)
class Window:
    """The newest quarters a word search keeps to: dossier ids from LOW, which are the
    dossiers received from SINCE (the first day of the oldest quarter in it) on."""

    low: int
    since: date


def recent_window(rows: int) -> Window | None:
    """The newest quarters that hold, by PostgreSQL's estimate, at least ROWS dossiers
    (the quarter that reaches ROWS is in); None when that is every dossier, or on SQLite.

    The legacy partition (rows from before the partitions) counts as the oldest quarter;
    the default one (quarters nobody made) is always searched: it is meant to be empty.
    """
    listed = [p for p in partitions.listing() if p.table == "dossier"]
    newest_first = sorted((p for p in listed if p.quarter), key=lambda p: -p.quarter)
    legacy = sum(p.rows for p in listed if p.name.endswith("_legacy"))
    total = 0
    for position, partition in enumerate(newest_first):
        total += partition.rows
        if total < rows:
            continue
        if not legacy and not any(p.rows for p in newest_first[position + 1 :]):
            return None  # nothing older to leave out
        return Window(quarter_bounds(partition.quarter)[0], quarter_first_day(partition.quarter))
    return None


def dossier_clauses(search: str, agency_codes: frozenset[str] = frozenset()) -> list:
    """A dossier code (or its start); else code, name, phone or citizen ID words."""
    return dossier_search(search, agency_codes)[0]


def dossier_search(
    search: str, agency_codes: frozenset[str] = frozenset(), window: Window | None = None
) -> tuple[list, Window | None]:
    """The conditions of ``dossier_clauses``, words kept to WINDOW (a code carries its
    quarter already); and the window they keep to, or None."""
    clause = code_clause(search, agency_codes)
    if clause is not None:
        return [clause], None
    words = words_clauses(Dossier.search_text, search)
    if not words or window is None:
        return words, None
    return [*words, Dossier.id >= window.low], window


def delivery_order_clauses(search: str, agency_codes: frozenset[str] = frozenset()) -> list:
    """A whole tracking code; a dossier code (or its start); else the words of the
    tracking code and the recipient's name and phone."""
    term = search.strip().upper()
    if TRACKING_CODE.fullmatch(term):
        return [DeliveryOrder.tracking_code == term]
    dossier = code_clause(search, agency_codes)
    if dossier is not None:
        return [DeliveryOrder.dossier_id.in_(select(Dossier.id).where(dossier))]
    return words_clauses(DeliveryOrder.search_text, search)
