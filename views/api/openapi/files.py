"""The files endpoints' part of ``/openapi.json``, added to openapi.DOCUMENT at import."""

from models.digitization import FILE_KINDS, FILE_STATES, ORIGINALITY
from views.api.openapi.document import CODE, DOCUMENT
from views.api.openapi.schemas import BOOL, INSTANT, INT, STR, enum, errors, obj, ok, ref

NULL_INT = {**INT, "nullable": True}
FILE = obj(
    {
        "id": INT,
        "document": {**STR, "description": "Tên giấy tờ trong thành phần hồ sơ của thủ tục."},
        "kind": enum(FILE_KINDS),
        "state": {**enum(FILE_STATES), "description": "pending: đang chuyển PDF và ký số."},
        "pages": NULL_INT,
        "sha256": {**STR, "nullable": True},
        "size": NULL_INT,
        "signed": BOOL,
        "reused": BOOL,
        "created_at": INSTANT,
    }
)
UPLOAD = obj(
    {
        "document": {**STR, "description": "Bắt buộc với kind «document»."},
        "file": {
            "type": "string",
            "format": "binary",
            "description": "PDF, JPEG, PNG hoặc TIFF (xác định theo nội dung), tối đa "
            "UPLOAD_MAX_MB (mặc định 25 MB). Ảnh được ghép thành một PDF và ký số.",
        },
        "kind": {**enum(FILE_KINDS), "default": "document"},
        "originality": {**enum(ORIGINALITY), "default": "copy"},
    },
    required=("file",),
)
FILE_ID = {"name": "file_id", "in": "path", "required": True, "schema": INT}
PATHS = {
    "/dossiers/{code}/files": {
        "get": {
            "summary": "Các tệp số hóa của hồ sơ (giấy tờ, kết quả).",
            "parameters": [CODE],
            "responses": {
                "200": ok(obj({"items": {"type": "array", "items": ref("DossierFile")}})),
                **errors(401, 403, 404),
            },
        },
        "post": {
            "summary": "Đính kèm tệp của một giấy tờ (hoặc kết quả: kind «result», PDF đã ký "
            "số, được kiểm tra chữ ký khi nhận). Từ chối thì không lưu gì.",
            "parameters": [CODE],
            "requestBody": {
                "required": True,
                "content": {"multipart/form-data": {"schema": ref("DossierFileUpload")}},
            },
            "responses": {
                "201": ok(ref("DossierFile"), "Đã nhận; đang xử lý nếu «state» là pending."),
                **errors(400, 401, 403, 404, 422),
            },
        },
    },
    "/files/{file_id}": {
        "get": {
            "summary": "Tải tệp PDF (cùng phạm vi với hồ sơ, nếu không thì 404); ghi nhật ký.",
            "parameters": [FILE_ID],
            "responses": {
                "200": {
                    "description": "Tệp PDF (Content-Disposition: attachment).",
                    "content": {"application/pdf": {"schema": {"type": "string"}}},
                },
                **errors(401, 403, 404),
            },
        }
    },
}
DOCUMENT["paths"].update(PATHS)
DOCUMENT["components"]["schemas"].update({"DossierFile": FILE, "DossierFileUpload": UPLOAD})
