"""The OpenAPI description of the delivery endpoints (merged into views/api/openapi/document.py)."""

from models.delivery import DELIVERY_STATUSES, EVENT_SOURCES

STR, INT, BOOL = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
NULL_STR = {"type": "string", "nullable": True}
INSTANT = {"type": "string", "format": "date-time", "example": "2026-03-10T09:30:00+07:00"}
NULL_INSTANT = {**INSTANT, "nullable": True}
DAY = {"type": "string", "format": "date", "example": "2026-03-10"}
STATUS = {"type": "string", "enum": list(DELIVERY_STATUSES)}
S10 = {**STR, "example": "EB123456785VN", "description": "UPU S10, chữ số kiểm tra đúng."}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _obj(properties: dict, required=(), **extra) -> dict:
    schema = {"type": "object", "properties": properties, **extra}
    if required:
        schema["required"] = list(required)
    return schema


def _ok(schema: dict, description: str = "Thành công.") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*statuses: int) -> dict:
    return {str(s): {"$ref": f"#/components/responses/E{s}"} for s in statuses}


def _body(schema: dict) -> dict:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _query(name, schema, description):
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


TRACKING = {"name": "tracking_code", "in": "path", "required": True, "schema": S10}
EVENT = _obj(
    {
        "status": STATUS,
        "at": {
            **INSTANT,
            "description": "Có múi giờ; mặc định lúc gửi; không ở tương lai, "
            "không trước lúc tạo phiếu chuyển phát.",
        },
        "note": {**STR, "maxLength": 1000, "description": "Bắt buộc (lý do) với failed."},
    },
    required=("status",),
)
SCHEMAS = {
    "DeliveryOrder": _obj(
        {
            "tracking_code": S10,
            "dossier_code": STR,
            "status": STATUS,
            "status_at": INSTANT,
            "post_office_code": NULL_STR,
            "recipient_name": STR,
            "recipient_phone": STR,
            "recipient_address": STR,
            "weight_grams": {**INT, "nullable": True},
            "postage": {**INT, "description": "VND"},
            "cod_amount": {**INT, "description": "VND thu hộ khi phát"},
            "failure_reason": NULL_STR,
            "delivered_at": NULL_INSTANT,
            "created_at": INSTANT,
            "version": INT,
        }
    ),
    "DeliveryEvent": _obj(
        {
            "status": STATUS,
            "at": INSTANT,
            "note": NULL_STR,
            "source": {"type": "string", "enum": list(EVENT_SOURCES)},
            "by": NULL_STR,
            "recorded_at": INSTANT,
        }
    ),
    "DeliveryOrderDetail": {
        "allOf": [
            _ref("DeliveryOrder"),
            _obj({"events": {"type": "array", "items": _ref("DeliveryEvent")}}),
        ]
    },
    "ShipRequest": _obj(
        {
            "dossier_code": STR,
            "tracking_code": S10,
            "recipient_name": STR,
            "recipient_phone": STR,
            "recipient_address": {**STR, "description": "Cả dòng địa chỉ; hoặc ba trường dưới."},
            "recipient_province_code": INT,
            "recipient_ward_code": INT,
            "recipient_street": STR,
            "weight_grams": {
                **INT,
                "description": "Gram; cước tính theo bảng giá khi thiếu postage.",
            },
            "postage": {**INT, "description": "VND; ghi đè bảng giá."},
            "cod_amount": {**INT, "description": "VND; mặc định phí, lệ phí chưa thu."},
            "note": STR,
        },
        required=("dossier_code", "tracking_code", "recipient_name", "recipient_phone"),
    ),
    "DeliveryEventRequest": EVENT,
    "DeliveryEventBatch": _obj(
        {
            "events": {
                "type": "array",
                "maxItems": 1000,
                "description": "Tối đa 1000 sự kiện với tài khoản của hệ thống định vị bưu "
                "gửi (FEED_SYSTEM_ROLE), 100 với tài khoản của một người "
                "(FEED_HUMAN_BATCH_MAX). Mỗi bưu gửi giữ tối đa 200 sự kiện "
                "(DELIVERY_MAX_EVENTS).",
                "items": {"allOf": [EVENT, _obj({"tracking_code": S10}, ("tracking_code",))]},
            }
        },
        required=("events",),
    ),
    "DeliveryEventOutcome": _obj(
        {
            "index": INT,
            "tracking_code": NULL_STR,
            "result": {"type": "string", "enum": ["applied", "duplicate", "refused"]},
            "moved": {
                **BOOL,
                "description": "false: sự kiện cũ hơn sự kiện mới nhất của bưu gửi, hoặc "
                "lặp lại trạng thái đang có: chỉ ghi vào lịch trình, trạng thái giữ nguyên.",
            },
            "order_status": {
                **STATUS,
                "description": "Trạng thái hiện tại của bưu gửi sau sự kiện này; có cả khi "
                "sự kiện bị từ chối, nếu bưu gửi được tìm thấy.",
            },
            "message": STR,
            "fields": {"type": "object", "additionalProperties": STR},
        }
    ),
}
PATHS = {
    "/delivery-orders": {
        "get": {
            "summary": "Phiếu chuyển phát trong phạm vi của người dùng, mới nhất trước.",
            "parameters": [
                _query("status", STATUS, "Trạng thái bưu gửi."),
                _query("from", DAY, "Từ ngày tạo phiếu (giờ Việt Nam)."),
                _query("to", DAY, "Đến hết ngày tạo phiếu."),
                _query("page", {**INT, "minimum": 1, "default": 1}, "Trang, từ 1."),
                _query("per_page", {**INT, "minimum": 1, "default": 20}, "Tối đa 100."),
            ],
            "responses": {
                "200": _ok(
                    _obj(
                        {
                            "items": {"type": "array", "items": _ref("DeliveryOrder")},
                            "page": INT,
                            "per_page": INT,
                            "has_next": BOOL,
                        }
                    )
                ),
                **_errors(400, 401, 403, 422),
            },
        },
        "post": {
            "summary": "Chuyển phát kết quả: hồ sơ «kết quả tại bưu điện» → «đang chuyển phát».",
            "requestBody": _body(_ref("ShipRequest")),
            "responses": {
                "201": _ok(_ref("DeliveryOrderDetail"), "Đã tạo phiếu."),
                **_errors(400, 401, 403, 404, 409, 422),
            },
        },
    },
    "/delivery-orders/{tracking_code}": {
        "get": {
            "summary": "Một bưu gửi kèm các sự kiện theo thời gian.",
            "parameters": [TRACKING],
            "responses": {"200": _ok(_ref("DeliveryOrderDetail")), **_errors(401, 403, 404)},
        }
    },
    "/delivery-orders/{tracking_code}/events": {
        "post": {
            "summary": "Một sự kiện của bưu gửi: 201 khi ghi, 200 khi đã có.",
            "parameters": [TRACKING],
            "requestBody": _body(_ref("DeliveryEventRequest")),
            "responses": {
                "201": _ok(
                    _obj({"result": STR, "moved": BOOL, "order": _ref("DeliveryOrderDetail")})
                ),
                "200": _ok(
                    _obj({"result": STR, "moved": BOOL, "order": _ref("DeliveryOrderDetail")})
                ),
                **_errors(400, 401, 403, 404, 409, 422),
            },
        }
    },
    "/delivery-events": {
        "post": {
            "summary": "Lô sự kiện từ hệ thống định vị bưu gửi; trả lời từng sự kiện.",
            "requestBody": _body(_ref("DeliveryEventBatch")),
            "responses": {
                "200": _ok(
                    _obj(
                        {
                            "results": {"type": "array", "items": _ref("DeliveryEventOutcome")},
                            "applied": INT,
                            "duplicate": INT,
                            "refused": INT,
                        }
                    )
                ),
                **_errors(400, 401, 403, 422),
            },
        }
    },
}
PUBLIC_DELIVERY = _obj(
    {"tracking_code": S10, "status": STATUS, "at": INSTANT},
    description="Chỉ có khi kết quả đã gửi qua bưu chính: bưu gửi gần nhất.",
)
