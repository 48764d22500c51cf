"""Each enumeration is one table beside its model, and every other place derives from it.

Every value has a Vietnamese name and an English msgid the vi catalogue translates; badges
where the panel shows them; portal codes for every status. The CHECK constraints, the
panel's choices, labels and badges, the OpenAPI enums and the printed names cover each
enumeration exactly; and no module lists an enumeration's values a second time, so adding
a value is one edit.
"""

import ast
import importlib
import pkgutil
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from babel.messages.pofile import read_po
from flask import g
from flask_babel import force_locale
from sqlalchemy import CheckConstraint

import models
from extensions import db
from models.base import utcnow
from models.dossier import CHANNELS, STATUSES, TIMELINESS
from models.vocabulary import Term, Vocabulary
from services.dossiers.workflow import TRANSITIONS
from views import labels
from views.api.openapi.document import DOCUMENT

ROOT = Path(__file__).resolve().parents[2]
# Every vocabulary declared in models/, found by type: a new one is checked unasked.
VOCABULARIES = {
    f"{info.name}.{name}": value
    for info in pkgutil.iter_modules(models.__path__, "models.")
    for name, value in vars(importlib.import_module(info.name)).items()
    if isinstance(value, Vocabulary)
}
BADGED = ("dossier.STATUSES", "dossier.TIMELINESS", "delivery.DELIVERY_STATUSES")
BADGED += ("handover.HANDOVER_STATUSES", "export.EXPORT_STATUSES", "integration.OUTBOX_STATUSES")
BADGED += ("carrier.INBOX_STATES",)
BADGED += ("digitization.FILE_STATES",)
BADGED += ("notification.NOTIFY_RESULTS",)
COLOURS = {"primary", "secondary", "success", "danger", "warning", "info", "light", "dark"}
# Where the UI's translation and the services' (or printed forms') Vietnamese name differ;
# reported, not changed (the UI must read as before). Fixing one means removing it here.
KNOWN_DIFFERENT = {
    ("dossier.RETURN_METHODS", "counter"),  # Tại quầy / Tại Bộ phận Một cửa (receipt)
    ("dossier.RETURN_METHODS", "post"),  # Qua bưu chính / Qua dịch vụ bưu chính công ích
    ("dossier.STATUSES", "withdrawn"),  # Đã rút hồ sơ / đã rút
    ("delivery.DELIVERY_STATUSES", "created"),  # Đã tạo / mới tạo
    ("delivery.DELIVERY_STATUSES", "delivered"),  # Phát thành công / đã phát thành công
    ("delivery.DELIVERY_STATUSES", "returned_to_sender"),  # Chuyển hoàn / đã chuyển hoàn
}
# Rule tables keyed by every value of an enumeration: what each value does, not its name.
RULE_TABLES = {
    "services/dossiers/ratings/follow_ups.py": {"NEXT"},
    "services/delivery/events.py": {"MOVES"},
    "services/handovers/eligibility.py": {
        "STEP",
        "SENDER_KIND",
        "SENDER_COLUMN",
        "RECEIVER_COLUMN",
    },
    "services/printing/control_slip.py": {"STEP_NAMES"},
    "services/printing/handover_record.py": {"TITLES"},
    "services/delivery/postage.py": {"DEFAULT_RATES"},
    "services/digitization/files.py": {"ATTACH_ACTIONS"},  # who may attach each kind
    "models/notification_texts.py": {"DEFAULTS"},  # the default text of each event
    # each channel's sink and the setting that configures its provider
    "services/integration/notify/deliver.py": {"SINKS", "CONFIG_KEYS"},
    "permission_defaults.py": {"DEFAULT_MATRIX", "ROLE_AGENCY_KIND"},
    "services/accounts/users.py": {"ROLE_LABELS", "AGENCY_KIND_NAMES"},
    # Figures by channel and by timeliness: left to the report figures' own records.
    "services/reporting/queries.py": {"columns"},
    # The parcel form's answer to each result of events.apply_event, which the carrier
    # inbox's INBOX_OUTCOMES records with the same values.
    "views/admin/delivery/forms.py": {"messages"},
}
CHECKED_DIRS = ("models", "services", "views", "permissions.py", "permission_defaults.py")


def _short(name: str) -> str:
    return name.removeprefix("models.")


