"""The citizen's look-up and the sign-in page meet WCAG 2.1 A and AA, as axe-core judges them.

axe-core is vendored under tests/vendor/axe-core (version and hash pinned in
its README; CI reaches no host at test time). It runs inside Chromium on the
page as served, CSP included.
"""

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import select

from demo.seed import seed_demo
from extensions import db
from models import Dossier
from tests.browser_watch import Watch

pytestmark = pytest.mark.browser
AXE = Path(__file__).resolve().parent.parent / "vendor" / "axe-core" / "axe.min.js"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
WCAG21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def test_the_vendored_axe_core_is_the_pinned_release():
    source = AXE.read_bytes()
    assert source.startswith(b"/*! axe v4.14.1")
    assert hashlib.sha256(source).hexdigest() == AXE_SHA256


def violations(page) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on PAGE, one line each."""
    page.evaluate(AXE.read_text(encoding="utf-8"))
    found = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
        ".then(r => r.violations.map(v => v.id + ': ' + v.help + ' → '"
        " + v.nodes.map(n => n.target.join(' ')).join(', ')))",
        WCAG21_AA,
    )
    return list(found)


def test_public_pages_have_no_wcag_violation(app, live_server, browser):
    """/login and /lookup (empty, not found, found), in Vietnamese and in English."""
    seed_demo()
    code = db.session.scalar(select(Dossier.code).limit(1))
    paths = ["/login", "/lookup", "/lookup?code=000.00.15.H55-000000-0000", f"/lookup?code={code}"]
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = context.new_page()
    watch = Watch(page, live_server)
    found = []
    for language in ("vi", "en"):
        page.goto(f"{live_server}/login")
        page.click(f"button[name=lang][value={language}]")
        for path in paths:
            page.goto(live_server + path)
            found += [f"{language} {path}: {v}" for v in violations(page)]
            watch.check_page()
    assert code in page.content()
    context.close()
    assert found == [], "\n".join(found)
    assert watch.take() == []
