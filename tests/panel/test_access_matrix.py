"""Every route of the app, for anonymous and each role, against the permission matrix.

Routes are discovered from ``app.url_map``; each must have a rule below. A new
route without one fails ``test_every_route_has_an_access_rule``.
"""

from datetime import date

import pytest
from sqlalchemy import select

from extensions import db
from models import DeliveryOrder, Dossier, Handover
from permissions import DEFAULT_MATRIX
from services.digitization.files import ATTACHING
from tests import factories

ROLES = ("po_clerk", "po_supervisor", "dept_admin", "it_admin", "viewer")
PRINCIPALS = (None, *ROLES)  # None: not signed in

# Flask-Admin routes (method names) → the permission they need on their resource.
ADMIN_ROUTES = {
    "index_view": "view",
    "details_view": "view",
    "create_view": "create",
    "edit_view": "edit",
    "delete_view": "delete",
    "action_view": "view",
    "export": "export",
    "ajax_lookup": "view",
    "ajax_update": "edit",
    "reset_password_view": "edit",
    "permissions_view": "edit",
    "transition_view": "view",  # then the workflow service checks the action itself
    "calculator_view": "view",
    "year_view": "view",
    "procedure_info_view": "view",
    "wards_view": "view",
    "cccd_view": "create",  # the receipt form's ID card scan
    "review_view": "view",
    "report_export": "export",
    "tracking_book": "export",
    "exports_view": "export",
    "export_status": "export",
    "export_again": "export",
    "export_download": "export",
    "periodic_view": "view",  # with format=xlsx: export too (tests/panel/test_periodic_screen.py)
    "scorecard_view": "view",
    "postage_view": "create",
    "record_event_view": "view",  # then the delivery service checks record_event
    "queue_view": "create",
    "scan_view": "create",
    "send_view": "create",
    "incoming_view": "confirm",
    "confirm_view": "confirm",
    "cancel_view": "cancel",
    "retry_view": "edit",  # the outbox's dead rows
    "discard_view": "edit",
    "upload_file_view": ATTACHING,  # any action that attaches some kind of file
    "file_view": "view",  # then the file's dossier must be in scope
    "reuse_offers_view": "create",
    "preview_view": "edit",  # a message template's preview (IT staff)
    "messages_view": "view",  # the dossier's messages to the applicant
    "consent_view": "view",  # then the service asks for receive or edit, and the scope
}
#: Routes serving the signed-in user's own rows only (their downloads): 404 for anyone else's.
OWN_ONLY = ("export_status", "export_download", "export_again")
# What no role may ever do on a screen, whatever the matrix says.
NEVER = {("audit_log", "create"), ("audit_log", "edit"), ("audit_log", "delete")} | {
    (r, "delete")
    for r in ("dossier", "handover", "delivery_order", "user", "role", "agency", "procedure_type")
}
PUBLIC = {
    "auth.login",
    "auth.lookup",
    "auth.healthz",
    "auth.root",
    "auth.set_language",
    "api.issue_token",
    "api.openapi",
    "api.public_dossier",
    # No user: the carrier's own secret (tests/api/test_carrier_webhooks.py).
    "api.carrier_webhook",
    "rating.rate",  # the key printed on the slip decides (tests/panel/test_rating_page.py)
}
# API endpoints (token required) → (method, path, body, (resource, action) they need).
API_ROUTES = {
    "api.procedure_types": ("GET", "/api/v1/procedure-types", None, ("procedure_type", "view")),
    "api.list_dossiers": ("GET", "/api/v1/dossiers", None, ("dossier", "view")),
    "api.get_dossier": ("GET", "/api/v1/dossiers/{code}", None, ("dossier", "view")),
    # The allowed roles get past the permission and are stopped by the missing field (422).
    "api.receive_dossier": (
        "POST",
        "/api/v1/dossiers",
        {"procedure_code": "1.004477"},
        ("dossier", "receive"),
    ),
    "api.report_summary": (
        "GET",
        "/api/v1/reports/summary?from=2026-03-01&to=2026-03-31",
        None,
        ("report", "view"),
    ),
    "api.report_periodic": (
        "GET",
        "/api/v1/reports/periodic?from=2026-03-01&to=2026-03-31",
        None,
        ("report", "view"),
    ),
    "api.transition_dossier": (
        "POST",
        "/api/v1/dossiers/{free}/transitions",  # one in no open batch: actions are allowed
        {"action": "refuse"},
        ("dossier", "refuse"),
    ),
    "api.list_delivery_orders": (
        "GET",
        "/api/v1/delivery-orders",
        None,
        ("delivery_order", "view"),
    ),
    "api.get_delivery_order": (
        "GET",
        "/api/v1/delivery-orders/{tracking_code}",
        None,
        ("delivery_order", "view"),
    ),
    "api.ship_result": ("POST", "/api/v1/delivery-orders", {}, ("delivery_order", "create")),
    "api.record_delivery_event": (
        "POST",
        "/api/v1/delivery-orders/{tracking_code}/events",
        {},
        ("delivery_order", "record_event"),
    ),
    "api.record_delivery_events": (
        "POST",
        "/api/v1/delivery-events",
        {"events": []},
        ("delivery_order", "record_event"),
    ),
    # The upload is open to the roles holding any action that attaches some kind of file.
    "api.upload_file": ("POST", "/api/v1/dossiers/{code}/files", {}, ("dossier", ATTACHING)),
    "api.list_files": ("GET", "/api/v1/dossiers/{code}/files", None, ("dossier", "view")),
    "api.get_file": ("GET", "/api/v1/files/{file}", None, ("dossier", "view")),
    "api.list_handovers": ("GET", "/api/v1/handovers", None, ("handover", "view")),
    "api.get_handover": ("GET", "/api/v1/handovers/{handover}", None, ("handover", "view")),
    "api.create_handover": ("POST", "/api/v1/handovers", {"note": "x"}, ("handover", "create")),
    "api.confirm_handover": (
        "POST",
        "/api/v1/handovers/{handover}/confirm",
        {"note": "x" * 2001},
        ("handover", "confirm"),
    ),
}
# Print pages (views.access.requires) → (path, the (resource, action) their `.access` names).
PRINT_ROUTES = {
    "print.dossier_form": ("/print/dossiers/{dossier}/receipt", ("dossier", "view")),
    "print.handover": ("/print/handovers/{handover}", ("handover", "view")),
    "print.delivery_label_page": (
        "/print/delivery-orders/{delivery_order}/label",
        ("delivery_order", "view"),
    ),
}
SIGNED_IN = {"admin.index", "auth.logout", "auth.change_password"}
# Then the follow-up service asks for dossier edit and the dossier's scope (test_rating_page.py).
SIGNED_IN |= {"admin.follow_up"}
# The counter tablet's screen: a kiosk account's only routes (and no one else's).
KIOSK = {"counter_rating.index", "counter_rating.current", "counter_rating.rate"}
KIOSK_REQUESTS = {
    "counter_rating.index": ("GET", "/admin/counter-rating/", None),
    "counter_rating.current": ("GET", "/admin/counter-rating/current.json", None),
    "counter_rating.rate": ("POST", "/admin/counter-rating/rate", {"code": "X", "stage": "x"}),
}
# API endpoints open to any valid token, whatever the roles: (method, path).
ANY_TOKEN = {"api.revoke_token": ("POST", "/api/v1/auth/revoke")}
IGNORED = {"static", "admin.static"}


