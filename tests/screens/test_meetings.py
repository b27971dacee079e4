"""Politiråd og SLT: the empty list, a meeting with roles, decisions and actions, reopened and
edited, cancelled ("Avlyst") and the cancel undone; the form's errors."""

from __future__ import annotations

from fieldapp.domain.codes import MEETING_ROLES
from fieldapp.domain.meetings import Meeting


def _add_meeting(ui) -> None:
    ui.open("/moter/ny")
    ui.type("meeting-day", "12.03.2027")
    ui.type("meeting-agenda", "Samarbeidsavtalen\nRus blant unge")
    ui.tap("meeting-participants-ordforer")
    ui.type("meeting-participants-ordforer-name", "Kari Nordmann")
    ui.tap("meeting-participants-slt_koordinator")
    ui.type("meeting-decisions", "Avtalen videreføres")
    ui.tap("meeting-decision-add")
    ui.type("meeting-decisions", "Nattravn prøves ut")
    ui.check("meeting-decision-dissent")
    ui.type("meeting-action", "Kalle inn SLT")
    ui.tap("meeting-action_role-slt_koordinator")
    ui.type("meeting-action_due", "01.04.2027")
    ui.tap("meeting-action-add")
    ui.type("meeting-action", "Invitere FAU")
    ui.tap("meeting-action_role-all")  # the head teacher was not at the meeting
    ui.tap("meeting-action_role-rektor")
    ui.tap("meeting-save")


def test_the_empty_list(ui):
    ui.tap("home-meetings")
    assert ui.title == "Politiråd og SLT" and ui.has("meetings-none")
    assert ui.has("meetings-new") and not ui.has("meeting-0")


def test_a_meeting_without_a_date_is_refused(ui, lb):
    ui.open("/moter/ny")
    assert ui.title == "Nytt møte"
    ui.type("meeting-day", "")
    ui.tap("meeting-save")
    assert ui.field("meeting-day").error == "Skriv datoen som dd.mm.åååå."
    assert ui.route == "/moter/ny"
    assert lb.list(Meeting) == []


def test_a_meeting_with_roles_decisions_and_actions(ui, lb):
    _add_meeting(ui)
    assert ui.toasts()[-1].startswith("Møtet er lagret.") and ui.route == "/moter"
    card = ui.text("meeting-0")
    assert "Saker: 2 · vedtak: 2 · tiltak: 2" in card
    assert "Til stede: Ordfører, SLT-koordinator" in card
    assert "Tiltak utført: 0 av 2" in card
    assert "Vedtak uten konsensus: 1" in ui.text("meeting-dissent-0")
    [meeting] = lb.list(Meeting)
    assert [d.consensus for d in meeting.decisions] == [True, False]
    assert [a.description for a in meeting.actions] == ["Kalle inn SLT", "Invitere FAU"]


def test_reopen_edit_and_mark_an_action_done(ui, lb):
    _add_meeting(ui)
    ui.tap("meeting-0")
    assert ui.field("meeting-participants-ordforer-name").value == "Kari Nordmann"
    assert not ui.find("meeting-decision-1-dissent").value
    assert ui.find("meeting-decision-2-dissent").value
    ui.type("meeting-place", "Rådhuset")
    ui.check("meeting-action-1-done")
    ui.tap("meeting-action-2-edit")
    assert ui.field("meeting-action").value == "Invitere FAU"
    ui.type("meeting-action", "Invitere FAU og elevrådet")
    ui.tap("meeting-save")
    assert "Tiltak utført: 1 av 2" in ui.text("meeting-0")
    [meeting] = lb.list(Meeting)
    assert meeting.place == "Rådhuset"
    assert [a.description for a in meeting.actions] == ["Kalle inn SLT",
                                                        "Invitere FAU og elevrådet"]


def test_cancel_shows_avlyst_and_can_be_undone(ui, lb):
    _add_meeting(ui)
    ui.tap("meeting-0")
    ui.tap("meeting-cancel")
    assert ui.toasts()[-1].startswith("Møtet er avlyst.")
    assert "Avlyst" in ui.text("meeting-cancelled-0")
    assert lb.list(Meeting)[0].cancelled
    ui.tap("meeting-0")
    assert "Avlyst" in ui.text("meeting-cancelled") and ui.has("meeting-uncancel")
    ui.tap("meeting-uncancel")
    assert ui.toasts()[-1].startswith("Møtet er ikke lenger avlyst.")
    assert not ui.has("meeting-cancelled-0") and not lb.list(Meeting)[0].cancelled


