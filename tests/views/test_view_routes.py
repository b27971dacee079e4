"""The route tree: every route resolves, the lock guard, no personal data in routes."""

from __future__ import annotations

import pytest

from views.routes import HOME, ROUTES, SETUP, UNLOCK, guard, resolve

ID = "3f2c9a4e-8a61-4c55-9d2e-7b1f0c6a5e21"


@pytest.mark.parametrize(("route", "pattern", "params"), [
    ("/", "/", {}),
    ("/observation/new", "/observation/new", {}),
    (f"/observation/{ID}", "/observation/:id", {"id": ID}),
    ("/school/checkin", "/school/checkin", {}),
    (f"/school/{ID}", "/school/:id", {"id": ID}),
    ("/u18/new", "/u18/new", {}),
    (f"/u18/{ID}/consent", "/u18/:id/consent", {"id": ID}),
    (f"/u18/{ID}/edit", "/u18/:id/edit", {"id": ID}),
    (f"/crisis/callout/{ID}", "/crisis/callout/:id", {"id": ID}),
    ("/synk", "/synk", {}),
    ("/settings/", "/settings", {}),
    ("/u18?from=home", "/u18", {}),
])
def test_routes_resolve(route, pattern, params):
    entry, found = resolve(route)
    assert entry.pattern == pattern and found == params


@pytest.mark.parametrize("route", ["/nowhere", "/u18/Ola Nordmann", "/u18/ola%20nordmann",
                                   "/observation/<script>"])
def test_unknown_routes_and_text_in_place_of_an_id_do_not_resolve(route):
    assert resolve(route) is None


def test_route_parameters_are_record_ids_only():
    for entry in ROUTES:
        names = [part[1:] for part in entry.pattern.split("/") if part.startswith(":")]
        assert set(names) <= {"id"}, entry.pattern


def test_locked_app_goes_to_setup_or_unlock_whatever_was_asked():
    for route in ("/", "/u18", f"/u18/{ID}", "/settings", UNLOCK, "/nowhere"):
        assert guard(route, unlocked=False, needs_setup=True) == SETUP
        assert guard(route, unlocked=False, needs_setup=False) == UNLOCK


def test_unlocked_app_never_shows_the_lock_screens_or_unknown_routes():
    assert guard(UNLOCK, unlocked=True, needs_setup=False) == HOME
    assert guard(SETUP, unlocked=True, needs_setup=False) == HOME
    assert guard("/nowhere", unlocked=True, needs_setup=False) == HOME
    assert guard(f"/u18/{ID}/", unlocked=True, needs_setup=False) == f"/u18/{ID}"


def test_only_the_lock_screens_are_public():
    assert {r.pattern for r in ROUTES if r.public} == {SETUP, UNLOCK}