def expected_admin(endpoint_resource, route, role):
    """200/302/404 when allowed, 403 when not, for a signed-in ROLE."""
    actions = ADMIN_ROUTES[route]
    actions = actions if isinstance(actions, tuple) else (actions,)
    granted = DEFAULT_MATRIX[role].get(endpoint_resource, ())
    allowed = "view" in granted and any(
        a in granted and (endpoint_resource, a) not in NEVER for a in actions
    )
    return "allowed" if allowed else 403


@pytest.fixture
def rows(world):
    rows = factories.make_one_of_each(world) | {
        # Rows that the allowed delete route and bulk delete may really remove.
        "holiday/delete_view": factories.make_override(date(2026, 12, 30)).id,
        "holiday/action_view": factories.make_override(date(2026, 12, 29)).id,
        "report": None,  # figures, not rows
        "outbox": None,  # rows only where a sink is configured
        "postage_rate/delete_view": factories.make_rate(900).id,
        "postage_rate/action_view": factories.make_rate(950).id,
        "portal_mapping/delete_view": _mapping("1.001029"),
        "portal_mapping/action_view": _mapping("1.005453"),
        "carrier_status/delete_view": factories.make_carrier_status("990").id,
        "carrier_status/action_view": factories.make_carrier_status("991").id,
        "notification_template": _template(),
    }
    rows["dossier/file_view"] = _stored_file(rows["dossier"])
    return rows


