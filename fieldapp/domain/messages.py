"""Bokmål and English texts for the domain: validation messages, field labels and code labels.

The UI's own strings live in ``views/strings``; these are the domain words both the UI and the
municipal backend show.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

LANGUAGES = ("nb", "en")

ERRORS = {
    "nb": {
        "required": "{field} må fylles ut.",
        "too_long": "{field} kan være høyst {limit} tegn.",
        "unknown_code": "{field} har en ukjent verdi.",
        "before": "{field} kan ikke være før {other}.",
        "out_of_range": "{field} må være mellom {low} og {high}.",
        "in_future": "{field} kan ikke være fram i tid.",
        "not_minor": "Personen er ikke under 18 år – dette er ikke en U18-sak.",
        "invalid_identity_number": "{field} er ikke et gyldig fødselsnummer, D-nummer eller "
                                   "H-nummer.",
        "invalid_phone": "{field} er ikke et gyldig telefonnummer.",
        "after": "{field} kan ikke være etter {other}.",
        "personal_data_found": "{field} ser ut til å inneholde personopplysninger.",
        "exemption_basis_required": "Et skjermet referat må ha hjemmel for skjerming.",
        "invalid_id": "{field} er ikke en gyldig intern id.",
        "unknown_reference": "{field} viser til noe som ikke finnes.",
        "too_early": "{field} kan ikke være før {earliest}. Sjekk årstallet.",
        "too_far_ahead": "{field} kan ikke være mer enn {years} år fram i tid. Sjekk årstallet.",
        "invalid_email": "{field} er ikke en gyldig e-postadresse (navn@domene.no).",
    },
    "en": {
        "required": "{field} is required.",
        "too_long": "{field} can be at most {limit} characters.",
        "unknown_code": "{field} has an unknown value.",
        "before": "{field} cannot be before {other}.",
        "out_of_range": "{field} must be between {low} and {high}.",
        "in_future": "{field} cannot be in the future.",
        "not_minor": "The person is not under 18 – this is not a U18 case.",
        "invalid_identity_number": "{field} is not a valid national identity, D or H number.",
        "invalid_phone": "{field} is not a valid phone number.",
        "after": "{field} cannot be after {other}.",
        "personal_data_found": "{field} seems to contain personal data.",
        "exemption_basis_required": "Minutes exempt from public access need a legal basis.",
        "invalid_id": "{field} is not a valid internal id.",
        "unknown_reference": "{field} refers to something that does not exist.",
        "too_early": "{field} cannot be before {earliest}. Check the year.",
        "too_far_ahead": "{field} cannot be more than {years} years ahead. Check the year.",
        "invalid_email": "{field} is not a valid e-mail address (name@domain.no).",
    },
}

FIELDS = {
    "nb": {
        "school": "Skole", "checked_in_at": "Innsjekk", "checked_out_at": "Utsjekk",
        "contacts_met": "Kontaktpersoner", "contact_roles": "Roller", "topics": "Tema",
        "note": "Notat", "place": "Sted", "observed_at": "Tidspunkt", "youth_count": "Antall",
        "categories": "Bekymring", "atmosphere": "Stemning", "actions_taken": "Tiltak",
        "agreed_follow_up": "Oppfølging avtalt med skolen",
        "latitude": "Breddegrad", "longitude": "Lengdegrad",
        "person_name": "Navn", "birth_date": "Fødselsdato", "identity_number": "Fødselsnummer",
        "address": "Adresse", "guardian_name": "Foresatt", "guardian_phone": "Foresattes telefon",
        "concern": "Bekymring", "concern_categories": "Kategori", "services": "Tjenester",
        "actions": "Tiltak", "status": "Status", "opened_at": "Opprettet",
        "closed_at": "Avsluttet", "legal_basis": "Rettslig grunnlag",
        "case_id": "Sak", "given_by": "Gitt av", "given_by_role": "Gitt av (rolle)",
        "given_at": "Gitt", "method": "Hvordan", "recipients": "Mottakere", "purpose": "Formål",
        "expires_at": "Utløper", "withdrawn_at": "Trukket tilbake",
        "event_type": "Hendelse", "called_by_role": "Innkalt av (rolle)",
        "called_by_name": "Innkalt av", "called_at": "Innkalt", "arrived_at": "Ankom",
        "ended_at": "Avsluttet", "role": "Rolle", "timeline": "Logg",
        "name": "Navn", "organisation": "Virksomhet", "phone": "Telefon", "email": "E-post",
        "last_verified": "Sist bekreftet", "municipality": "Kommune",
        "meeting_type": "Møtetype", "starts_at": "Møtetidspunkt", "agenda": "Saksliste",
        "agenda_sent_at": "Saksliste sendt", "participants": "Deltakere",
        "decisions": "Vedtak", "minutes": "Referat", "priority_areas": "Satsingsområder",
        "priority_area": "Satsingsområde", "cancelled_at": "Avlyst",
        "public_title": "Offentlig tittel", "internal_title": "Intern tittel",
        "skjermet": "Skjermet (unntatt offentlighet)", "exemption_basis": "Hjemmel for skjerming",
        "owner_role": "Ansvarlig (rolle)", "due_date": "Frist", "done_at": "Utført",
        "consensus": "Konsensusvedtak", "present": "Til stede", "approved_at": "Godkjent",
        "archive_reference": "Arkivreferanse", "decision_id": "Vedtak",
        "text": "Tekst", "description": "Beskrivelse",
    },
    "en": {
        "school": "School", "checked_in_at": "Check-in", "checked_out_at": "Check-out",
        "contacts_met": "Contacts met", "contact_roles": "Roles", "topics": "Topics",
        "note": "Note", "place": "Place", "observed_at": "Time", "youth_count": "Count",
        "categories": "Concern", "atmosphere": "Atmosphere", "actions_taken": "Actions taken",
        "agreed_follow_up": "Follow-up agreed with the school",
        "latitude": "Latitude", "longitude": "Longitude",
        "person_name": "Name", "birth_date": "Birth date", "identity_number": "Identity number",
        "address": "Address", "guardian_name": "Guardian", "guardian_phone": "Guardian's phone",
        "concern": "Concern", "concern_categories": "Category", "services": "Services",
        "actions": "Actions", "status": "Status", "opened_at": "Opened",
        "closed_at": "Closed", "legal_basis": "Legal basis",
        "case_id": "Case", "given_by": "Given by", "given_by_role": "Given by (role)",
        "given_at": "Given", "method": "How", "recipients": "Recipients", "purpose": "Purpose",
        "expires_at": "Expires", "withdrawn_at": "Withdrawn",
        "event_type": "Event", "called_by_role": "Called in by (role)",
        "called_by_name": "Called in by", "called_at": "Called in", "arrived_at": "Arrived",
        "ended_at": "Ended", "role": "Role", "timeline": "Log",
        "name": "Name", "organisation": "Organisation", "phone": "Phone", "email": "E-mail",
        "last_verified": "Last verified", "municipality": "Municipality",
        "meeting_type": "Meeting type", "starts_at": "Meeting time", "agenda": "Agenda",
        "agenda_sent_at": "Agenda sent", "participants": "Participants",
        "decisions": "Decisions", "minutes": "Minutes", "priority_areas": "Priority areas",
        "priority_area": "Priority area", "cancelled_at": "Cancelled",
        "public_title": "Public title", "internal_title": "Internal title",
        "skjermet": "Exempt from public access", "exemption_basis": "Legal basis for exemption",
        "owner_role": "Owner (role)", "due_date": "Due date", "done_at": "Done",
        "consensus": "Consensus decision", "present": "Present", "approved_at": "Approved",
        "archive_reference": "Archive reference", "decision_id": "Decision",
        "text": "Text", "description": "Description",
    },
}

CODES = {
    "nb": {
        "alcohol": "Alkohol", "drugs": "Narkotika", "violence": "Vold", "unrest": "Uro",
        "vulnerable_youth": "Sårbar ungdom", "other": "Annet",
        "calm": "Rolig", "lively": "Livlig", "tense": "Anspent", "aggressive": "Aggressiv",
        "bullying": "Mobbing", "online_safety": "Nettvett", "presence": "Tilstedeværelse",
        "barnevern": "Barnevern", "skole": "Skole", "helsesykepleier": "Helsesykepleier",
        "slt": "SLT", "nav": "NAV", "politi": "Politi", "helse": "Helse",
        "youth": "Ungdommen", "guardian": "Foresatt", "both": "Ungdom og foresatt",
        "written": "Skriftlig", "oral": "Muntlig", "open": "Åpen", "closed": "Avsluttet",
        "forest_fire": "Skogbrann", "flood": "Flom", "storm": "Uvær",
        "serious_violence": "Alvorlig vold", "major_accident": "Større ulykke",
        "ordforer": "Ordfører", "varaordforer": "Varaordfører", "radmann": "Rådmann",
        "kommunalsjef_oppvekst": "Kommunalsjef oppvekst", "slt_koordinator": "SLT-koordinator",
        "beredskapskoordinator": "Beredskapskoordinator",
        "politirad": "Politiråd", "interkommunalt_politirad": "Interkommunalt politiråd",
        "slt_arbeidsgruppe": "SLT-arbeidsgruppe", "tjenesteenhetsleder": "Tjenesteenhetsleder",
        "lensmann": "Lensmann", "politikontakt": "Politikontakt",
        "leder_naringsforum": "Leder næringsforum", "leder_ungdomsrad": "Leder ungdomsråd",
        "helsestasjon": "Helsestasjon", "kultur": "Kultur", "familiesenter": "Familiesenter",
        "mestringssenter": "Mestringssenter", "rektor": "Rektor", "miljoterapeut": "Miljøterapeut",
        "inspektor": "Inspektør", "kontaktlaerer": "Kontaktlærer", "sosiallaerer": "Sosiallærer",
        "radgiver": "Rådgiver", "elevrad": "Elevråd",
        "half_year": "halvår", "year": "år",
    },
    "en": {
        "alcohol": "Alcohol", "drugs": "Drugs", "violence": "Violence", "unrest": "Unrest",
        "vulnerable_youth": "Vulnerable youth", "other": "Other",
        "calm": "Calm", "lively": "Lively", "tense": "Tense", "aggressive": "Aggressive",
        "bullying": "Bullying", "online_safety": "Online safety", "presence": "Presence",
        "barnevern": "Child welfare", "skole": "School", "helsesykepleier": "Health nurse",
        "slt": "SLT", "nav": "NAV", "politi": "Police", "helse": "Health",
        "youth": "The youth", "guardian": "Guardian", "both": "Youth and guardian",
        "written": "Written", "oral": "Oral", "open": "Open", "closed": "Closed",
        "forest_fire": "Forest fire", "flood": "Flood", "storm": "Storm",
        "serious_violence": "Serious violence", "major_accident": "Major accident",
        "ordforer": "Mayor", "varaordforer": "Deputy mayor", "radmann": "Chief executive",
        "kommunalsjef_oppvekst": "Head of childhood and education",
        "slt_koordinator": "SLT coordinator", "beredskapskoordinator": "Emergency coordinator",
        "politirad": "Police council", "interkommunalt_politirad": "Intermunicipal police council",
        "slt_arbeidsgruppe": "SLT working group", "tjenesteenhetsleder": "Head of police unit",
        "lensmann": "Chief of local police", "politikontakt": "Police contact",
        "leder_naringsforum": "Head of business forum", "leder_ungdomsrad": "Head of youth council",
        "helsestasjon": "Health centre", "kultur": "Culture", "familiesenter": "Family centre",
        "mestringssenter": "Coping centre", "rektor": "Head teacher",
        "miljoterapeut": "Social educator", "half_year": "half-year", "year": "year",
        "inspektor": "Deputy head", "kontaktlaerer": "Form teacher",
        "sosiallaerer": "Social teacher", "radgiver": "School counsellor",
        "elevrad": "Student council",
    },
}


def _lang(lang: str) -> str:
    return lang if lang in LANGUAGES else "nb"


def field_label(name: str, lang: str = "nb") -> str:
    return FIELDS[_lang(lang)].get(name, name)


def code_label(code: str, lang: str = "nb") -> str:
    return CODES[_lang(lang)].get(code, code)


def code_choices(codes: Iterable[str], lang: str = "nb") -> list[tuple[str, str]]:
    """(code, label) pairs in the given order: the options of a choice field."""
    return [(code, code_label(code, lang)) for code in codes]


# "before" errors that read better as their own sentence than as "{field} … før {other}"
BEFORE = {
    "nb": {("expires_at", "given_at"): "Utløpsdatoen kan ikke være før samtykket ble gitt.",
           ("withdrawn_at", "given_at"): "Samtykket kan ikke trekkes tilbake før det ble gitt.",
           ("checked_out_at", "checked_in_at"): "Utsjekk kan ikke være før innsjekk.",
           ("arrived_at", "called_at"): "Du kan ikke ha ankommet før du ble innkalt.",
           ("ended_at", "called_at"): "Innkallingen kan ikke være avsluttet før den startet."},
    "en": {("expires_at", "given_at"): "The expiry date cannot be before the consent was given.",
           ("withdrawn_at", "given_at"): "A consent cannot be withdrawn before it was given.",
           ("checked_out_at", "checked_in_at"): "Check-out cannot be before check-in.",
           ("arrived_at", "called_at"): "You cannot have arrived before you were called in.",
           ("ended_at", "called_at"): "The callout cannot have ended before it began."},
}


def error_message(key: str, field: str, params: dict[str, Any] | None = None,
                  lang: str = "nb") -> str:
    """The sentence for a validation error, with the field's label filled in."""
    lang = _lang(lang)
    values = dict(params or {})
    if key == "before" and (field, values.get("other")) in BEFORE[lang]:
        return BEFORE[lang][(field, str(values["other"]))]
    if "other" in values:
        values["other"] = field_label(values["other"], lang).lower()
    template = ERRORS[lang].get(key, "{field}: " + key)
    return template.format(field=field_label(field, lang), **values)
