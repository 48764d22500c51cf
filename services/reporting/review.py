"""The pilot review: two periods side by side, each figure with its change and its sense."""

from dataclasses import dataclass

#: Figures a review reads out, and whether more of them is better (None: neither).
REVIEWED = {
    "received": None,
    "completed": True,
    "completed_early": True,
    "completed_on_time": True,
    "completed_late": False,
    "on_time_rate": True,
    "overdue": False,
    "supplement_requests": False,
    "refused": False,
    "apologies": False,
    "returned_at_counter": None,
    "returned_by_post": None,
    "delivered_rate": True,
    "returned_to_sender_rate": False,
    "postage": None,
    "fees": None,
    "handover_delay_median": False,
}


@dataclass(frozen=True)
class Change:
    name: str
    now: float | None
    then: float | None
    difference: float | None  # now - then (rates: in points, 0-1 scale)
    relative: float | None  # difference / then, for counts and amounts
    direction: str  # "up" | "down" | "same" | "unknown"
    verdict: str  # "better" | "worse" | "neutral"


def change(name: str, now, then) -> Change:
    """How figure NAME moved from THEN to NOW."""
    if now is None or then is None:
        return Change(name, now, then, None, None, "unknown", "neutral")
    difference = now - then
    direction = "up" if difference > 0 else "down" if difference < 0 else "same"
    relative = difference / then if then and not name.endswith("_rate") else None
    good = REVIEWED.get(name)
    if good is None or direction == "same":
        verdict = "neutral"
    else:
        verdict = "better" if (direction == "up") == good else "worse"
    return Change(name, now, then, difference, relative, direction, verdict)


def compare(current: dict, earlier: dict) -> list[Change]:
    """Every reviewed figure of CURRENT against EARLIER, in reading order."""
    return [change(name, current[name], earlier[name]) for name in REVIEWED]