def _mapping(code: str) -> int:
    from models import PortalMapping

    row = PortalMapping(kind="procedure", ours=code, portal=code + ".H55")
    db.session.add(row)
    db.session.commit()
    return row.id


def _template() -> int:
    from models import NotificationTemplate
    from services.integration.notify import templates

    templates.ensure_defaults()
    db.session.commit()
    return db.session.scalars(select(NotificationTemplate.id)).first()


def admin_request(app, resource, route, row_id):
    """(method, path, data) that exercises ROUTE of RESOURCE's screen."""
    base = f"/admin/{resource}"
    view = next(v for v in app.extensions["admin"][0]._views if v.endpoint == resource)
    lookup = next(iter(getattr(view, "_form_ajax_refs", {})), "none")
    return {
        "index_view": ("GET", f"{base}/", None),
        "details_view": ("GET", f"{base}/details/?id={row_id}", None),
        "create_view": ("GET", f"{base}/new/", None),
        "edit_view": ("GET", f"{base}/edit/?id={row_id}", None),
        "delete_view": ("POST", f"{base}/delete/", {"id": row_id, "url": f"{base}/"}),
        "action_view": ("POST", f"{base}/action/", {"action": "delete", "rowid": row_id}),
        "export": ("GET", f"{base}/export/csv/", None),
        "ajax_lookup": ("GET", f"{base}/ajax/lookup/?name={lookup}&query=0", None),
        "ajax_update": ("POST", f"{base}/ajax/update/", {"list_form_pk": row_id}),
        "reset_password_view": ("GET", f"{base}/reset-password/?id={row_id}", None),
        "permissions_view": ("GET", f"{base}/permissions/?id={row_id}", None),
        "transition_view": ("POST", f"{base}/transition/?id={row_id}", {"action": "x"}),
        "calculator_view": ("GET", f"{base}/calculator/?start_date=2026-03-10&days=3", None),
        "year_view": ("GET", f"{base}/year/?year=2026", None),
        "procedure_info_view": ("GET", f"{base}/procedure-info/?id=1", None),
        "wards_view": ("GET", f"{base}/wards/?province=19", None),
        "cccd_view": ("POST", f"{base}/cccd/", {"text": ""}),
        "review_view": ("GET", f"{base}/review", None),
        "report_export": ("GET", f"{base}/export.xlsx", None),
        "tracking_book": ("GET", f"{base}/tracking-book.xlsx?from=2026-03-01&to=2026-03-31", None),
        "exports_view": ("GET", f"{base}/exports/", None),
        "export_status": ("GET", f"{base}/exports/1.json", None),
        "export_again": ("POST", f"{base}/exports/1/again", {}),
        "export_download": ("GET", f"{base}/exports/1/download", None),
        "periodic_view": ("GET", f"{base}/periodic?from=2026-03-01&to=2026-03-31", None),
        "scorecard_view": ("GET", f"{base}/scorecard?from=2026-03-01&to=2026-03-31", None),
        "postage_view": ("GET", f"{base}/postage/?weight=120&province=19", None),
        "record_event_view": ("POST", f"{base}/record-event/?id={row_id}", {"status": "x"}),
        "queue_view": ("GET", f"{base}/queue/", None),
        "scan_view": ("GET", f"{base}/scan/?code=X", None),
        "send_view": ("POST", f"{base}/send/", {"dossier_id": "0"}),
        "incoming_view": ("GET", f"{base}/incoming/", None),
        "confirm_view": ("GET", f"{base}/confirm/?id={row_id}", None),
        "cancel_view": ("POST", f"{base}/cancel/?id={row_id}", {"reason": ""}),
        "retry_view": ("POST", f"{base}/retry/", {"id": "0", "reason": ""}),
        "discard_view": ("POST", f"{base}/discard/", {"id": "0", "reason": ""}),
        "upload_file_view": ("POST", f"{base}/files/upload/?id={row_id}", {"kind": "document"}),
        "file_view": ("GET", f"{base}/files/{row_id}", None),
        "reuse_offers_view": ("GET", f"{base}/reuse-offers/?procedure=1&id_number=0192", None),
        "preview_view": ("POST", f"{base}/preview/", {"channel": "sms", "body": "Ho so"}),
        "messages_view": ("GET", f"{base}/messages/?id={row_id}", None),
        "consent_view": ("POST", f"{base}/messages/consent/?id={row_id}", {"reason": ""}),
    }[route]


