"""«Đồng bộ và gửi tin» (/admin/outbox/): what waits, what failed; retry or discard a row."""

from flask import abort, current_app, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_login import current_user

from models.base import utcnow
from models.integration import OUTBOX_KINDS, OUTBOX_STATUSES
from models.notification import NOTIFY_CHANNELS, NOTIFY_EVENTS, NOTIFY_RESULTS
from services.errors import NotFound, ServiceError
from services.integration import screen
from services.integration.notify.deliver import configured
from services.integration.sinks import BY_NAME, SINKS
from services.transactions import transaction
from views.admin.core.params import parse_id
from views.admin.core.screens import SecuredScreen


def sink_label(name: str):
    sink = BY_NAME.get(name)
    return _(sink.msgid) if sink else name


def age(instant) -> str:
    """How long ago INSTANT was, in minutes, hours or days."""
    if instant is None:
        return "—"
    minutes = max(0, int((utcnow() - instant).total_seconds() // 60))
    if minutes < 60:
        return _("%(n)s min", n=minutes)
    if minutes < 48 * 60:
        return _("%(n)s h", n=minutes // 60)
    return _("%(n)s days", n=minutes // (24 * 60))


class OutboxView(SecuredScreen):
    resource = "outbox"
    route_actions = {"index_view": "view", "retry_view": "edit", "discard_view": "edit"}

    @expose("/")
    def index_view(self):
        sink = request.args.get("sink") or None
        if sink not in BY_NAME:
            sink = None
        status = request.args.get("status") or "dead"
        if status not in OUTBOX_STATUSES:
            status = "dead"
        channel = request.args.get("channel") or None
        channel = channel if channel in NOTIFY_CHANNELS else None
        result = request.args.get("result") or None
        result = result if result in NOTIFY_RESULTS else None
        page = screen.page(
            current_user,
            current_app.config,
            sink=sink,
            status=status,
            channel=channel,
            result=result,
        )
        return self.render(
            "admin/outbox/index.html",
            page=page,
            sink=sink,
            status=status,
            sinks=SINKS,
            statuses=OUTBOX_STATUSES,
            kinds=OUTBOX_KINDS,
            sink_label=sink_label,
            age=age,
            done_cap=screen.DONE_CAP,
            channel=channel,
            result=result,
            channels=NOTIFY_CHANNELS,
            results=NOTIFY_RESULTS,
            events=NOTIFY_EVENTS,
            dev=[c for c in NOTIFY_CHANNELS if not configured(c, current_app.config)],
        )

    @expose("/retry/", methods=("POST",))
    def retry_view(self):
        return self._act(screen.retry)

    @expose("/discard/", methods=("POST",))
    def discard_view(self):
        return self._act(screen.discard)

    def _act(self, service):
        row_id = parse_id(request.form.get("id"))
        try:
            if row_id is None:
                raise ServiceError(_("No such row."))
            with transaction():
                service(current_user, row_id, request.form.get("reason"), request.remote_addr)
        except NotFound:
            abort(404)  # not there, or not this user's: the same answer
        except ServiceError as exc:
            flash(exc.message, "error")
        else:
            if service is screen.retry:
                flash(_("Row #%(id)s will be sent again.", id=row_id), "success")
            else:
                flash(_("Row #%(id)s was discarded.", id=row_id), "success")
        args = {k: request.form.get(k) for k in ("sink", "status") if request.form.get(k)}
        return redirect(url_for(".index_view", **args))
