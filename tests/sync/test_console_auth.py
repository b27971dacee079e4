"""The console's accounts and sessions: passwords, login, lockout, idle timeout, CSRF, roles,
cookie flags, and the ``user`` command."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from sync.server.app import create_app
from sync.server.console import users
from sync.server.console.sessions import COOKIE, IDLE_TIMEOUT
from sync.server.throttle import Throttle
from tests.support import ROOT

PASSWORD = "riktig-hest-batteri-stift"
CHEAP = 12   # log2 n for test accounts: the stored parameters are what verify uses
ADMIN_PAGES = ["/konsoll/admin/telefoner", "/konsoll/admin/krisestab", "/konsoll/admin/avtale",
               "/konsoll/admin/brukere"]
ADMIN_POSTS = ["/konsoll/admin/telefoner", "/konsoll/admin/krisestab",
               "/konsoll/admin/krisestab/import", "/konsoll/admin/avtale",
               "/konsoll/admin/brukere",
               "/konsoll/admin/telefoner/00000000-0000-4000-8000-000000000000/tilbakekall",
               "/konsoll/admin/krisestab/x/fjern",
               "/konsoll/admin/brukere/00000000-0000-4000-8000-000000000000/deaktiver"]


class Clock:
    def __init__(self) -> None:
        self.moment = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.moment


def console_app(db_target, clock=None, *, base_url: str = "http://testserver"):
    """The backend app with a coordinator ``koord`` and an admin ``it``, and a test client."""
    app = create_app(db_target, clock=clock)
    db = app.state.db
    moment = clock() if clock else datetime.now(UTC)
    users.add_user(db, "koord", "coordinator", PASSWORD, moment, log2_n=CHEAP)
    users.add_user(db, "it", "admin", PASSWORD, moment, log2_n=CHEAP)
    return app, TestClient(app, base_url=base_url)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF field on the page"
    return found.group(1)


def login(client: TestClient, name: str, password: str = PASSWORD):
    token = csrf_of(client.get("/konsoll/login").text)
    return client.post("/konsoll/login", data={"csrf": token, "name": name,
                                               "password": password}, follow_redirects=False)


def signed_in(client: TestClient, name: str) -> str:
    """Log in and return the session's CSRF token (from a page)."""
    assert login(client, name).status_code == 303
    return csrf_of(client.get("/konsoll/mottatt").text)


def audit(app, event: str) -> list[dict]:
    return [dict(r) for r in app.state.db.query("SELECT * FROM audit WHERE event = ?",
                                                (event,))]


def test_passwords_are_scrypt_with_their_parameters_and_verify():
    stored = users.hash_password(PASSWORD, log2_n=CHEAP)
    scheme, log2_n, r, p, salt, key = stored.split("$")
    assert (scheme, log2_n, r, p) == ("scrypt", str(CHEAP), "8", "1") and PASSWORD not in stored
    assert users.verify_password(PASSWORD, stored)
    assert not users.verify_password(PASSWORD + "x", stored)
    assert users.hash_password(PASSWORD, log2_n=CHEAP) != stored   # a new salt each time
    assert users.hash_password("x" * 12).split("$")[1] == "15"     # the default cost


@pytest.mark.parametrize("password", ["", "            ", "kort"])
def test_weak_passwords_are_refused(db_target, password):
    app, _ = console_app(db_target)
    with pytest.raises(users.UserError):
        users.add_user(app.state.db, "ny", "coordinator", password, datetime.now(UTC))


def test_a_logged_out_browser_gets_only_the_login_page(db_target):
    _, client = console_app(db_target)
    for path in ["/konsoll/", "/konsoll/mottatt", "/konsoll/moter", "/konsoll/rapport",
                 "/konsoll/sak/00000000-0000-4000-8000-000000000000", *ADMIN_PAGES]:
        reply = client.get(path, follow_redirects=False)
        assert reply.status_code == 303 and reply.headers["location"] == "/konsoll/login", path
        assert reply.text == ""
    assert client.post("/konsoll/admin/brukere", data={"name": "x"},
                       follow_redirects=False).status_code == 303
    page = client.get("/konsoll/mottatt")
    assert page.url.path == "/konsoll/login" and 'name="password"' in page.text


