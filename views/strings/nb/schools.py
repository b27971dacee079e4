"""Norsk bokmål: the officer's language: school visits."""

STRINGS = {
    "school.checkin_title": "Sjekk inn",
    "school.pick": "Velg skole",
    "school.name": "Skole",
    "school.name_required": "Skriv navnet på skolen.",
    "school.check_in_now": "Sjekk inn nå",
    "school.check_in_other": "Sjekk inn på en skole",
    "school.checked_in": "Sjekket inn på {school} kl. {time}",
    "school.checked_out": "Sjekket ut fra {school} kl. {time}",
    "school.list_title": "Skolebesøk",
    "school.none": "Ingen skolebesøk ennå.",
    "school.edit_title": "Skolebesøk",
    "school.date": "Dato",
    "school.time_in": "Inn (tt:mm)",
    "school.time_out": "Ut (tt:mm)",
    "school.contacts_hint": "Navn, skilt med komma",
    "school.roles": "Roller hos dem du møtte",
    "school.follow_ups_hint": "Hva, hvem og når",
    "school.saved": "Skolebesøk lagret",
}
