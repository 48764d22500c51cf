"""The dossier screen's part in handovers: the "Hand over" bulk action and the batches
a dossier went through (templates/admin/dossier/_handovers.html, read with its parcels
by services.dossiers.transfers)."""

from flask import redirect, url_for
from flask_admin.actions import action
from flask_babel import lazy_gettext as _l
from flask_login import current_user

import permissions
from models.handover import DIRECTIONS, HANDOVER_STATUSES
from services.dossiers import transfers as dossier_transfers
from services.handovers import eligibility
from views.admin.handovers.flow import parse_ids, send_batch
from views.urls import back_target


class DossierHandoverMixin:
    @action(
        "handover",
        _l("Hand over"),
        _l("Hand the selected dossiers over in one batch, sent now?"),
    )
    def action_handover(self, ids):
        batch = send_batch(parse_ids(ids), None)
        if batch is None:
            return redirect(back_target(url_for(".index_view")))
        return redirect(url_for("handover.details_view", id=batch.id))

    def is_action_allowed(self, name):
        if name == "handover":
            return self.may_hand_over()
        return super().is_action_allowed(name)

    def may_hand_over(self) -> bool:
        return permissions.can(current_user, "handover", "create") and (
            eligibility.direction_of(current_user) is not None
        )

    def handovers_of(self, transfers):
        """(batch, item) pairs of a dossier's TRANSFERS the user may see, oldest first."""
        return dossier_transfers.visible_to(current_user, transfers).batches

    def direction_label(self, direction: str) -> str:
        return str(DIRECTIONS.label(direction))

    def batch_status_label(self, status: str) -> str:
        return str(HANDOVER_STATUSES.label(status))
