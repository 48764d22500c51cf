"""Vietnamese by default, English on request, and Vietnamese messages everywhere."""

from datetime import UTC, date, datetime
from pathlib import Path

from babel.messages.extract import extract, extract_from_dir
from babel.messages.pofile import read_po

from i18n import local_date, local_datetime, vnd

ROOT = Path(__file__).resolve().parents[2]
# pybabel's defaults (``N_`` marks the vocabularies' msgids in models/) plus ``-k _l``.
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None, "N_": None}
SOURCES = (
    ("models", "**.py", "python"),
    ("views", "**.py", "python"),
    ("services", "**.py", "python"),
    ("templates", "**.html", "jinja2"),
)
TOP_LEVEL = ("app.py", "i18n.py", "cli.py")


def _source_msgids() -> set[str]:
    """Every translatable string in our code and templates, as pybabel extracts it."""
    messages = []
    for folder, pattern, method in SOURCES:
        for _path, _line, message, _comments, _ctx in extract_from_dir(
            ROOT / folder, [(pattern, method)], keywords=KEYWORDS
        ):
            messages.append(message)
    for name in TOP_LEVEL:
        with (ROOT / name).open("rb") as source:
            messages.extend(m for _line, m, _c, _ctx in extract("python", source, KEYWORDS))
    return {m if isinstance(m, str) else m[0] for m in messages if m}


def test_every_interface_string_has_a_vietnamese_translation():
    with (ROOT / "translations/vi/LC_MESSAGES/messages.po").open("rb") as po:
        catalog = read_po(po)
    translated = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
    in_source = _source_msgids()
    assert len(in_source) > 150  # the extraction really read our code
    assert sorted(in_source - translated) == []


def test_each_interface_string_is_translated_once():
    """Two entries for one msgid: the catalogue keeps the last, silently changing a screen."""
    lines = (ROOT / "translations/vi/LC_MESSAGES/messages.po").read_text().splitlines()
    ids = [line for line in lines if line.startswith('msgid "') and line != 'msgid ""']
    assert sorted({i for i in ids if ids.count(i) > 1}) == []


def test_the_panel_speaks_vietnamese_by_default(client, login_as):
    login_as("po_clerk")
    page = client.get("/admin/dossier/").get_data(as_text=True)
    for text in ("Hồ sơ", "Danh mục", "Mã hồ sơ", "Đăng xuất", "25 dòng"):
        assert text in page
    assert "mặt hàng" not in page  # Flask-Admin's own wording, corrected


def test_the_language_switch_gives_english_and_back(client, login_as):
    login_as("po_clerk")
    response = client.post("/language", data={"lang": "en", "next": "/admin/dossier/"})
    assert response.location == "/admin/dossier/"
    page = client.get("/admin/dossier/").get_data(as_text=True)
    assert "Dossier code" in page and "Sign out" in page
    client.post("/language", data={"lang": "vi"})
    assert "Mã hồ sơ" in client.get("/admin/dossier/").get_data(as_text=True)


def test_the_language_switch_ignores_unknown_languages_and_foreign_next(client, login_as):
    login_as("po_clerk")
    response = client.post("/language", data={"lang": "xx", "next": "https://evil.example/"})
    assert response.location == "/admin/"
    assert "Mã hồ sơ" in client.get("/admin/dossier/").get_data(as_text=True)


def test_the_language_survives_signing_in(client, world):
    client.post("/language", data={"lang": "en"})
    client.post("/login", data={"username": "viewer", "password": "correct-horse-42"})
    assert "Sign out" in client.get("/admin/").get_data(as_text=True)


def test_form_validation_messages_are_vietnamese(client, login_as):
    login_as("it_admin")
    response = client.post(
        "/admin/agency/new/", data={"name": "", "code": "", "kind": "department"}
    )
    assert response.status_code == 200
    assert "Trường này là bắt buộc." in response.get_data(as_text=True)


def test_display_formats():
    assert vnd(1_250_000) == "1.250.000 ₫"
    assert vnd(0) == "0 ₫"
    assert vnd(None) == ""
    assert local_datetime(datetime(2026, 3, 10, 2, 30, tzinfo=UTC)) == "10/03/2026 09:30"
    assert local_datetime(datetime(2026, 12, 31, 17, 5, tzinfo=UTC)) == "01/01/2027 00:05"
    assert local_date(date(2026, 4, 30)) == "30/04/2026"
