"""U18 follow-ups: the case list, the case form (errors in bokmål), the case with its actions
and consents (the confidentiality mark, the consent card and its withdrawal)."""

from __future__ import annotations

from datetime import date, timedelta

from fieldapp.domain import Consent, FollowUpCase
from tests.screens import records


def test_the_empty_case_list_is_marked_confidential(ui):
    ui.tap("home-u18")
    assert ui.title == "U18-oppfølging"
    assert ui.shows("Taushetsbelagt") and ui.shows("Ingen saker ennå.")
    assert ui.has("case-new") and ui.idents("case-") == ["case-new"]


def test_the_case_list_shows_due_cases_first(lb, screens, clock):
    now = clock.now()
    records.case(lb, now, name="Per Hansen")
    records.case(lb, now, name="Ola Nordmann", due=date(2026, 3, 1))
    ui = screens("/u18")
    assert "Ola Nordmann" in ui.text("case-0") and "Neste frist 01.03.2026" in ui.text("case-0")
    assert "Per Hansen" in ui.text("case-1") and "Ingen frister" in ui.text("case-1")


def test_a_new_case_needs_a_concern_and_keeps_what_was_typed(ui, lb):
    ui.open("/u18/new")
    assert ui.title == "Ny U18-sak" and ui.shows("Taushetsbelagt")
    ui.type("case-person_name", "Ola Nordmann")
    ui.tap("case-save")
    assert ui.field("case-concern").error == "Bekymring må fylles ut."
    assert lb.list(FollowUpCase) == [] and ui.field("case-person_name").value == "Ola Nordmann"
    ui.type("case-birth_date", "1.2.2011x")
    ui.type("case-concern", "Sett sammen med eldre ungdom ved stasjonen flere kvelder.")
    ui.tap("case-save")
    assert ui.field("case-birth_date").error == "Skriv datoen som dd.mm.åååå."
    ui.type("case-birth_date", "01.02.2011")
    ui.tap("case-services-barnevern")
    ui.tap("case-save")
    [case] = lb.list(FollowUpCase)
    assert ui.toasts()[-1] == "Saken er lagret" and ui.route == f"/u18/{case.id}"
    assert (case.person_name, case.birth_date, case.services) == (
        "Ola Nordmann", date(2011, 2, 1), {"barnevern"})


def test_the_case_view_shows_facts_under_the_mark(lb, screens, clock):
    cid = records.case(lb, clock.now())
    ui = screens(f"/u18/{cid}")
    assert ui.title == "U18-sak" and ui.shows("Taushetsbelagt")
    assert ui.shows("Navn: Ola Nordmann") and ui.shows("Sett med eldre ungdom ved stasjonen.")
    assert ui.shows("Ingen samtykker registrert.") and not ui.idents("consent-0")


def test_an_action_is_added_then_done(lb, screens, clock):
    cid = records.case(lb, clock.now())
    ui = screens(f"/u18/{cid}")
    ui.type("action-description", "Samtale med foresatte")
    ui.type("action-due_date", "01.01.2020")
    ui.tap("action-add")
    assert ui.toasts()[-1] == "Tiltak lagt til"
    assert [a.description for a in lb.get(cid).actions] == ["Samtale med foresatte"]
    assert "frist 01.01.2020" in ui.text("action-0")
    ui.check("action-0")
    assert ui.toasts()[-1] == "Tiltak utført" and lb.get(cid).actions[0].done_at == clock.now()


