"""One set of browser helpers for the tests: Debian's Chromium through Playwright (never a
browser of Playwright's own), and a quiet HTTP server for a built site.

One Chromium serves the whole test session (starting one costs more CPU than most tests that use
it): `launch()` lends it to a module or a test and closes every context opened meanwhile, so no
page, cookie or service worker outlives its test module.

A context lent by `launch()` blocks service workers unless the test asks for them
(`service_workers="allow"`: the offline tests). On 127.0.0.1 a built site's worker installs in
every new context and fetches the offline set, every plan and role page and the whole search
index (some 260 files), so each context of a test that never looks at it paid for it."""
from __future__ import annotations

import functools
import http.server
import os
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]

_session: dict = {}  # "playwright", "browser": started on first use, stopped by close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def handle(self):
        try:
            super().handle()
        except ConnectionError:  # the browser closed the page mid-download (a test ended): nothing to report
            pass


class LoopbackServer(http.server.ThreadingHTTPServer):
    """A test's web server. Its queue of waiting connections is a web server's, not Python's 5: a
    service worker fetching six files at a time beside the page's own requests overflowed 5 on a
    loaded machine, and each dropped connection waits a second or more to be tried again."""

    request_queue_size = 128


def serve(directory: Path):
    """Serve a folder on a free loopback port: (the server, its base URL)."""
    handler = functools.partial(_Quiet, directory=str(directory))
    httpd = LoopbackServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


def screenshot_folder() -> Path | None:
    """Where pictures and files for a person to look at go: the folder CASEBOOK_SCREENSHOTS names
    (made if missing); None without it, and then none is made (no test reads them, and a PNG of a
    page costs Chromium more than most checks)."""
    folder = os.environ.get("CASEBOOK_SCREENSHOTS")
    if not folder:
        return None
    Path(folder).mkdir(parents=True, exist_ok=True)
    return Path(folder)


def keep_screenshot(page, name: str, **options) -> None:
    """A screenshot for a person to look at, in screenshot_folder(); none without one."""
    if (folder := screenshot_folder()) is not None:
        page.screenshot(path=str(folder / name), **options)


def _browser():
    """The session's Chromium, started on first use (and again if it crashed)."""
    browser = _session.get("browser")
    if browser is None or not browser.is_connected():
        from playwright.sync_api import sync_playwright

        if "playwright" not in _session:
            _session["playwright"] = sync_playwright().start()
        _session["browser"] = browser = _session["playwright"].chromium.launch(executable_path=CHROMIUM, args=ARGS)
    return browser


class _Lent:
    """The session's browser as lent: new contexts and pages block service workers by default."""

    def __init__(self, browser) -> None:
        self._browser = browser

    def new_context(self, **options):
        options.setdefault("service_workers", "block")
        return self._browser.new_context(**options)

    def new_page(self, **options):
        options.setdefault("service_workers", "block")
        return self._browser.new_page(**options)

    def __getattr__(self, name):
        return getattr(self._browser, name)


@contextmanager
def launch():
    """Debian's Chromium, headless, for one module or one test: the session's one browser; what
    the borrower opened (contexts, and the pages in them) is closed when it gives it back."""
    browser = _browser()
    before = set(browser.contexts)
    try:
        yield _Lent(browser)
    finally:
        if browser.is_connected():
            for context in set(browser.contexts) - before:
                context.close()


def _origin(url: str) -> str | None:
    return "/".join(url.split("/", 3)[:3]) if url.startswith(("http://", "https://")) else None


@contextmanager
def as_new(page, url: str | None = None):
    """A page kept open across a module's tests, handed to one test as a new tab would be: the
    storage and cookies of the site it showed (and of `url`) cleared, then `url` loaded afresh
    (about:blank without one), and its page errors collected: the test fails on any. Only the
    browser's HTTP cache is kept, as a phone keeps it between visits. A new tab costs Chromium
    more CPU than most tests that use it, and a new context loads and starts the whole search
    index again."""
    if _origin(page.url):
        page.evaluate("() => { try { sessionStorage.clear(); localStorage.clear(); } catch (e) {} }")
    origins = {o for o in (_origin(page.url), _origin(url or "")) if o}
    page.goto("about:blank")
    page.context.clear_cookies()
    session = page.context.new_cdp_session(page)
    for origin in origins:
        session.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})
    session.detach()
    errors: list[str] = []

    def collect(error) -> None:  # (Playwright needs a Python function to remove it again)
        errors.append(str(error))

    page.on("pageerror", collect)
    try:
        if url:
            page.goto(url)
        yield page
    finally:
        page.remove_listener("pageerror", collect)
    assert not errors, errors


@contextmanager
def with_profile(**options):
    """A Chromium with a profile of its own (what an incognito context never gets, e.g. an
    install offer), from the session's Playwright: a second Playwright cannot start in this thread."""
    _browser()
    with tempfile.TemporaryDirectory() as profile:
        context = _session["playwright"].chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=ARGS, headless=True, **options)
        try:
            yield context
        finally:
            context.close()


def close() -> None:
    """Stop the session's Chromium and Playwright (the end of the test session)."""
    browser, playwright = _session.pop("browser", None), _session.pop("playwright", None)
    if browser is not None and browser.is_connected():
        browser.close()
    if playwright is not None:
        playwright.stop()
