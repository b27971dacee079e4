"""The agreement editor's rules: typed values to an Agreement with every problem at its place,
stable priority-area codes, the Settings summary and source, and what save and reset store."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from fieldapp.domain.agreement import CODE_PATTERN, agreement_errors, default_agreement
from fieldapp.repositories import AgreementSource
from views.agreement import presenter as logic
from views.routes import resolve

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
GJESDAL = {"code": "1122", "name": "Gjesdal", "schools": ["Gjesdal ungdomsskole"]}
SANDNES = {"code": "1108", "name": "Sandnes", "schools": ["Lura skole", " "]}


def _edited(**changes) -> logic.AgreementInput:
    return replace(logic.input_from(default_agreement("1122")), **changes)


def test_unchanged_fields_give_back_the_same_agreement():
    for code in ("1122", "5035"):
        signed = default_agreement(code)
        agreement, problems = logic.build_agreement(signed, logic.input_from(signed))
        assert problems == {} and agreement == signed


def test_edits_become_the_agreement():
    typed = _edited(presence_days="2", agenda_lead_days="10", priority_year="2027",
                    schools=[logic.SchoolInput("Gjesdal ungdomsskole", "7"),
                             logic.SchoolInput("Dirdal skule", "21"), logic.SchoolInput("", "")],
                    targets={"politirad": ("3", "year"), "slt_arbeidsgruppe": ("0", "year"),
                             "interkommunalt_politirad": ("", "half_year")})
    agreement, problems = logic.build_agreement(default_agreement("1122"), typed)
    assert problems == {}
    assert agreement.presence_days_per_week == 2 and agreement.agenda_lead_days == 10
    assert agreement.priority_year == 2027
    assert [(s.name, s.visit_every_days) for s in agreement.schools] == [
        ("Gjesdal ungdomsskole", 7), ("Dirdal skule", 21)]           # the empty row is dropped
    assert [(t.meeting_type, t.count, t.per) for t in agreement.meeting_targets] == [
        ("politirad", 3, "year")]                                   # 0 and empty: no target
    assert agreement.cadence_anchor == date(2011, 2, 28)            # untouched parts stay
    assert agreement_errors(agreement) == []


def test_every_problem_is_named_at_its_place():
    typed = _edited(presence_days="to", agenda_lead_days="90", priority_year="27",
                    schools=[logic.SchoolInput("", "14"), logic.SchoolInput("Lura", "0"),
                             logic.SchoolInput("lura", "x")],
                    targets={"politirad": ("2,5", "half_year")},
                    areas=[logic.AreaInput("", "", "English only")])
    agreement, problems = logic.build_agreement(default_agreement("1122"), typed)
    assert agreement is None
    assert problems == {
        "presence": "form.not_a_number", "lead": "agreement.err_lead", "year": "agreement.err_year",
        "school-0-name": "agreement.err_school_name", "school-1-days": "agreement.err_days",
        "school-2-name": "agreement.err_school_twice", "school-2-days": "form.not_a_number",
        "target-politirad": "form.not_a_number", "area-0": "agreement.err_area_title"}


def test_numbers_outside_the_agreed_ranges_are_refused():
    for presence, key in (("8", "agreement.err_presence"), ("-1", "form.not_a_number"),
                          ("", None), ("7", None)):
        _, problems = logic.build_agreement(default_agreement("1122"),
                                            _edited(presence_days=presence))
        assert problems.get("presence") == key, presence
    _, problems = logic.build_agreement(default_agreement("1122"),
                                        _edited(targets={"politirad": ("100", "year")}))
    assert problems == {"target-politirad": "agreement.err_count"}


def test_new_areas_get_stable_unique_codes_and_edited_titles_keep_theirs():
    signed = default_agreement("1122")
    typed = logic.input_from(signed)
    areas = [replace(typed.areas[0], title_nb="Rus og krim blant unge", highest=False),
             typed.areas[1],
             logic.AreaInput("", "Trygg skolevei for små og store – Ålgård", "Safe way",
                             highest=True),
             logic.AreaInput("", "Trygg skolevei for små og store – Ålgård")]
    agreement, problems = logic.build_agreement(signed, replace(typed, areas=areas))
    assert problems == {}
    codes = [a.code for a in agreement.priority_areas]
    assert codes[:2] == ["rus_krim_u18", "ungdomsmiljo"]
    assert codes[2] == "trygg_skolevei_for_sma_og_store_alga"[:36].rstrip("_")
    assert codes[3] == codes[2] + "_2"
    assert all(CODE_PATTERN.match(c) for c in codes)
    assert agreement.highest_priority().title_en == "Safe way"
    assert [a.weight for a in agreement.priority_areas] == [1, 1, 2, 1]


def test_area_codes():
    assert logic.area_code("Økt trygghet på skolen", set()) == "okt_trygghet_pa_skolen"
    assert logic.area_code("Særlig innsats", {"saerlig_innsats"}) == "saerlig_innsats_2"
    assert logic.area_code("!!!", set()) == "omrade"
    assert logic.area_code("x" * 80, set()) == "x" * 36


def test_without_a_mark_the_first_area_is_weighted_highest():
    typed = _edited(areas=[logic.AreaInput("", "Første"), logic.AreaInput("", "Andre")])
    agreement, _ = logic.build_agreement(default_agreement("1122"), typed)
    assert [a.weight for a in agreement.priority_areas] == [2, 1]
    assert logic.input_from(agreement).areas[0].highest


def test_a_municipality_without_a_signed_agreement_starts_fresh():
    wednesday = date(2026, 12, 2)
    fresh = logic.editable_agreement(SANDNES, {}, wednesday)
    assert fresh.municipality == "1108" and fresh.municipality_name == "Sandnes"
    assert fresh.cadence_anchor == date(2026, 11, 30)               # this week's Monday
    assert [(s.name, s.visit_every_days) for s in fresh.schools] == [("Lura skole", 14)]
    assert fresh.meeting_targets == [] and fresh.priority_areas == []
    assert agreement_errors(fresh) == []
    assert logic.editable_agreement(GJESDAL, {}, wednesday) == default_agreement("1122")


def test_summary_and_where_the_agreement_came_from():
    signed = default_agreement("1122")
    lines = logic.summary_lines(signed, "nb")
    assert lines == [
        "Skoler: Gjesdal ungdomsskole hver 14. dag", "Til stede: 1 dag i uken",
        "Møter: Politiråd 2 per halvår, SLT-arbeidsgruppe 2 per halvår",
        "Saksliste senest 7 dager før møtet",
        "Satsingsområder: Rus- og kriminalitetsforebygging blant unge under 18 år "
        "(vektlagt høyest), Til stede der ungdom oppholder seg"]
    assert logic.summary_lines(signed, "en")[-1].startswith(
        "Priority areas: Preventing drug use and crime among young people under 18")
    assert logic.summary_lines(logic.fresh_agreement(SANDNES, NOW.date()), "en")[1:4] == [
        "Present: not agreed", "Meetings: no targets agreed",
        "Agenda at least 7 days before the meeting"]
    stored = {"1122": signed}
    assert logic.source_line("1122", {}, {}, "nb") == "Signert avtale"
    assert logic.source_line("1108", {}, {}, "nb") == "Ingen avtale ennå"
    from_backend = {"1122": AgreementSource("backend", NOW.isoformat())}
    assert logic.source_line("1122", stored, from_backend, "nb") == "Fra kommunen 01.12.2026"
    local = {"1122": AgreementSource("local", NOW.isoformat())}
    assert logic.source_line("1122", stored, local, "nb") == "Endret på telefonen 01.12.2026"
    assert logic.source_line("1122", stored, {}, "nb") == "Endret på telefonen"


def test_route_ids_reach_the_editor_for_any_municipality_code():
    served = [GJESDAL, {"code": "Ålgård kommune", "name": "Ålgård"}]
    for m in served:
        ident = logic.route_id(m["code"])
        entry, params = resolve(f"/settings/agreement/{ident}")
        assert entry.pattern == "/settings/agreement/:id"
        assert logic.served_entry(served, params["id"]) is m
    assert logic.served_entry(served, "5035") is None


def test_save_stores_agreement_source_and_adds_schools_to_check_in(unlocked):
    lb = unlocked.logbook
    lb.served.replace([GJESDAL, SANDNES])
    signed = default_agreement("1122")
    typed = _edited(schools=[logic.SchoolInput("gjesdal ungdomsskole", "14"),
                             logic.SchoolInput("Dirdal skule", "28")])
    agreement, _ = logic.build_agreement(signed, typed)
    lb.agreements.save(agreement, "local", NOW)
    assert lb.agreements.all()["1122"] == agreement
    assert lb.agreements.source("1122") == AgreementSource("local", NOW.isoformat())
    assert [m["schools"] for m in lb.municipalities()] == [
        ["Gjesdal ungdomsskole", "Dirdal skule"], ["Lura skole", " "]]   # union, nothing removed
    lb.agreements.reset("1122")
    assert lb.agreements.all() == {}
    assert lb.agreements.source("1122") is None
    assert logic.editable_agreement(GJESDAL, lb.agreements.all(), NOW.date()) == signed
    assert lb.municipalities()[0]["schools"] == ["Gjesdal ungdomsskole", "Dirdal skule"]