def signed_in_client(app, role):
    client = app.test_client()
    if role is not None:
        response = client.post("/login", data={"username": role, "password": factories.PASSWORD})
        assert response.status_code == 302
    return client


def _endpoints(app):
    return sorted({rule.endpoint for rule in app.url_map.iter_rules()} - IGNORED)


def test_every_route_has_an_access_rule(app):
    admin_resources = {v.endpoint for v in app.extensions["admin"][0]._views}
    unknown = []
    for endpoint in _endpoints(app):
        prefix, _, route = endpoint.partition(".")
        if endpoint in PUBLIC | SIGNED_IN | KIOSK:
            continue
        if prefix in admin_resources and route in ADMIN_ROUTES:
            continue
        if endpoint in API_ROUTES or endpoint in ANY_TOKEN:
            continue
        if endpoint in PRINT_ROUTES:
            assert app.view_functions[endpoint].access == PRINT_ROUTES[endpoint][1], endpoint
            continue
        unknown.append(endpoint)
    assert unknown == [], "give these routes an access rule in this test and in the code"


def test_admin_routes_against_the_matrix(app, rows):
    admin_resources = {v.endpoint for v in app.extensions["admin"][0]._views}
    admin_resources -= {"admin", "counter_rating"}
    clients = {role: signed_in_client(app, role) for role in PRINCIPALS}
    failures = []
    for endpoint in _endpoints(app):
        resource, _, route = endpoint.partition(".")
        if resource not in admin_resources:
            continue
        row_id = rows.get(f"{resource}/{route}", rows[resource])
        method, path, data = admin_request(app, resource, route, row_id)
        for role, client in clients.items():
            response = client.open(path, method=method, data=data)
            if role is None:
                ok = response.status_code == 302 and "/login" in response.location
                expected = "302 → /login"
            else:
                expected = expected_admin(resource, route, role)
                if expected == 403:
                    ok = response.status_code == 403
                else:
                    ok = response.status_code in (200, 302, 404) and "/login" not in (
                        response.location or ""
                    )
                    # 404 only where the route has nothing to serve (no look-up, no inline
                    # edit, no file of the user's own: everyone reads only theirs).
                    if response.status_code == 404:
                        ok = route in ("ajax_lookup", "ajax_update", *OWN_ONLY)
            if not ok:
                failures.append(
                    f"{role or 'anonymous'} {method} {path}: "
                    f"{response.status_code}, expected {expected}"
                )
    assert failures == [], "\n".join(failures)


def test_public_and_signed_in_routes(app, world):
    for role in PRINCIPALS:
        client = signed_in_client(app, role)
        assert client.get("/healthz").status_code == 200
        assert client.get("/lookup").status_code == 200
        assert client.post("/language", data={"lang": "vi"}).status_code == 302
        home = client.get("/admin/")
        password_page = client.get("/account/password")
        if role is None:
            assert home.status_code == 302 and "/login" in home.location
            assert password_page.status_code == 302 and "/login" in password_page.location
            assert client.get("/login").status_code == 200
            assert client.post("/logout").status_code == 302
        else:
            assert home.status_code == 200
            assert password_page.status_code == 200
            assert client.get("/login").status_code == 302  # already signed in
            assert client.post("/logout").status_code == 302
            assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize("role", ROLES)
