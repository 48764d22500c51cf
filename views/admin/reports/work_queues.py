"""The home page's work queues (templates/admin/report/_work_queues.html): labels and links."""

from flask import url_for
from flask_babel import lazy_gettext as _l

from services.reporting.work_queues import Queue

#: Each queue: its label, its icon, and the screen that holds its work, with the dossier
#: list's named filters (views.admin.core.filters.NamedFilterUrls) where that is the list.
QUEUES = {
    "to_hand_over": (_l("Waiting to hand over"), "fa-paper-plane", "handover.queue_view", {}),
    "incoming": (_l("Batches to confirm"), "fa-inbox", "handover.incoming_view", {}),
    "at_counter": (
        _l("Results at the counter"),
        "fa-archive",
        "dossier.index_view",
        {"flt0_status_equals": "result_at_counter"},
    ),
    "overdue": (
        _l("Overdue now, whenever received"),
        "fa-exclamation-triangle",
        "dossier.index_view",
        {"flt0_appointment_is": "overdue"},
    ),
}


def work_queue_links(queues: tuple[Queue, ...]) -> list[dict]:
    """QUEUES as the page shows them: key, label, icon, count and the screen's URL."""
    links = []
    for queue in queues:
        label, icon, endpoint, filters = QUEUES[queue.key]
        links.append(
            {
                "key": queue.key,
                "label": label,
                "icon": icon,
                "count": queue.count,
                "shown": queue.shown,
                "url": url_for(endpoint, **filters),
            }
        )
    return links
