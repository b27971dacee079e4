"""Kriseledelse: the contact list (search, call links), a contact's form and the callout log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fieldapp.domain import CrisisCallout, CrisisContact
from fieldapp.report.activity import callout_figures
from tests.screens import records, tree


def test_no_contacts_and_no_callouts_yet(ui):
    ui.tap("home-crisis")
    assert ui.title == "Kriseledelse"
    assert ui.shows("Ingen kontakter.") and ui.shows("Ingen innkallinger.")
    assert ui.has("contact-new") and ui.has("callout-new")
    assert ui.text("callout-new") == "Registrer innkalling"  # an action, not a status


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
    assert ui.field("callout-called_at_day").value == "11.03.2026"   # 09:30 UTC, in Oslo
    assert ui.field("callout-called_at_time").value == "10:30"
    assert ui.field("callout-arrived_at_time").value == ""
    assert ui.text("callout-response") == "Responstid: – (ikke ankommet ennå)"
    ui.tap("callout-arrived")
    assert ui.toasts()[-1] == "Tidspunkt lagret"
    assert ui.field("callout-arrived_at_day").value == "11.03.2026"
    assert ui.field("callout-arrived_at_time").value == "10:30"
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


def _callout_at(lb, clock) -> str:
    called = clock.now() - timedelta(hours=2)  # 07:30 UTC, 08:30 in Oslo
    return lb.add(CrisisCallout(called_at=called, arrived_at=called + timedelta(minutes=12),
                                event_type="flood", municipality="1122"))


def test_times_logged_after_the_fact_are_corrected_and_the_report_counts_them(lb, screens,
                                                                              clock):
    cid = _callout_at(lb, clock)
    ui = screens(f"/crisis/callout/{cid}")
    assert ui.field("callout-called_at_time").value == "08:30"
    assert ui.field("callout-arrived_at_time").value == "08:42"
    assert ui.text("callout-response") == "Responstid: 12 min (fra innkalt til ankom)"
    ui.type("callout-called_at_time", "08:05")
    ui.type("callout-arrived_at_time", "08:50")
    ui.type("callout-ended_at_time", "10:15")   # no date typed: the day of the call-out
    ui.tap("callout-save")
    assert ui.toasts()[-1] == "Innkalling lagret"
    saved = lb.get(cid)
    assert saved.called_at == datetime(2026, 3, 11, 7, 5, tzinfo=UTC)
    assert saved.arrived_at == datetime(2026, 3, 11, 7, 50, tzinfo=UTC)
    assert saved.ended_at == datetime(2026, 3, 11, 9, 15, tzinfo=UTC)
    assert ui.text("callout-response") == "Responstid: 45 min (fra innkalt til ankom)"
    more = [CrisisCallout(called_at=saved.called_at, arrived_at=saved.called_at + timedelta(
        minutes=45), event_type="flood") for _ in range(2)]
    flood = callout_figures([saved, *more]).rows[1]
    assert (flood.event_type, flood.median_response_minutes) == ("flood", 45)


def test_an_arrival_typed_before_the_call_out_or_in_another_year_is_refused(lb, screens, clock):
    cid = _callout_at(lb, clock)
    ui = screens(f"/crisis/callout/{cid}")
    ui.type("callout-arrived_at_time", "08:10")
    ui.type("callout-called_at_day", "11.03.1926")
    ui.tap("callout-save")
    assert ui.field("callout-called_at_time").error == \
        "Innkalt kan ikke være før 01.01.2000. Sjekk årstallet."
    assert ui.field("callout-arrived_at_time").error is None  # the year hides the order
    ui.type("callout-called_at_day", "11.03.2026")
    ui.tap("callout-save")
    assert ui.field("callout-arrived_at_time").error == (
        "Du kan ikke ha ankommet før du ble innkalt.")
    assert ui.field("callout-arrived_at_time").error_max_lines == 3  # not cut off: it wraps
    assert ui.field("callout-called_at_time").error is None
    ui.type("callout-ended_at_day", "12.03.2026")
    ui.tap("callout-save")
    assert ui.field("callout-ended_at_time").error == "Skriv klokkeslettet som tt:mm."
    ui.type("callout-ended_at_time", "kvart over")
    ui.tap("callout-save")
    assert ui.field("callout-ended_at_time").error == "Skriv klokkeslettet som tt:mm."
    assert lb.get(cid).arrived_at == clock.now() - timedelta(hours=2, minutes=-12)


def test_a_cleared_arrival_time_is_removed(lb, screens, clock):
    cid = _callout_at(lb, clock)
    ui = screens(f"/crisis/callout/{cid}")
    ui.type("callout-arrived_at_day", "")
    ui.type("callout-arrived_at_time", "")
    ui.tap("callout-save")
    assert lb.get(cid).arrived_at is None
    assert lb.get(cid).called_at == clock.now() - timedelta(hours=2)  # untouched, to the second


def test_a_callout_tapped_by_mistake_is_deleted_after_a_confirmation(ui, lb):
    ui.open("/crisis")
    ui.tap("callout-new")
    [callout] = lb.list(CrisisCallout)
    pinned = tree.identifiers([ui.find("screen-actions")])
    assert "callout-save" in pinned and "callout-delete" not in pinned
    assert ui.text("callout-delete") == "Slett innkallingen"
    ui.tap("callout-delete")
    ui.tap("confirm-cancel")
    assert lb.list(CrisisCallout) == [callout] and ui.route == f"/crisis/callout/{callout.id}"
    ui.tap("callout-delete")
    assert "Slette registreringen?" in ui.dialog()
    ui.tap("confirm-delete")
    assert lb.list(CrisisCallout) == [] and ui.route == "/crisis"
    assert ui.shows("Ingen innkallinger.") and ui.toasts()[-1] == "Slettet"


def test_a_contact_with_a_phone_that_is_no_number_is_refused_and_never_called(ui, lb,
                                                                            monkeypatch):
    ui.open("/crisis/contact/new")
    ui.type("contact-name", "Frode Fjeld")
    ui.tap("contact-role-ordforer")
    ui.type("contact-phone", "ring meg")
    ui.type("contact-email", "ikke-en-epost")
    ui.type("contact-last_verified", "01.12.2099")
    ui.tap("contact-save")
    assert ui.field("contact-phone").error == "Telefon er ikke et gyldig telefonnummer."
    assert ui.field("contact-email").error == \
        "E-post er ikke en gyldig e-postadresse (navn@domene.no)."
    assert ui.field("contact-last_verified").error == "Sist bekreftet kan ikke være fram i tid."
    assert lb.list(CrisisContact) == []
    monkeypatch.setattr("fieldapp.logbook.validate", lambda record: None)  # saved before
    lb.add(CrisisContact(name="Liv Berg", role="radmann", phone="ring meg"))  # the rule
    ui.open("/crisis")
    assert not ui.has("call-0")
    assert ui.text("call-0-missing") == "Telefonnummeret er ugyldig – rett det under Endre"
