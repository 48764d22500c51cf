"""The schemas of the OpenAPI description: request and response bodies, and small builders."""

from models.catalog import EXTRA_FIELD_TYPES, ONLINE_LEVELS
from models.dossier import CHANNELS, COLLECTORS, OUTCOMES, RETURN_METHODS, STATUSES, TIMELINESS
from models.notification import NOTIFY_CHANNELS
from services.dossiers.workflow import TRANSITIONS

STR, INT, BOOL = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
NULL_STR = {"type": "string", "nullable": True}
INSTANT = {"type": "string", "format": "date-time", "example": "2026-03-10T09:30:00+07:00"}
NULL_INSTANT = {**INSTANT, "nullable": True}
DAY = {"type": "string", "format": "date", "example": "2026-03-10"}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(properties: dict, required=(), **extra) -> dict:
    schema = {"type": "object", "properties": properties, **extra}
    if required:
        schema["required"] = list(required)
    return schema


def enum(values, nullable: bool = False) -> dict:
    return {"type": "string", "enum": list(values), "nullable": nullable}


def ok(schema: dict, description: str = "Thành công.") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def errors(*statuses: int) -> dict:
    return {str(s): {"$ref": f"#/components/responses/E{s}"} for s in statuses}


def body(schema: dict) -> dict:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def needing(name: str) -> str:
    """The direct actions that need the input NAME, for a description."""
    return ", ".join(action for action, step in TRANSITIONS.items() if name in step.inputs)


