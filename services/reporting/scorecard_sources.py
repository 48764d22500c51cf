"""The scorecard's data kept outside the periodic figures: the portal sync (1.4) and the
digitized files (4.2, 4.3), per period, as a whole and per agency and procedure.

Each is read once per page in the user's scope and handed to the indicators by row. The
sync counts only where a portal is configured (else the panel has no sync data: None).
"""

from flask import current_app
from sqlalchemy import func, select

from extensions import db
from models.dossier import Dossier
from models.integration import PortalSync
from services.digitization import figures as digitization
from services.reporting.periods import Period
from services.reporting.queries import Filters, narrow

BY = {"agency": Dossier.agency_id, "procedure": Dossier.procedure_type_id}


def synced(user, period: Period, filters: Filters) -> dict | None:
    """(kind, id) → (synced, received) of the dossiers received in PERIOD; None without a
    portal. Kind None, id None: the whole scope."""
    if not current_app.config.get("PORTAL_URL"):
        return None
    window = (Dossier.received_at >= period.start, Dossier.received_at < period.end)
    answer = {}
    for kind, column in ((None, None), *BY.items()):
        keys = [column] if column is not None else []
        query = (
            select(*keys, func.count(Dossier.id), func.count(PortalSync.dossier_id))
            .select_from(Dossier)
            .outerjoin(PortalSync, PortalSync.dossier_id == Dossier.id)
            .where(*window)
        )
        query = narrow(query, user, filters)
        for row in db.session.execute(query.group_by(*keys)):
            key = row[0] if column is not None else None
            answer[(kind, key)] = (int(row[-1]), int(row[-2]))
    return answer


def digitized(user, period: Period, filters: Filters) -> dict:
    """(kind, id) → the digitization figures (services.digitization.figures) of PERIOD, from
    one read of every (agency, procedure) pair, summed into the total and each grouping."""
    scope = {
        "agency_id": filters.agency_id,
        "procedure_id": filters.procedure_type_id,
        "post_office_id": filters.post_office_id,
    }
    pairs = digitization.rates(user, period.first, period.last, by="agency_procedure", **scope)
    grouped: dict[tuple, list] = {(None, None): pairs}
    for row in pairs:
        agency, procedure = row["key"]
        grouped.setdefault(("agency", agency), []).append(row)
        grouped.setdefault(("procedure", procedure), []).append(row)
    return {
        key: {"key": key[1], **digitization.summed(rows)} if key[0] else digitization.summed(rows)
        for key, rows in grouped.items()
    }
