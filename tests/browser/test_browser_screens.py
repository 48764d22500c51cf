"""Every screen, as every role, in Chromium: nothing broken, blocked or fetched from elsewhere.

The screens are discovered from the URL map (tests/screens.py) and the matrix
decides what each role opens; a screen added later is visited without edits.
Set SCREENSHOTS=1 to keep a picture of each screen under test-output/screens/.
"""

import os

import pytest

import permissions
from demo.seed import DEMO_PASSWORD_DEFAULT, seed_demo
from tests.browser_watch import Watch
from tests.conftest import OUTPUT
from tests.screens import linked_screens, screens_of

pytestmark = pytest.mark.browser
ROLES = tuple(permissions.DEFAULT_MATRIX)


def sign_in(page, server: str, username: str, password: str = DEMO_PASSWORD_DEFAULT) -> None:
    page.goto(f"{server}/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(f"{server}/admin/")


def expected_lists(app, role: str) -> set[str]:
    """The list screens the default matrix opens to ROLE."""
    return {
        f"{resource}.index_view"
        for resource, actions in permissions.DEFAULT_MATRIX[role].items()
        if "view" in actions and f"{resource}.index_view" in app.view_functions
    }


def visit_all(page, watch: Watch, server: str, screens: dict[str, str], role: str, app) -> None:
    """Open every screen, then the pages with URL arguments they link to (print pages)."""
    keep = os.environ.get("SCREENSHOTS") == "1"
    queue, seen = list(screens.items()), set(screens)
    while queue:
        endpoint, url = queue.pop(0)
        response = page.goto(server + url)
        assert response.status == 200, (role, url, response.status)
        watch.check_page()  # after "load": every file the page names has come or failed
        if keep:
            (OUTPUT / "screens").mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(OUTPUT / "screens" / f"{role}-{endpoint}.png"), full_page=True)
        hrefs = page.eval_on_selector_all(
            "a[href]", "links => links.map(a => a.getAttribute('href'))"
        )
        for linked in linked_screens(app, hrefs, seen).items():
            seen.add(linked[0])
            queue.append(linked)


def test_every_screen_opens_cleanly_for_every_role(app, client, live_server, browser):
    """One seed for all roles (it is the slow part); the problems of every role are reported."""
    seed_demo()
    problems = []
    for role in ROLES:
        client.post("/logout")
        client.post("/login", data={"username": role, "password": DEMO_PASSWORD_DEFAULT})
        screens = screens_of(app, client)
        assert expected_lists(app, role) <= set(screens), (role, sorted(screens))
        assert any(e.endswith(".details_view") for e in screens), role

        context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
        page = context.new_page()
        watch = Watch(page, live_server)
        sign_in(page, live_server, role)
        visit_all(page, watch, live_server, screens, role, app)
        context.close()
        problems += [f"{role}: {problem}" for problem in watch.take()]
    assert problems == [], "\n".join(problems)
