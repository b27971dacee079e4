"""Settings: language, theme, auto-lock, the municipalities served (the Gjesdal preset, one
added by hand, one removed), change PIN refusals, lock now."""

from __future__ import annotations

import flet as ft

from tests.screens import records


def test_settings_as_first_shown(ui):
    ui.tap("nav-settings")
    assert ui.title == "Innstillinger"
    assert ui.find("lang-nb").selected and ui.find("theme-system").selected
    assert ui.find("idle-5").selected
    assert ui.shows("Ingen kommuner satt opp – skriv skolenavnet ved innsjekk.")
    assert ui.has("preset-gjesdal") and not ui.has("municipality-0")
    assert ui.text("preset-stjordal") == "Legg til Stjørdal med avtalen fra 2019"
    shown = ui.idents()  # the municipalities (where the first-run guide leads) come first
    assert shown.index("preset-stjordal") < shown.index("lang-nb")


def test_english_then_back_to_bokmal(ui, lb):
    ui.open("/settings")
    ui.tap("lang-en")
    assert ui.title == "Settings" and ui.shows("Language")
    assert lb.preferences.language == "en"
    ui.tap("nav-back")
    assert ui.title == "Today" and ui.text("home-observation") == "New observation"
    ui.tap("nav-settings")
    ui.tap("lang-nb")
    assert ui.title == "Innstillinger"


def test_the_dark_theme_is_applied_to_the_page(ui, lb):
    ui.open("/settings")
    ui.tap("theme-dark")
    assert ui.page.theme_mode == ft.ThemeMode.DARK and lb.preferences.theme == "dark"
    assert ui.find("theme-dark").selected and not ui.find("theme-system").selected


def test_auto_lock_time(ui, lb):
    ui.open("/settings")
    ui.tap("idle-1")
    assert ui.app.idle_minutes == 1 and lb.preferences.idle_minutes == 1


def test_the_gjesdal_preset_then_remove_it(ui, lb):
    ui.open("/settings")
    ui.tap("preset-gjesdal")
    assert ui.toasts()[-1] == "Lagret"
    assert "Gjesdal ungdomsskole" in ui.text("municipality-0")
    assert not ui.has("preset-gjesdal") and ui.has("agreement-0")
    assert lb.served.codes() == ["1122"]
    ui.tap("municipality-remove-0")
    assert lb.served.codes() == [] and ui.has("preset-gjesdal")


def test_a_municipality_added_by_hand_needs_a_name(ui, lb):
    ui.open("/settings")
    ui.tap("municipality-add")
    assert ui.field("municipality-name").error == "Skriv navnet på kommunen."
    assert lb.served.codes() == []
    ui.type("municipality-name", "Stjørdal")
    ui.type("municipality-number", "5035")
    ui.type("municipality-schools", "Stjørdal ungdomsskole, Halsen ungdomsskole")
    ui.tap("municipality-add")
    assert lb.served.get("5035").schools == ("Stjørdal ungdomsskole", "Halsen ungdomsskole")
    assert "Halsen ungdomsskole" in ui.text("municipality-0")


def test_change_pin_refuses_two_different_new_pins(ui):
    ui.open("/settings")
    ui.type("pin-change-0", "482913")
    ui.type("pin-change-1", "739164")
    ui.type("pin-change-2", "739165")
    ui.tap("pin-change")
    assert ui.text("pin-change-message") == "PIN-kodene er ikke like."
    assert [ui.field(f"pin-change-{i}").value for i in range(3)] == ["", "", ""]


def test_lock_now(lb, screens):
    records.serve(lb)
    ui = screens("/settings")
    ui.tap("lock-now")
    assert not ui.app.is_unlocked and ui.route == "/unlock"


def test_stjordal_is_a_preset_like_gjesdal(ui, lb):
    """Both signed agreements are one tap: Stjørdal is served under 5035 with its agreement,
    no number typed; its agreement names no school, so the schools are typed on its card."""
    ui.open("/settings")
    ui.tap("preset-stjordal")
    assert lb.served.codes() == ["5035"] and lb.served.get("5035").name == "Stjørdal"
    assert not ui.has("preset-stjordal") and ui.has("preset-gjesdal")
    assert ui.text("municipality-0-schools-shown") == "Ingen skoler"
    assert ui.text("agreement-source-0") == "Signert avtale"  # the 2019 agreement applies
    ui.type("municipality-0-schools", "Stjørdal ungdomsskole,  Halsen ungdomsskole, ")
    ui.tap("municipality-0-schools-save")
    assert lb.served.get("5035").schools == ("Stjørdal ungdomsskole", "Halsen ungdomsskole")
    assert ui.text("municipality-0-schools-shown") == \
        "Stjørdal ungdomsskole, Halsen ungdomsskole"
    ui.tap("preset-gjesdal")
    assert lb.served.codes() == ["5035", "1122"]
    assert not ui.has("preset-gjesdal") and not ui.has("preset-stjordal")
    ui.tap("nav-back")
    assert not ui.has("home-guide")  # both set up: municipality, agreement, schools
