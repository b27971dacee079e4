"""Real-browser fixtures: the app as a subprocess in web mode, Debian's Chromium, headless.

One browser per test session; one app server (with a fresh data directory and key store)
per test module. Controls are found through Flutter's semantics tree: by role and name, by
text, and by ``[flt-semantics-identifier=...]`` (``ft.Semantics(identifier=...)``).
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.support.app_server import AppServer

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
FIRST_FRAME_MS = 60_000
WAIT_MS = 30_000
MIN_TARGET_PX = 48
CLIP_EDGE_PX = 12  # the scrolling body's own padding: nodes cut there are only partly shown
# What a finger or a screen reader can reach: the semantics tree (Flutter's hidden editing
# input for a focused field lies outside it, over the field, and is not a control of its own).
TAPPABLE = ", ".join(f"flt-semantics-host {s}" for s in (
    "flt-semantics[role='button']", "flt-semantics[role='checkbox']", "input", "textarea"))
SCROLL_STEP = 250
SCROLL_AT_Y = 200  # the wheel turns over the scrolling body, never the pinned actions
APP_BAR_PX = 64
SETTLE_MS = 400  # only before screenshots: Material's fade-ins have nothing to wait for


class Ui:
    """A page of the running app with the helpers the journeys use."""

    def __init__(self, page, url: str):
        self.page = page
        self.url = url
        self.taps = 0

    def open(self) -> Ui:
        """Load the app and turn Flutter's semantics tree on as early as the engine allows,
        before the first screen arrives from the app server: a field the app focuses by
        itself (``autofocus``) before the tree is on is edited in a hidden input of its own
        instead of the field's node (see ``fill``)."""
        self.page.goto(self.url)
        self.enable_semantics()
        self.page.wait_for_function("() => !document.getElementById('loading')",
                                    timeout=FIRST_FRAME_MS)
        return self

    def enable_semantics(self) -> None:
        self.page.wait_for_selector("flt-semantics-placeholder", state="attached",
                                    timeout=FIRST_FRAME_MS)
        self.page.evaluate("() => document.querySelector('flt-semantics-placeholder').click()")
        self.page.wait_for_selector("flt-semantics-host flt-semantics", state="attached",
                                    timeout=FIRST_FRAME_MS)

    def by_id(self, ident: str):
        return self.page.locator(f"[flt-semantics-identifier='{ident}']").first

    def wait(self, ident: str, timeout: int = WAIT_MS):
        return self.reveal(self.by_id(ident), timeout)

    def reveal(self, locator, timeout: int = WAIT_MS, *, to_tap: bool = True):
        """Wait for a control, scrolling like a thumb would (Flutter leaves controls scrolled
        out of view out of the semantics tree); to tap it, bring it fully into view, let the
        scroll settle and wait for a snackbar over it to go."""
        try:
            locator.wait_for(state="visible", timeout=min(timeout, 1_500))
        except PlaywrightTimeout:
            self._scroll_until_visible(locator, timeout)
        if to_tap:
            self._fully_in_view(locator)
            self._still(locator)
            self._clear_of_toast(locator)
        return locator

    @staticmethod
    def _box(locator) -> dict | None:
        """The control's rectangle, or None when it is gone (a snackbar that timed out)."""
        try:
            return locator.bounding_box(timeout=1_000)
        except PlaywrightTimeout:
            return None

    def _clear_of_toast(self, locator) -> None:
        """A snackbar takes the taps in its rectangle: wait for it to go if it covers."""
        toast = self.page.locator("[flt-semantics-identifier='toast']")
        a = self._box(locator)
        b = self._box(toast.first) if toast.count() else None
        if a and b and a["y"] < b["y"] + b["height"] + 16 and b["y"] < a["y"] + a["height"]:
            toast.first.wait_for(state="detached", timeout=WAIT_MS)

    def _scroll_until_visible(self, locator, timeout: int) -> None:
        self.page.mouse.move(PHONE["width"] / 2, SCROLL_AT_Y)
        for delta in [SCROLL_STEP] * 12 + [-SCROLL_STEP] * 24:
            self.page.mouse.wheel(0, delta)
            try:
                locator.wait_for(state="visible", timeout=500)
                return
            except PlaywrightTimeout:
                continue
        locator.wait_for(state="visible", timeout=timeout)

    def _visible_band(self) -> tuple[float, float]:
        """Top and bottom of the scrolling area: below the app bar, above pinned actions."""
        bottom = float(PHONE["height"])
        actions = self.page.locator("[flt-semantics-identifier='screen-actions']")
        if actions.count():
            box = self._box(actions.first)
            bottom = box["y"] if box else bottom
        return APP_BAR_PX, bottom

    def _fully_in_view(self, locator) -> None:
        pinned = locator.evaluate(
            "e => !!e.closest(\"[flt-semantics-identifier='screen-actions']\")")
        if pinned:  # the actions at the bottom never scroll
            return
        top, bottom = self._visible_band()
        self.page.mouse.move(PHONE["width"] / 2, SCROLL_AT_Y)
        for _ in range(8):
            box = self._box(locator)
            if box is None:
                return
            over = box["y"] + box["height"] - bottom
            under = top - box["y"]
            if over <= 0 and under <= 0:
                return
            self.page.mouse.wheel(0, over + 24 if over > 0 else -(under + 24))
            if not self._moved(locator, box["y"]):
                return  # cannot scroll further: take it as it is

    def _still(self, locator) -> None:
        """Poll (50 ms steps, at most 2 s) until a control stops moving (scroll settles)."""
        last = self._box(locator)
        for _ in range(40):
            self.page.wait_for_timeout(50)
            box = self._box(locator)
            if box == last:
                return
            last = box

    def _moved(self, locator, y: float) -> bool:
        """Poll (50 ms steps, at most 2 s) until the control moved after a scroll."""
        for _ in range(40):
            self.page.wait_for_timeout(50)
            box = self._box(locator)
            if box is None or abs(box["y"] - y) > 1:
                return True
        return False

    def first_run(self, pin: str) -> None:
        """Create the logbook (the setup screen) and wait for Home."""
        self.fill("pin-1", pin)
        self.fill("pin-2", pin)
        self.tap("pin-create")
        self.wait("home-observation", timeout=FIRST_FRAME_MS)

    def serve_gjesdal(self) -> None:
        """Settings → the Gjesdal preset (its signed agreement applies), then back to Home."""
        self.tap("nav-settings")
        self.tap("preset-gjesdal")
        self.see("Gjesdal ungdomsskole")
        self.tap("nav-back")
        self.wait("home-observation")

    def tap(self, ident: str) -> None:
        self.wait(ident).click()
        self.taps += 1

    def fill(self, ident: str, text: str) -> None:
        """Tap the field, wait until the keyboard focus is on it, type, and check that the
        focused input holds the text; try again (at most 3 times) when the focus moved or the
        text was dropped while Flutter rebuilt the field.

        Flutter's web engine edits text in one of two places: the field's own node in the
        semantics tree, or a hidden input laid over the field (when the app focused the field
        before the semantics tree was on, e.g. ``autofocus``). In the second case keystrokes
        are typed where the focus is, as a thumb on a keyboard would, after checking that the
        focused input lies over this field."""
        for _ in range(3):
            field = self.wait(ident).locator("input, textarea").first
            field.click()
            try:
                where = self.page.wait_for_function(_FOCUS_ON, arg=ident, timeout=5_000)
                if where.json_value() == "inside":
                    field.fill(text)
                else:
                    self.page.keyboard.press("ControlOrMeta+A")
                    self.page.keyboard.insert_text(text)
                self.page.wait_for_function(_FOCUSED_VALUE_IS, arg=text, timeout=3_000)
                return
            except PlaywrightTimeout:
                continue
        raise AssertionError(f"could not type into {ident}: {self._focus_report(ident)}")

    def _focus_report(self, ident: str) -> str:
        """Where the keyboard focus and the field are, for the failure message."""
        return str(self.page.evaluate(_FOCUS_REPORT, ident))

    def text(self, ident: str) -> str:
        return self.wait(ident).inner_text()

    def field_value(self, ident: str) -> str:
        """What a text field holds."""
        return self.wait(ident).locator("input, textarea").first.input_value()

    def content(self, ident: str) -> str:
        """Everything a screen reader would read in a control: texts and merged labels."""
        return self.wait(ident).evaluate(
            "e => [e, ...e.querySelectorAll('*')].map(n => (n.getAttribute('aria-label') || '')"
            " + ' ' + (n.childElementCount ? '' : n.textContent)).join(' ')")

    def see(self, text: str, timeout: int = WAIT_MS):
        """A text on screen, shown alone or inside a control's merged label (cards)."""
        found = self.page.get_by_text(text).or_(self.page.get_by_label(text))
        return self.reveal(found.first, timeout, to_tap=False)

    def small_targets(self) -> list[str]:
        """Every tappable node on screen smaller than 48 px, described by its label (nodes cut
        by the edge of the scrolling area are left out: their rectangle is only the part
        that shows)."""
        top, bottom = self._visible_band()
        return self.page.evaluate(
            """([selector, min, top, bottom, EDGE]) => [...document.querySelectorAll(selector)]
                .map(e => [e, e.getBoundingClientRect()])
                .filter(([e, r]) => r.width > 0 && r.top > top + EDGE && r.bottom < bottom - EDGE
                        && (r.height < min - 0.5 || r.width < min - 0.5))
                .map(([e, r]) => (e.getAttribute('aria-label') || e.textContent || e.tagName)
                     + ' ' + Math.round(r.width) + 'x' + Math.round(r.height))""",
            [TAPPABLE, MIN_TARGET_PX, top, bottom, CLIP_EDGE_PX])

    def unnamed_targets(self) -> list[str]:
        """Tappable nodes a screen reader could not name (no label, no text, no tooltip)."""
        return self.page.evaluate(
            """(selector) => [...document.querySelectorAll(selector)]
                .filter(e => !(e.getAttribute('aria-label') || e.textContent.trim()
                               || e.closest('[aria-label]')))
                .map(e => e.outerHTML.slice(0, 120))""", TAPPABLE)

    def settle(self) -> None:
        """Let Flutter finish painting: error texts and snackbars fade in (~250 ms)."""
        self.page.evaluate(
            "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        self.page.wait_for_timeout(SETTLE_MS)

    def shot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.settle()
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path))
        return path


