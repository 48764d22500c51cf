"""The JSON API under /api/v1: bearer tokens, the same services and permissions as the panel."""

from flask import Flask

from extensions import csrf
from views.api import (  # noqa: F401  (routes on bp)
    auth,
    deliveries,
    dossiers,
    errors,
    files,
    handovers,
    periodic,
    public,
    reports,
    webhooks,
)
from views.api.blueprint import bp
from views.api.openapi import document  # noqa: F401  (on bp)
from views.api.openapi import files as openapi_files  # noqa: F401  (adds its paths)
from views.api.openapi import handovers as openapi_handovers  # noqa: F401  (adds its paths)
from views.api.openapi import periodic as openapi_periodic  # noqa: F401  (adds its path)
from views.api.openapi import webhooks as openapi_webhooks  # noqa: F401  (adds its paths)

errors.install(bp)


def register_api(app: Flask) -> None:
    """Serve the API on APP: no CSRF (tokens, not cookies, authenticate it), JSON errors."""
    csrf.exempt(bp)
    app.register_blueprint(bp)
    app.before_request(errors.routing_errors_as_json(bp.url_prefix))
