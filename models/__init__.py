"""All models, imported here so that metadata and Alembic see every table."""

from models.agency import AGENCY_KINDS, Agency
from models.audit import AuditEntry
from models.calendar import CalendarOverride
from models.carrier import CarrierStatus, CarrierWebhook
from models.catalog import ExtraFieldDefinition, ProcedureType, RequiredDocument
from models.counter import CodeCounter
from models.delivery import DeliveryEvent, DeliveryOrder, PostageRate
from models.digitization import ApplicantDocument, DossierFile
from models.dossier import STATUSES, Dossier, DossierHistory
from models.export import ReportExport
from models.handover import Handover, HandoverItem
from models.integration import OutboxLock, OutboxMessage, PortalMapping, PortalSync
from models.notification import NotificationLog, NotificationTemplate
from models.rating import Rating
from models.report import ReportDaily
from models.security import LoginThrottle, RevokedToken
from models.user import ROLE_NAMES, Permission, Role, User

__all__ = [
    "AGENCY_KINDS",
    "ROLE_NAMES",
    "STATUSES",
    "Agency",
    "ApplicantDocument",
    "AuditEntry",
    "CalendarOverride",
    "CarrierStatus",
    "CarrierWebhook",
    "CodeCounter",
    "DeliveryEvent",
    "DeliveryOrder",
    "Dossier",
    "DossierFile",
    "DossierHistory",
    "ExtraFieldDefinition",
    "Handover",
    "HandoverItem",
    "LoginThrottle",
    "NotificationLog",
    "NotificationTemplate",
    "OutboxLock",
    "OutboxMessage",
    "Permission",
    "PortalMapping",
    "PortalSync",
    "PostageRate",
    "ProcedureType",
    "Rating",
    "ReportDaily",
    "ReportExport",
    "RequiredDocument",
    "RevokedToken",
    "Role",
    "User",
]
