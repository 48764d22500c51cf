"""The OpenAPI description of ``GET /reports/periodic`` (adds its path to the document)."""

from models.report import PERIODIC, RATE
from views.api.openapi.document import DOCUMENT
from views.api.openapi.schemas import errors, obj, ok, ref

STR, INT = {"type": "string"}, {"type": "integer"}
DAY = {"type": "string", "format": "date", "example": "2026-03-01"}
FIGURES = {
    c.name: {"type": "number", "nullable": True} if c.kind == RATE else INT for c in PERIODIC
}
ROW = obj(
    {
        "agency_code": STR,
        "agency_name": STR,
        "procedure_code": STR,
        "procedure_name": STR,
        "post_office_code": {**STR, "nullable": True},
        "post_office_name": STR,
        **FIGURES,
    }
)


def _query(name, schema, description, required=False):
    return {
        "name": name,
        "in": "query",
        "schema": schema,
        "description": description,
        "required": required,
    }


PATHS = {
    "/reports/periodic": {
        "get": {
            "summary": "Báo cáo định kỳ (như các tỉnh công bố), theo hồ sơ tại cuối kỳ.",
            "parameters": [
                _query("from", DAY, "Ngày đầu kỳ (giờ Việt Nam).", True),
                _query("to", DAY, "Ngày cuối kỳ (tính cả ngày này).", True),
                _query("agency_code", STR, "Mã cơ quan giải quyết."),
                _query("procedure_code", STR, "Mã thủ tục."),
                _query(
                    "by",
                    STR,
                    "Mỗi dòng là: agency (một cơ quan, mặc định), procedure (một thủ tục) "
                    "hoặc post_office (một bưu cục).",
                ),
            ],
            "responses": {"200": ok(ref("PeriodicReport")), **errors(400, 401, 403, 422)},
        }
    }
}
SCHEMAS = {
    "PeriodicRow": ROW,
    "PeriodicReport": obj(
        {
            "from": DAY,
            "to": DAY,
            "by": STR,
            "items": {"type": "array", "items": ref("PeriodicRow")},
            "total": obj(FIGURES),
        }
    ),
}
DOCUMENT["paths"].update(PATHS)
DOCUMENT["components"]["schemas"].update(SCHEMAS)