def _chips(ui, prefix: str) -> list[str]:
    return [i for i in ui.idents(prefix) if i.count("-") == 2 and not i.endswith("-name")
            and not i.endswith(("-all", "-none"))]


def test_the_roles_are_shown_once_and_an_owner_is_chosen_among_those_present(ui, lb):
    ui.open("/moter/ny")
    assert len(_chips(ui, "meeting-participants-")) == len(MEETING_ROLES)
    assert _chips(ui, "meeting-action_role-") == []   # not all of them a second time
    assert ui.text("meeting-action_role-none") == \
        "Velg hvem som var til stede over, eller vis alle roller."
    ui.tap("meeting-participants-ordforer")
    ui.tap("meeting-participants-slt_koordinator")
    assert _chips(ui, "meeting-action_role-") == ["meeting-action_role-ordforer",
                                                   "meeting-action_role-slt_koordinator"]
    assert not ui.has("meeting-action_role-none")
    ui.tap("meeting-action_role-slt_koordinator")
    ui.tap("meeting-participants-ordforer")  # the chosen owner stays chosen
    assert _chips(ui, "meeting-action_role-") == ["meeting-action_role-slt_koordinator"]
    assert ui.find("meeting-action_role-slt_koordinator").selected
    ui.tap("meeting-action_role-all")
    assert len(_chips(ui, "meeting-action_role-")) == len(MEETING_ROLES)
    assert ui.text("meeting-action_role-all") == "Vis bare rollene til stede"
    ui.tap("meeting-action_role-all")
    assert len(_chips(ui, "meeting-action_role-")) == 1
    ui.type("meeting-day", "12.03.2026")
    ui.type("meeting-action", "Kalle inn SLT")
    ui.tap("meeting-save")
    [meeting] = lb.list(Meeting)
    assert [(a.description, a.owner_role) for a in meeting.actions] == [
        ("Kalle inn SLT", "slt_koordinator")]


def test_an_owner_who_was_not_present_is_offered_when_the_action_is_edited(ui, lb):
    _add_meeting(ui)
    ui.tap("meeting-0")
    ui.tap("meeting-action-2-edit")
    assert _chips(ui, "meeting-action_role-") == ["meeting-action_role-ordforer",
                                                   "meeting-action_role-slt_koordinator",
                                                   "meeting-action_role-rektor"]
    assert ui.find("meeting-action_role-rektor").selected


def test_a_meeting_day_in_another_century_is_refused(ui, lb):
    ui.open("/moter/ny")
    ui.type("meeting-day", "12.03.1926")
    ui.tap("meeting-save")
    assert ui.field("meeting-day").error == \
        "Møtetidspunkt kan ikke være før 01.01.2000. Sjekk årstallet."
    ui.type("meeting-day", "12.03.2099")
    ui.tap("meeting-save")
    assert ui.field("meeting-day").error == \
        "Møtetidspunkt kan ikke være mer enn 5 år fram i tid. Sjekk årstallet."
    assert lb.list(Meeting) == []


def test_an_agenda_sent_late_is_said_on_the_list_and_on_home(lb, screens):
    """Moved from the browser: a council meeting whose agenda went out after the deadline
    (seven days before the meeting) is marked on the list and on Home."""
    from tests.screens import records
    records.serve(lb, records.GJESDAL)
    ui = screens("/moter/ny")
    ui.type("meeting-day", "12.03.2027")
    ui.type("meeting-agenda_sent", "06.03.2027")
    ui.type("meeting-agenda", "Samarbeidsavtalen")
    ui.type("meeting-decisions", "Avtalen videreføres")
    ui.tap("meeting-participants-slt_koordinator")
    ui.type("meeting-action", "Kalle inn SLT")
    ui.tap("meeting-action_role-slt_koordinator")
    ui.type("meeting-action_due", "01.04.2027")
    ui.tap("meeting-save")
    assert ui.route == "/moter" and "Politiråd" in ui.text("meeting-0")
    assert "Saker: 1 · vedtak: 1 · tiltak: 1" in ui.text("meeting-0")
    assert "for sent" in ui.text("meeting-warning-0")
    ui.tap("nav-back")
    assert "sakslisten ble sendt for sent" in ui.text("home-meeting")
