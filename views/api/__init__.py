"""The JSON API under /api/v1: bearer tokens, the same services and permissions as the panel."""

from flask import Blueprint, Flask

from extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")

# The route modules need ``bp``; importing them registers their routes on it.
from views.api import auth, dossiers, errors, openapi, public  # noqa: E402, F401

errors.install(bp)


def register_api(app: Flask) -> None:
    """Serve the API on APP: no CSRF (tokens, not cookies, authenticate it), JSON errors."""
    csrf.exempt(bp)
    app.register_blueprint(bp)
    app.before_request(errors.routing_errors_as_json(bp.url_prefix))
