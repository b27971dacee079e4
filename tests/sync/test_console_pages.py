"""The console's pages over real data: the phone core enrols and syncs against the backend on
loopback, and a browser-like client reads the console over HTTP (cookies, forms, CSRF)."""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, date, datetime, timedelta

import pytest
import requests

from fieldapp import Logbook
from fieldapp.domain import Consent, Observation
from fieldapp.domain.meetings import Decision, Meeting, MeetingAction
from sync import enrol, sync_now
from sync.server.console import users
from tests.support.backend import Backend
from tests.sync.sync_helpers import FAST, add_case_with_consent
from tests.sync.test_console_auth import CHEAP, PASSWORD, csrf_of

NAME, GIVER, CONCERN = "Ola Konsollsen", "Kari Konsollsen", "Skulker skolen ofte"


class Clock:
    def __init__(self) -> None:
        self.moment = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.moment


class Browser:
    """A plain HTTP client that signs in to the console like a browser does."""

    def __init__(self, backend: Backend, name: str):
        self.url = backend.url + "/konsoll"
        self.http = requests.Session()
        self.http.trust_env = False
        token = csrf_of(self.get("/login").text)
        reply = self.http.post(self.url + "/login", data={"csrf": token, "name": name,
                                                          "password": PASSWORD}, timeout=10)
        assert reply.url.endswith("/konsoll/mottatt"), reply.status_code
        self.csrf = csrf_of(reply.text)

    def get(self, path: str, **params: str) -> requests.Response:
        return self.http.get(self.url + path, params=params, timeout=10)

    def post(self, path: str, **data: str) -> requests.Response:
        return self.http.post(self.url + path, data=dict(data, csrf=self.csrf), timeout=10)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def server(db_target, clock):
    b = Backend(db_target, clock=clock).start("1122")
    db = b.admin_db()
    try:
        users.add_user(db, "koord", "coordinator", PASSWORD, clock(), log2_n=CHEAP)
        users.add_user(db, "it", "admin", PASSWORD, clock(), log2_n=CHEAP)
    finally:
        db.close()
    yield b
    b.stop()


@pytest.fixture
def shared(lb, server):
    """An observation and a case with consent (valid through next week), synced."""
    enrol(lb, server.url, server.code())
    obs = lb.add(Observation(place="Torget", youth_count=12, categories={"alcohol"},
                             priority_area="ungdomsmiljo"))
    case = add_case_with_consent(lb, name=NAME, given_by=GIVER,
                                 expires_at=date.today() + timedelta(days=7))
    lb.update(_with(lb.get(case), concern=CONCERN))
    report = sync_now(lb, **FAST)
    assert report.ok and {obs, case} <= set(report.sent), report.errors
    return {"obs": obs, "case": case}


def _with(record, **changes):
    for key, value in changes.items():
        setattr(record, key, value)
    return record


def _views(server: Backend, page: str) -> list[dict]:
    return [r for r in server.rows("SELECT * FROM audit WHERE event = 'console_view'")
            if r["reason"].endswith(f"page={page}")]


def test_the_coordinator_sees_what_was_shared_and_the_covered_case(server, shared):
    koord = Browser(server, "koord")
    listing = koord.get("/mottatt").text
    assert f'data-id="{shared["obs"]}"' in listing and "Torget" in listing
    assert f'data-id="{shared["case"]}"' in listing
    assert NAME not in listing                      # the list shows no personal data
    page = koord.get(f"/sak/{shared['case']}")
    assert page.status_code == 200 and 'id="case-content"' in page.text
    for shown in (NAME, CONCERN, GIVER, "SLT-oppfølging", str(date.today() + timedelta(days=7))):
        assert shown in page.text
    assert 'data-status="active"' in page.text
    user = next(u for u in users.list_users(server.admin_db()) if u.name == "koord")
    seen = _views(server, "case")
    assert [(r["record_id"], r["status"]) for r in seen] == [(shared["case"], "shown")]
    assert seen[0]["reason"] == f"user={user.id} page=case" and "koord" not in str(seen)
    assert _views(server, "received")


