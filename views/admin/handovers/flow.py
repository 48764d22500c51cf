"""The handover screens' own routes: the queue to hand over (with the scanner), sending,
the incoming batches, confirming and cancelling; each a thin call of services.handovers.batches."""

from flask import flash, jsonify, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_login import current_user

from models.dossier import STATUSES
from models.handover import Handover, HandoverItem
from services.errors import ServiceError
from services.handovers import batches as handovers
from services.handovers import eligibility, queries
from services.transactions import transaction
from views.admin.core.params import parse_id


def parse_ids(values) -> list[int]:
    """The dossier ids a form sent, those that can be ids at all."""
    return [i for i in (parse_id(v, big=True) for v in values) if i is not None]


def send_batch(ids: list[int], note: str | None):
    """Create and send one batch of IDS for the current user; a redirect either way."""
    direction = eligibility.direction_of(current_user)
    try:
        with transaction():
            batch = handovers.create_and_send(
                current_user, direction, ids=ids, note=note, ip_address=request.remote_addr
            )
    except ServiceError as exc:
        flash(exc.message, "error")
        return None
    flash(
        _(
            "Batch %(code)s sent to %(agency)s with %(count)d dossier(s).",
            code=batch.code,
            agency=batch.to_agency.name,
            count=len(batch.items),
        ),
        "success",
    )
    return batch


class HandoverFlowMixin:
    """Routes of the handover screen beyond Flask-Admin's list and details."""

    route_actions = {
        "queue_view": "create",
        "scan_view": "create",
        "send_view": "create",
        "incoming_view": "confirm",
        "confirm_view": "confirm",
        "cancel_view": "cancel",
    }

    @expose("/new/", methods=("GET", "POST"))
    def create_view(self):
        """No create form: the agencies are never typed; batches start from the queue."""
        return redirect(url_for(".queue_view"))

    @expose("/queue/")
    def queue_view(self):
        direction = eligibility.direction_of(current_user)
        groups = []
        try:
            groups = queries.eligible(current_user, direction)
        except ServiceError as exc:
            flash(exc.message, "error")
        return self.render("admin/handover/queue.html", direction=direction, groups=groups)

    @expose("/scan/")
    def scan_view(self):
        """JSON for the scanner: the dossier's id when it may go in the batch, else why not."""
        code = request.args.get("code", "")
        try:
            dossier = eligibility.scan(current_user, eligibility.direction_of(current_user), code)
        except ServiceError as exc:
            return jsonify(ok=False, message=exc.message)
        return jsonify(ok=True, id=dossier.id, code=dossier.code)

    @expose("/send/", methods=("POST",))
    def send_view(self):
        batch = send_batch(parse_ids(request.form.getlist("dossier_id")), request.form.get("note"))
        if batch is None:
            return redirect(url_for(".queue_view"))
        return redirect(url_for(".details_view", id=batch.id))

    @expose("/incoming/")
    def incoming_view(self):
        return self.render("admin/handover/incoming.html", batches=queries.incoming(current_user))

    @expose("/confirm/", methods=("GET", "POST"))
    def confirm_view(self):
        batch = self.batch(request.args.get("id"))
        if not handovers.may_confirm(current_user, batch):
            flash(_("Only the receiving side confirms a sent batch."), "error")
            return redirect(url_for(".details_view", id=batch.id))
        if request.method == "POST":
            form = request.form
            typed = {
                "missing": form.getlist("missing"),
                "notes": {i.id: form.get(f"note-{i.id}", "") for i in batch.items},
                "note": form.get("note", ""),
            }
            try:
                with transaction():
                    handovers.confirm(
                        batch,
                        current_user,
                        missing_codes=typed["missing"],
                        item_notes={i.dossier.code: typed["notes"][i.id] for i in batch.items},
                        note=typed["note"],
                        version=form.get("version"),
                        ip_address=request.remote_addr,
                    )
            except ServiceError as exc:  # the page again, with what was ticked and typed
                flash(exc.message, "error")
                if not handovers.may_confirm(current_user, batch):  # settled meanwhile
                    return redirect(url_for(".details_view", id=batch.id))
                return self.render(
                    "admin/handover/confirm.html", batch=batch, typed=typed, problems=exc.fields
                )
            flash(_("Batch %(code)s confirmed.", code=batch.code), "success")
            return redirect(url_for(".details_view", id=batch.id))
        return self.render("admin/handover/confirm.html", batch=batch, typed={}, problems={})

    @expose("/cancel/", methods=("POST",))
    def cancel_view(self):
        batch = self.batch(request.args.get("id"))
        try:
            with transaction():
                handovers.cancel(
                    batch,
                    current_user,
                    reason=request.form.get("reason"),
                    version=request.form.get("version"),
                    ip_address=request.remote_addr,
                )
        except ServiceError as exc:
            flash(exc.message, "error")
        else:
            flash(_("Batch %(code)s cancelled.", code=batch.code), "success")
        return redirect(url_for(".details_view", id=batch.id))

    # -- for the templates ---------------------------------------------------
    def batch(self, id_) -> Handover:
        """The batch ID_ in the user's scope with its dossiers (get_one), else 404."""
        return self.get_one(id_)

    def items_of(self, batch: Handover) -> list[HandoverItem]:
        return sorted(batch.items, key=lambda i: i.dossier.code)

    def status_label(self, status: str) -> str:
        return str(STATUSES.label(status))

    def may_confirm(self, batch: Handover) -> bool:
        return handovers.may_confirm(current_user, batch)

    def may_cancel(self, batch: Handover) -> bool:
        return handovers.may_cancel(current_user, batch)
