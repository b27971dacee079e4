"""Offline means no request leaves the machine: every request the web client makes, through
setup, Home and a few screens, goes to the app on loopback, and none of them fails.

Two witnesses: the browser context's request events (the service worker's too), and a proxy
on loopback that Chromium must use for every host but loopback itself, which records what
reaches it (so a request the page events would not show still counts). Before the app served
its own index.html, this caught the Rive runtime's script fetched from cdn.jsdelivr.net at
start-up (``assets/index.html`` holds such scripts back).
"""

from __future__ import annotations

import socket
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, WAIT_MS, Ui
from tests.support.pins import PIN

# Letters and signs beyond ASCII that the web client draws with its own Roboto, checked in
# the browser below: no fallback font is fetched for them. Arrows (→), check marks (✓) and
# emoji are not among them: the client would fetch a Noto fallback font it does not have
# (assets/fonts/…, 404) and draw an empty box. UI texts use icons for those.
OWN_FONT_EXTRA = "–—…«»’‘“”·•€§≥≤"
ROOT = Path(__file__).resolve().parents[2]
INDEX = ROOT / "assets" / "index.html"
OFFLINE_BLOCK = ("  <!-- politikontakt:offline -->", "  <!-- /politikontakt:offline -->\n\n")

e2e = pytest.mark.e2e

# Chromium's own services (autofill predictions, sign-in, component updates) would reach the
# proxy whatever the page does: switched off, so that what reaches it comes from the page.
QUIET_BROWSER = [
    "--disable-features=AutofillServerCommunication,OptimizationHints,Translate,MediaRouter,"
    "DialMediaRouteProvider,CertificateTransparencyComponentUpdater",
    "--disable-default-apps", "--disable-extensions", "--disable-domain-reliability",
    "--disable-client-side-phishing-detection", "--no-pings", "--metrics-recording-only",
    "--safebrowsing-disable-auto-update", "--no-service-autorun", "--disable-breakpad",
]
# What Chromium itself still asks for with those switched off (network time, its component
# updater, Google sign-in): the browser's, never the page's (the page's own request events
# must not contain them either). A phone runs the built app, with no browser around it.
BROWSER_OWN_HOSTS = ("clients2.google.com", "update.googleapis.com", "accounts.google.com")
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
LOCAL_SCHEMES = {"data", "blob", "about", "chrome-extension"}


def outside(url: str) -> bool:
    """True when a request would leave the machine."""
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return False
    return (parts.hostname or "") not in LOOPBACK


def test_the_check_can_fail():
    assert outside("https://cdn.jsdelivr.net/npm/@rive-app/canvas@2.0.0/rive.wasm")
    assert outside("https://fonts.gstatic.com/s/notocoloremoji/v32/x.woff2")
    assert outside("https://www.gstatic.com/flutter-canvaskit/abc/canvaskit.wasm")
    assert not outside("http://127.0.0.1:8123/canvaskit/canvaskit.wasm")
    assert not outside("ws://127.0.0.1:8123/ws")
    assert not outside("data:font/woff2;base64,AAAA")


class Recorder:
    def __init__(self) -> None:
        self.requests: list[str] = []
        self.failed: list[str] = []

    def request(self, request) -> None:
        self.requests.append(request.url)

    def response(self, response) -> None:
        if response.status >= 400:
            self.failed.append(f"{response.status} {response.url}")

    def request_failed(self, request) -> None:
        self.failed.append(f"{request.failure} {request.url}")

    def websocket(self, ws) -> None:
        self.requests.append(ws.url)


class Proxy:
    """A proxy on loopback that answers nothing: it records the first line of every request
    that reaches it ("CONNECT cdn.jsdelivr.net:443 HTTP/1.1") and closes."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.seen: list[str] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(5)
                try:
                    first = conn.recv(4096).split(b"\r\n", 1)[0]
                    self.seen.append(first.decode("latin-1"))
                    conn.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
                except OSError:
                    continue

    def close(self) -> None:
        self.server.close()


@pytest.fixture(scope="module")
def proxy():
    server = Proxy()
    yield server
    server.close()


@pytest.fixture(scope="module")
def browser(proxy):
    """Chromium sending every request for a host other than loopback to ``proxy``
    (Chromium never proxies loopback itself)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[*CHROMIUM_ARGS, *QUIET_BROWSER, f"--proxy-server=http://127.0.0.1:{proxy.port}"])
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def recorder():
    return Recorder()


@pytest.fixture(scope="module")
def ui(browser, app_server, recorder):
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, locale="nb-NO")
    context.on("request", recorder.request)
    context.on("response", recorder.response)
    context.on("requestfailed", recorder.request_failed)
    page = context.new_page()
    page.on("websocket", recorder.websocket)
    page.set_default_timeout(WAIT_MS)
    yield Ui(page, app_server.url).open()
    context.close()


@e2e
def test_setup_home_and_a_few_screens(ui, recorder):
    ui.first_run(PIN)
    ui.serve_gjesdal()
    for opener, shown in (("home-observation", "obs-save"), ("home-evaluation", "report-chart"),
                          ("home-u18", "case-new"), ("home-crisis", "contact-new")):
        ui.tap(opener)
        ui.wait(shown)
        ui.settle()
        ui.tap("nav-back")
        ui.wait("home-observation")
    ui.shot("offline-home")
    assert recorder.requests, "no request recorded: the recorder is not attached"
    assert any(u.startswith(("ws://", "wss://")) for u in recorder.requests)


