"""The postage price list (weight bands × within/outside the province) and its arithmetic."""

import math

from flask import current_app, has_app_context
from sqlalchemy import select

from extensions import db
from models.delivery import PostageRate
from services.errors import ValidationFailed

HOME_PROVINCE = 19  # Thái Nguyên: where the service center's post office is
EXTRA_STEP_GRAMS = 500
MAX_WEIGHT_GRAMS = 30_000  # a parcel of the public postal service

# A plausible published list (VND, one way), as the provinces publish them:
# up to 100 g, 250 g, 500 g, then each further 500 g.
DEFAULT_RATES = {
    "within": ((100, 26_000), (250, 28_000), (500, 31_000), (None, 4_000)),
    "outside": ((100, 31_500), (250, 34_500), (500, 39_000), (None, 7_500)),
}


def home_province() -> int:
    if has_app_context():
        return int(current_app.config.get("POSTAGE_HOME_PROVINCE", HOME_PROVINCE))
    return HOME_PROVINCE


def zone_of(province_code: int | None) -> str:
    """``within`` the post office's province (or unknown), else ``outside``."""
    return "outside" if province_code and province_code != home_province() else "within"


def check_weight(weight_grams) -> int:
    if not isinstance(weight_grams, int) or not 1 <= weight_grams <= MAX_WEIGHT_GRAMS:
        raise ValidationFailed(
            f"Khối lượng phải từ 1 đến {MAX_WEIGHT_GRAMS:,} g.".replace(",", "."),
            {"weight_grams": "Không hợp lệ."},
        )
    return weight_grams


def postage_for(weight_grams: int, zone: str) -> int:
    """The price-list postage of a parcel of WEIGHT_GRAMS sent in ZONE."""
    check_weight(weight_grams)
    rows = db.session.execute(
        select(PostageRate.up_to_grams, PostageRate.price).where(PostageRate.zone == zone)
    ).all()
    bands = sorted((g, p) for g, p in rows if g is not None)
    extra = next((p for g, p in rows if g is None), None)
    if not bands:
        raise ValidationFailed(
            "Chưa có bảng giá cước cho vùng này; hãy nhập cước phí.", {"postage": "Bắt buộc."}
        )
    for up_to, price in bands:
        if weight_grams <= up_to:
            return price
    heaviest, price = bands[-1]
    if extra is None:
        raise ValidationFailed(
            f"Bảng giá chỉ có đến {heaviest} g; hãy nhập cước phí.", {"postage": "Bắt buộc."}
        )
    return price + math.ceil((weight_grams - heaviest) / EXTRA_STEP_GRAMS) * extra


def ensure_default_rates() -> int:
    """Seed DEFAULT_RATES where the list is empty; returns the rows added."""
    if db.session.scalar(select(PostageRate.id).limit(1)) is not None:
        return 0
    rows = [
        PostageRate(zone=zone, up_to_grams=grams, price=price)
        for zone, lines in DEFAULT_RATES.items()
        for grams, price in lines
    ]
    db.session.add_all(rows)
    db.session.flush()
    return len(rows)
