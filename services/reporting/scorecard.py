"""The 766 scorecard of the counter (DOMAIN.md "Scorecard 766"), one declaration per indicator.

Each indicator is one record: its number, name, formula, maximum points, the ratio
from which it earns them all (proportional below), and its data source, a function
of the period's figures answering (part, whole), or None when the panel has no data
for it (the portal sync without a portal, results sent to the citizen's store): the
page then says "chưa có dữ liệu", never a made-up zero. An empty whole is "—". The
figures come from the periodic report (services.reporting.periodic), so they stand as at
the period's end.
"""

from collections.abc import Callable
from dataclasses import dataclass

from models.agency import Agency
from models.catalog import ProcedureType
from models.dossier import CHANNELS
from services.dossiers.ratings import queries as ratings
from services.reporting import periodic
from services.reporting import scorecard_sources as sources
from services.reporting.periods import Period
from services.reporting.queries import Filters


def N_(msgid: str) -> str:
    return msgid


def on_time(f: dict):
    """Settled early or on time over settled plus those unfinished past their appointment."""
    return f["settled_early"] + f["settled_on_time"], _judged(f)


def _judged(f: dict) -> int:
    return sum(f[f"settled_{t}"] for t in ("early", "on_time", "late")) + f["in_progress_overdue"]


def channel_share(channel: str) -> Callable:
    def share(f: dict):
        return f[f"received_{channel}"], sum(f[f"received_{c}"] for c in CHANNELS)

    return share


# Sources read outside the periodic figures (services.reporting.scorecard_sources), handed
# in by row through CONTEXT; each answers (part, whole), or None when the panel has no data.
def synced(f: dict, context) -> tuple | None:
    """1.4: dossiers received in the period that the portal has; None without a portal."""
    return context["synced"]


def digitized(f: dict, context) -> tuple | None:
    """4.2: every document of the checklist digitized (and an e-result once settled)."""
    files = context["files"]
    return (files["digitized"], files["received"]) if files else (0, 0)


def reused(f: dict, context) -> tuple | None:
    """4.3: received with at least one document reused from the applicant's store."""
    files = context["files"]
    return (files["reused"], files["received"]) if files else (0, 0)


def citizen_store(f: dict, context) -> tuple | None:
    """4.4: results pushed to the citizen's national store: not sent by the panel yet."""
    return None


def disliked(f: dict, context) -> int | None:
    """Dossiers received in the period with a "không hài lòng" (complaints from the national
    portal are not in the panel yet: the lead adds them here). CONTEXT: the row's share of
    ``ratings.disliked_by`` (agency id, procedure id → n), read once per page."""
    return context["disliked"]


def satisfaction(f: dict, context):
    """5.4 from the period's figures and the disliked count (None: no data)."""
    return satisfaction_of(f, disliked(f, context))


def satisfaction_of(f: dict, count: int | None):
    """100 % − (late rate + COUNT disliked ÷ received), as (value, 1); (0, 0) when empty."""
    if count is None:
        return None
    whole = _judged(f)
    received = sum(f[f"received_{c}"] for c in CHANNELS)
    if not whole or not received:
        return 0, 0
    late = whole - f["settled_early"] - f["settled_on_time"]
    return max(1 - late / whole - count / received, 0.0), 1


@dataclass(frozen=True)
class Indicator:
    number: str
    msgid: str
    formula: str
    points: int | None  # None: shown, not scored
    full_at: float  # the ratio from which it earns every point; proportional below
    source: Callable  # (figures, context) → (part, whole) or None (no data)


def _plain(function):
    return lambda f, _context: function(f)


