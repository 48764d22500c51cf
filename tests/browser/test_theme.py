"""The theme asks no other host for anything, and the CSP allows no inline script or style."""

import re
from pathlib import Path

import flask_admin

from config import Config

STATIC = Path(__file__).resolve().parents[2] / "static"
ADMIN_STATIC = Path(flask_admin.__file__).parent / "static"
OUTSIDE = re.compile(r"(@import|url\()\s*[\"']?(https?:)?//", re.IGNORECASE)


def test_the_vendored_swatch_is_flask_admins_without_the_web_font():
    ours = (STATIC / "vendor" / "bootswatch" / f"{Config.FLASK_ADMIN_SWATCH}.min.css").read_text()
    theirs = (
        (ADMIN_STATIC / "bootstrap" / "bootstrap4" / "swatch" / Config.FLASK_ADMIN_SWATCH)
        .joinpath("bootstrap.min.css")
        .read_text()
    )
    assert OUTSIDE.search(theirs)  # Flask-Admin's copy imports a Google font...
    assert not OUTSIDE.search(ours)  # ...ours does not, and is otherwise the same file
    assert re.sub(r"@import url\([^)]*\);", "", theirs) == ours


def test_no_stylesheet_we_serve_points_at_another_host():
    sheets = [*STATIC.rglob("*.css"), *ADMIN_STATIC.glob("admin/css/bootstrap4/*.css")]
    sheets += [ADMIN_STATIC / "bootstrap/bootstrap4/css/font-awesome.min.css"]
    assert [str(s) for s in sheets if OUTSIDE.search(s.read_text())] == []


def test_the_csp_allows_no_inline_script_or_style(client):
    policy = client.get("/login").headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    for name in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in directives[name]
        assert "'unsafe-hashes'" not in directives[name]
        assert "'nonce-" in directives[name]
    assert "'self'" in directives["font-src"] and "http" not in directives["font-src"]


def test_barcodes_carry_no_style_attribute_the_csp_would_refuse():
    from services.printing.barcodes import code128_svg, qr_svg

    for svg in (str(code128_svg("EB123456785VN")), str(qr_svg("http://127.0.0.1/lookup"))):
        assert "style=" not in svg
    assert 'fill="black"' in str(code128_svg("EB123456785VN"))


def test_no_template_or_script_carries_an_inline_handler_or_script_link():
    """The CSP refuses them, so a button written that way is dead in the browser."""
    root = Path(__file__).resolve().parents[2]
    pattern = re.compile(r"href=[\"']javascript:|\son[a-z]+\s*=\s*[\"']", re.IGNORECASE)
    found = [
        f"{path.relative_to(root)}:{number}"
        for folder, suffix in (("templates", "*.html"), ("static", "*.js"))
        for path in (root / folder).rglob(suffix)
        if "vendor" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert found == []
