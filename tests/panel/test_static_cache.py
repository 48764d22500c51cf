"""Style sheets and scripts under URLs that name their content: a browser keeps them for a
year and does not ask again; a changed file gets a new URL (views/assets.py)."""

import hashlib
import re
from pathlib import Path

from flask import url_for

from app import create_app
from tests.conftest import make_config
from views.assets import content_version

STATIC_URL = re.compile(r'(?:href|src)="(/[^"]*static/[^"]+)"')


def static_urls(html: str) -> list[str]:
    return sorted({url.replace("&amp;", "&") for url in STATIC_URL.findall(html)})


def test_every_file_a_page_names_is_versioned_by_content_and_kept_a_year(
    app, client, login_as, world
):
    login_as("po_clerk")
    urls = static_urls(client.get("/admin/dossier/").get_data(as_text=True))
    urls += static_urls(client.get("/login").get_data(as_text=True))
    assert len(urls) >= 20, urls  # style sheets, scripts, the icon
    for url in urls:
        assert re.search(r"[?&]v=[0-9a-f]{12}(&|$)", url), url
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable", url
    panel_css = next(u for u in urls if u.startswith("/static/panel.css?"))
    digest = hashlib.sha256((Path(app.static_folder) / "panel.css").read_bytes()).hexdigest()
    assert panel_css == f"/static/panel.css?v={digest[:12]}"
    # Flask-Admin's own v= (its library's version, kept by an upgrade) gives way to the content's
    assert not any("v=4.7.0" in u or "v=3.5.1" in u for u in urls)


def test_a_file_asked_for_without_its_version_is_checked_again(client, world):
    for url in ("/static/panel.css", "/admin/static/vendor/jquery.min.js"):
        response = client.get(url)
        assert response.status_code == 200
        assert "immutable" not in response.headers["Cache-Control"], url
    missing = client.get("/static/nothing-here.css?v=0123456789ab")
    assert missing.status_code == 404 and "immutable" not in missing.headers["Cache-Control"]


def test_a_page_is_never_kept(client, login_as, world):
    login_as("po_clerk")
    assert client.get("/admin/dossier/?v=1").headers["Cache-Control"] == "no-store"


def test_no_version_for_a_path_outside_the_folder_or_no_file(app):
    folder = app.static_folder
    assert content_version(folder, "../app.py") is None
    assert content_version(folder, "nothing-here.css") is None
    assert content_version(folder, "panel.css") is not None


def test_while_editing_in_debug_nothing_is_versioned(database_url, schema):
    debug = create_app(make_config(database_url, DEBUG=True))
    with debug.test_request_context():
        assert url_for("static", filename="panel.css") == "/static/panel.css"
