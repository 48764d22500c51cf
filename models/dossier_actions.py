"""The dossier's workflow actions (DOMAIN.md's table), one record each, in its order.

A record says from which statuses to which, which cell of the permission grid allows
it, what the user must give, the question asked before it, and the printed form it
issues. The workflow service (its direct actions and system moves), the permission
vocabulary, the dossier page's buttons and forms, the API's schema and the printed
forms all read these records: adding an action is one record here (and its msgids
in the catalogue).
"""

from dataclasses import dataclass

from flask_babel import LazyString, lazy_gettext

from models.vocabulary import N_

#: What an action may need from the user: a reason, the result, a new appointment, who
#: collects the result.
INPUTS = ("note", "result", "new_due_at", "collector")


@dataclass(frozen=True)
class Action:
    """One move of a dossier between statuses."""

    name: str  # as stored in the history and sent by the API
    vi: str | None  # in the services' messages («Không thể {vi} hồ sơ …»); None: ``name``
    msgid: str  # its label: the button, the grid's column, the timeline
    sources: tuple[str, ...]  # statuses it starts from; none: it creates the dossier
    target: str
    permission: tuple[str, str]  # (resource, action) of the grid that allows it
    direct: bool = False  # taken on the dossier's page or the API; else by another service
    inputs: tuple[str, ...] = ()  # among INPUTS; "note" makes the reason required
    confirm: str | None = None  # msgid of the question asked first (%(code)s: the dossier)
    slip: str | None = None  # the printed form it issues (services.printing.dossier_forms)
    done: str | None = None  # msgid naming it in the timeline, when not ``msgid``
    also: tuple[str, ...] = ()  # further grid actions that qualify it

    @property
    def needs_note(self) -> bool:
        return "note" in self.inputs

    @property
    def label(self) -> LazyString:
        return lazy_gettext(self.msgid)

    @property
    def step_label(self) -> LazyString:
        """How the dossier's timeline names this step."""
        return lazy_gettext(self.done or self.msgid)


def _on_dossier(name: str) -> tuple[str, str]:
    return ("dossier", name)


HANDOVER_CONFIRM = ("handover", "confirm")
TRACKING_EVENT = ("delivery_order", "record_event")

ACTIONS = (
    Action(
        "receive",
        "tiếp nhận",
        N_("Receive"),
        (),
        "received",
        _on_dossier("receive"),
        slip="receipt",
        done=N_("Received at the counter"),
        also=("receive_backdated",),  # date a receipt further back than the allowed days
    ),
    Action(
        "refuse",
        "từ chối tiếp nhận",
        N_("Refuse"),
        ("received",),
        "not_accepted",
        _on_dossier("refuse"),
        direct=True,
        inputs=("note",),
        confirm=N_("Refuse to accept dossier %(code)s? The applicant gets a refusal slip."),
        slip="refusal",
    ),
    Action(
        "handover_to_department",
        None,
        N_("Handed over to the department"),
        ("received",),
        "processing",
        HANDOVER_CONFIRM,
        slip="control-slip",
    ),
    Action(
        "request_supplement",
        "yêu cầu bổ sung",
        N_("Request supplement"),
        ("processing",),
        "supplement_requested",
        _on_dossier("request_supplement"),
        direct=True,
        inputs=("note",),
        slip="supplement",
    ),
    Action(
        "supplement_received",
        "nhận bổ sung",
        N_("Supplement received"),
        ("supplement_requested",),
        "processing",
        _on_dossier("supplement_received"),
        direct=True,
    ),
    Action(
        "apologize",
        "xin lỗi và hẹn lại",
        N_("Apologise, new date"),
        ("processing",),
        "processing",
        _on_dossier("apologize"),
        direct=True,
        inputs=("new_due_at", "note"),
        slip="apology",
    ),
    Action(
        "complete",
        "ghi kết quả",
        N_("Record result"),
        ("processing",),
        "result_ready",
        _on_dossier("complete"),
        direct=True,
        inputs=("result",),
    ),
    Action(
        "stop",
        "dừng xử lý",
        N_("Stop processing"),
        ("processing",),
        "stopped",
        _on_dossier("stop"),
        direct=True,
        inputs=("note",),
        confirm=N_("Stop processing dossier %(code)s? This cannot be undone."),
        slip="stop",
    ),
    Action(
        "withdraw",
        "rút",
        N_("Withdraw"),
        ("received", "processing", "supplement_requested"),
        "withdrawn",
        _on_dossier("withdraw"),
        direct=True,
        confirm=N_("Record that the applicant withdraws dossier %(code)s? This cannot be undone."),
    ),
    Action(
        "handover_to_post_office",
        None,
        N_("Result handed to the post office"),
        ("result_ready",),
        "result_at_counter",
        HANDOVER_CONFIRM,
        slip="control-slip",
    ),
    Action(
        "return_at_counter",
        "trả kết quả tại quầy",
        N_("Return at counter"),
        ("result_at_counter",),
        "returned",
        _on_dossier("return_at_counter"),
        direct=True,
        inputs=("collector",),
        slip="return-slip",
    ),
    Action(
        "ship",
        "chuyển phát kết quả",
        N_("Ship by post"),
        ("result_at_counter",),
        "in_delivery",
        _on_dossier("ship"),
        done=N_("Shipped by post"),
    ),
    Action(
        "delivered",
        None,
        N_("Delivered"),
        ("in_delivery",),
        "returned",
        TRACKING_EVENT,
    ),
    Action(
        "returned_to_sender",
        None,
        N_("Returned to sender"),
        ("in_delivery",),
        "result_at_counter",
        TRACKING_EVENT,
    ),
)
BY_NAME = {a.name: a for a in ACTIONS}
#: The permission grid's dossier actions, in the records' order (``also`` after its own).
DOSSIER_GRANTS = tuple(
    grant for a in ACTIONS if a.permission[0] == "dossier" for grant in (a.permission[1], *a.also)
)