@e2e
def test_no_request_left_the_machine(recorder, proxy):
    assert [u for u in recorder.requests if outside(u)] == []
    from_page = [line for line in proxy.seen if not browser_own(line)]
    assert from_page == [], "\n".join(from_page)


def browser_own(line: str) -> bool:
    """A proxy request line ("CONNECT host:443 …", "GET http://host/…") to one of Chromium's
    own services."""
    target = line.split(" ")[1] if " " in line else line
    host = urlsplit(target if "://" in target else f"//{target}").hostname or ""
    return host in BROWSER_OWN_HOSTS


def test_browser_own_requests_are_told_apart():
    assert browser_own("CONNECT accounts.google.com:443 HTTP/1.1")
    assert browser_own("GET http://clients2.google.com/time/1/current?x=1 HTTP/1.1")
    assert not browser_own("CONNECT cdn.jsdelivr.net:443 HTTP/1.1")
    assert not browser_own("CONNECT fonts.gstatic.com:443 HTTP/1.1")


@e2e
def test_the_proxy_witness_sees_a_request_off_the_machine(browser, proxy):
    """The proxy really is in the way: a page that asks a CDN reaches it, not the network."""
    before = len(proxy.seen)
    page = browser.new_page()
    try:
        page.goto("http://cdn.jsdelivr.invalid/npm/x.js", timeout=10_000)
    except Exception:  # noqa: BLE001 - the proxy answers 403 or closes: either is fine
        pass
    finally:
        page.close()
    assert any("cdn.jsdelivr.invalid" in line for line in proxy.seen[before:])
    del proxy.seen[before:]


def test_the_app_serves_flets_own_page_with_the_offline_guard():
    """assets/index.html is Flet 1.0.5's index.html with one block added: after a Flet
    upgrade this fails until the copy is made again from the new page."""
    import flet_web

    flets = (Path(flet_web.__file__).parent / "web" / "index.html").read_text("utf-8")
    ours = INDEX.read_text("utf-8")
    start, end = ours.index(OFFLINE_BLOCK[0]), ours.index(OFFLINE_BLOCK[1])
    assert ours[:start] + ours[end + len(OFFLINE_BLOCK[1]):] == flets


@e2e
def test_the_report_is_saved_and_shared_without_a_request_off_the_machine(ui):
    """Evaluering: export the PDF, then "Last ned": the web client downloads it (from bytes
    the app sends over its socket, nothing fetched from elsewhere)."""
    ui.tap("home-evaluation")
    ui.wait("report-counting")
    ui.tap("report-export-pdf")
    assert "Lagret som evaluering-1122-" in ui.content("report-exported")
    with ui.page.expect_download(timeout=WAIT_MS) as download:
        ui.tap("report-share")
    assert download.value.suggested_filename.startswith("evaluering-1122-")
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    ui.shot("offline-report-shared")
    ui.tap("nav-back")
    ui.wait("home-observation")


@e2e
def test_the_letters_of_the_ui_need_no_fallback_font(ui, recorder):
    """Typed into a field, every letter the UI texts may use is drawn without a fallback font
    fetch; an arrow is not (so the check sees a fetch when there is one)."""
    ui.tap("home-observation")
    latin = "".join(chr(c) for c in range(0xA1, 0x180) if chr(c).isprintable()
                    and chr(c) != "\xad")
    before = len(recorder.failed)
    ui.fill("obs-place", latin + OWN_FONT_EXTRA)
    ui.settle()
    ui.page.wait_for_timeout(1_000)
    assert recorder.failed[before:] == []
    ui.fill("obs-place", "Ålgård → sentrum")
    ui.page.wait_for_function("() => true")
    for _ in range(20):
        if len(recorder.failed) > before:
            break
        ui.page.wait_for_timeout(250)
    fallback = recorder.failed[before:]
    assert fallback and all("/assets/fonts/" in f and f.startswith("404 ") for f in fallback)
    del recorder.failed[before:]   # the arrow's, on purpose; the UI has none
    ui.tap("nav-back")
    ui.wait("home-observation")


def ui_texts() -> list[tuple[str, str]]:
    """Every text the officer can read: the catalogues, field and code labels, messages and
    the report's words, in both languages."""
    from fieldapp.domain import messages
    from fieldapp.report import texts as report_texts
    from views.strings import CATALOGS

    found = [(f"{lang}:{key}", value) for lang, catalog in CATALOGS.items()
             for key, value in catalog.items()]
    for name in ("ERRORS", "FIELDS", "CODES"):
        found += [(f"messages.{name}", value) for value in _strings(getattr(messages, name))]
    found += [("report", value) for value in _strings(report_texts.TEXTS)]
    return found


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _strings(v)]
    return []


def drawn_without_fallback(char: str) -> bool:
    return (char == "\n" or " " <= char <= "~" or "\xa0" <= char <= "\u017f"
            or char in OWN_FONT_EXTRA)


def test_ui_texts_use_only_letters_the_client_draws_itself():
    texts = ui_texts()
    assert len(texts) > 500
    odd = sorted({f"{where}: {c!r} in {value[:40]!r}" for where, value in texts
                  for c in value if not drawn_without_fallback(c)})
    assert odd == []


def test_the_letter_check_can_fail():
    assert not drawn_without_fallback("\U0001f693")   # police car
    assert not drawn_without_fallback("\u2713")       # check mark
    assert not drawn_without_fallback("\u2192")       # arrow
    assert all(drawn_without_fallback(c) for c in "Ålgård Čáhcesuolu ŋŧđ «≥ 3» – …")


@e2e
def test_every_local_request_was_answered(recorder):
    assert recorder.failed == []