def test_a_consent_is_given_shown_and_withdrawn(lb, screens, clock):
    cid = records.case(lb, clock.now())
    ui = screens(f"/u18/{cid}")
    ui.tap("consent-add")
    assert ui.route == f"/u18/{cid}/consent" and ui.title == "Nytt samtykke"
    ui.tap("consent-save")
    assert ui.field("consent-given_by").error == "Gitt av må fylles ut."
    ui.type("consent-given_by", "Kari Nordmann")
    ui.tap("consent-given_by_role-guardian")
    ui.tap("consent-recipients-slt")
    ui.type("consent-purpose", "Samordnet oppfølging i SLT")
    ui.tap("consent-save")
    assert ui.toasts()[-1] == "Samtykke lagret" and ui.route == f"/u18/{cid}"
    assert ui.text("consent-status-0") == "Gjelder"
    assert "Mottakere: SLT" in ui.text("consent-0")
    assert "Formål: Samordnet oppfølging i SLT" in ui.text("consent-0")
    ui.tap("consent-withdraw-0")
    assert ui.toasts()[-1] == "Samtykket er trukket tilbake"
    assert ui.text("consent-status-0") == "Trukket tilbake" and not ui.has("consent-withdraw-0")
    [consent] = lb.list(Consent)
    assert consent.withdrawn_at == clock.now()


def test_an_expired_consent_says_so_and_cannot_be_withdrawn(lb, screens, clock):
    cid = records.case(lb, clock.now() - timedelta(days=400))
    records.consent(lb, cid, clock.now() - timedelta(days=400),
                    expires=(clock.now() - timedelta(days=30)).date())
    ui = screens(f"/u18/{cid}")
    assert ui.text("consent-status-0") == "Utløpt" and not ui.has("consent-withdraw-0")


def test_the_identity_number_is_masked_until_asked_for(lb, screens, clock):
    cid = records.case(lb, clock.now())
    case = lb.get(cid)
    case.identity_number = "15051112382"   # a valid fødselsnummer
    lb.update(case)
    ui = screens(f"/u18/{cid}")
    assert ui.text("case-identity") == "Fødselsnummer: 150511 *****"
    assert not ui.shows("15051112382") and not ui.shows("12382")
    assert ui.text("case-identity-show") == "Vis fødselsnummer"
    ui.tap("case-identity-show")
    assert ui.text("case-identity") == "Fødselsnummer: 15051112382"
    assert ui.text("case-identity-show") == "Skjul fødselsnummer"
    ui.tap("case-identity-show")
    assert ui.text("case-identity") == "Fødselsnummer: 150511 *****"
    ui.open("/")
    ui.open(f"/u18/{cid}")                  # shown again from the start: masked
    assert not ui.shows("12382")


def test_a_masked_identity_number_keeps_only_the_birth_date():
    from views.u18.presenter import masked_identity
    assert masked_identity("150511 12382") == "150511 *****"
    assert masked_identity("15.05.11-12382") == "150511 *****"
    assert masked_identity("1505") == "*****"


def test_the_consent_form_asks_how_it_was_given(lb, screens, clock):
    cid = records.case(lb, clock.now())
    ui = screens(f"/u18/{cid}/consent")
    assert "Hvordan" in ui.texts() and "Form" not in ui.texts()  # the label of Skriftlig/Muntlig


def test_every_problem_of_the_case_form_is_shown_at_once(ui, lb):
    """The date that cannot be read and the identity number that is wrong are named together
    (before, the identity number's error came only after the date was corrected)."""
    ui.open("/u18/new")
    ui.type("case-person_name", "Ola Nordmann")
    ui.type("case-birth_date", "31.02.2011")
    ui.type("case-identity_number", "01021112345")
    ui.type("case-concern", "Sett sammen med eldre ungdom ved stasjonen.")
    ui.tap("case-save")
    assert ui.field("case-birth_date").error == "Skriv datoen som dd.mm.åååå."
    assert ui.field("case-identity_number").error  # checked although the date was unreadable
    assert lb.list(FollowUpCase) == []


def test_every_problem_of_the_consent_form_is_shown_at_once(lb, screens, clock):
    cid = records.case(lb, clock.now() - timedelta(days=2))
    ui = screens(f"/u18/{cid}/consent")
    ui.type("consent-expires_on", "1.1.20x")
    ui.tap("consent-save")
    assert ui.field("consent-expires_on").error == "Skriv datoen som dd.mm.åååå."
    assert ui.field("consent-given_by").error == "Gitt av må fylles ut."
    assert lb.list(Consent) == []