def test_login_sets_a_strict_httponly_cookie_and_logout_ends_the_session(db_target):
    app, client = console_app(db_target)
    reply = login(client, "koord")
    assert reply.status_code == 303 and reply.headers["location"] == "/konsoll/mottatt"
    cookie = next(c for c in reply.headers.get_list("set-cookie") if c.startswith(COOKIE))
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/konsoll" in cookie
    assert "Secure" not in cookie       # plain HTTP here
    token = client.cookies[COOKIE]
    stored = [r["id_hash"] for r in app.state.db.query("SELECT id_hash FROM console_sessions")]
    assert stored and token not in stored      # only the hash is kept
    csrf = csrf_of(client.get("/konsoll/mottatt").text)
    assert client.post("/konsoll/logout", data={"csrf": csrf},
                       follow_redirects=False).status_code == 303
    assert not app.state.db.query("SELECT 1 FROM console_sessions")
    client.cookies.set(COOKIE, token, path="/konsoll")     # the old cookie is dead
    assert client.get("/konsoll/mottatt", follow_redirects=False).status_code == 303


def test_the_cookie_is_secure_over_tls(db_target):
    _, client = console_app(db_target, base_url="https://testserver")
    reply = login(client, "koord")
    cookie = next(c for c in reply.headers.get_list("set-cookie") if c.startswith(COOKIE))
    assert "Secure" in cookie


def test_a_wrong_password_says_nothing_about_which_part_was_wrong(db_target):
    app, client = console_app(db_target)
    wrong = login(client, "koord", "feil-passord-helt")
    unknown = login(client, "ingen-slik", PASSWORD)
    assert wrong.status_code == unknown.status_code == 401
    assert csrf_of(wrong.text) and wrong.text.count("login-error") == 1
    strip = re.compile(r'value="[^"]*"')
    assert strip.sub("", wrong.text) == strip.sub("", unknown.text)
    assert COOKIE not in client.cookies
    reasons = [r["reason"] for r in audit(app, "console_login")]
    assert any(r.endswith("password") for r in reasons)
    assert any(r.startswith("unknown; client=") for r in reasons)   # a pseudonym, counted
    assert not any("koord" in (r or "") or "testclient" in r for r in reasons)   # no names


def test_unknown_names_are_counted_per_client_not_audited_one_by_one(db_target):
    app, client = console_app(db_target)
    app.state.console.throttle = Throttle(free_failures=1000)
    for n in range(12):
        assert login(client, f"gjetning-{n}", "feil-passord-helt").status_code == 401
    assert len(audit(app, "console_login")) == 1
    app.state.refusals.flush()
    counted = app.state.db.query("SELECT count FROM refusals WHERE event = 'console_login'")
    assert [r["count"] for r in counted] == [12]


def test_lockout_after_five_failures_with_growing_delay(db_target):
    clock = Clock()
    app, client = console_app(db_target, clock)
    app.state.console.throttle = Throttle(free_failures=1000)   # the account's own lockout
    for _ in range(users.FREE_FAILURES):
        assert login(client, "koord", "feil-passord-helt").status_code == 401
    assert login(client, "koord").status_code == 401        # locked: even the right one
    clock.moment += users.LOCK_BASE + timedelta(seconds=1)
    assert login(client, "koord", "feil-passord-igjen").status_code == 401   # 6th: 60 s
    clock.moment += users.LOCK_BASE + timedelta(seconds=1)
    assert login(client, "koord").status_code == 401        # still locked (doubled)
    clock.moment += users.LOCK_BASE
    assert login(client, "koord").status_code == 303
    row = app.state.db.query("SELECT failed_logins, locked_until FROM console_users "
                             "WHERE name = 'koord'")[0]
    assert (row["failed_logins"], row["locked_until"]) == (0, None)
    assert users.lock_delay(4) == timedelta(0) and users.lock_delay(40) == users.LOCK_MAX


def test_the_client_address_is_throttled_across_accounts(db_target):
    app, client = console_app(db_target)
    app.state.console.throttle = Throttle(free_failures=1, base_delay=600)
    assert login(client, "koord", "feil-passord-helt").status_code == 401
    assert login(client, "it", "feil-passord-helt").status_code == 401
    refused = login(client, "it")                          # right password, but too soon
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
    assert COOKIE not in client.cookies


def test_idle_timeout_ends_the_session(db_target):
    clock = Clock()
    _, client = console_app(db_target, clock)
    signed_in(client, "koord")
    clock.moment += IDLE_TIMEOUT - timedelta(seconds=5)
    assert client.get("/konsoll/mottatt", follow_redirects=False).status_code == 200
    clock.moment += IDLE_TIMEOUT - timedelta(seconds=5)     # active: the idle clock restarted
    assert client.get("/konsoll/mottatt", follow_redirects=False).status_code == 200
    clock.moment += IDLE_TIMEOUT + timedelta(seconds=1)
    assert client.get("/konsoll/mottatt", follow_redirects=False).status_code == 303


