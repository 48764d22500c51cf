"""``GET /openapi.json``: the OpenAPI 3.0 description of every route of this blueprint.

Kept by hand (the bodies' schemas in views/api/openapi/schemas.py); tests/api/test_api.py
compares it with app.url_map, so a route added without its description here
fails the suite.
"""

from flask import jsonify

from models.dossier import STATUSES
from services.dossiers.workflow import TRANSITIONS
from views.api.blueprint import bp
from views.api.dossiers import DEFAULT_PER_PAGE, MAX_PER_PAGE
from views.api.errors import HTTP_ERRORS
from views.api.openapi import deliveries
from views.api.openapi.schemas import (
    BOOL,
    DAY,
    DOSSIER,
    ERROR,
    HISTORY,
    INSTANT,
    INT,
    PROCEDURE_TYPE,
    RECEIVE,
    STR,
    TRANSITION,
    body,
    enum,
    errors,
    obj,
    ok,
    ref,
)
from views.api.reports import SUMMARY_FIELDS

REPORT_SUMMARY = obj(
    {
        **{name: {**INT, "minimum": 0} for name in SUMMARY_FIELDS[:-1]},
        "on_time_rate": {"type": "number", "minimum": 0, "maximum": 1, "nullable": True},
    },
    SUMMARY_FIELDS,
)


def _query(name: str, schema: dict, description: str) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


