"""The applicant's rating page (/rate/<code>?key=…), public, CSRF-protected, rate-limited.

It shows the dossier's code, procedure and the stage being rated, nothing personal.
"""

from flask import Blueprint, current_app, render_template, request
from flask_babel import lazy_gettext as _l

from extensions import limiter
from models.rating import FACES, STAGES
from services.dossiers.ratings import recording
from services.errors import Conflict, NotFound, ValidationFailed
from services.transactions import transaction

bp = Blueprint("rating", __name__)
ASPECT_NAMES = {
    "convenience": _l("Convenience"),
    "timeliness": _l("Time taken to settle"),
    "attitude": _l("Attitude of the officials and staff"),
}


def aspect_names() -> dict:
    """The three aspects rated after the overall verdict, in the page's language."""
    return dict(ASPECT_NAMES)


def _limit() -> str:
    return current_app.config["PUBLIC_RATING_RATE_LIMIT"]


def _page(status=200, **values):
    values.setdefault("errors", {})
    return (
        render_template(
            "public/rate.html", faces=FACES, stages=STAGES, aspects=aspect_names(), **values
        ),
        status,
    )


@bp.route("/rate/<code>", methods=["GET", "POST"])
@limiter.limit(_limit)
def rate(code: str):
    key = request.values.get("key", "")
    try:
        dossier = recording.find(code, key)
    except NotFound as exc:
        return _page(404, missing=exc.message)
    stage = recording.stage_of(dossier)
    shown = {"code": dossier.code, "procedure": dossier.procedure_type.name, "key": key.upper()}
    if request.method == "GET":
        done = recording.rated(dossier, stage)
        return _page(dossier=shown, stage=stage, done=done)
    form = request.form
    answers = recording.Answers.from_form(form)
    try:
        with transaction():
            recording.record(dossier, answers, ip_address=request.remote_addr)
    except ValidationFailed as exc:
        return _page(422, dossier=shown, stage=stage, errors=exc.fields, answers=form)
    except Conflict as exc:
        return _page(409, dossier=shown, stage=stage, done=True, message=exc.message)
    return _page(dossier=shown, stage=stage, thanked=True)
