"""Reading API input: the JSON body and query parameters, typed, or a JSON error.

Wrong JSON types and unreadable bodies answer 400; values of the right type
that break a format (a date that is no date) answer 422. Either way every
offending field is named, and nothing malformed reaches the services or the
database (NUL characters, for one, are refused by PostgreSQL).
"""

import re
from datetime import date, datetime

from flask import request

from services.calendar import LOCAL_TZ
from views.api.errors import ApiError
from views.guard import FIELD_MESSAGE, has_control

TYPE_NAMES = {str: "chuỗi ký tự", int: "số nguyên", dict: "đối tượng JSON"}
_DIGITS = re.compile(r"\d{1,6}", re.ASCII)
# Instants outside these years are typing mistakes, and near year 1 or 9999
# the conversion to UTC overflows.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def json_object() -> dict:
    """The request body as a JSON object, or 400."""
    try:
        data = request.get_json(force=True, silent=True)
    except RecursionError:  # nested deeper than the parser goes; silent covers ValueError only
        data = None
    if not isinstance(data, dict):
        raise ApiError(400, "Nội dung yêu cầu phải là một đối tượng JSON hợp lệ.")
    return data


class Fields:
    """Typed access to a JSON object; collects every problem before answering."""

    def __init__(self, data: dict, prefix: str = ""):
        self.data = data
        self.prefix = prefix
        self.wrong_type: dict[str, str] = {}
        self.invalid: dict[str, str] = {}

    def _get(self, key: str, kind: type):
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, kind) or isinstance(value, bool):
            self.wrong_type[self.prefix + key] = f"Phải là {TYPE_NAMES[kind]}."
            return None
        if kind in (str, dict) and has_control(value):
            self.wrong_type[self.prefix + key] = FIELD_MESSAGE
            return None
        return value

    def text(self, key: str, max_length: int | None = None) -> str | None:
        value = self._get(key, str)
        if value is not None and max_length is not None and len(value.strip()) > max_length:
            self.invalid[self.prefix + key] = f"Tối đa {max_length} ký tự."
        return value

    def integer(self, key: str) -> int | None:
        return self._get(key, int)

    def object(self, key: str) -> dict | None:
        return self._get(key, dict)

    def strings(self, key: str) -> list[str] | None:
        """A JSON array of strings (control characters refused), or None when absent."""
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.wrong_type[self.prefix + key] = "Phải là một mảng chuỗi ký tự."
            return None
        if any(has_control(v) for v in value):
            self.wrong_type[self.prefix + key] = FIELD_MESSAGE
            return None
        return value

    def instant(self, key: str, *, naive_is_local: bool = False) -> datetime | None:
        """An ISO 8601 date-time; with an offset unless NAIVE_IS_LOCAL."""
        raw = self.text(key)
        if raw is None:
            return None
        try:
            value = datetime.fromisoformat(raw.strip())
        except ValueError:
            self.invalid[self.prefix + key] = (
                "Phải là thời điểm ISO 8601, ví dụ 2026-03-10T09:30:00+07:00."
            )
            return None
        if value.tzinfo is None:
            if not naive_is_local:
                self.invalid[self.prefix + key] = "Thời điểm phải kèm múi giờ, ví dụ +07:00."
                return None
            value = value.replace(tzinfo=LOCAL_TZ)
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            self.invalid[self.prefix + key] = f"Năm phải từ {FIRST_YEAR} đến {LAST_YEAR}."
            return None
        return value

    def day(self, key: str) -> date | None:
        raw = self.text(key)
        if raw is None:
            return None
        try:
            return date.fromisoformat(raw.strip())
        except ValueError:
            self.invalid[self.prefix + key] = "Phải là ngày dạng YYYY-MM-DD."
            return None

    def check_types(self) -> None:
        """Answer 400 for wrong types; bad formats are left for the caller to name."""
        if self.wrong_type:
            raise ApiError(400, "Dữ liệu gửi lên sai kiểu.", self.wrong_type)

    def check(self) -> None:
        """Answer 400 for wrong types, else 422 for bad formats."""
        self.check_types()
        if self.invalid:
            raise ApiError(422, "Dữ liệu chưa hợp lệ.", self.invalid)


def query_args() -> dict[str, str]:
    """The query string (first value of each name); control characters were refused
    with 400 at the door (views/guard.py)."""
    return {key: request.args.get(key, "") for key in request.args}


def positive_int(args: dict, key: str, default: int, errors: dict) -> int:
    raw = args.get(key, "").strip()
    if not raw:
        return default
    if not _DIGITS.fullmatch(raw) or int(raw) < 1:
        errors[key] = "Phải là số nguyên dương (tối đa 6 chữ số)."
        return default
    return int(raw)


def query_day(args: dict, key: str, errors: dict) -> date | None:
    raw = args.get(key, "").strip()
    if not raw:
        return None
    try:
        value = date.fromisoformat(raw)
    except ValueError:
        errors[key] = "Phải là ngày dạng YYYY-MM-DD."
        return None
    if not 1900 <= value.year <= 9998:
        errors[key] = "Năm phải từ 1900 đến 9998."
        return None
    return value
