"""The receipt form's ID card scan: a USB 2D scanner types the CCCD's QR text into a field,
and ``cccd/`` answers what to fill (the rule lives once, in vietnam.cccd)."""

from flask import jsonify, request, url_for
from flask_admin import expose
from flask_admin.form import rules
from flask_babel import gettext as _
from markupsafe import Markup

from models.base import utcnow
from services.calendar import LOCAL_TZ
from vietnam.cccd import CardError, read_card

QR_MAX = 1000  # a card's QR text is a few hundred characters


class CccdScanField(rules.BaseRule):
    """The field the scanner types into (no name: the card's text itself is never posted)."""

    def __call__(self, form, form_opts=None, field_args=None):
        return Markup(
            '<div class="form-group" id="cccd-scan" data-url="{url}">'
            '<label for="cccd-qr">{label}</label>'
            '<input type="text" id="cccd-qr" class="form-control" autocomplete="off"'
            ' maxlength="{max}" aria-describedby="cccd-qr-help">'
            '<small class="form-text text-muted" id="cccd-qr-help">{help}</small>'
            '<div id="cccd-result" role="status" aria-live="polite"></div></div>'
        ).format(
            url=url_for(".cccd_view"),
            label=_("Scan the QR code of the citizen ID card"),
            max=QR_MAX,
            help=_(
                "Click here and scan the chip ID card's QR code: the applicant's name, "
                "ID number and address are filled in and checked against the card."
            ),
        )


def card_answer(text: str) -> dict:
    """What the form fills from a scanned QR TEXT, or why nothing: JSON-ready."""
    try:
        card = read_card(text[:QR_MAX], utcnow().astimezone(LOCAL_TZ).date())
    except CardError as exc:
        return {"ok": False, "message": str(exc)}
    summary = (
        f"{card.name} — CCCD {card.id_number} — {card.sex}, sinh ngày "
        f"{card.birth_date:%d/%m/%Y}; nơi đăng ký khai sinh: {card.birth_province or '?'}."
    )
    if card.mismatches:  # a misread or a forged card: fill nothing, say what disagrees
        return {
            "ok": False,
            "message": "Số CCCD không khớp với thông tin trên thẻ; chưa điền gì. "
            "Hãy kiểm tra thẻ và nhập tay.",
            "mismatches": card.mismatches,
            "summary": summary,
        }
    fields = {
        "applicant_name": card.name,
        "applicant_id_number": card.id_number,
        "applicant_street": card.street,
        "applicant_province_code": str(card.province_code or ""),
        "applicant_ward_code": str(card.ward_code or ""),
    }
    message = "Đã điền họ tên, số CCCD và địa chỉ theo thẻ."
    return {
        "ok": True,
        "message": message,
        "fields": fields,
        "notes": card.notes,
        "summary": summary,
    }


class CccdScanMixin:
    """The ``cccd/`` route of the dossier screen (mapped to ``create`` by its subclass)."""

    @expose("/cccd/", methods=("POST",))
    def cccd_view(self):
        """JSON for the receipt form: the applicant as the scanned ID card says."""
        body = request.get_json(silent=True)
        text = body.get("text") if isinstance(body, dict) else request.form.get("text")
        if not isinstance(text, str) or not text.strip():
            return jsonify(ok=False, message=_("Nothing was scanned."))
        return jsonify(card_answer(text))
