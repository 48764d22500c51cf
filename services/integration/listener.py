"""Outbox rows for every dossier history row, parcel event, heavy download asked for, scan
uploaded and carrier call stored, whatever wrote them.

Installed by the app factory on the app's session (like the daily figures): after
each flush, the new history rows and parcel events get one outbox row per enabled
sink that wants them, inserted on the same connection, so they commit or roll back
with the change. Bulk loads that bypass the ORM (``generate-data``) write none.
"""

from flask import current_app, has_app_context
from sqlalchemy import event, insert, select

from models.carrier import CarrierWebhook
from models.delivery import DeliveryEvent, DeliveryOrder
from models.digitization import DossierFile
from models.dossier import DossierHistory
from models.export import ReportExport
from models.integration import OutboxMessage
from models.notification import EVENT_BY_ACTION
from services.integration.notify.deliver import SINKS as NOTIFY_SINKS
from services.integration.outbox import new_row
from services.integration.sinks import enabled_sinks


def _write_outbox_rows(session, _context) -> None:
    if not has_app_context():
        return
    sinks = enabled_sinks(current_app.config)
    if not sinks:
        return
    rows, parcel_orders = [], []
    notify_sinks = {s.name for s in sinks if "notify" in s.events}
    for obj in session.new:
        if isinstance(obj, DossierHistory):
            if notify_sinks and obj.action in EVENT_BY_ACTION:
                rows += _notify_rows(obj, notify_sinks)
            payload = {"action": obj.action, "to": obj.to_status}
            for sink in sinks:
                if "history" in sink.events:
                    rows.append(
                        new_row(
                            sink.name,
                            "step",
                            dossier_id=obj.dossier_id,
                            history_id=obj.id,
                            payload=payload,
                        )
                    )
        elif isinstance(obj, DeliveryEvent):
            parcel_orders.append((obj.delivery_order_id, obj.status))
        elif isinstance(obj, DossierFile) and obj.state == "pending":
            payload = {"file_id": obj.id}
            for sink in sinks:
                if "scan" in sink.events:
                    rows.append(
                        new_row(sink.name, "digitize", dossier_id=obj.dossier_id, payload=payload)
                    )
        elif isinstance(obj, CarrierWebhook) and obj.state == "pending":
            payload = {"inbox_id": obj.id}
            for sink in sinks:
                if "carrier" in sink.events:
                    rows.append(new_row(sink.name, "carrier", payload=payload))
        elif isinstance(obj, ReportExport):
            payload = {"export_id": obj.id}
            for sink in sinks:
                if "export" in sink.events:
                    rows.append(new_row(sink.name, "export", payload=payload))
    parcel_sinks = [s for s in sinks if "parcel" in s.events]
    if parcel_orders and parcel_sinks:
        ids = {order_id for order_id, _ in parcel_orders}
        query = select(DeliveryOrder.id, DeliveryOrder.dossier_id).where(DeliveryOrder.id.in_(ids))
        dossier_of = {
            order_id: dossier_id for order_id, dossier_id in session.connection().execute(query)
        }
        for order_id, status in parcel_orders:
            for sink in parcel_sinks:
                payload = {"parcel_status": status}
                dossier_id = dossier_of.get(order_id)
                rows.append(new_row(sink.name, "state", dossier_id=dossier_id, payload=payload))
    if rows:
        rows.sort(key=lambda r: (r["dossier_id"] or 0, r["history_id"] or 0))
        session.connection().execute(insert(OutboxMessage), rows)


def _notify_rows(history: DossierHistory, sink_names: set[str]) -> list[dict]:
    """One row per channel the applicant chose, for a step they are told of.

    The dossier is the one whose history the flush wrote (in the session already); the
    sink reads the choice again when it sends.
    """
    event = EVENT_BY_ACTION[history.action]
    dossier = history.__dict__.get("dossier")
    if dossier is None:
        return []
    if event.return_method and dossier.return_method != event.return_method:
        return []
    payload = {"event": event.value}
    return [
        new_row(sink, "notify", dossier_id=dossier.id, history_id=history.id, payload=payload)
        for channel in dossier.notify_channels or ()
        if (sink := NOTIFY_SINKS.get(channel)) in sink_names
    ]


def install(session) -> None:
    """Write outbox rows with every flush of SESSION; a second install adds nothing."""
    if not event.contains(session, "after_flush", _write_outbox_rows):
        event.listen(session, "after_flush", _write_outbox_rows)
