"""What the reports page was asked for: the period (preset or dd/mm/yyyy) and the filters.

Which filters a user may choose among: services.reporting.pages.filter_options.
"""

from dataclasses import dataclass, field

from services.errors import ValidationFailed
from services.reporting.periods import PRESETS, Period, make_period, preset
from services.reporting.queries import Filters
from views.admin.core.params import parse_id


@dataclass
class Choice:
    """The period and filters the page was asked for, with what was wrong in them."""

    preset: str = "this_month"
    period: Period | None = None
    filters: Filters = field(default_factory=Filters)
    errors: dict = field(default_factory=dict)
    raw: dict = field(default_factory=dict)
    presets: dict = field(default_factory=dict)


def read_choice(args, prefix: str = "") -> Choice:
    """The period (preset or custom dd/mm/yyyy) and filters in the query string ARGS."""
    choice = Choice(preset=args.get(prefix + "preset", "this_month"))
    choice.raw = {k: args.get(prefix + k, "")[:20] for k in ("from", "to")}
    choice.presets = {name: preset(name) for name in PRESETS if name != "custom"}
    if choice.preset not in PRESETS:
        choice.preset = "this_month"
    if choice.preset == "custom":
        try:
            choice.period = make_period(choice.raw["from"], choice.raw["to"])
        except ValidationFailed as exc:
            choice.errors = exc.fields
    if choice.period is None:
        choice.period = preset("this_month" if choice.preset == "custom" else choice.preset)
    ids = {k: parse_id(args.get(k)) for k in ("agency", "procedure", "post_office")}
    choice.filters = Filters(ids["agency"], ids["procedure"], ids["post_office"])
    return choice
