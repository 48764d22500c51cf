"""The handover endpoints' part of ``/openapi.json``, added to openapi.DOCUMENT at import."""

from models.dossier import STATUSES
from models.handover import DIRECTIONS, HANDOVER_STATUSES
from views.api.dossiers import DEFAULT_PER_PAGE, MAX_PER_PAGE
from views.api.openapi.document import CODE, DOCUMENT, _query
from views.api.openapi.schemas import (
    BOOL,
    DAY,
    INSTANT,
    INT,
    NULL_INSTANT,
    NULL_STR,
    STR,
    body,
    enum,
    errors,
    obj,
    ok,
    ref,
)

HANDOVER = obj(
    {
        "code": {**STR, "example": "BG-260310-001"},
        "direction": enum(DIRECTIONS),
        "status": enum(HANDOVER_STATUSES),
        "from_agency_code": STR,
        "to_agency_code": STR,
        "created_at": INSTANT,
        "created_by": NULL_STR,
        "sent_at": NULL_INSTANT,
        "confirmed_at": NULL_INSTANT,
        "confirmed_by": NULL_STR,
        "has_missing": BOOL,
        "cancelled_at": NULL_INSTANT,
        "cancel_reason": NULL_STR,
        "note": NULL_STR,
        "version": {**INT, "description": "Gửi lại trong «version» khi xác nhận."},
    }
)
HANDOVER_ITEM = obj(
    {"dossier_code": STR, "dossier_status": enum(STATUSES), "missing": BOOL, "note": NULL_STR}
)
CODES = {"type": "array", "items": STR, "maxItems": 500}
HANDOVER_CREATE = obj(
    {
        "direction": {
            **enum(DIRECTIONS),
            "description": "to_department: bưu điện giao hồ sơ «received»; "
            "to_post_office: sở trả kết quả «result_ready».",
        },
        "dossier_codes": {
            **CODES,
            "description": "Cùng một cơ quan nhận; mỗi hồ sơ chưa nằm trong lô nào đang mở.",
        },
        "note": STR,
    },
    required=("direction", "dossier_codes"),
)
HANDOVER_CONFIRM = obj(
    {
        "missing_codes": {**CODES, "description": "Hồ sơ không nhận được: giữ nguyên trạng thái."},
        "item_notes": {
            "type": "object",
            "additionalProperties": STR,
            "description": "Ghi chú theo mã hồ sơ; bắt buộc (lý do thiếu) với mỗi mã trong "
            "«missing_codes», thiếu thì 422 nêu «item_notes.<mã>».",
        },
        "note": STR,
        "version": {**INT, "description": "Phiên bản đã đọc; khác hiện tại thì 409."},
    }
)
PAGE = [
    _query("page", {**INT, "minimum": 1, "default": 1}, "Trang, từ 1."),
    _query(
        "per_page",
        {**INT, "minimum": 1, "default": DEFAULT_PER_PAGE},
        f"Số lô mỗi trang; lớn hơn {MAX_PER_PAGE} thì lấy {MAX_PER_PAGE}.",
    ),
]
PATHS = {
    "/handovers": {
        "get": {
            "summary": "Các lô bàn giao trong phạm vi của người dùng, mới nhất trước.",
            "parameters": [
                _query("direction", enum(DIRECTIONS), "Chiều bàn giao."),
                _query("status", enum(HANDOVER_STATUSES), "Trạng thái lô."),
                _query("from", DAY, "Lập từ ngày (giờ Việt Nam)."),
                _query("to", DAY, "Lập đến hết ngày (giờ Việt Nam)."),
                *PAGE,
            ],
            "responses": {"200": ok(ref("HandoverPage")), **errors(400, 401, 403, 422)},
        },
        "post": {
            "summary": "Lập và gửi một lô bàn giao; từ chối thì không tạo gì và nêu mã hồ sơ.",
            "requestBody": body(ref("HandoverCreateRequest")),
            "responses": {
                "201": ok(ref("HandoverDetail"), "Đã gửi."),
                **errors(400, 401, 403, 409, 422),
            },
        },
    },
    "/handovers/{code}": {
        "get": {
            "summary": "Một lô bàn giao, kèm các hồ sơ («items»).",
            "parameters": [CODE],
            "responses": {"200": ok(ref("HandoverDetail")), **errors(401, 403, 404)},
        }
    },
    "/handovers/{code}/confirm": {
        "post": {
            "summary": "Bên nhận xác nhận lô: hồ sơ không thiếu được chuyển tiếp.",
            "parameters": [CODE],
            "requestBody": body(ref("HandoverConfirmRequest")),
            "responses": {
                "200": ok(ref("HandoverDetail")),
                **errors(400, 401, 403, 404, 409, 422),
            },
        }
    },
}
SCHEMAS = {
    "Handover": HANDOVER,
    "HandoverDetail": {
        "allOf": [
            ref("Handover"),
            obj({"items": {"type": "array", "items": ref("HandoverItem")}}),
        ]
    },
    "HandoverItem": HANDOVER_ITEM,
    "HandoverPage": obj(
        {
            "items": {"type": "array", "items": ref("Handover")},
            "page": INT,
            "per_page": INT,
            "has_next": BOOL,
        }
    ),
    "HandoverCreateRequest": HANDOVER_CREATE,
    "HandoverConfirmRequest": HANDOVER_CONFIRM,
}
DOCUMENT["paths"].update(PATHS)
DOCUMENT["components"]["schemas"].update(SCHEMAS)
