"""The SLT coordinator's console in Debian's Chromium, against the real backend on loopback,
with the real phone core (Logbook, enrolment, sync) sharing and withdrawing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from fieldapp import Logbook
from fieldapp.domain import Consent, Observation
from sync import enrol, sync_now
from sync.server.console import users
from tests.support.backend import Backend
from tests.sync.sync_helpers import FAST, add_case_with_consent

pytestmark = pytest.mark.e2e

PASSWORD = "riktig-hest-batteri-stift"
NAME, GIVER = "Ola Nettlesersen", "Kari Nettlesersen"
TABLET = {"width": 768, "height": 1024}
DESK = {"width": 1280, "height": 800}
WAIT_MS = 10_000


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    backend = Backend(tmp_path_factory.mktemp("konsoll") / "kommune.sqlite3").start("1122")
    db = backend.admin_db()
    try:
        users.add_user(db, "koord", "coordinator", PASSWORD, datetime.now(UTC), log2_n=12)
        users.add_user(db, "it", "admin", PASSWORD, datetime.now(UTC), log2_n=12)
    finally:
        db.close()
    yield backend
    backend.stop()


@pytest.fixture(scope="module")
def phone(server):
    """The police contact's phone: enrolled, an observation and a consented case synced."""
    lb = Logbook.in_memory()
    enrol(lb, server.url, server.code("telefon-1"))
    obs = lb.add(Observation(place="Stasjonsparken", youth_count=8, categories={"unrest"}))
    case = add_case_with_consent(lb, name=NAME, given_by=GIVER,
                                 expires_at=date.today() + timedelta(days=30))
    report = sync_now(lb, **FAST)
    assert report.ok and {obs, case} <= set(report.sent), report.errors
    yield {"lb": lb, "obs": obs, "case": case}
    lb.close()


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport=TABLET, locale="nb-NO")
    ctx.set_default_timeout(WAIT_MS)
    yield ctx
    ctx.close()


def sign_in(page, server, name: str) -> None:
    page.goto(server.url + "/konsoll/")
    assert page.url.endswith("/konsoll/login")
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.click("#login")
    page.wait_for_url("**/konsoll/mottatt")


def fits(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_coordinator_sees_shared_data_and_loses_the_case_after_a_withdrawal(
        context, server, phone):
    page = context.new_page()
    requested, failed = [], []
    page.on("request", lambda r: requested.append(r.url))
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    sign_in(page, server, "koord")
    row = page.locator(f"tr[data-id='{phone['obs']}']")
    assert "Stasjonsparken" in row.inner_text()
    assert fits(page)                                     # tablet width: no sideways scroll
    page.click(f"tr[data-id='{phone['case']}'] a")
    page.wait_for_url(f"**/konsoll/sak/{phone['case']}")
    content = page.locator("#case-content").inner_text()
    assert NAME in content
    consents = page.locator("#case-consents").inner_text()
    assert GIVER in consents and "SLT-oppfølging" in consents and "gyldig" in consents
    page.set_viewport_size(DESK)
    assert fits(page)

    lb = phone["lb"]                                      # the officer withdraws on the phone
    consent = lb.list(Consent)[0]
    consent.withdrawn_at = datetime.now(UTC) - timedelta(seconds=30)
    lb.update(consent)
    assert sync_now(lb, **FAST).ok

    page.reload()
    hidden = page.locator("#case-hidden")
    assert "trukket tilbake" in hidden.inner_text()
    html = page.content()
    assert NAME not in html and GIVER not in html and page.locator("#case-content").count() == 0
    page.goto(server.url + "/konsoll/mottatt")
    assert page.locator(f"tr[data-id='{phone['case']}']").count() == 0
    assert page.locator(f"tr[data-id='{phone['obs']}']").count() == 1

    assert requested and all(u.startswith(server.url + "/konsoll/") for u in requested)
    assert not failed                                     # every asset served locally
    page.click("#lang-toggle")
    assert page.locator("h1").inner_text() == "Received from the police contact"
    page.click("#logout")
    page.wait_for_url("**/konsoll/login")
    page.goto(server.url + f"/konsoll/sak/{phone['case']}")
    assert page.url.endswith("/konsoll/login")


def test_a_coordinator_cannot_open_admin_pages(context, server, phone):
    page = context.new_page()
    sign_in(page, server, "koord")
    assert page.locator("a[href^='/konsoll/admin']").count() == 0
    for path in ("telefoner", "krisestab", "avtale", "brukere"):
        reply = page.goto(server.url + f"/konsoll/admin/{path}")
        assert reply is not None and reply.status == 403, path
        assert page.locator("#refusal").is_visible()
        assert "telefon-1" not in page.content()


def test_a_logged_out_browser_gets_nothing(context, server, phone):
    page = context.new_page()
    for path in ("mottatt", f"sak/{phone['case']}", f"post/{phone['obs']}", "moter",
                 "rapport", "admin/telefoner", "admin/krisestab"):
        page.goto(server.url + f"/konsoll/{path}")
        assert page.url.endswith("/konsoll/login"), path
        assert "Stasjonsparken" not in page.content()
        assert page.locator("[data-id]").count() == 0
    direct = context.request.get(server.url + f"/konsoll/post/{phone['obs']}", max_redirects=0)
    assert direct.status == 303 and direct.text() == ""


def test_an_admin_enrols_a_phone_and_sees_the_code_once(context, server, phone):
    page = context.new_page()
    sign_in(page, server, "it")
    page.click("a[href='/konsoll/admin/telefoner']")
    page.fill("#device-name", "telefon-2")
    page.click("#enrol")
    code = page.locator("#code").inner_text()
    assert len(code.replace("-", "")) == 12
    lb = Logbook.in_memory()
    try:
        assert enrol(lb, server.url, code).device_name == "telefon-2"
    finally:
        lb.close()
    page.goto(server.url + "/konsoll/admin/telefoner")
    assert page.locator("#code").count() == 0 and "telefon-2" in page.content()