# fmt: off
INDICATORS = (
    Indicator("1.4", N_("Dossiers synced to the national portal"),
              N_("synced dossiers received in the period ÷ dossiers received"), 6, 1.0, synced),
    Indicator("2.1", N_("Settled on time"),
              N_("settled early or on time ÷ (settled + unfinished past the appointment at the "
                 "end); an apology or more than one supplement request is late"),
              20, 1.0, _plain(on_time)),
    Indicator("3.3a", N_("Share received at the counter"), N_("at the counter ÷ received"),
              None, 1.0, _plain(channel_share("counter"))),
    Indicator("3.3b", N_("Share received online"), N_("online ÷ received"),
              None, 1.0, _plain(channel_share("online"))),
    Indicator("3.3c", N_("Share received through the postal service"),
              N_("through the public postal service ÷ received"),
              None, 1.0, _plain(channel_share("post"))),
    Indicator("4.2", N_("Digitized dossiers and results"),
              N_("dossiers digitized (with an e-result) ÷ dossiers; full at 80 %"), 4, 0.8,
              digitized),
    Indicator("4.3", N_("Reuse of digitized documents"),
              N_("received with a reused document ÷ received; full at 80 %"), 2, 0.8, reused),
    Indicator("4.4", N_("The citizen's national data store"),
              N_("with a document from or a result to the store ÷ received"), 4, 1.0,
              citizen_store),
    Indicator("5.4", N_("Satisfaction"),
              N_("100 % − (late rate + rate with a complaint or a \"không hài lòng\"); "
                 "full at 90 %"), 6, 0.9, satisfaction),
)
# fmt: on


@dataclass(frozen=True)
class Score:
    indicator: Indicator
    ratio: float | None  # None: no data or an empty whole
    points: float | None
    available: bool  # False: the panel has no data for it ("chưa có dữ liệu")
    part: float = 0
    whole: float = 0


def score(indicator: Indicator, figures: dict, context=None) -> Score:
    """INDICATOR's ratio and points from the period's FIGURES."""
    answer = indicator.source(figures, context)
    if answer is None:
        return Score(indicator, None, None, False)
    part, whole = answer
    if not whole:
        return Score(indicator, None, None, True, part, whole)
    ratio = part / whole
    points = None
    if indicator.points is not None:
        points = round(indicator.points * min(1.0, ratio / indicator.full_at), 2)
    return Score(indicator, ratio, points, True, part, whole)


@dataclass(frozen=True)
class Scorecard:
    period: Period
    total: tuple[Score, ...]
    rows: tuple[tuple, ...]  # (periodic.Row, its scores) of each agency and procedure
    ratings: dict = None  # "agency" | "procedure" | "clerk" → [(name, {face: n})]


def scorecard(user, period: Period, filters: Filters | None = None) -> Scorecard:
    """The indicators of PERIOD in USER's scope: the total, each agency and procedure."""
    filters = filters or Filters()
    report = periodic.report(user, period, filters)
    counts = ratings.disliked_by(user, period, filters)
    sync = sources.synced(user, period, filters)
    files = sources.digitized(user, period, filters)

    def context(kind=None, row_id=None):
        index = {"agency": 0, "procedure": 1}.get(kind)
        mine = [n for key, n in counts.items() if index is None or key[index] == row_id]
        synced = None if sync is None else sync.get((kind, row_id), (0, 0))
        return {"disliked": sum(mine), "synced": synced, "files": files.get((kind, row_id))}

    total = tuple(score(i, report.total, context()) for i in INDICATORS)
    rows = tuple(
        (row, tuple(score(i, row.figures, context(row.kind, row.id)) for i in INDICATORS))
        for row in report.rows
    )
    return Scorecard(period, total, rows, faces(user, period, filters))


def faces(user, period: Period, filters: Filters) -> dict:
    """The ratings given in PERIOD per agency, procedure and counter clerk."""
    shown = {}
    for by, model in (("agency", Agency), ("procedure", ProcedureType), ("clerk", None)):
        found = ratings.faces_by(user, period, filters, by)
        if model is None:
            names = {k: ("", v) for k, v in ratings.clerk_names(found).items()}
        else:
            names = periodic.names_of(model, found)
        shown[by] = sorted(
            ((names.get(k, ("", "—"))[1], counts) for k, counts in found.items()),
            key=lambda pair: pair[0],
        )
    return shown
