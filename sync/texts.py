"""Plain-language texts of the sync boundary, bokmål first (English second): why a field or a
record stays on the phone, and what went wrong in a run. Codes come from the consent gate
(``fieldapp.domain.consent.Reason``), the outbox, the backend and ``sync.errors``."""

from __future__ import annotations

REASONS = {
    "nb": {
        "personal_no_consent": "Personopplysning uten samtykke eller annet rettslig grunnlag "
                               "for denne mottakeren.",
        "consent_expired": "Samtykket har utløpt.",
        "consent_withdrawn": "Samtykket er trukket tilbake.",
        "consent_not_yet_given": "Samtykket er datert fram i tid.",
        "consent_other_recipient": "Samtykket gjelder en annen mottaker.",
        "legal_basis_unknown": "Ukjent rettslig grunnlag.",
        "legal_basis_other_recipient": "Det rettslige grunnlaget gjelder ikke denne mottakeren.",
        "free_text_not_marked": "Friteksten er ikke merket fri for personopplysninger.",
        "free_text_has_personal_data": "Friteksten inneholder fødselsnummer, telefonnummer "
                                       "eller e-post.",
        "shareable_has_personal_data": "Feltet inneholder fødselsnummer, telefonnummer eller "
                                       "e-post og blir derfor på telefonen.",
        "u18_no_consent": "U18-sak uten samtykke: ingenting om saken forlater telefonen.",
        "case_not_shared": "Saken samtykket gjelder, er ikke sendt ennå.",
        "awaiting_review": "Personopplysninger sendes første gang bare når du trykker «Synk "
                           "nå» her, etter å ha sett hva som sendes.",
        "local_only": "Referansedata som bare finnes på telefonen.",
        "no_backend": "Telefonen er ikke registrert hos kommunen som denne registreringen "
                      "hører til.",
        "conflict": "Kommunen har en annen utgave av denne registreringen. Endre og lagre den "
                    "for å sende på nytt.",
        "rejected": "Kommunen avviste registreringen.",
        "field_not_allowed": "Kommunen avviste et felt som ikke skulle vært sendt.",
        "wrong_municipality": "Registreringen hører til en annen kommune.",
        "hash_mismatch": "Innholdet ble endret underveis.",
        "invalid_identifier": "Registreringen har en intern id eller kommune i feil form.",
        "invalid_id": "Registreringen har en intern id i feil form.",
        "municipality_invalid": "Registreringen mangler kommune, eller kommunenummeret er "
                                "ugyldig.",
        "legal_basis_not_allowed": "Kommunen har ikke godkjent dette rettslige grunnlaget for "
                                   "denne telefonen.",
        "consent_unknown": "Saken viser til et samtykke kommunen ikke har fått.",
        "consents_invalid": "Samtykkeopplysningene i registreringen er ugyldige.",
        "priority_area_unknown": "Satsingsområdet finnes ikke i kommunens avtale.",
        "undecodable": "Kommunen kunne ikke lese registreringen.",
        "invalid_record": "Kommunen fant en ugyldig verdi i registreringen.",
        "kind_not_accepted": "Kommunen tar ikke imot denne typen registrering.",
        "envelope_mismatch": "Registreringens id eller utgave stemte ikke.",
        "schema_unsupported": "Appen og kommunen bruker ulike versjoner av formatet.",
        "unknown_field": "Registreringen hadde et felt kommunen ikke kjenner.",
        "basis_mismatch": "Det oppgitte grunnlaget for deling stemte ikke med kommunens "
                          "vurdering.",
        "deleted": "Registreringen er slettet hos kommunen.",
        "check_failed": "Kommunen kunne ikke kontrollere registreringen. Den sendes ikke.",
    },
    "en": {
        "personal_no_consent": "Personal data without consent or other legal basis for this "
                               "recipient.",
        "consent_expired": "The consent has expired.",
        "consent_withdrawn": "The consent has been withdrawn.",
        "consent_not_yet_given": "The consent is dated in the future.",
        "consent_other_recipient": "The consent is for another recipient.",
        "legal_basis_unknown": "Unknown legal basis.",
        "legal_basis_other_recipient": "The legal basis does not reach this recipient.",
        "free_text_not_marked": "The free text is not marked free of personal data.",
        "free_text_has_personal_data": "The free text contains an identity number, phone "
                                       "number or e-mail.",
        "shareable_has_personal_data": "The field contains an identity number, phone number "
                                       "or e-mail, so it stays on the phone.",
        "u18_no_consent": "U18 case without consent: nothing about the case leaves the phone.",
        "case_not_shared": "The case this consent belongs to has not been sent yet.",
        "awaiting_review": "Personal data is sent the first time only when you tap \"Sync "
                           "now\" here, after seeing what is sent.",
        "local_only": "Reference data that stays on the phone.",
        "no_backend": "The phone is not enrolled with this record's municipality.",
        "conflict": "The municipality holds another version of this record. Edit and save it "
                    "to send it again.",
        "rejected": "The municipality rejected the record.",
        "field_not_allowed": "The municipality rejected a field that should not have been sent.",
        "wrong_municipality": "The record belongs to another municipality.",
        "hash_mismatch": "The content changed on the way.",
        "invalid_identifier": "The record has an internal id or municipality in the wrong form.",
        "invalid_id": "The record has an internal id in the wrong form.",
        "municipality_invalid": "The record has no municipality, or the municipality number "
                                "is invalid.",
        "legal_basis_not_allowed": "The municipality has not approved this legal basis for "
                                   "this phone.",
        "consent_unknown": "The case refers to a consent the municipality has not received.",
        "consents_invalid": "The consent facts in the record are invalid.",
        "priority_area_unknown": "The priority area is not in the municipality's agreement.",
        "undecodable": "The municipality could not read the record.",
        "invalid_record": "The municipality found an invalid value in the record.",
        "kind_not_accepted": "The municipality does not take this kind of record.",
        "envelope_mismatch": "The record's id or revision did not match.",
        "schema_unsupported": "The app and the municipality use different format versions.",
        "unknown_field": "The record had a field the municipality does not know.",
        "basis_mismatch": "The stated basis for sharing did not match the municipality's "
                          "judgement.",
        "deleted": "The record has been deleted at the municipality.",
        "check_failed": "The municipality could not check the record. It is not sent.",
    },
}

