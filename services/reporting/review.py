"""The pilot review: two periods side by side, each figure with its change and its sense.

The figures reviewed, their order and which way is better come from the
catalogue (models.report.FIGURES: ``review`` and ``better``).
"""

from dataclasses import dataclass

from models.report import FIGURE, NEITHER, RATE, UP, placed
from services.reporting import figures
from services.reporting.periods import Period
from services.reporting.queries import Filters

#: The figures a review reads out, in reading order.
REVIEWED = tuple(f.name for f in placed("review"))


@dataclass(frozen=True)
class Change:
    name: str
    now: float | None
    then: float | None
    difference: float | None  # now - then (rates: in points, 0-1 scale)
    relative: float | None  # difference / then, for counts, amounts and hours
    direction: str  # "up" | "down" | "same" | "unknown"
    verdict: str  # "better" | "worse" | "neutral"


def change(name: str, now, then) -> Change:
    """How figure NAME moved from THEN to NOW."""
    if now is None or then is None:
        return Change(name, now, then, None, None, "unknown", "neutral")
    figure = FIGURE[name]
    difference = now - then
    direction = "up" if difference > 0 else "down" if difference < 0 else "same"
    relative = difference / then if then and figure.kind != RATE else None
    if figure.better == NEITHER or direction == "same":
        verdict = "neutral"
    else:
        verdict = "better" if (direction == "up") == (figure.better == UP) else "worse"
    return Change(name, now, then, difference, relative, direction, verdict)


def compare(current: dict, earlier: dict) -> list[Change]:
    """Every reviewed figure of CURRENT against EARLIER, in reading order."""
    return [change(name, current[name], earlier[name]) for name in REVIEWED]


def review(user, period: Period, earlier: Period, filters: Filters | None = None) -> list[Change]:
    """The review page in one call: PERIOD against EARLIER, in USER's scope, narrowed by
    FILTERS."""
    current = figures.summary(user, period, filters)
    before = figures.summary(user, earlier, filters)
    return compare(current, before)
