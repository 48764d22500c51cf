"""Print pages (CONTRACT.md's /print/... URLs): A4 forms, always in Vietnamese.

The panel's gate decides who may open them (``views.access.requires``); rows are
loaded through ``permissions.scope``, so another agency's record answers 404,
as on its details page. A form whose event has not happened answers 404 too.
"""

from flask import Blueprint, abort, current_app, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

import permissions
from extensions import db
from models.delivery import DeliveryOrder
from models.dossier import Dossier
from models.handover import Handover
from services.errors import NotFound
from services.printing import barcodes, circular_qr, dossier_forms
from services.printing.handover_record import delivery_label, handover_record, load_handover
from views.access import requires
from views.urls import public_url

bp = Blueprint("print", __name__, url_prefix="/print")

TEMPLATES = {
    "receipt": "print/receipt.html",
    "supplement": "print/letter.html",
    "refusal": "print/letter.html",
    "apology": "print/letter.html",
    "stop": "print/letter.html",
    "control-slip": "print/control_slip.html",
    "return-slip": "print/return_slip.html",
}

#: The dossier page's button for each form (the panel's language; the forms are Vietnamese).
BUTTONS = {
    "receipt": _l("Print the receipt"),
    "supplement": _l("Print the supplement request"),
    "refusal": _l("Print the refusal"),
    "apology": _l("Print the apology"),
    "stop": _l("Print the stop notice"),
    "control-slip": _l("Print the control slip"),
    "return-slip": _l("Print the return slip"),
}


def _key(value: str) -> str:
    """A code from the URL, or 404 for one no record can have (a NUL byte breaks PostgreSQL)."""
    if "\x00" in value or len(value) > 60:
        abort(404)
    return value


def _scoped(resource: str, query):
    """The one row QUERY selects inside the current user's scope, else 404."""
    row = db.session.scalar(permissions.scope(current_user, resource, query))
    if row is None:
        abort(404)
    return row


def lookup_url(code: str) -> str:
    """The public look-up page of CODE, absolute: what the receipt's QR code holds."""
    return public_url("auth.lookup", code=code)


def rating_codes(dossier) -> dict:
    """The rating link of DOSSIER (from PUBLIC_BASE_URL), its key and its QR code."""
    if not dossier.rating_key:
        return {}
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    path = url_for("rating.rate", code=dossier.code, key=dossier.rating_key)
    url = f"{base}{path}"
    return {"rating_url": url, "rating_key": dossier.rating_key, "rating_qr": barcodes.qr_svg(url)}


@bp.route("/dossiers/<code>/<form>")
@requires("dossier", "view")
def dossier_form(code: str, form: str):
    if form not in TEMPLATES:
        abort(404)
    dossier = _scoped(
        "dossier",
        select(Dossier)
        .where(Dossier.code == _key(code))
        .options(
            selectinload(Dossier.history),
            joinedload(Dossier.procedure_type),
            joinedload(Dossier.post_office),
        ),
    )
    try:
        data = dossier_forms.dossier_form(dossier, form, lookup_url(dossier.code))
    except NotFound:
        abort(404)
    codes = {
        "circular_qr": barcodes.qr_svg(
            circular_qr.payload(dossier, data.title), svgclass="qr-circular01"
        )
    }
    if form == "return-slip":
        codes |= rating_codes(dossier)
    if form == "receipt":
        codes |= {
            "barcode": barcodes.code128_svg(dossier.code, 10),
            "qr": barcodes.qr_svg(data.lookup_url),
            **rating_codes(dossier),
        }
    return render_template(TEMPLATES[form], doc=data, **codes)


@bp.route("/handovers/<code>")
@requires("handover", "view")
def handover(code: str):
    query = select(Handover).where(Handover.code == _key(code))
    row = load_handover(permissions.scope(current_user, "handover", query))
    if row is None:
        abort(404)
    try:
        data = handover_record(row)
    except NotFound:
        abort(404)
    return render_template(
        "print/handover.html", doc=data, barcode=barcodes.code128_svg(data.code, 10)
    )


@bp.route("/delivery-orders/<tracking_code>/label")
@requires("delivery_order", "view")
def delivery_label_page(tracking_code: str):
    order = _scoped(
        "delivery_order",
        select(DeliveryOrder)
        .where(DeliveryOrder.tracking_code == _key(tracking_code))
        .options(joinedload(DeliveryOrder.dossier), joinedload(DeliveryOrder.post_office)),
    )
    data = delivery_label(order)
    return render_template(
        "print/label.html",
        doc=data,
        barcode=barcodes.code128_svg(data.tracking_code, 16),
        dossier_barcode=barcodes.code128_svg(data.dossier_code, 8),
    )


@bp.app_context_processor
def print_helpers():
    """``print_links(dossier)`` for the dossier page's "In" buttons."""
    return {"print_links": print_links}


def print_links(dossier: Dossier, sent_batches: list | None = None) -> list[dict]:
    """One entry per form DOSSIER has now; the one its latest step made is marked
    (SENT_BATCHES: the batches that carried it, when the page has read them)."""
    latest = dossier_forms.latest_form(dossier)
    return [
        {
            "form": form,
            "label": BUTTONS[form],
            "url": url_for("print.dossier_form", code=dossier.code, form=form),
            "latest": form == latest,
        }
        for form in dossier_forms.available_forms(dossier, sent_batches)
    ]
