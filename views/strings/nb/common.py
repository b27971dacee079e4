"""Norsk bokmål: the officer's language: the app's name, navigation and forms."""

STRINGS = {
    "app.name": "Politikontakt",
    "confidential": "Taushetsbelagt",
    "nav.back": "Tilbake",
    "nav.lock": "Lås appen",
    "form.save": "Lagre",
    "form.delete": "Slett",
    "form.deleted": "Slettet",
    "form.delete_title": "Slette registreringen?",
    "form.delete_body": ("Den slettes fra telefonen, og kommunen får beskjed ved neste synk. "
                         "Det kan ikke angres."),
    "form.delete_section": "Registrert ved en feil? Slett hele registreringen.",
    "form.delete_cancel": "Avbryt",
    "form.delete_confirm": "Slett",
    "form.date": "Dato",
    "form.time": "Klokkeslett",
    "form.date_hint": "dd.mm.åååå",
    "form.not_a_number": "Skriv et tall.",
    "form.not_a_date": "Skriv datoen som dd.mm.åååå.",
    "form.not_a_time": "Skriv klokkeslettet som tt:mm.",
    "form.free_of_personal": "Teksten inneholder ingen personopplysninger",
}