ERRORS = {
    "nb": {
        "not_enrolled": "Telefonen er ikke registrert hos kommunen ennå.",
        "insecure_url": "Adressen må begynne med https:// (http:// bare til denne maskinen).",
        "unreachable": "Fikk ikke kontakt med kommunen. Prøv igjen når du har nett.",
        "tls_refused": "Kommunens sertifikat ble ikke godkjent. Kontakt IT før du prøver igjen.",
        "server_error": "Kommunens system svarte med en feil. Prøv igjen senere.",
        "auth_rejected": "Kommunen kjenner ikke igjen telefonen (koden er feil, brukt eller "
                         "trukket tilbake). Be IT om en ny engangskode.",
        "app_too_old": "Appen er for gammel for kommunens system. Oppdater appen.",
        "request_rejected": "Kommunen avviste forespørselen.",
        "too_many_attempts": "For mange feil engangskoder fra denne telefonen. Vent noen "
                             "minutter, sjekk koden og prøv igjen.",
        "protocol_error": "Svaret fra kommunen var ugyldig. Ingenting er merket som sendt.",
        "cancelled": "Synken ble avbrutt. Resten sendes neste gang.",
        "timed_out": "Kommunen svarte for sakte, så synken ga opp. Det kommunen ikke har "
                     "bekreftet, venter på telefonen og sendes neste gang.",
        "run_timed_out": "Synken tok for lang tid og ble stoppet. Det kommunen ikke har "
                         "bekreftet, venter på telefonen og sendes neste gang.",
        "reference_too_many": "Kommunen sendte flere krisekontakter eller skoler enn appen "
                              "tar imot (høyst 2 000 av hver). Resten ble avvist. Si fra til "
                              "kommunens IT.",
        "reference_unfinished": "Kommunen har flere endringer i kontakter og skoler enn én "
                                "synk henter. Det som kom fram, er lagret; resten hentes ved "
                                "neste synk.",
        "locked": "Appen ble låst under synken. Lås opp og prøv igjen.",
        "sync_error": "Synken feilet. Prøv igjen.",
        "run_failed": "Synken feilet. Prøv igjen.",
    },
    "en": {
        "not_enrolled": "The phone is not enrolled with the municipality yet.",
        "insecure_url": "The address must start with https:// (http:// only to this machine).",
        "unreachable": "Could not reach the municipality. Try again when you have network.",
        "tls_refused": "The municipality's certificate was not accepted. Contact IT first.",
        "server_error": "The municipality's system answered with an error. Try again later.",
        "auth_rejected": "The municipality does not recognise this phone (code wrong, used or "
                         "revoked). Ask IT for a new one-time code.",
        "app_too_old": "The app is too old for the municipality's system. Update the app.",
        "request_rejected": "The municipality rejected the request.",
        "too_many_attempts": "Too many wrong one-time codes from this phone. Wait a few "
                             "minutes, check the code and try again.",
        "protocol_error": "The municipality's answer was invalid. Nothing was marked as sent.",
        "cancelled": "Sync was cancelled. The rest goes next time.",
        "timed_out": "The municipality answered too slowly, so sync gave up. What the "
                     "municipality has not confirmed waits on the phone and goes next time.",
        "run_timed_out": "Sync took too long and was stopped. What the municipality has not "
                         "confirmed waits on the phone and goes next time.",
        "reference_too_many": "The municipality sent more crisis contacts or schools than the "
                              "app takes (at most 2,000 of each). The rest was refused. Tell "
                              "the municipality's IT.",
        "reference_unfinished": "The municipality has more changes to contacts and schools "
                                "than one sync fetches. What arrived is saved; the rest comes "
                                "with the next sync.",
        "locked": "The app locked during sync. Unlock and try again.",
        "sync_error": "Sync failed. Try again.",
        "run_failed": "Sync failed. Try again.",
    },
}


def _lang(lang: str) -> str:
    return lang if lang in REASONS else "nb"


def reason_text(code: str, lang: str = "nb") -> str:
    """Why a field or record stays on the phone (or was refused), in plain words."""
    return REASONS[_lang(lang)].get(code) or REASONS[_lang(lang)]["rejected"]


def error_text(code: str, lang: str = "nb") -> str:
    """What went wrong in a run or an enrolment, in plain words."""
    return ERRORS[_lang(lang)].get(code) or ERRORS[_lang(lang)]["sync_error"]
