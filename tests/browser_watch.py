"""What a browser test must not see: console errors, CSP violations, failed or outside requests."""

from urllib.parse import urlsplit

# Run in every page before its own scripts (Playwright injects it outside the page's CSP).
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""
# Form controls a user fills in, and the ones that do not need a label of their own.
UNLABELLED_FIELDS = """
() => Array.from(document.querySelectorAll("input, select, textarea"))
  .filter(el => !["hidden", "submit", "button", "reset", "image"].includes(el.type))
  .filter(el => el.getClientRects().length > 0)  // shown to the user
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute("aria-label")
                && !el.getAttribute("aria-labelledby") && !el.title)
  .map(el => el.outerHTML.slice(0, 160))
"""


class Watch:
    """Collects what went wrong on PAGE; requests must stay on ORIGIN."""

    def __init__(self, page, origin: str):
        self.page = page
        self.origin = urlsplit(origin).netloc
        self.problems: list[str] = []
        page.add_init_script(CSP_LISTENER)
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.problems.append(f"page error: {exc}"))
        page.on("requestfailed", self._failed)
        page.on("request", self._request)
        page.on("response", self._response)

    def _console(self, message):
        if message.type in ("error", "warning") and "[DOM]" not in message.text:
            self.problems.append(f"console {message.type}: {message.text} ({self.page.url})")

    def _failed(self, request):
        if request.failure == "net::ERR_ABORTED":
            return  # the next page was opened before this file came: not a fault
        self.problems.append(f"failed: {request.url} {request.failure}")

    def _request(self, request):
        if urlsplit(request.url).scheme in ("data", "blob", "about"):
            return
        if urlsplit(request.url).netloc != self.origin:
            self.problems.append(f"outside request: {request.url} (from {self.page.url})")

    def _response(self, response):
        if response.status >= 400:
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def check_page(self) -> None:
        """Record this page's CSP violations and form fields without a label."""
        for violation in self.page.evaluate("window.__cspViolations || []"):
            self.problems.append(f"CSP violation on {self.page.url}: {violation}")
        for field in self.page.evaluate(UNLABELLED_FIELDS):
            self.problems.append(f"field without a label on {self.page.url}: {field}")

    def take(self) -> list[str]:
        """The problems seen so far, forgetting them."""
        problems, self.problems = self.problems, []
        return problems