def _catalogue() -> dict[str, str]:
    with (ROOT / "translations/vi/LC_MESSAGES/messages.po").open("rb") as po:
        return {m.id: m.string for m in read_po(po) if m.id and m.string and not m.fuzzy}


def _checks() -> dict[tuple[str, str], tuple[str, ...]]:
    """(table, column) → the values its CHECK allows, read from the SQL."""
    found = {}
    for table in db.metadata.sorted_tables:
        for constraint in table.constraints:
            if isinstance(constraint, CheckConstraint):
                for column, values in re.findall(r"(\w+) IN \(([^)]*)\)", str(constraint.sqltext)):
                    found[(table.name, column)] = tuple(re.findall(r"'([^']*)'", values))
    return found


def _by_values(values) -> Vocabulary:
    return next(v for v in VOCABULARIES.values() if tuple(v) == tuple(values))


def test_the_vocabularies_are_found():
    assert {"dossier.STATUSES", "delivery.DELIVERY_STATUSES", "catalog.DOCUMENT_KINDS"} <= {
        _short(n) for n in VOCABULARIES
    }
    assert len(VOCABULARIES) >= 15


@pytest.mark.parametrize("name", sorted(VOCABULARIES))
def test_every_value_has_a_vietnamese_name_and_a_translated_msgid(name):
    catalogue = _catalogue()
    for term in VOCABULARIES[name].terms:
        assert term.vi.strip() and term.msgid.strip(), term
        assert term.msgid in catalogue, f"{name}: msgid {term.msgid!r} is not translated"


def test_the_translations_are_the_vietnamese_names_but_for_the_known_few():
    catalogue = _catalogue()
    different = {
        (_short(name), t.value)
        for name, vocabulary in VOCABULARIES.items()
        for t in vocabulary.terms
        if catalogue[t.msgid].casefold() != t.vi.casefold()
    }
    assert different == KNOWN_DIFFERENT


def test_badges_where_the_panel_shows_them():
    for name, vocabulary in VOCABULARIES.items():
        colours = {t.badge for t in vocabulary.terms}
        if _short(name) in BADGED:
            assert colours <= COLOURS, name
        else:
            assert colours == {None}, f"{name} declares badges the panel never shows"


def test_every_status_has_its_portal_code():
    assert {t.value: t.portal for t in STATUSES.terms} == {
        "received": 2,
        "processing": 4,
        "supplement_requested": 5,
        "result_ready": 9,
        "result_at_counter": 9,
        "in_delivery": 9,
        "returned": 10,
        "not_accepted": 3,
        "withdrawn": 7,
        "stopped": 8,
    }
    # KenhThucHien: the channel's code on the portal (DOMAIN.md "National portal").
    assert {t.value: t.portal for t in CHANNELS.terms} == {"counter": 1, "online": 2, "post": 3}
    coded = ("models.dossier.STATUSES", "models.dossier.CHANNELS")
    others = [n for n, v in VOCABULARIES.items() if n not in coded]
    assert all(t.portal is None for n in others for t in VOCABULARIES[n].terms)


def test_every_check_constraint_is_a_vocabulary_and_every_vocabulary_has_one():
    checks = _checks()
    for values in checks.values():
        _by_values(values)  # StopIteration: a CHECK lists values of no vocabulary
    checked = {tuple(v) for v in checks.values()}
    unchecked = {_short(n) for n, v in VOCABULARIES.items() if tuple(v) not in checked}
    assert unchecked == {"user.ROLES"}  # roles are rows; IT staff may add their own


def _choice_tables(view):
    """(model, choices by column) of VIEW's lists, forms and inline forms."""
    if getattr(view, "model", None) is None:
        return
    yield view.model, view.column_choices or {}
    yield view.model, view.form_choices or {}
    for inline in view.inline_models or ():
        if isinstance(inline, tuple):
            yield inline[0], inline[1].get("form_choices") or {}


def _check_choices(view, checks):
    for model, by_column in _choice_tables(view):
        for column, choices in by_column.items():
            values = checks.get((model.__tablename__, column))
            if values is not None:
                vocabulary = _by_values(values)
                assert [v for v, _l in choices] == list(values), (model, column)
                assert [str(lb) for _v, lb in choices] == [str(vocabulary.label(v)) for v in values]


