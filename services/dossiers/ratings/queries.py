"""Ratings counted for the reports: the disliked dossiers of a period, the faces per group."""

from sqlalchemy import and_, func, select

import permissions
from extensions import db
from models.dossier import Dossier
from models.rating import FACES, Rating
from models.user import User


def narrow(query, user, filters):
    """QUERY in USER's scope of dossiers, narrowed by FILTERS (agency, procedure, office)."""
    if user is not None:
        query = permissions.scope(user, "dossier", query)
    for name in ("agency_id", "procedure_type_id", "post_office_id"):
        if filters is not None and getattr(filters, name) is not None:
            query = query.where(getattr(Dossier, name) == getattr(filters, name))
    return query


def disliked_by(user, period, filters) -> dict:
    """Dossiers received in PERIOD (USER's scope, FILTERS) rated "không hài lòng", per
    (agency id, procedure id), in one grouped statement."""
    window = and_(Dossier.received_at >= period.start, Dossier.received_at < period.end)
    keys = (Dossier.agency_id, Dossier.procedure_type_id)
    query = (
        select(*keys, func.count(func.distinct(Rating.dossier_id)))
        .select_from(Rating)
        .join(Dossier, Dossier.id == Rating.dossier_id)
        .where(window, Rating.overall == "dissatisfied")
        .group_by(*keys)
    )
    return {(a, p): n for a, p, n in db.session.execute(narrow(query, user, filters))}


GROUPS = {"agency": Dossier.agency_id, "procedure": Dossier.procedure_type_id}


def faces_by(user, period, filters, by: str) -> dict:
    """{group id: {face: n}} of the ratings given in PERIOD, by agency, procedure or clerk."""
    column = Rating.clerk_id if by == "clerk" else GROUPS[by]
    window = and_(Rating.created_at >= period.start, Rating.created_at < period.end)
    query = (
        select(column, Rating.overall, func.count())
        .select_from(Rating)
        .join(Dossier, Dossier.id == Rating.dossier_id)
        .where(window)
        .group_by(column, Rating.overall)
    )
    found: dict = {}
    for key, face, count in db.session.execute(narrow(query, user, filters)):
        found.setdefault(key, dict.fromkeys(FACES, 0))[face] = count
    return found


def clerk_names(ids) -> dict:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    rows = db.session.execute(select(User.id, User.full_name).where(User.id.in_(ids)))
    return dict(rows.all())
