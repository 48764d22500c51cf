"""The Flask-Admin panel, built fresh for each app (Admin keeps its views)."""

from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme
from flask_babel import lazy_gettext as _l

from extensions import db
from models import (
    AuditEntry,
    CalendarOverride,
    Dossier,
    Handover,
    ProcedureType,
    Role,
    User,
)
from models.agency import Agency
from models.carrier import CarrierStatus, CarrierWebhook
from models.delivery import DeliveryOrder, PostageRate
from models.integration import PortalMapping
from models.notification import NotificationTemplate
from views.admin.audit import AuditLogView
from views.admin.calendar import CalendarOverrideView
from views.admin.catalog import AgencyView, ProcedureTypeView
from views.admin.core.kept_menu import kept_menu, kept_static_url
from views.admin.counter_rating import CounterRatingView
from views.admin.delivery.carriers import CarrierStatusView, CarrierWebhookView
from views.admin.delivery.postage import PostageRateView
from views.admin.delivery.screen import DeliveryOrderView
from views.admin.dossiers.screen import DossierView
from views.admin.handovers.screen import HandoverLink, HandoverView
from views.admin.integration.mappings import PortalMappingView
from views.admin.integration.outbox import OutboxView
from views.admin.integration.templates import NotificationTemplateView
from views.admin.people import UserView
from views.admin.reports.home import SecuredIndexView
from views.admin.reports.screen import ReportView
from views.admin.roles import RoleView
from views.security import csp_nonce


def register_admin(app) -> Admin:
    """Build the panel with one screen per resource at ``/admin/<resource>/``."""
    admin = Admin(
        app,
        name=_l("One-stop Post"),
        theme=Bootstrap4Theme(swatch=app.config["FLASK_ADMIN_SWATCH"], fluid=True),
        index_view=SecuredIndexView(name=_l("Home"), url="/admin", endpoint="admin"),
        csp_nonce_generator=csp_nonce,
    )
    work = _l("Dossiers")
    catalog = _l("Catalog")
    system = _l("System")
    admin.add_view(DossierView(Dossier, db, name=_l("Dossiers"), category=work))
    admin.add_view(HandoverView(Handover, db, name=_l("Handover log"), category=work))
    for label, endpoint, action in (
        (_l("Waiting to hand over"), "handover.queue_view", "create"),
        (_l("Batches to confirm"), "handover.incoming_view", "confirm"),
    ):
        admin.add_link(HandoverLink(label, endpoint, action, work))
    admin.add_view(DeliveryOrderView(DeliveryOrder, db, name=_l("Delivery orders"), category=work))
    admin.add_view(
        ProcedureTypeView(ProcedureType, db, name=_l("Procedure types"), category=catalog)
    )
    admin.add_view(AgencyView(Agency, db, name=_l("Agencies"), category=catalog))
    admin.add_view(
        CalendarOverrideView(CalendarOverride, db, name=_l("Working calendar"), category=catalog)
    )
    admin.add_view(
        PostageRateView(PostageRate, db, name=_l("Postage price list"), category=catalog)
    )
    admin.add_view(
        CarrierStatusView(CarrierStatus, db, name=_l("Carrier status codes"), category=catalog)
    )
    admin.add_view(UserView(User, db, name=_l("Users"), category=system))
    admin.add_view(RoleView(Role, db, name=_l("Roles"), category=system))
    admin.add_view(
        CarrierWebhookView(CarrierWebhook, db, name=_l("Carrier webhooks"), category=system)
    )
    admin.add_view(AuditLogView(AuditEntry, db, name=_l("Audit log"), category=system))
    admin.add_view(
        OutboxView(name=_l("Sync and messages"), endpoint="outbox", url="outbox", category=system)
    )
    admin.add_view(
        PortalMappingView(PortalMapping, db, name=_l("Portal code mappings"), category=system)
    )
    admin.add_view(
        NotificationTemplateView(
            NotificationTemplate, db, name=_l("Message templates"), category=system
        )
    )
    admin.add_view(ReportView(name=_l("Reports"), endpoint="report", url="report"))
    admin.add_view(
        CounterRatingView(
            name=_l("Counter rating"), endpoint="counter_rating", url="counter-rating"
        )
    )
    app.jinja_env.globals["kept_menu"] = kept_menu
    app.jinja_env.globals["kept_static_url"] = kept_static_url
    return admin
