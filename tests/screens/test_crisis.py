"""Kriseledelse: the contact list (search, call links), a contact's form and the callout log."""

from __future__ import annotations

import re

from fieldapp.domain import CrisisCallout, CrisisContact
from tests.screens import records


def test_no_contacts_and_no_callouts_yet(ui):
    ui.tap("home-crisis")
    assert ui.title == "Kriseledelse"
    assert ui.shows("Ingen kontakter.") and ui.shows("Ingen innkallinger.")
    assert ui.has("contact-new") and ui.has("callout-new")


def test_a_new_contact_is_saved_and_can_be_called(ui, lb):
    ui.open("/crisis")
    ui.tap("contact-new")
    ui.tap("contact-save")
    assert ui.field("contact-name").error == "Navn må fylles ut."
    ui.type("contact-name", "Frode Fjeld")
    ui.tap("contact-role-ordforer")
    ui.type("contact-phone", "+47 51 61 42 00")
    ui.tap("contact-save")
    assert ui.toasts()[-1] == "Kontakt lagret" and ui.route == "/crisis"
    assert ui.find("call-0").url == "tel:+4751614200"
    assert ui.text("call-0") == "Ring Frode Fjeld"
    [contact] = lb.list(CrisisContact)
    assert (contact.name, contact.role) == ("Frode Fjeld", "ordforer")


def test_search_by_name_or_role(lb, screens):
    records.contact(lb)
    records.contact(lb, name="Liv Berg", role="radmann", phone="")
    ui = screens("/crisis")
    assert ui.idents("contact-") == ["contact-0", "contact-edit-0", "contact-1",
                                     "contact-edit-1", "contact-new"]
    ui.type("crisis-search", "ordfø")
    assert ui.idents("contact-") == ["contact-0", "contact-edit-0", "contact-new"]
    assert "Frode Fjeld" in ui.text("contact-0")
    ui.type("crisis-search", "beredskap")
    assert ui.shows("Ingen kontakter.") and not ui.has("contact-0")
    ui.type("crisis-search", "")
    assert ui.shows("Mangler telefonnummer")  # Liv Berg has no number to call


def test_a_callout_is_logged_with_times_and_entries(ui, lb):
    ui.open("/crisis")
    ui.tap("callout-new")
    [callout] = lb.list(CrisisCallout)
    assert ui.toasts()[-1] == "Innkalling registrert"
    assert ui.route == f"/crisis/callout/{callout.id}"
    ui.tap("callout-event_type-flood")
    ui.tap("callout-called_by_role-radmann")
    ui.tap("callout-arrived")
    assert ui.toasts()[-1] == "Tidspunkt lagret"
    assert re.fullmatch(r"Ankom: \d\d\.\d\d\.\d{4} \d\d:\d\d", ui.text("callout-arrived_at"))
    ui.type("callout-entry", "Stab satt, evakuering av Ålgård sentrum vurderes")
    ui.tap("callout-save")
    assert ui.toasts()[-1] == "Innkalling lagret"
    assert ui.shows("evakuering") and ui.field("callout-entry").value == ""
    saved = lb.get(callout.id)
    assert saved.event_type == "flood" and saved.called_by_role == "radmann"
    assert [e.text for e in saved.timeline] == [
        "Stab satt, evakuering av Ålgård sentrum vurderes"]
    ui.tap("nav-back")
    assert "Flom" in ui.text("callout-0")


def test_an_earlier_callout_opens_from_the_list(lb, screens, clock):
    cid = records.callout(lb, clock.now())
    ui = screens("/crisis")
    ui.tap("callout-0")
    assert ui.route == f"/crisis/callout/{cid}" and ui.find("callout-event_type-flood").selected
