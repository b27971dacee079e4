"""Norsk bokmål: the officer's language: the app's name, navigation and forms."""

STRINGS = {
    "app.name": "Politikontakt",
    "confidential": "Taushetsbelagt",
    "nav.back": "Tilbake",
    "nav.lock": "Lås appen",
    "form.save": "Lagre",
    "form.delete": "Slett",
    "form.deleted": "Slettet",
    "form.date": "Dato",
    "form.time": "Klokkeslett",
    "form.date_hint": "dd.mm.åååå",
    "form.not_a_number": "Skriv et tall.",
    "form.not_a_date": "Skriv datoen som dd.mm.åååå.",
    "form.not_a_time": "Skriv klokkeslettet som tt:mm.",
    "form.free_of_personal": "Teksten inneholder ingen personopplysninger",
}
