"""Everything the console says, in bokmål first and English second."""

from __future__ import annotations

import re
from datetime import datetime

from fieldapp.domain.days import OSLO
from fieldapp.report.texts import code_text

_CODE = re.compile(r"^[a-z][a-z0-9_]{1,40}$")
_MOMENT = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+([+-][0-9:]+|Z)?$")

LANGS = ("nb", "en")

TEXTS: dict[str, tuple[str, str]] = {
    "title": ("SLT-konsoll", "SLT console"),
    "login": ("Logg inn", "Sign in"),
    "logout": ("Logg ut", "Sign out"),
    "username": ("Brukernavn", "User name"),
    "password": ("Passord", "Password"),
    "login_failed": ("Innloggingen mislyktes. Sjekk brukernavn og passord, eller vent litt "
                     "og prøv igjen.",
                     "Sign-in failed. Check the user name and password, or wait a while and "
                     "try again."),
    "too_many": ("For mange forsøk fra denne adressen. Vent litt og prøv igjen.",
                 "Too many attempts from this address. Wait a while and try again."),
    "signed_in_as": ("Innlogget som {name} ({role})", "Signed in as {name} ({role})"),
    "role_coordinator": ("koordinator", "coordinator"),
    "role_admin": ("administrator", "administrator"),
    "nav_received": ("Mottatt", "Received"),
    "nav_meetings": ("Møter", "Meetings"),
    "nav_report": ("Evaluering", "Evaluation"),
    "nav_devices": ("Telefoner", "Devices"),
    "nav_contacts": ("Krisestab", "Crisis staff"),
    "nav_agreement": ("Avtale", "Agreement"),
    "nav_users": ("Brukere", "Users"),
    "other_lang": ("English", "Norsk"),
    "forbidden": ("Du har ikke tilgang til denne siden.", "You do not have access to this page."),
    "csrf": ("Skjemaet kunne ikke godtas. Last siden på nytt og prøv igjen.",
             "The form could not be accepted. Reload the page and try again."),
    "not_found": ("Finner ikke det du ba om.", "Not found."),
    "bad_form": ("Skjemaet kunne ikke leses.", "The form could not be read."),
    "too_large": ("Skjemaet er for stort.", "The form is too large."),
    "back": ("Tilbake", "Back"),
    "received": ("Mottatt fra politikontakten", "Received from the police contact"),
    "filter": ("Filtrer", "Filter"),
    "municipality": ("Kommune", "Municipality"),
    "all": ("Alle", "All"),
    "kind": ("Type", "Kind"),
    "from": ("Fra", "From"),
    "to": ("Til", "To"),
    "area": ("Innsatsområde", "Priority area"),
    "when": ("Tidspunkt", "When"),
    "received_at": ("Mottatt", "Received"),
    "summary": ("Innhold", "Content"),
    "open": ("Åpne", "Open"),
    "none_found": ("Ingenting mottatt som passer filteret.", "Nothing received matches."),
    "kind_observation": ("Observasjon", "Observation"),
    "kind_school_visit": ("Skolebesøk", "School visit"),
    "kind_follow_up_case": ("U18-sak", "U18 case"),
    "kind_crisis_callout": ("Innkalling til krisestab", "Crisis-staff callout"),
    "kind_meeting": ("Møte", "Meeting"),
    "kind_consent": ("Samtykke", "Consent"),
    "case": ("U18-sak", "U18 case"),
    "case_hidden": ("Innholdet i saken vises ikke: det finnes ikke noe gyldig samtykke til "
                    "SLT ({reason}).",
                    "The case's content is not shown: no valid consent for SLT holds "
                    "({reason})."),
    "reason_consent_withdrawn": ("samtykket er trukket tilbake", "the consent was withdrawn"),
    "reason_consent_expired": ("samtykket har utløpt", "the consent has expired"),
    "reason_other": ("ikke noe samtykke", "no consent"),
    "consents": ("Samtykker", "Consents"),
    "given_by": ("Gitt av", "Given by"),
    "given_by_role": ("Hvem", "Who"),
    "purpose": ("Formål", "Purpose"),
    "given_at": ("Dato gitt", "Given"),
    "expires_at": ("Utløpsdato", "Expires"),
    "status": ("Status", "Status"),
    "basis": ("Grunnlag", "Basis"),
    "status_active": ("gyldig", "valid"),
    "status_expired": ("utløpt", "expired"),
    "status_withdrawn": ("trukket tilbake", "withdrawn"),
    "status_future": ("ikke gitt ennå", "not yet given"),
    "giver_youth": ("ungdommen", "the youth"),
    "giver_guardian": ("foresatte", "guardian"),
    "giver_both": ("ungdommen og foresatte", "youth and guardian"),
    "record": ("Post", "Record"),
    "fields": ("Opplysninger", "Details"),
    "meetings": ("Møter med vedtak og tiltak", "Meetings with decisions and actions"),
    "decisions": ("Vedtak", "Decisions"),
    "actions": ("Tiltak", "Actions"),
    "agenda": ("Saksliste", "Agenda"),
    "due": ("Frist", "Due"),
    "done": ("Utført", "Done"),
    "owner": ("Ansvarlig", "Owner"),
    "cancelled": ("avlyst", "cancelled"),
    "report": ("Evalueringsrapport", "Evaluation report"),
    "year": ("År", "Year"),
    "half": ("Halvår", "Half-year"),
    "whole_year": ("Hele året", "Whole year"),
    "show": ("Vis", "Show"),
    "download_pdf": ("Last ned PDF", "Download PDF"),
    "download_csv": ("Last ned CSV", "Download CSV"),
    "no_agreement": ("Ingen samarbeidsavtale er kjent for denne kommunen.",
                     "No cooperation agreement is known for this municipality."),
    "obs_by_category": ("Observasjoner etter kategori", "Observations by category"),
    "obs_by_month": ("Observasjoner etter måned", "Observations by month"),
    "school_windows": ("Skolebesøk: perioder oppfylt / ikke oppfylt",
                       "School visits: windows met / missed"),
    "met": ("oppfylt", "met"),
    "missed": ("ikke oppfylt", "missed"),
    "presence": ("Tilstedeværelse: uker oppfylt / ikke oppfylt",
                 "Presence: weeks met / missed"),
    "cases_fig": ("U18-saker åpnet / avsluttet", "U18 cases opened / closed"),
    "opened": ("åpnet", "opened"),
    "closed": ("avsluttet", "closed"),
    "callouts_fig": ("Innkallinger til krisestab", "Crisis-staff callouts"),
    "suppressed": ("færre enn {n} (skjult)", "fewer than {n} (suppressed)"),
    "devices": ("Telefoner", "Devices"),
    "device_name": ("Navn på telefonen", "Device name"),
    "enrol": ("Lag engangskode", "Create one-time code"),
    "code_once": ("Engangskode for «{name}» (gyldig i 24 timer, vises bare nå):",
                  "One-time code for “{name}” (valid 24 hours, shown only now):"),
    "created": ("Opprettet", "Created"),
    "enrolled": ("Registrert", "Enrolled"),
    "revoked": ("Tilbakekalt", "Revoked"),
    "revoke": ("Tilbakekall", "Revoke"),
    "revoked_n": ("{n} telefon(er) tilbakekalt.", "{n} device(s) revoked."),
    "contacts": ("Krisestabens kontaktliste", "Crisis-staff contact list"),
    "contacts_note": ("Listen sendes til telefonene ved neste synk.",
                      "The list reaches the phones at their next sync."),
    "name": ("Navn", "Name"),
    "role": ("Rolle", "Role"),
    "organisation": ("Virksomhet", "Organisation"),
    "phone": ("Telefon", "Phone"),
    "email": ("E-post", "E-mail"),
    "last_verified": ("Sist bekreftet", "Last verified"),
    "save": ("Lagre", "Save"),
    "remove": ("Fjern", "Remove"),
    "add_contact": ("Legg til eller endre kontakt", "Add or change a contact"),
    "import_csv": ("Importer CSV (erstatter hele listen)", "Import CSV (replaces the list)"),
    "csv_text": ("CSV-innhold (kolonner: navn;rolle;virksomhet;telefon;e-post)",
                 "CSV content (columns: name;role;organisation;phone;email)"),
    "import": ("Importer", "Import"),
    "changed": ("Lagret: {counts}", "Saved: {counts}"),
    "failed": ("Ikke lagret: {message}", "Not saved: {message}"),
    "agreement": ("Samarbeidsavtalen", "The cooperation agreement"),
    "agreement_note": ("JSON som telefonen bruker. «Publiser» kontrollerer, lagrer og sender "
                       "avtalen til telefonene ved neste synk.",
                       "JSON as the phone uses it. “Publish” checks, stores and sends it to "
                       "the phones at their next sync."),
    "publish": ("Publiser", "Publish"),
    "users": ("Brukere", "Users"),
    "add_user": ("Ny bruker", "New user"),
    "active": ("aktiv", "active"),
    "disabled": ("deaktivert", "deactivated"),
    "disable": ("Deaktiver", "Deactivate"),
    "mt_politirad": ("Politiråd", "Police council"),
    "mt_interkommunalt_politirad": ("Interkommunalt politiråd", "Inter-municipal police council"),
    "mt_slt_arbeidsgruppe": ("SLT-arbeidsgruppe", "SLT working group"),
    # Field names of the records, as the case and record pages label them.
    "person_name": ("Navn", "Name"), "birth_date": ("Fødselsdato", "Birth date"),
    "identity_number": ("Fødselsnummer", "Identity number"), "address": ("Adresse", "Address"),
    "guardian_name": ("Foresatt", "Guardian"),
    "guardian_phone": ("Foresattes telefon", "Guardian's phone"),
    "concern": ("Bekymring", "Concern"),
    "concern_categories": ("Bekymringskategorier", "Concern categories"),
    "services": ("Tjenester", "Services"), "service": ("Tjeneste", "Service"),
    "opened_at": ("Åpnet", "Opened"), "closed_at": ("Avsluttet", "Closed"),
    "legal_basis": ("Hjemmel", "Legal basis"), "priority_area": ("Innsatsområde", "Priority area"),
    "priority_areas": ("Innsatsområder", "Priority areas"),
    "place": ("Sted", "Place"), "observed_at": ("Observert", "Observed"),
    "youth_count": ("Antall ungdommer", "Number of youths"),
    "categories": ("Kategorier", "Categories"),
    "atmosphere": ("Stemning", "Atmosphere"), "latitude": ("Breddegrad", "Latitude"),
    "longitude": ("Lengdegrad", "Longitude"), "note": ("Notat", "Note"),
    "actions_taken": ("Tiltak gjort", "Actions taken"), "school": ("Skole", "School"),
    "checked_in_at": ("Sjekket inn", "Checked in"), "checked_out_at": ("Sjekket ut", "Checked out"),
    "contact_roles": ("Møtte (roller)", "Met (roles)"), "topics": ("Tema", "Topics"),
    "event_type": ("Hendelse", "Event"), "called_by_role": ("Innkalt av", "Called by"),
    "called_at": ("Innkalt", "Called"), "arrived_at": ("Ankom", "Arrived"),
    "ended_at": ("Avsluttet", "Ended"), "timeline": ("Logg", "Log"),
    "meeting_type": ("Møtetype", "Meeting type"), "starts_at": ("Tidspunkt", "Starts"),
    "participants": ("Deltakere", "Participants"), "minutes": ("Referat", "Minutes"),
    "agenda_sent_at": ("Saksliste sendt", "Agenda sent"),
    "description": ("Beskrivelse", "Description"),
    "due_date": ("Frist", "Due"), "done_at": ("Utført", "Done"), "text": ("Tekst", "Text"),
    "at": ("Tid", "Time"), "public_title": ("Offentlig tittel", "Public title"),
    "owner_role": ("Ansvarlig", "Owner"),
    "present": ("Til stede", "Present"), "consensus": ("Enighet", "Consensus"),
    "cancelled_at": ("Avlyst", "Cancelled"), "decision_id": ("Vedtak", "Decision"),
}


def text(key: str, lang: str, **values: object) -> str:
    pair = TEXTS.get(key)
    if pair is None:
        return key
    template = pair[1] if lang == "en" else pair[0]
    return template.format(**values) if values else template


def shown(value: object, lang: str) -> str:
    """A stored value as the page shows it: a moment in Oslo time, a code as its words."""
    if isinstance(value, str) and _MOMENT.match(value):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        if moment.tzinfo is not None and OSLO is not None:
            moment = moment.astimezone(OSLO)
        return moment.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, str) and _CODE.match(value):
        return code_text(value, lang)
    return str(value)