# Where the keyboard focus is for the control with this identifier: "inside" its semantics
# node, "over" it (Flutter's hidden editing input centred on the control), or nowhere (null).
_FOCUS_ON = """id => {
  const a = document.activeElement;
  const n = document.querySelector(`[flt-semantics-identifier='${id}']`);
  if (!a || !n || !['INPUT', 'TEXTAREA'].includes(a.tagName)) return null;
  if (n.contains(a)) return 'inside';
  const f = a.getBoundingClientRect(), r = n.getBoundingClientRect();
  const x = f.left + f.width / 2, y = f.top + f.height / 2;
  return f.width > 0 && x >= r.left && x <= r.right && y >= r.top && y <= r.bottom
    ? 'over' : null;
}"""
_FOCUSED_VALUE_IS = "t => !!document.activeElement && document.activeElement.value === t"
_FOCUS_REPORT = """id => {
  const a = document.activeElement;
  const n = document.querySelector(`[flt-semantics-identifier='${id}']`);
  const inputs = [...document.querySelectorAll('input, textarea')];
  return {active: a ? a.tagName + (a.id ? '#' + a.id : '') + ' len=' + (a.value || '').length
                      + ' inside=' + (!!n && n.contains(a)) : null,
          active_rect: a ? JSON.stringify(a.getBoundingClientRect()) : null,
          field: n ? JSON.stringify(n.getBoundingClientRect()) : null, inputs: inputs.length,
          input_lengths: inputs.map(i => (i.value || '').length),
          hasFocus: document.hasFocus(), visibility: document.visibilityState,
          ids: [...document.querySelectorAll('[flt-semantics-identifier]')]
                 .map(e => e.getAttribute('flt-semantics-identifier')).slice(0, 30)};
}"""


@pytest.fixture(scope="module")
def browser():
    """A fresh Chromium for every journey module: one browser for the whole run let focus
    and typing go astray in later modules (Chromium 156), while each module alone passed."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: run `make browser` (apt), "
                    "never `playwright install`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def app_server(tmp_path_factory, request):
    server = AppServer(tmp_path_factory.mktemp("app")).start()
    yield server
    server.stop()
    SCREENSHOTS.parent.mkdir(parents=True, exist_ok=True)
    log = SCREENSHOTS.parent / f"server-{request.module.__name__.rsplit('.', 1)[-1]}.log"
    log.write_text("".join(server.output), encoding="utf-8")


@pytest.fixture(scope="module")
def ui(browser, app_server):
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, locale="nb-NO")
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    yield Ui(page, app_server.url).open()
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.rep_call = report


@pytest.fixture(autouse=True)
def screenshot_on_failure(request):
    yield
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed and "ui" in request.fixturenames:
        ui = request.getfixturevalue("ui")
        with contextlib.suppress(Exception):  # the page may be gone; the failure matters more
            ui.shot(f"failed-{request.node.name}")
