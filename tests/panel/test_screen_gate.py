"""The secured base for screens that are not model lists, and for blueprint routes.

A throw-away screen and route are mounted on a fresh app, as dashboard, reports
and print pages will be: same login, matrix and password-change rules as the lists.
"""

import pytest
from flask import Blueprint
from flask_admin import expose

from extensions import db
from views.access import requires
from views.admin.core.screens import SecuredScreen


class FiguresScreen(SecuredScreen):
    resource = "report"
    route_actions = {"index": "view", "download": "export"}

    @expose("/")
    def index(self):
        return "figures"

    @expose("/download")
    def download(self):
        return "file"

    @expose("/forgotten")
    def forgotten(self):  # not in route_actions: closed
        return "open?"


@pytest.fixture
def mounted(app):
    app.extensions["admin"][0].add_view(FiguresScreen(name="Figures", endpoint="figures"))
    bp = Blueprint("gate_test", __name__)

    @bp.get("/gate-test/print")
    @requires("report", "export")
    def printed():
        return "printed"

    app.register_blueprint(bp)
    return app


def test_anonymous_is_sent_to_sign_in(mounted, world):
    client = mounted.test_client()
    for path in ("/admin/figures/", "/admin/figures/download", "/gate-test/print"):
        answer = client.get(path)
        assert answer.status_code == 302 and "/login?next=" in answer.location, path


@pytest.mark.parametrize(
    ("role", "view", "export"),
    [("po_clerk", 200, 403), ("dept_admin", 200, 200), ("viewer", 200, 200)],
)
def test_the_matrix_decides_each_route(mounted, client, login_as, role, view, export):
    login_as(role)
    assert client.get("/admin/figures/").status_code == view
    assert client.get("/admin/figures/download").status_code == export
    assert client.get("/gate-test/print").status_code == export
    assert client.get("/admin/figures/forgotten").status_code == 403


def test_a_password_change_comes_first(mounted, client, login_as):
    user = login_as("viewer")
    user.must_change_password = True
    db.session.commit()
    answer = client.get("/gate-test/print")
    assert answer.status_code == 302 and answer.location.endswith("/account/password")
    assert client.get("/admin/figures/").status_code == 302
