"""The extra fields IT staff define per procedure type: validation and storage."""

import math
from datetime import date

from models.catalog import ExtraFieldDefinition, ProcedureType


def clean_value(definition: ExtraFieldDefinition, raw) -> tuple[object, str | None]:
    """(stored value, Vietnamese error or None) for one submitted value."""
    text = "" if raw is None else str(raw).strip()
    if not text:
        return None, ("Trường này là bắt buộc." if definition.required else None)
    if definition.field_type == "number":
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            return None, "Phải là một số."
        if not math.isfinite(number) or abs(number) > 1e15:
            return None, "Phải là một số hữu hạn, không quá 15 chữ số."
        if number < 0:  # counts, pages, areas: a procedure's numbers are never negative
            return None, "Không được là số âm."
        return (int(number) if number.is_integer() else number), None
    if definition.field_type == "date":
        for parse in (date.fromisoformat, _parse_vn_date):
            try:
                return parse(text).isoformat(), None
            except ValueError:
                continue
        return None, "Ngày không hợp lệ (dd/mm/yyyy)."
    if definition.field_type == "choice":
        if text not in definition.choice_list:
            return None, "Chọn một giá trị trong danh sách: " + ", ".join(definition.choice_list)
        return text, None
    return text[:1000], None


def clean_extra(procedure: ProcedureType, submitted: dict) -> tuple[dict, dict[str, str]]:
    """(values by key, errors by key) for all of PROCEDURE's extra fields."""
    values, errors = {}, {}
    for definition in procedure.extra_fields:
        value, error = clean_value(definition, submitted.get(definition.key))
        if error:
            errors[definition.key] = error
        elif value is not None:
            values[definition.key] = value
    return values, errors


def _parse_vn_date(text: str) -> date:
    day, month, year = text.split("/")
    return date(int(year), int(month), int(day))


def describe(procedure: ProcedureType) -> list[dict]:
    """PROCEDURE's extra fields as plain data, for the receipt form and the API."""
    return [
        {
            "key": f.key,
            "label": f.label,
            "type": f.field_type,
            "required": f.required,
            "choices": f.choice_list,
        }
        for f in procedure.extra_fields
    ]