def test_menu_shows_only_what_the_role_may_open(client, login_as, role):
    login_as(role)
    page = client.get("/admin/").get_data(as_text=True)
    for resource, label in (
        ("user", "Người dùng"),
        ("audit_log", "Nhật ký hệ thống"),
        ("role", "Vai trò"),
    ):
        shown = f'href="/admin/{resource}/"' in page
        assert shown == ("view" in DEFAULT_MATRIX[role].get(resource, ())), (resource, label)


def test_hidden_menu_is_not_the_check(client, login_as):
    """A clerk typing the URL of a screen missing from the menu still gets 403."""
    login_as("po_clerk")
    assert 'href="/admin/user/"' not in client.get("/admin/").get_data(as_text=True)
    assert client.get("/admin/user/").status_code == 403
    assert client.get("/admin/audit_log/export/csv/").status_code == 403


def test_api_routes_against_the_matrix(app, world, rows):
    dossier_code = db.session.get(Dossier, rows["dossier"]).code
    free = factories.make_dossier(world.procedures["publish"], world.users["po_clerk"]).code
    tracking_code = db.session.get(DeliveryOrder, rows["delivery_order"]).tracking_code
    handover_code = db.session.get(Handover, rows["handover"]).code
    file_id = rows["dossier/file_view"]
    tokens = {None: None}
    client = app.test_client()
    for role in ROLES:
        answer = client.post(
            "/api/v1/auth/token", json={"username": role, "password": factories.PASSWORD}
        )
        assert answer.status_code == 200, answer.get_json()
        tokens[role] = answer.get_json()["token"]
    failures = []
    for _endpoint, (method, path, body, (resource, action)) in sorted(API_ROUTES.items()):
        path = path.format(
            code=dossier_code,
            free=free,
            tracking_code=tracking_code,
            handover=handover_code,
            file=file_id,
        )
        for role, token in tokens.items():
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            response = client.open(path, method=method, json=body, headers=headers)
            if role is None:
                ok, expected = response.status_code == 401, 401
            else:
                granted = DEFAULT_MATRIX[role].get(resource, ())
                actions = action if isinstance(action, tuple) else (action,)
                allowed = any(a in granted for a in actions) and "view" in DEFAULT_MATRIX[role].get(
                    "dossier", ()
                )
                if resource in ("procedure_type", "report"):
                    allowed = action in granted
                expected = "2xx/422" if allowed else 403
                ok = (
                    (response.status_code in (200, 201, 422))
                    if allowed
                    else (response.status_code == 403)
                )
            streamed = response.status_code == 200 and response.mimetype == "application/pdf"
            assert response.is_json or streamed, f"{method} {path} answered {response.mimetype}"
            if not ok:
                failures.append(
                    f"{role or 'anonymous'} {method} {path}: "
                    f"{response.status_code}, expected {expected}"
                )
    assert failures == [], "\n".join(failures)


def _stored_file(dossier_id) -> int:
    """A digitized file of the dossier, its PDF in the test run's store."""
    from models import DossierFile
    from services.digitization.storage import store

    store().put(f"files/{dossier_id}/matrix.pdf", b"%PDF-1.4 matrix")
    row = DossierFile(
        dossier_id=dossier_id,
        document="Đơn đề nghị",
        raw_type="application/pdf",
        state="ready",
        storage_key=f"files/{dossier_id}/matrix.pdf",
        size=15,
    )
    db.session.add(row)
    db.session.commit()
    return row.id


def test_print_routes_against_the_matrix(app, rows):
    from models import DeliveryOrder, Handover

    keys = {
        "dossier": db.session.get(Dossier, rows["dossier"]).code,
        "handover": db.session.get(Handover, rows["handover"]).code,
        "delivery_order": db.session.get(DeliveryOrder, rows["delivery_order"]).tracking_code,
    }
    failures = []
    for role in PRINCIPALS:
        client = signed_in_client(app, role)
        for path, (resource, action) in PRINT_ROUTES.values():
            path = path.format(**keys)
            response = client.get(path)
            if role is None:
                ok = response.status_code == 302 and "/login" in response.location
            elif action in DEFAULT_MATRIX[role].get(resource, ()):
                ok = response.status_code == 200  # every role's scope holds these rows
            else:
                ok = response.status_code == 403
            if not ok:
                failures.append(f"{role or 'anonymous'} GET {path}: {response.status_code}")
    assert failures == [], "\n".join(failures)


