"""What the reports page was asked for: the period (preset or dd/mm/yyyy) and the filters."""

from dataclasses import dataclass, field

from sqlalchemy import select

import permissions
from extensions import db
from models.agency import Agency
from models.catalog import ProcedureType
from services.errors import ValidationFailed
from services.reporting import figures
from services.reporting.periods import PRESETS, Period, make_period, preset
from views.admin.core.params import parse_id


@dataclass
class Choice:
    """The period and filters the page was asked for, with what was wrong in them."""

    preset: str = "this_month"
    period: Period | None = None
    filters: figures.Filters = field(default_factory=figures.Filters)
    errors: dict = field(default_factory=dict)
    raw: dict = field(default_factory=dict)


def read_choice(args, prefix: str = "") -> Choice:
    """The period (preset or custom dd/mm/yyyy) and filters in the query string ARGS."""
    choice = Choice(preset=args.get(prefix + "preset", "this_month"))
    choice.raw = {k: args.get(prefix + k, "")[:20] for k in ("from", "to")}
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
    choice.filters = figures.Filters(ids["agency"], ids["procedure"], ids["post_office"])
    return choice


def filter_options(user) -> dict:
    """The agencies, procedures and post offices a user may narrow the figures to."""
    departments = select(Agency.id, Agency.name).where(Agency.kind == "department")
    offices = select(Agency.id, Agency.name).where(Agency.kind == "post_office")
    procedures = select(ProcedureType.id, ProcedureType.code + " – " + ProcedureType.name)
    if not permissions.sees_all_rows(user) and user.agency.kind == "department":
        departments = departments.where(Agency.id == user.agency_id)
        procedures = procedures.where(ProcedureType.agency_id == user.agency_id)
    if not permissions.sees_all_rows(user) and user.agency.kind == "post_office":
        offices = offices.where(Agency.id == user.agency_id)
    return {
        "agency": db.session.execute(departments.order_by(Agency.name)).all(),
        "procedure": db.session.execute(procedures.order_by(ProcedureType.code)).all(),
        "post_office": db.session.execute(offices.order_by(Agency.name)).all(),
    }