def test_a_withdrawn_consent_takes_the_cases_content_off_the_console(lb, server, shared):
    koord = Browser(server, "koord")
    assert NAME in koord.get(f"/sak/{shared['case']}").text
    consent = lb.list(Consent)[0]
    lb.update(_with(consent, withdrawn_at=datetime.now(UTC) - timedelta(minutes=1)))
    assert sync_now(lb, **FAST).ok
    page = koord.get(f"/sak/{shared['case']}")
    assert page.status_code == 200 and 'id="case-hidden"' in page.text
    assert "trukket tilbake" in page.text
    for gone in (NAME, CONCERN, GIVER, "SLT-oppfølging"):
        assert gone not in page.text
    assert f'data-id="{shared["case"]}"' not in koord.get("/mottatt").text
    assert [r["status"] for r in _views(server, "case")] == ["shown", "withheld"]


def test_an_expired_consent_hides_the_case(server, shared, clock):
    koord = Browser(server, "koord")
    clock.moment += timedelta(days=9)
    koord = Browser(server, "koord")     # the first session idled out over the nine days
    page = koord.get(f"/sak/{shared['case']}").text
    assert 'id="case-hidden"' in page and "utløpt" in page and NAME not in page
    assert f'data-id="{shared["case"]}"' not in koord.get("/mottatt").text


def test_filters_by_kind_area_period_and_municipality(server, shared):
    koord = Browser(server, "koord")
    only_obs = koord.get("/mottatt", type="observation").text
    assert shared["obs"] in only_obs and shared["case"] not in only_obs
    by_area = koord.get("/mottatt", omrade="ungdomsmiljo").text
    assert shared["obs"] in by_area and shared["case"] not in by_area
    future = (date.today() + timedelta(days=2)).isoformat()
    assert shared["obs"] not in koord.get("/mottatt", fra=future).text
    assert shared["obs"] in koord.get("/mottatt", til=future).text
    assert shared["obs"] not in koord.get("/mottatt", kommune="0301").text
    assert koord.get("/mottatt", fra="i går").status_code == 422


def test_record_page_meetings_and_language(lb, server, shared):
    meeting = lb.add(Meeting(starts_at=datetime.now(UTC) - timedelta(days=1), place="Rådhuset",
                             decisions=[Decision(text="Flere voksne ute i helgene")],
                             actions=[MeetingAction(description="Flere vakter",
                                                    owner_role="slt_koordinator",
                                                    due_date=date.today())],
                             text_free_of_personal=True))
    assert sync_now(lb, **FAST).ok
    koord = Browser(server, "koord")
    record = koord.get(f"/post/{shared['obs']}")
    assert record.status_code == 200 and "Torget" in record.text
    assert koord.get(f"/post/{shared['case']}").url.endswith(f"/sak/{shared['case']}")
    assert koord.get("/post/ikke-en-id").status_code == 404
    meetings = koord.get("/moter").text
    assert meeting in meetings and "Rådhuset" in meetings and "SLT-koordinator" in meetings
    assert "Vedtak" in meetings
    english = koord.get("/moter", lang="en").text
    assert "Decisions" in english and "Vedtak" not in english
    assert "Decisions" in koord.get("/moter").text        # remembered


