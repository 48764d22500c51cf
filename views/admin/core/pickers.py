"""The province and ward selects of the receipt form (applicant) and the ship form (recipient)."""

from flask import jsonify, request
from flask_admin import expose

from vietnam.addresses import provinces, wards

DEFAULT_PROVINCE = 19  # Thái Nguyên


def division_code(value) -> int | None:
    """A division code from the form, or None when absent or not a number."""
    text = str(value or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 9 else None


def wards_of(province):
    """The wards of PROVINCE, or of the default province for an unknown code."""
    try:
        return wards(province)
    except (ValueError, KeyError):
        return wards(DEFAULT_PROVINCE)


def fill_choices(province_field, ward_field, province) -> None:
    """Every province, and the wards of PROVINCE, as the two selects' choices."""
    province_field.choices = [("", "—")] + [(str(code), name) for code, name in provinces()]
    ward_field.choices = [("", "—")] + [(str(code), name) for code, name in wards_of(province)]


def wards_answer():
    """JSON: the wards of the province asked for (``?province=``), for an address select
    (the receipt form's applicant, the ship form's recipient); 404 for no such province."""
    try:
        found = wards(request.args.get("province", type=int) or 0)
    except (ValueError, KeyError):
        return jsonify([]), 404
    return jsonify([{"code": code, "name": name} for code, name in found])


class WardsMixin:
    """A screen's ``wards/`` route (its subclass maps ``wards_view`` to an action)."""

    @expose("/wards/")
    def wards_view(self):
        """JSON: the wards of one province, for the address select."""
        return wards_answer()
