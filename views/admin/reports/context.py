"""What the dashboard and the reports page show: figure names, formatted values, chart data."""

from flask_babel import format_decimal, format_percent
from flask_babel import lazy_gettext as _l

from i18n import vnd

LABELS = {
    "received": _l("Dossiers received"),
    "received_counter": _l("Received at the counter"),
    "received_post": _l("Received by post"),
    "received_online": _l("Received online"),
    "in_progress": _l("Still being processed"),
    "overdue": _l("Overdue"),
    "completed": _l("Completed"),
    "completed_early": _l("Completed early"),
    "completed_on_time": _l("Completed on time"),
    "completed_late": _l("Completed late"),
    "on_time_rate": _l("On-time rate"),
    "supplement_requests": _l("Supplement requests"),
    "refused": _l("Refusals"),
    "apologies": _l("Apologies"),
    "stopped": _l("Processing stopped"),
    "withdrawn": _l("Withdrawn by the applicant"),
    "returned_at_counter": _l("Returned at the counter"),
    "returned_by_post": _l("Returned by post"),
    "delivered": _l("Parcels delivered"),
    "returned_to_sender": _l("Parcels returned to sender"),
    "parcels": _l("Parcels sent"),
    "delivered_rate": _l("Delivery success rate"),
    "returned_to_sender_rate": _l("Return-to-sender rate"),
    "postage": _l("Postage"),
    "fees": _l("Fees collected"),
    "handover_delay_median": _l("Receipt to department, median"),
    "handover_delay_p90": _l("Receipt to department, 9 in 10 within"),
}
#: The figures in the order the page and the XLSX show them.
SHOWN = tuple(LABELS)
KPIS = ("received", "completed", "on_time_rate", "in_progress", "overdue", "returned_at_counter")
KPIS += ("returned_by_post", "handover_delay_median")
TABLE_COLUMNS = ("received", "completed", "completed_early", "completed_on_time")
TABLE_COLUMNS += ("completed_late", "on_time_rate", "in_progress", "overdue")
TABLE_COLUMNS += ("supplement_requests", "refused", "returned_at_counter", "returned_by_post")
MONEY = ("postage", "fees")


def hours(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return f"{format_decimal(round(seconds / 3600, 1), format='#,##0.0')} {_l('h')}"


def show(name: str, value) -> str:
    """VALUE of figure NAME as a person reads it."""
    if name.endswith("_rate"):
        return "—" if value is None else format_percent(value, format="#,##0.0 %")
    if name.startswith("handover_delay"):
        return hours(value)
    if name in MONEY:
        return vnd(value)
    return format_decimal(value or 0)


def plain(name: str, value):
    """VALUE of figure NAME for a spreadsheet cell: a number, or text for a rate or delay."""
    if value is None:
        return "—"
    if name.endswith("_rate"):
        return round(value * 100, 1)
    if name.startswith("handover_delay"):
        return round(value / 3600, 1)
    return value


def bucket_label(start, unit: str) -> str:
    if unit == "month":
        return f"{start:%m/%Y}"
    return f"{start:%d/%m}"


def charts(flow: list, flow_unit: str, monthly: list, monthly_unit: str) -> list[dict]:
    """The three charts: received vs completed; on-time rate; returns at counter vs by post."""
    flow_labels = [bucket_label(b["start"], flow_unit) for b in flow]
    labels = [bucket_label(b["start"], monthly_unit) for b in monthly]
    rate = [
        None if b["on_time_rate"] is None else round(b["on_time_rate"] * 100, 1) for b in monthly
    ]
    return [
        {
            "id": "flow",
            "title": str(_l("Received and completed")),
            "kind": "bar",
            "labels": flow_labels,
            "series": [
                {"label": str(LABELS["received"]), "data": [b["received"] for b in flow]},
                {"label": str(LABELS["completed"]), "data": [b["completed"] for b in flow]},
            ],
        },
        {
            "id": "ontime",
            "title": str(_l("On-time rate (%)")),
            "kind": "line",
            "labels": labels,
            "series": [{"label": str(LABELS["on_time_rate"]), "data": rate}],
        },
        {
            "id": "returns",
            "title": str(_l("Results returned: at the counter and by post")),
            "kind": "stacked",
            "labels": labels,
            "series": [
                {"label": str(LABELS[n]), "data": [b[n] for b in monthly]}
                for n in ("returned_at_counter", "returned_by_post")
            ],
        },
    ]


def units_for(days: int) -> tuple[str, str]:
    """The buckets of the flow chart and of the monthly charts for a period of DAYS."""
    if days <= 45:
        return "day", "week"
    if days <= 190:
        return "week", "month" if days > 62 else "week"
    return "month", "month"


GROUP_NAMES = {
    "agency": _l("By resolving agency"),
    "procedure": _l("By procedure"),
    "post_office": _l("By post office"),
}


def heading(name: str) -> str:
    """A column title for figure NAME in a spreadsheet, with its unit."""
    if name.endswith("_rate"):
        return f"{LABELS[name]} (%)"
    if name.startswith("handover_delay"):
        return f"{LABELS[name]} ({_l('hours')})"
    return str(LABELS[name])