def test_any_token_routes_need_a_token_and_nothing_more(app, world):
    client = app.test_client()
    for _endpoint, (method, path) in sorted(ANY_TOKEN.items()):
        assert client.open(path, method=method).status_code == 401
        for role in ROLES:
            answer = client.post(
                "/api/v1/auth/token", json={"username": role, "password": factories.PASSWORD}
            )
            headers = {"Authorization": f"Bearer {answer.get_json()['token']}"}
            response = client.open(path, method=method, headers=headers)
            assert response.status_code == 200, (role, response.get_json())


@pytest.fixture
def kiosk(world):
    return factories.make_kiosk(world)


def test_the_counter_tablet_opens_nothing_else(app, rows, kiosk):
    """A kiosk account (roles po_clerk's, bound to po_clerk) against every route of the
    panel, the print pages and the API: its rating screen only."""
    client = signed_in_client(app, "kiosk1")
    failures = []
    admin_resources = {v.endpoint for v in app.extensions["admin"][0]._views}
    admin_resources -= {"admin", "counter_rating"}
    for endpoint in _endpoints(app):
        resource, _, route = endpoint.partition(".")
        if resource not in admin_resources:
            continue
        row_id = rows.get(f"{resource}/{route}", rows[resource])
        method, path, data = admin_request(app, resource, route, row_id)
        response = client.open(path, method=method, data=data)
        if response.status_code != 403:
            failures.append(f"kiosk {method} {path}: {response.status_code}")
    keys = {
        "dossier": db.session.get(Dossier, rows["dossier"]).code,
        "handover": db.session.get(Handover, rows["handover"]).code,
        "delivery_order": db.session.get(DeliveryOrder, rows["delivery_order"]).tracking_code,
    }
    for path, _access in PRINT_ROUTES.values():
        response = client.get(path.format(**keys))
        if response.status_code != 403:
            failures.append(f"kiosk GET {path}: {response.status_code}")
    response = client.post("/admin/follow-up/1", data={"status": "closed"})
    if response.status_code != 403:
        failures.append(f"kiosk POST /admin/follow-up/1: {response.status_code}")
    home = client.get("/admin/")
    assert home.status_code == 302 and home.location.endswith("/admin/counter-rating/")
    for method, path, data in KIOSK_REQUESTS.values():
        response = client.open(path, method=method, data=data)
        if response.status_code not in (200, 302):
            failures.append(f"kiosk {method} {path}: {response.status_code}")
    assert failures == [], "\n".join(failures)


def test_the_counter_tablet_api_token_opens_nothing(app, rows, kiosk):
    client = app.test_client()
    answer = client.post(
        "/api/v1/auth/token", json={"username": "kiosk1", "password": factories.PASSWORD}
    )
    headers = {"Authorization": f"Bearer {answer.get_json()['token']}"}
    failures = []
    keys = {
        "code": db.session.get(Dossier, rows["dossier"]).code,
        "free": db.session.get(Dossier, rows["dossier"]).code,
        "tracking_code": db.session.get(DeliveryOrder, rows["delivery_order"]).tracking_code,
        "handover": db.session.get(Handover, rows["handover"]).code,
        "file": rows["dossier/file_view"],
    }
    for _endpoint, (method, path, body, _needs) in sorted(API_ROUTES.items()):
        path = path.format(**keys)
        response = client.open(path, method=method, json=body, headers=headers)
        if response.status_code != 403:
            failures.append(f"kiosk {method} {path}: {response.status_code}")
    assert failures == [], "\n".join(failures)


def test_only_the_counter_tablet_opens_its_screen(app, world, kiosk):
    for role in PRINCIPALS:
        client = signed_in_client(app, role)
        for method, path, data in KIOSK_REQUESTS.values():
            response = client.open(path, method=method, data=data)
            if role is None:
                assert response.status_code == 302 and "/login" in response.location, path
            else:
                assert response.status_code == 403, (role, path, response.status_code)