CODE = {"name": "code", "in": "path", "required": True, "schema": STR}
PUBLIC = {"security": []}
PATHS = {
    "/openapi.json": {
        "get": {
            "summary": "Tài liệu OpenAPI này.",
            **PUBLIC,
            "responses": {"200": ok({"type": "object"})},
        }
    },
    "/auth/token": {
        "post": {
            "summary": "Đổi tên đăng nhập và mật khẩu lấy mã truy cập.",
            **PUBLIC,
            "requestBody": body(obj({"username": STR, "password": STR}, ("username", "password"))),
            "responses": {
                "200": ok(obj({"token": STR, "expires_at": INSTANT})),
                **errors(400, 401, 403, 429, 503),
            },
        }
    },
    "/auth/revoke": {
        "post": {
            "summary": "Thu hồi ngay mã truy cập gửi kèm lời gọi này (trên mọi máy chủ).",
            "responses": {
                "200": ok(obj({"revoked": BOOL}), "Đã thu hồi; mã này không dùng được nữa."),
                **errors(401, 403),
            },
        }
    },
    "/procedure-types": {
        "get": {
            "summary": "Các thủ tục đang áp dụng.",
            "responses": {
                "200": ok(obj({"items": {"type": "array", "items": ref("ProcedureType")}})),
                **errors(401, 403),
            },
        }
    },
    "/dossiers": {
        "get": {
            "summary": "Hồ sơ trong phạm vi của người dùng, mới nhất trước.",
            "parameters": [
                _query("status", enum(STATUSES), "Trạng thái."),
                _query("procedure_code", STR, "Mã thủ tục."),
                _query("q", STR, "Mã hồ sơ, tên, điện thoại, CCCD; có dấu hay không dấu."),
                _query("received_from", DAY, "Từ ngày tiếp nhận (giờ Việt Nam)."),
                _query("received_to", DAY, "Đến hết ngày tiếp nhận (giờ Việt Nam)."),
                _query("page", {**INT, "minimum": 1, "default": 1}, "Trang, từ 1."),
                _query(
                    "per_page",
                    {**INT, "minimum": 1, "default": DEFAULT_PER_PAGE},
                    f"Số hồ sơ mỗi trang; lớn hơn {MAX_PER_PAGE} thì lấy {MAX_PER_PAGE}.",
                ),
            ],
            "responses": {"200": ok(ref("DossierPage")), **errors(400, 401, 403, 422)},
        },
        "post": {
            "summary": "Tiếp nhận hồ sơ; trả về mã hồ sơ và ngày hẹn trả.",
            "requestBody": body(ref("ReceiveRequest")),
            "responses": {
                "201": ok(ref("Dossier"), "Đã tiếp nhận."),
                **errors(400, 401, 403, 409, 422),
            },
        },
    },
    "/dossiers/{code}": {
        "get": {
            "summary": "Một hồ sơ, kèm lịch sử và các thao tác được phép.",
            "parameters": [CODE],
            "responses": {"200": ok(ref("DossierDetail")), **errors(401, 403, 404)},
        }
    },
    "/public/dossiers/{code}": {
        "get": {
            "summary": "Tra cứu công khai: trạng thái và ngày hẹn, không có thông tin cá nhân.",
            **PUBLIC,
            "parameters": [CODE],
            "responses": {
                "200": ok(
                    obj(
                        {
                            "code": STR,
                            "status": enum(STATUSES),
                            "due_at": INSTANT,
                            "procedure_name": STR,
                            "delivery": deliveries.PUBLIC_DELIVERY,
                        }
                    )
                ),
                **errors(404, 429),
            },
        }
    },
    "/dossiers/{code}/transitions": {
        "post": {
            "summary": "Chuyển trạng thái hồ sơ (xem DOMAIN.md: ai được làm gì).",
            "parameters": [CODE],
            "requestBody": body(ref("TransitionRequest")),
            "responses": {
                "200": ok(ref("DossierDetail")),
                **errors(400, 401, 403, 404, 409, 422),
            },
        }
    },
    "/reports/summary": {
        "get": {
            "summary": "Số liệu của kỳ báo cáo trong phạm vi của người dùng.",
            "parameters": [
                {**_query("from", DAY, "Ngày đầu kỳ (giờ Việt Nam), bắt buộc."), "required": True},
                {
                    **_query("to", DAY, "Ngày cuối kỳ (tính cả ngày này), bắt buộc."),
                    "required": True,
                },
                _query("agency_code", STR, "Mã cơ quan giải quyết."),
                _query("procedure_code", STR, "Mã thủ tục."),
            ],
            "responses": {"200": ok(ref("ReportSummary")), **errors(400, 401, 403, 422)},
        }
    },
}
PATHS.update(deliveries.PATHS)
DOCUMENT = {
    "openapi": "3.0.3",
    "info": {
        "title": "Một cửa bưu điện — API",
        "version": "1",
        "description": "Thời điểm ISO 8601 kèm múi giờ (+07:00); tiền là số nguyên VND. "
        'Mọi lỗi: {"error": {"code", "message", "fields"}}.',
    },
    "servers": [{"url": "/api/v1"}],
    "security": [{"bearerAuth": []}],
    "paths": PATHS,
    "components": {
        "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Error": ERROR,
            "Dossier": DOSSIER,
            "DossierDetail": {
                "allOf": [
                    ref("Dossier"),
                    obj(
                        {
                            "history": {"type": "array", "items": ref("HistoryEntry")},
                            "actions": {"type": "array", "items": enum(TRANSITIONS)},
                        }
                    ),
                ]
            },
            "DossierPage": obj(
                {
                    "items": {"type": "array", "items": ref("Dossier")},
                    "page": INT,
                    "per_page": INT,
                    "has_next": BOOL,
                }
            ),
            "HistoryEntry": HISTORY,
            "ReportSummary": REPORT_SUMMARY,
            "ProcedureType": PROCEDURE_TYPE,
            "ReceiveRequest": RECEIVE,
            "TransitionRequest": TRANSITION,
            **deliveries.SCHEMAS,
        },
        "responses": {
            f"E{status}": {
                "description": message,
                "content": {"application/json": {"schema": ref("Error")}},
            }
            for status, (_code, message) in HTTP_ERRORS.items()
        },
    },
}


@bp.get("/openapi.json")
def openapi():
    """The API's description (public: it holds no data)."""
    return jsonify(DOCUMENT)
