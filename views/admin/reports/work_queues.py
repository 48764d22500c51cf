"""The home page's work queues (templates/admin/report/_work_queues.html): labels and links."""

from flask import current_app, url_for
from flask_admin.contrib.sqla.filters import FilterEqual
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from services.reporting.work_queues import work_queues
from views.admin.core.filters import OverdueFilter

LABELS = {
    "to_hand_over": (_l("Waiting to hand over"), "fa-paper-plane"),
    "incoming": (_l("Batches to confirm"), "fa-inbox"),
    "at_counter": (_l("Results at the counter"), "fa-archive"),
    "overdue": (_l("Overdue dossiers"), "fa-exclamation-triangle"),
}


def _dossier_filter_url(kind, value: str) -> str:
    """The dossier list filtered by the first filter of type KIND (status equals, overdue)."""
    view = next(v for v in current_app.extensions["admin"][0]._views if v.endpoint == "dossier")
    for index, flt in enumerate(view._filters or ()):
        if type(flt) is kind and (kind is not FilterEqual or flt.column.key == "status"):
            return url_for("dossier.index_view", **{f"flt0_{index}": value})
    return url_for("dossier.index_view")


def _url(key: str) -> str:
    if key == "to_hand_over":
        return url_for("handover.queue_view")
    if key == "incoming":
        return url_for("handover.incoming_view")
    if key == "at_counter":
        return _dossier_filter_url(FilterEqual, "result_at_counter")
    return _dossier_filter_url(OverdueFilter, "overdue")


def work_queue_links() -> list[dict]:
    """The signed-in user's queues: key, label, icon, count and the screen that holds them."""
    return [
        {
            "key": q.key,
            "label": LABELS[q.key][0],
            "icon": LABELS[q.key][1],
            "count": q.count,
            "shown": q.shown,
            "url": _url(q.key),
        }
        for q in work_queues(current_user)
    ]