@pytest.mark.parametrize("token", [None, "", "feil"])
def test_a_post_without_the_sessions_csrf_token_is_refused(db_target, token):
    app, client = console_app(db_target)
    signed_in(client, "it")
    data = {"name": "telefon-9"} if token is None else {"name": "telefon-9", "csrf": token}
    reply = client.post("/konsoll/admin/telefoner", data=data)
    assert reply.status_code == 403
    assert not app.state.db.query("SELECT 1 FROM devices")
    assert client.post("/konsoll/logout", data={"csrf": token or ""},
                       follow_redirects=False).status_code == 403


def test_another_sessions_token_or_a_foreign_origin_is_refused(db_target):
    app, client = console_app(db_target)
    other = TestClient(app)
    foreign = signed_in(other, "it")
    mine = signed_in(client, "it")
    assert client.post("/konsoll/admin/telefoner", data={"csrf": foreign, "name": "a"}
                       ).status_code == 403
    assert client.post("/konsoll/admin/telefoner", data={"csrf": mine, "name": "a"},
                       headers={"Origin": "https://angriper.example"}).status_code == 403
    assert not app.state.db.query("SELECT 1 FROM devices")
    assert client.post("/konsoll/admin/telefoner", data={"csrf": mine, "name": "a"},
                       headers={"Origin": "http://testserver"}).status_code == 200
    assert len(app.state.db.query("SELECT 1 FROM devices")) == 1


def test_the_login_form_needs_its_own_token(db_target):
    _, client = console_app(db_target)
    client.get("/konsoll/login")
    reply = client.post("/konsoll/login", data={"name": "koord", "password": PASSWORD},
                        follow_redirects=False)
    assert reply.status_code == 403 and COOKIE not in client.cookies


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_a_coordinator_cannot_open_admin_pages(db_target, path):
    _, client = console_app(db_target)
    signed_in(client, "koord")
    reply = client.get(path)
    assert reply.status_code == 403 and 'id="refusal"' in reply.text


@pytest.mark.parametrize("path", ADMIN_POSTS)
def test_a_coordinator_cannot_post_to_admin_routes(db_target, path):
    app, client = console_app(db_target)
    csrf = signed_in(client, "koord")
    reply = client.post(path, data={"csrf": csrf, "name": "telefon-9", "role": "admin",
                                    "password": PASSWORD * 2, "csv": "name;role\nA;B\n"})
    assert reply.status_code == 403
    assert not app.state.db.query("SELECT 1 FROM devices")
    assert len(users.list_users(app.state.db)) == 2


def test_an_admin_opens_every_admin_page(db_target):
    _, client = console_app(db_target)
    signed_in(client, "it")
    for path in ADMIN_PAGES:
        assert client.get(path).status_code == 200, path


def test_a_deactivated_user_loses_the_session_and_cannot_log_in(db_target):
    app, client = console_app(db_target)
    signed_in(client, "koord")
    admin_client = TestClient(app)
    csrf = signed_in(admin_client, "it")
    koord = next(u for u in users.list_users(app.state.db) if u.name == "koord")
    assert admin_client.post(f"/konsoll/admin/brukere/{koord.id}/deaktiver",
                             data={"csrf": csrf}).status_code == 200
    assert client.get("/konsoll/mottatt", follow_redirects=False).status_code == 303
    assert login(client, "koord").status_code == 401


def test_user_add_from_the_command_line_reads_the_password_from_stdin(db_target):
    db = db_target

    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "sync.server", "user", *args,
                               "--db", str(db)], input=stdin, capture_output=True, text=True,
                              cwd=ROOT, timeout=60)

    added = run("add", "--name", "Siri", "--role", "coordinator", stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    assert PASSWORD not in added.stdout + added.stderr
    empty = run("add", "--name", "Tom", "--role", "admin", stdin="\n")
    assert empty.returncode == 2 and "empty password" in empty.stderr
    assert run("add", "--name", "Siri", "--role", "admin", stdin=PASSWORD).returncode == 2
    listed = run("list")
    assert "Siri" in listed.stdout and "coordinator" in listed.stdout and "Tom" not in \
        listed.stdout
    assert run("disable", "--name", "Siri").returncode == 0
    assert "disabled" in run("list").stdout
