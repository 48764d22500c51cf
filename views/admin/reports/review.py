"""/admin/report/review: two periods side by side, each change in words a leader reads aloud."""

from flask import request
from flask_admin import expose
from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _
from flask_login import current_user

from models.report import FIGURE, HOURS, RATE
from services.errors import ValidationFailed
from services.reporting import replica
from services.reporting.periods import make_period
from services.reporting.review import Change, review
from views.admin.reports import context as ctx
from views.admin.reports.choice import read_choice

AGAINST = ("year_before", "before", "custom")


def other_period(args, first):
    """The period to compare with: the same days a year before, the period before, or custom."""
    against = args.get("against", "year_before")
    if against not in AGAINST:
        against = "year_before"
    errors = {}
    if against == "custom":
        try:
            return against, make_period(args.get("b_from"), args.get("b_to")), errors
        except ValidationFailed as exc:
            errors = exc.fields
            against = "year_before"
    return against, first.year_before() if against == "year_before" else first.before(), errors


def amount(change: Change) -> str:
    """The size of the change, in the figure's own unit."""
    size, kind = abs(change.difference), FIGURE[change.name].kind
    if kind == RATE:
        return _("%(points)s percentage points", points=format_decimal(round(size * 100, 1)))
    if kind == HOURS:
        return ctx.hours(size)
    text = ctx.show(change.name, size)
    if change.relative is not None:
        text += f" ({format_percent(abs(change.relative), format='#,##0.0 %')})"
    return text


def sentence(change: Change, earlier_label: str) -> str:
    """One line a leader reads aloud: the figure, its value, how it moved, and the sense."""
    label = ctx.LABELS[change.name]
    now, then = ctx.show(change.name, change.now), ctx.show(change.name, change.then)
    if change.direction == "unknown":
        return _(
            "%(figure)s: %(now)s; nothing to compare with in %(then_period)s.",
            figure=label,
            now=now,
            then_period=earlier_label,
        )
    if change.direction == "same":
        return _(
            "%(figure)s: %(now)s, the same as in %(then_period)s.",
            figure=label,
            now=now,
            then_period=earlier_label,
        )
    moved = _("up") if change.direction == "up" else _("down")
    verdict = {"better": _(" — better."), "worse": _(" — needs attention."), "neutral": "."}
    return (
        _(
            "%(figure)s: %(now)s, %(moved)s %(amount)s from %(then)s in %(then_period)s",
            figure=label,
            now=now,
            moved=moved,
            amount=amount(change),
            then=then,
            then_period=earlier_label,
        )
        + verdict[change.verdict]
    )


class ReviewMixin:
    """The reports screen's /review page: period A against a period B."""

    @expose("/review")
    def review_view(self):
        return render_review(self)


def render_review(view):
    choice = read_choice(request.args, prefix="a_")
    against, earlier, b_errors = other_period(request.args, choice.period)
    changes, source = replica.read(
        lambda: review(current_user, choice.period, earlier, choice.filters)
    )
    return view.render(
        "admin/report/review.html",
        choice=choice,
        source=source,
        against=against,
        earlier=earlier,
        errors={**choice.errors, **{f"b_{k}": v for k, v in b_errors.items()}},
        rows=[(c, sentence(c, earlier.label())) for c in changes],
        ctx=ctx,
    )