def _check_formatters(view, checks):
    table = view.model.__tablename__
    formatters = {**view.column_formatters, **view.column_formatters_export}
    for column, formatter in formatters.items():
        values = checks.get((table, column))
        for value in values or ():
            vocabulary = _by_values(values)
            row = SimpleNamespace(**{column: value}, status_at=utcnow())
            shown = str(formatter(view, None, row, column))
            assert str(vocabulary.label(value)) in shown, (table, column, value)
            if "badge" in shown:
                assert f"badge-{vocabulary.badge(value)} " in shown


def test_the_panel_choices_labels_and_badges_come_from_the_vocabularies(app):
    checks = _checks()
    views = [v for v in app.extensions["admin"][0]._views if getattr(v, "model", None)]
    with app.test_request_context("/"), force_locale("vi"):
        g._stuck_cutoff = None
        for view in views:
            _check_choices(view, checks)
            _check_formatters(view, checks)


def test_the_label_filters_read_the_vocabularies(app):
    with app.test_request_context("/"), force_locale("vi"):
        for name, vocabulary in (
            ("status_label", STATUSES),
            ("timeliness_label", TIMELINESS),
            ("delivery_status_label", VOCABULARIES["models.delivery.DELIVERY_STATUSES"]),
        ):
            for value in vocabulary:
                assert labels.FILTERS[name](value) == str(vocabulary.label(value)), value


def _enums(node):
    if isinstance(node, dict):
        if "enum" in node:
            yield tuple(node["enum"])
        for child in node.values():
            yield from _enums(child)
    elif isinstance(node, list):
        for child in node:
            yield from _enums(child)


def test_every_openapi_enum_is_a_vocabulary_or_the_workflow():
    allowed = {tuple(v) for v in VOCABULARIES.values()}
    allowed |= {tuple(TRANSITIONS), (*TIMELINESS, "overdue")}
    allowed |= {("applied", "duplicate", "refused")}  # the tracking feed's answers: never stored
    enums = set(_enums(DOCUMENT))
    assert enums <= allowed, enums - allowed
    assert tuple(STATUSES) in enums and tuple(TRANSITIONS) in enums


def _literal_sets(path: Path):
    """(name assigned, set of strings) of each literal tuple, list, set or dict's keys."""
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Assign | ast.AnnAssign) or node.value is None:
            continue
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        names = {t.id for t in targets if isinstance(t, ast.Name)}
        for literal in ast.walk(node.value):
            items = literal.keys if isinstance(literal, ast.Dict) else None
            if isinstance(literal, ast.Tuple | ast.List | ast.Set):
                items = literal.elts
            if items and all(
                isinstance(i, ast.Constant) and isinstance(i.value, str) for i in items
            ):
                yield names, frozenset(i.value for i in items)


def test_no_module_lists_an_enumeration_again():
    """Adding a value is one edit: outside its declaration, no literal holds all its values
    (rule tables keyed by every value are named in RULE_TABLES and checked below)."""
    full = {frozenset(v): n for n, v in VOCABULARIES.items() if len(v) > 1}
    found = []
    for top in CHECKED_DIRS:
        for path in [ROOT / top] if top.endswith(".py") else (ROOT / top).rglob("*.py"):
            relative = str(path.relative_to(ROOT))
            for names, values in _literal_sets(path):
                if values in full and not names & RULE_TABLES.get(relative, set()):
                    found.append((relative, sorted(names), full[values]))
    assert found == []


def test_a_new_term_reaches_every_derived_table():
    base = Vocabulary(Term("a", "một", "A", "info", portal=1), Term("b", "hai", "B"))
    assert tuple(base) == ("a", "b") and base.values == ("a", "b")
    assert base.check("x") == "x IN ('a', 'b')"
    assert [v for v, _l in base.choices()] == ["a", "b"] and list(base.labels()) == ["a", "b"]
    assert (base.vi("b"), base.vi("zz"), base.vi(None)) == ("hai", "zz", "")
    assert (base.badge("a"), base.badge("b"), base.portal("a")) == ("info", "secondary", 1)
    with pytest.raises(ValueError):
        Vocabulary(Term("a", "một", "A"), Term("a", "hai", "B"))