def test_the_evaluation_as_charts_and_as_files(server, shared):
    koord = Browser(server, "koord")
    year = datetime.now(UTC).year
    page = koord.get("/rapport", ar=str(year))
    assert page.status_code == 200 and "<svg" in page.text and 'class="bar"' in page.text
    assert "Observasjoner etter kategori" in page.text
    pdf = koord.get("/rapport/fil", ar=str(year), format="pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf.headers["content-disposition"]
    csv = koord.get("/rapport/fil", ar=str(year), format="csv")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")


def test_pages_carry_a_strict_policy_and_log_no_personal_data(server, shared, caplog):
    caplog.set_level(logging.DEBUG)
    koord = Browser(server, "koord")
    page = koord.get(f"/sak/{shared['case']}")
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"
    assert "<script" not in page.text and "http://" not in page.text.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")
    css = koord.http.get(server.url + "/konsoll/static/console.css", timeout=10)
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    for other in ("users.py", "..%2Fusers.py", "%2e%2e%2fweb.py"):
        assert koord.http.get(server.url + "/konsoll/static/" + other,
                              timeout=10).status_code == 404
    assert not [r for r in caplog.records if NAME in r.getMessage() or GIVER in r.getMessage()]


def test_admin_enrols_a_phone_with_a_code_shown_once_and_revokes_it(lb, server):
    it = Browser(server, "it")
    page = it.post("/admin/telefoner", name="telefon-konsoll")
    code = re.search(r'<code id="code">([A-Z0-9-]+)</code>', page.text).group(1)
    assert code not in it.get("/admin/telefoner").text      # shown once
    assert enrol(lb, server.url, code).device_name == "telefon-konsoll"
    twin = Logbook.in_memory()    # a second phone given the same name keeps working
    enrol(twin, server.url, server.code("telefon-konsoll"))
    device = server.rows("SELECT id FROM devices WHERE name = 'telefon-konsoll' "
                         "ORDER BY created_at")[0]["id"]
    assert it.post(f"/admin/telefoner/{device}/tilbakekall").status_code == 200
    assert server.rows("SELECT revoked_at FROM devices WHERE id = ?", (device,))[0]["revoked_at"]
    lb.add(Observation(place="Torget"))
    twin.add(Observation(place="Torget"))
    assert sync_now(lb, **FAST).errors == {"1122": "auth_rejected"}   # its token is refused
    assert sync_now(twin, **FAST).ok


def test_admin_edits_and_imports_the_crisis_staff_list(server):
    it = Browser(server, "it")
    imported = it.post("/admin/krisestab/import",
                       csv="navn;rolle;telefon\nOla Ordfører;ordforer;91234567\n"
                           "Siri SLT;slt_koordinator;92345678\n")
    assert imported.status_code == 200 and "added=2" in imported.text
    feed = server.rows("SELECT id, data FROM reference WHERE kind = 'crisis_contact' "
                       "AND deleted = 0")
    assert {json.loads(r["data"])["name"] for r in feed} == {"Ola Ordfører", "Siri SLT"}
    siri = next(r["id"] for r in feed if "Siri" in r["data"])
    changed = it.post("/admin/krisestab", id=siri, name="Siri SLT", role="slt_koordinator",
                      phone="99887766", last_verified="2026-01-02")
    assert "changed=1" in changed.text
    assert "99887766" in server.rows("SELECT data FROM reference WHERE id = ?",
                                     (siri,))[0]["data"]
    assert "removed=1" in it.post(f"/admin/krisestab/{siri}/fjern").text
    assert "line 2" in it.post("/admin/krisestab/import", csv="navn;rolle\n;\n").text
    assert _views(server, "contacts")


def test_admin_publishes_the_agreement_and_manages_users(server):
    it = Browser(server, "it")
    shown = it.get("/admin/avtale").text
    text = re.search(r'<textarea name="agreement"[^>]*>(.*?)</textarea>', shown, re.S).group(1)
    import html
    agreement = json.loads(html.unescape(text))
    assert agreement[0]["municipality"] == "1122"
    published = it.post("/admin/avtale", agreement=json.dumps(agreement))
    assert "added=1" in published.text
    assert server.rows("SELECT 1 FROM reference WHERE kind = 'agreement'")
    assert "Ikke lagret" in it.post("/admin/avtale", agreement="{ikke json").text
    assert it.post("/admin/brukere", name="ny", role="coordinator",
                   password="kort").status_code == 400
    assert it.post("/admin/brukere", name="ny", role="coordinator",
                   password=PASSWORD).status_code == 200
    Browser(server, "ny")
