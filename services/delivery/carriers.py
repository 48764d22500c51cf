"""What each carrier's webhook looks like: its secret, its transaction id, its body, its words.

``authenticate`` checks a call against the carrier's secret (an HMAC-SHA256 of the raw
body in ``X-Signature: sha256=<hex>``, or the secret itself in ``X-Webhook-Token``),
compared in constant time. ``parse`` reads the carrier's body into a ``Reading``, or says
why it cannot. ``map_status`` turns the carrier's status into ours: its code through the
mapping table IT staff edit, else its name by DOMAIN.md's words, else nothing.
"""

import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import select

from extensions import db
from models.carrier import CARRIERS, DEFAULT_MAPPING, STATUS_WORDS, CarrierStatus
from services.calendar import LOCAL_TZ
from services.errors import ValidationFailed
from vietnam.text import fold
from vietnam.validation import normalise_tracking_code

#: The header naming each call, unique per event, per carrier.
TRANSACTION_HEADERS = {"ems": "ems-transaction"}
MAX_TRANSACTION = 100
# Control characters (tab and line breaks aside) and lone surrogates: no column holds them.
_UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_TRANSACTION = re.compile(r"[\x21-\x7e]{1,100}")
_NOT_WORD = re.compile(r"[^0-9a-z]+")
EMS_TIME = "%d/%m/%Y %H:%M:%S"
_WORDS = sorted(
    ((fold(word), status) for status, words in STATUS_WORDS.items() for word in words),
    key=lambda pair: -len(pair[0]),  # the longest phrase wins ("phát không thành công")
)


@dataclass(frozen=True)
class Reading:
    """One event as the carrier's body gives it."""

    tracking_code: str
    status_code: str
    status_name: str | None
    at: datetime
    note: str | None


def secret_of(carrier: str) -> str | None:
    """CARRIER's webhook secret, or None when it is not a carrier we take calls from."""
    if carrier not in CARRIERS:
        return None
    config = current_app.config
    return config.get(f"CARRIER_WEBHOOK_SECRET_{carrier.upper()}") or config.get(
        "CARRIER_WEBHOOK_SECRETS", {}
    ).get(carrier)


def authenticate(secret: str, body: bytes, signature: str | None, token: str | None) -> bool:
    """Does the call carry SECRET's signature of BODY, or SECRET itself? (constant time)"""
    key = secret.encode()
    if signature:
        expected = "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected.encode(), signature.strip().lower().encode())
    if token:
        return hmac.compare_digest(key, token.encode("utf-8", "surrogateescape"))
    return False


def transaction_id(carrier: str, headers) -> str:
    """The call's transaction id from its header; ValidationFailed when absent or unusable."""
    name = TRANSACTION_HEADERS[carrier]
    value = (headers.get(name) or "").strip()
    if not _TRANSACTION.fullmatch(value):
        raise ValidationFailed(
            f"Thiếu hoặc sai tiêu đề «{name}» (1–{MAX_TRANSACTION} ký tự in được, không dấu cách).",
            {name: "Bắt buộc."},
        )
    return value


def parse(carrier: str, body: bytes) -> Reading:
    """CARRIER's BODY as a Reading; ValidationFailed naming what is wrong with it."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ValidationFailed("Nội dung không phải JSON hợp lệ (UTF-8).") from exc
    if not isinstance(data, dict):
        raise ValidationFailed("Nội dung phải là một đối tượng JSON.")
    return _PARSERS[carrier](data)


def _ems(data: dict) -> Reading:
    """EMS webhook v1: tracking_code, status_code, status_name, note, locate, datetime."""
    errors: dict[str, str] = {}
    text = {k: _text(data, k, errors) for k in ("tracking_code", "status_code", "status_name")}
    note, locate = _text(data, "note", errors), _text(data, "locate", errors)
    raw_time = _text(data, "datetime", errors)
    code = None
    if text["tracking_code"]:
        try:
            code = normalise_tracking_code(text["tracking_code"])
        except ValueError as exc:
            errors["tracking_code"] = str(exc)
    elif "tracking_code" not in errors:
        errors["tracking_code"] = "Bắt buộc."
    if not text["status_code"] and not text["status_name"]:
        errors.setdefault("status_code", "Cần mã hoặc tên trạng thái.")
    at = None
    try:
        at = datetime.strptime(raw_time or "", EMS_TIME).replace(tzinfo=LOCAL_TZ)
    except ValueError:
        errors.setdefault("datetime", "Phải có dạng dd/MM/yyyy HH:mm:ss (giờ Việt Nam).")
    if errors:
        raise ValidationFailed("Nội dung webhook chưa hợp lệ: " + _listed(errors) + ".", errors)
    where = f"Tại: {locate}" if locate else None
    return Reading(
        tracking_code=code,
        status_code=(text["status_code"] or "")[:40],
        status_name=(text["status_name"] or None) and text["status_name"][:200],
        at=at,
        note=" — ".join(p for p in (note, where) if p) or None,
    )


_PARSERS = {"ems": _ems}


def _text(data: dict, key: str, errors: dict) -> str | None:
    """DATA[KEY] as stripped text (numbers taken as text), or None; a bad value noted."""
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        errors[key] = "Phải là chuỗi ký tự."
        return None
    value = str(value).strip()
    if _UNWRITABLE.search(value):
        errors[key] = "Có ký tự điều khiển (như NUL) hay ký tự Unicode lỗi."
        return None
    if len(value) > 1000:
        errors[key] = "Quá dài (tối đa 1000 ký tự)."
        return None
    return value or None


def _listed(errors: dict) -> str:
    return "; ".join(f"{k}: {v}" for k, v in errors.items())


def map_status(carrier: str, code: str | None, name: str | None) -> str | None:
    """Our delivery status for the carrier's CODE (its table), else its NAME's words."""
    if code:
        status = db.session.scalar(
            select(CarrierStatus.status).where(
                CarrierStatus.carrier == carrier, CarrierStatus.code == code
            )
        )
        if status:
            return status
    return status_by_name(name)


def status_by_name(name: str | None) -> str | None:
    """The delivery status DOMAIN.md's words give NAME (any case, accents optional)."""
    folded = f" {_NOT_WORD.sub(' ', fold(name))} "
    for words, status in _WORDS:
        if f" {words} " in folded:
            return status
    return None


def ensure_default_mapping() -> int:
    """Seed each carrier's DEFAULT_MAPPING where it has no line yet; returns the rows added."""
    added = 0
    for carrier, lines in DEFAULT_MAPPING.items():
        if db.session.scalar(select(CarrierStatus.id).where(CarrierStatus.carrier == carrier)):
            continue
        db.session.add_all(
            CarrierStatus(carrier=carrier, code=code, status=status, note=note)
            for code, status, note in lines
        )
        added += len(lines)
    db.session.flush()
    return added
