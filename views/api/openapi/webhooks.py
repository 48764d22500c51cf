"""The carrier webhook's part of ``/openapi.json``, added to openapi.DOCUMENT at import."""

from models.carrier import CARRIERS
from views.api.openapi.document import DOCUMENT
from views.api.openapi.schemas import STR, body, enum, errors, obj, ok

EMS_EVENT = obj(
    {
        "tracking_code": {**STR, "example": "EB123456785VN"},
        "order_code": STR,
        "status_code": {**STR, "description": "Qua bảng ánh xạ của đơn vị vận chuyển."},
        "status_name": {**STR, "description": "Dùng khi mã chưa có trong bảng ánh xạ."},
        "note": STR,
        "locate": STR,
        "datetime": {**STR, "example": "12/03/2026 10:05:00", "description": "Giờ Việt Nam."},
    },
    required=("tracking_code", "datetime"),
)
PATHS = {
    "/tracking/webhooks/{carrier}": {
        "post": {
            "summary": "Sự kiện bưu gửi theo định dạng của đơn vị vận chuyển (EMS webhook v1): "
            "lưu nguyên văn trước, trả lời ngay, rồi áp dụng theo quy tắc sự kiện bưu gửi.",
            "description": "Không dùng mã truy cập: ký bằng bí mật của đơn vị vận chuyển "
            "(CARRIER_WEBHOOK_SECRET_<CARRIER>) — `X-Signature: sha256=<HMAC-SHA256 của nội "
            "dung>` hoặc chính bí mật trong `X-Webhook-Token`. Mỗi lần gọi mang tiêu đề "
            "`ems-transaction`; cùng một giao dịch gửi lại được lưu một lần, trả lời như cũ.",
            "security": [],
            "parameters": [
                {"name": "carrier", "in": "path", "required": True, "schema": enum(CARRIERS)},
                {"name": "ems-transaction", "in": "header", "required": True, "schema": STR},
                {"name": "X-Signature", "in": "header", "required": False, "schema": STR},
                {"name": "X-Webhook-Token", "in": "header", "required": False, "schema": STR},
            ],
            "requestBody": body(EMS_EVENT),
            "responses": {
                "200": ok(obj({"code": {**STR, "example": "success"}, "transaction": STR})),
                **errors(400, 401, 404, 413, 422),
            },
        }
    }
}
DOCUMENT["paths"].update(PATHS)
