"""Languages: the locale selector, our catalogues, WTForms' messages, display formats.

Vietnamese is the default; English is the second language. Catalogues live in
``translations/<lang>/LC_MESSAGES`` as .po files and are compiled to .mo when
missing or older, so a fresh checkout needs no separate build step.
"""

import os
from datetime import date, datetime
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import current_app, g, has_request_context, request, session
from flask_babel import Domain, get_locale
from jinja2 import pass_eval_context
from markupsafe import Markup

from services.calendar import LOCAL_TZ

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
wtforms_domain = Domain(str(TRANSLATIONS_DIR), domain="wtforms")


def compile_catalogues(directory: Path = TRANSLATIONS_DIR) -> None:
    """Compile every .po below DIRECTORY whose .mo is missing or stale."""
    for po_path in directory.glob("*/LC_MESSAGES/*.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        tmp = mo_path.with_suffix(f".mo.{os.getpid()}.tmp")  # one per process starting
        with tmp.open("wb") as mo_file:
            write_mo(mo_file, catalog)
        tmp.replace(mo_path)  # atomic, in case two servers start at once


def correct_admin_catalogue() -> None:
    """Merge our ``admin.po`` corrections over Flask-Admin's Vietnamese catalogue.

    Flask-Babel merges catalogues in directory order, later ones winning, and
    Flask-Admin puts its own last; so its domain's base directories are set to
    its own and then ours. (Flask-Admin 2.2.1 / Flask-Babel 4.0: checked by
    tests/panel/test_i18n.py.)
    """
    from flask_admin import translations as admin_translations
    from flask_admin.babel import domain as admin_domain

    admin_domain._translation_directories = [admin_translations.__path__[0], str(TRANSLATIONS_DIR)]


def select_locale() -> str:
    """The language chosen in this session, else Vietnamese."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if request and request.path.startswith("/api/"):
        return request.accept_languages.best_match(list(languages)) or "vi"
    return current_app.config["BABEL_DEFAULT_LOCALE"]


class WTFormsTranslations:
    """WTForms' own messages in the current language (our vi catalogue)."""

    def gettext(self, string: str) -> str:
        return wtforms_domain.get_translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return wtforms_domain.get_translations().ungettext(singular, plural, n)


def local_datetime(value: datetime | None) -> str:
    """``dd/mm/yyyy HH:MM`` in Asia/Ho_Chi_Minh; empty for None."""
    if value is None:
        return ""
    return value.astimezone(LOCAL_TZ).strftime("%d/%m/%Y %H:%M")


def local_date(value: date | None) -> str:
    """``dd/mm/yyyy``; empty for None."""
    return "" if value is None else value.strftime("%d/%m/%Y")


def vnd(amount: int | None) -> str:
    """``1.250.000 ₫``; empty for None."""
    if amount is None:
        return ""
    return f"{amount:,}".replace(",", ".") + " ₫"


def current_language() -> str:
    return str(get_locale() or "vi")


def per_language(key, build):
    """BUILD()'s result (text in the user's language), made once per language and process.

    For what depends on nothing but the language (the words of the page's scripts, a
    screen's filter menu...): a page asks for the same translations on every request.
    """
    if not has_request_context():
        return build()
    store = current_app.extensions.setdefault("per_language", {})
    full_key = (key, current_language())
    if full_key not in store:
        store[full_key] = build()
    return store[full_key]


def _request_language() -> str:
    """This request's language, looked up once per request."""
    language = g.get("_language")
    if language is None:
        language = g._language = current_language()
    return language


def remembered(gettext):
    """GETTEXT, each text translated once per language and process (the same
    few dozen words are asked for on every page; each ask costs a catalogue look-up
    through the request's locale)."""
    store: dict = {}

    def remembered_gettext(string, **variables):
        if variables or not has_request_context():
            return gettext(string, **variables)
        key = (_request_language(), string)
        if key not in store:
            store[key] = gettext(string)
        return store[key]

    return remembered_gettext


def template_gettext(translate):
    """The templates' ``_``: Jinja's new-style gettext (the text is always a format
    string, Markup where the template escapes), TRANSLATE'S answer to a text without
    variables kept per language and escaping; without the two indirections of Jinja's own
    ``_`` (an alias looking ``gettext`` up, then a wrapper): a page asks for dozens."""
    store: dict = {}

    @pass_eval_context
    def gettext(eval_ctx, string, **variables):
        escaping = eval_ctx.autoescape
        if variables or not has_request_context():
            return _formatted(translate(string), escaping, variables)
        key = (_request_language(), escaping, string)
        if key not in store:
            store[key] = _formatted(translate(string), escaping, {})
        return store[key]

    return gettext


def _formatted(text: str, escaping: bool, variables: dict):
    """TEXT % VARIABLES as Jinja's new-style gettext makes it: where the template escapes,
    the catalogue's text is trusted markup and the variables are escaped."""
    return (Markup(text) if escaping else text) % variables  # noqa: S704
