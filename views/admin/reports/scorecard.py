"""The 766 scorecard page (/admin/report/scorecard): the indicators and the losing dossiers."""

from flask import request
from flask_admin import expose
from flask_babel import format_decimal, format_percent, gettext
from flask_login import current_user

from services.reporting import losing_points, replica
from services.reporting.scorecard import scorecard
from views.admin.core.params import parse_id
from views.admin.reports.periodic import read_period


def ratio(score) -> str:
    """The indicator's value as read: a percentage, "—" (empty whole), or no data."""
    if not score.available:
        return "chưa có dữ liệu"
    if score.ratio is None:
        return "—"
    return format_percent(score.ratio, format="#,##0.0 %")


def points(score) -> str:
    if score.indicator.points is None:
        return ""
    got = "—" if score.points is None else format_decimal(score.points, format="#,##0.##")
    return f"{got} / {score.indicator.points}"


def _words(indicator) -> tuple[str, str]:
    """Its name and formula, translated (not through Jinja: the formulas hold "%")."""
    return gettext(indicator.msgid), gettext(indicator.formula)


class ScorecardMixin:
    """The reports screen's /scorecard page."""

    @expose("/scorecard")
    def scorecard_view(self):
        choice = read_period(request.args)
        number = parse_id(request.args.get("page")) or 1
        (card, (losing, has_next)), source = replica.read(
            lambda: (
                scorecard(current_user, choice.period, choice.filters),
                losing_points.page(current_user, choice.period, choice.filters, number),
            )
        )
        args = {"from": choice.period.first.isoformat(), "to": choice.period.last.isoformat()}
        return self.render(
            "admin/report/scorecard.html",
            choice=choice,
            card=card,
            source=source,
            losing=losing,
            reasons=losing_points.REASONS,
            page=number,
            has_next=has_next,
            args=args,
            ratio=ratio,
            points=points,
            words={s.indicator.number: _words(s.indicator) for s in card.total},
        )