DOSSIER = obj(
    {
        "code": {**STR, "example": "000.00.15.H55-260310-0001"},
        "status": enum(STATUSES),
        "procedure_code": STR,
        "procedure_name": STR,
        "agency_code": STR,
        "post_office_code": NULL_STR,
        "applicant_name": STR,
        "applicant_id_number": NULL_STR,
        "applicant_phone": NULL_STR,
        "applicant_email": NULL_STR,
        "applicant_address": NULL_STR,
        "organization_name": NULL_STR,
        "organization_tax_code": NULL_STR,
        "channel": enum(CHANNELS),
        "return_method": enum(RETURN_METHODS),
        "notify": {
            "type": "array",
            "items": enum(NOTIFY_CHANNELS),
            "description": "Kênh người nộp chọn để nhận tin nhắn.",
        },
        "received_at": INSTANT,
        "due_at": NULL_INSTANT,
        "fee_amount": {**INT, "description": "VND"},
        "extra_data": {"type": "object", "additionalProperties": True},
        "documents": {
            "type": "array",
            "items": STR,
            "description": "Giấy tờ của thủ tục đã nộp khi tiếp nhận.",
        },
        "notes": NULL_STR,
        "result_number": NULL_STR,
        "result_date": {**DAY, "nullable": True},
        "result_outcome": enum(OUTCOMES, nullable=True),
        "result_summary": NULL_STR,
        "completed_at": NULL_INSTANT,
        "returned_at": NULL_INSTANT,
        "collector": obj(
            {
                "kind": enum(COLLECTORS),
                "name": NULL_STR,
                "id_number": NULL_STR,
                "authorisation": NULL_STR,
            },
            description="Người nhận kết quả tại quầy (sau «return_at_counter»), không thì null.",
            nullable=True,
        ),
        "timeliness": {
            **enum((*TIMELINESS, "overdue"), nullable=True),
            "description": "Ghi khi có kết quả; «overdue» khi chưa xong mà quá hạn hẹn.",
        },
        "supplement_count": INT,
        "apology_count": INT,
        "version": {**INT, "description": "Gửi lại trong «version» khi chuyển trạng thái."},
    }
)
HISTORY = obj(
    {
        "action": STR,
        "from": {**enum(STATUSES), "nullable": True},
        "to": enum(STATUSES),
        "at": INSTANT,
        "by": NULL_STR,
        "by_name": NULL_STR,
        "note": NULL_STR,
    }
)
PROCEDURE_TYPE = obj(
    {
        "code": {**STR, "example": "1.004477"},
        "name": STR,
        "field": STR,
        "agency_code": STR,
        "processing_days": INT,
        "fee": {**INT, "description": "VND"},
        "online_level": enum(ONLINE_LEVELS),
        "postal_return": BOOL,
        "documents": {
            "type": "array",
            "items": obj({"name": STR, "kind": STR, "quantity": INT}),
        },
        "extra_fields": {
            "type": "array",
            "items": obj(
                {
                    "key": STR,
                    "label": STR,
                    "type": enum(EXTRA_FIELD_TYPES),
                    "required": BOOL,
                    "choices": {"type": "array", "items": STR},
                }
            ),
        },
    }
)
RECEIVE = obj(
    {
        "procedure_code": STR,
        "applicant_name": STR,
        "applicant_id_number": {**STR, "description": "CCCD: 12 chữ số, 3 số đầu là mã tỉnh."},
        "applicant_phone": {**STR, "description": "10 chữ số bắt đầu bằng 0; nhận +84."},
        "applicant_address": STR,
        "applicant_email": {**STR, "maxLength": 255},
        "organization_name": STR,
        "organization_tax_code": STR,
        "return_method": {**enum(RETURN_METHODS), "default": "counter"},
        "channel": {**enum(CHANNELS), "default": "counter"},
        "notify": {
            "type": "array",
            "items": enum(NOTIFY_CHANNELS),
            "description": "Kênh nhận tin nhắn người nộp đồng ý (sms cần số điện thoại, "
            'email cần địa chỉ email). Bỏ trống: ["sms"] khi nhận kết quả qua bưu chính, '
            "ngược lại không nhận tin.",
        },
        "notes": STR,
        "documents": {
            "type": "array",
            "items": STR,
            "description": "Tên các giấy tờ đã nộp, như GET /procedure-types liệt kê; "
            "phải đủ mọi giấy tờ của thủ tục.",
        },
        "extra": {
            "type": "object",
            "description": "Giá trị các trường bổ sung của thủ tục, theo «key».",
            "additionalProperties": {"oneOf": [STR, {"type": "number"}, BOOL]},
        },
        "received_at": {
            **INSTANT,
            "description": "Mặc định: lúc gửi. Có múi giờ; không ở tương lai; không quá "
            "RECEIPT_BACKDATE_WORKING_DAYS ngày làm việc trước hôm nay (mặc định 3). Sớm hơn: "
            "chỉ người có quyền «receive_backdated» (giám sát viên bưu điện), kèm lý do; "
            "không ai được lùi quá RECEIPT_BACKDATE_MAX_DAYS ngày (mặc định 60).",
        },
        "reuse_file_ids": {
            "type": "array",
            "items": INT,
            "description": "Mã các tệp số hóa còn hiệu lực của người nộp (cùng số định danh) "
            "dùng lại cho hồ sơ này; tệp không được đề nghị dùng lại thì 422, không tạo gì.",
        },
        "received_at_reason": {
            **STR,
            "maxLength": 500,
            "description": "Lý do nhập muộn; bắt buộc khi «received_at» sớm hơn giới hạn. "
            "Ghi vào lịch sử hồ sơ và nhật ký.",
        },
    },
    required=("procedure_code", "applicant_name"),
)
TRANSITION = obj(
    {
        "action": enum(TRANSITIONS),
        "note": {**STR, "description": f"Bắt buộc với {needing('note')}."},
        "version": {**INT, "description": "Phiên bản đã đọc; khác hiện tại thì 409."},
        "result": obj(
            {
                "number": STR,
                "date": DAY,
                "outcome": enum(OUTCOMES),
                "summary": STR,
            },
            required=("number", "date", "outcome"),
            description=f"Bắt buộc với {needing('result')}; thiếu gì thì một lỗi 422 nêu đủ "
            "mọi trường (result.number, result.date, result.outcome).",
        ),
        "new_due_at": {
            **INSTANT,
            "description": f"Bắt buộc với {needing('new_due_at')}; không múi giờ: +07:00.",
        },
        "collector": obj(
            {
                "kind": enum(COLLECTORS),
                "name": {**STR, "maxLength": 200},
                "id_number": {**STR, "description": "CCCD 12 chữ số."},
                "authorisation": {**STR, "maxLength": 100},
            },
            required=("kind",),
            description=f"Bắt buộc với {needing('collector')}: «applicant» (chính người nộp), "
            "«other» (người khác: name, id_number) hoặc «authorised» (người được ủy quyền: "
            "name, id_number, authorisation là số giấy ủy quyền).",
        ),
    },
    required=("action",),
)
ERROR = obj(
    {
        "error": obj(
            {
                "code": STR,
                "message": {**STR, "description": "Tiếng Việt, hiển thị được cho người dùng."},
                "fields": {"type": "object", "additionalProperties": STR},
            },
            required=("code", "message", "fields"),
        )
    },
    required=("error",),
)
