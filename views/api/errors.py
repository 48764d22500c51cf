"""Every API error as ``{"error": {"code", "message", "fields"}}``, never an HTML page.

Service errors keep their Vietnamese message and fields; HTTP errors get a
Vietnamese message by status; anything unexpected is rolled back, logged and
answered with a generic 500 so that nothing internal leaks out.
"""

from flask import current_app, jsonify, request
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, default_exceptions

from extensions import db
from services.errors import ServiceError
from views.errors import OUTAGE_ERRORS, RETRY_AFTER_SECONDS, forget_session
from views.guard import API_MESSAGE

STATUS_OF = {"validation_failed": 422, "not_found": 404, "forbidden": 403, "conflict": 409}
HTTP_ERRORS = {
    400: ("bad_request", "Yêu cầu không hợp lệ."),
    401: ("unauthorized", "Cần đăng nhập: gửi mã truy cập hợp lệ (Authorization: Bearer)."),
    403: ("forbidden", "Bạn không có quyền thực hiện thao tác này."),
    404: ("not_found", "Không tìm thấy tài nguyên yêu cầu."),
    405: ("method_not_allowed", "Phương thức HTTP này không được hỗ trợ tại địa chỉ này."),
    409: ("conflict", "Dữ liệu đã thay đổi hoặc bị trùng; hãy tải lại và thử lại."),
    413: ("payload_too_large", "Nội dung yêu cầu quá lớn."),
    415: ("unsupported_media_type", "Nội dung yêu cầu phải là JSON."),
    422: ("validation_failed", "Dữ liệu chưa hợp lệ."),
    429: ("rate_limited", "Quá nhiều yêu cầu. Vui lòng chờ một lát rồi thử lại."),
    500: ("internal_error", "Lỗi hệ thống; chưa có gì được lưu. Vui lòng thử lại sau."),
    503: ("service_unavailable", "Hệ thống đang bận; vui lòng thử lại sau ít giây."),
}
# The database unreachable (or a statement past STATEMENT_TIMEOUT_MS).
OUTAGE = (
    "service_unavailable",
    "Tạm thời không kết nối được cơ sở dữ liệu; chưa có gì được lưu. Vui lòng thử lại sau ít phút.",
)


class ApiError(Exception):
    """An error the API layer itself raises (bad body, bad token, bad query)."""

    def __init__(
        self,
        status: int,
        message: str | None = None,
        fields: dict | None = None,
        code: str | None = None,
    ):
        default_code, default_message = HTTP_ERRORS.get(status, ("error", "Lỗi."))
        super().__init__(message or default_message)
        self.status = status
        self.code = code or default_code
        self.message = message or default_message
        self.fields = fields or {}


def refuse_request(status: int, fields: dict):
    """The gate's answer (views/guard.py): 404 for a path, 400 naming the query's fields."""
    if status == 404:
        return error_response(404, *HTTP_ERRORS[404])
    return error_response(400, "bad_request", API_MESSAGE, fields)


def error_response(status: int, code: str, message: str, fields: dict | None = None):
    response = jsonify(error={"code": code, "message": message, "fields": fields or {}})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def handle_api_error(exc: ApiError):
    db.session.rollback()
    return error_response(exc.status, exc.code, exc.message, exc.fields)


def handle_service_error(exc: ServiceError):
    db.session.rollback()
    status = STATUS_OF.get(exc.code, 422)
    code = exc.code if exc.code in STATUS_OF else "validation_failed"
    return error_response(status, code, exc.message, exc.fields)


def handle_http_error(exc: HTTPException):
    db.session.rollback()
    status = exc.code or 500
    code, message = HTTP_ERRORS.get(status, ("error", exc.name))
    response = error_response(status, code, message)
    if status == 405 and getattr(exc, "valid_methods", None):
        response.headers["Allow"] = ", ".join(exc.valid_methods)
    return response


def handle_conflict(_exc):
    """Two writers raced on one row (version check at flush), or a unique key clashed."""
    db.session.rollback()
    return error_response(409, "conflict", HTTP_ERRORS[409][1])


def handle_data_error(exc):
    """Input the database refused though validation let it through (a gap to close)."""
    db.session.rollback()
    current_app.logger.warning("API input refused by the database: %s", exc)
    return error_response(422, "validation_failed", HTTP_ERRORS[422][1])


def handle_outage(exc: Exception):
    """The database is unreachable (or a statement ran out of time): 503, retry later."""
    forget_session()
    current_app.logger.warning(
        "database unavailable on %s %s: %s", request.method, request.path, exc
    )
    response = error_response(503, *OUTAGE)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def handle_unexpected(exc: Exception):
    db.session.rollback()
    current_app.logger.exception("Unexpected error on %s %s", request.method, request.path)
    return error_response(500, *HTTP_ERRORS[500])


def routing_errors_as_json(prefix: str):
    """An app hook answering 404/405 under PREFIX in JSON.

    Routing failed, so the request belongs to no blueprint and the blueprint's
    handlers never see it; the hook runs before the app's HTML handlers would.
    """

    def hook():
        exc = request.routing_exception
        under_prefix = request.path == prefix or request.path.startswith(prefix + "/")
        if under_prefix and isinstance(exc, HTTPException) and (exc.code or 0) >= 400:
            return handle_http_error(exc)
        return None

    return hook


def install(bp) -> None:
    """Attach the JSON handlers to the API blueprint (before its first registration)."""
    bp.register_error_handler(ApiError, handle_api_error)
    bp.register_error_handler(ServiceError, handle_service_error)
    bp.register_error_handler(StaleDataError, handle_conflict)
    bp.register_error_handler(IntegrityError, handle_conflict)
    bp.register_error_handler(DataError, handle_data_error)
    for outage in OUTAGE_ERRORS:
        bp.register_error_handler(outage, handle_outage)
    # One handler per status: the app's own HTML handlers (404, 429, 500) are
    # looked up by status before any handler by class, so a class alone loses.
    for status in default_exceptions:
        bp.register_error_handler(status, handle_http_error)
    bp.register_error_handler(Exception, handle_unexpected)
