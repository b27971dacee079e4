"""Norsk bokmål: the officer's language: PIN, first run and unlock."""

STRINGS = {
    "draft.restored": "Skjemaet du holdt på med, er fylt inn igjen.",
    "pin.setup_title": "Ny loggbok",
    "pin.setup_intro": "Velg en PIN-kode på minst 6 sifre, eller en passfrase på minst 8 tegn. "
                       "Loggboken krypteres med den. Den kan ikke hentes fram igjen om du "
                       "glemmer den.",
    "pin.choose": "Velg PIN",
    "pin.repeat": "Gjenta PIN",
    "pin.create": "Opprett loggbok",
    "pin.unlock_title": "Lås opp",
    "pin.label": "PIN",
    "pin.show": "Vis eller skjul PIN",
    "pin.use_passphrase": "Bruk passfrase (bokstaver)",
    "pin.unlock": "Lås opp",
    "pin.working": "Åpner loggboken …",
    "pin.empty": "Skriv inn PIN-koden.",
    "pin.mismatch": "PIN-kodene er ikke like.",
    "pin.locked": "Loggboken er låst.",
    "pin.locked_idle": "Låst etter inaktivitet.",
    "pin.locked_hidden": "Låst fordi appen ble skjult.",
    "pin.wrong_attempts": "Feil PIN. {count} forsøk igjen.",
    "pin.wrong_wait": "Feil PIN. Vent {seconds} sekunder.",
    "pin.wrong_wait.one": "Feil PIN. Vent {seconds} sekund.",
    "pin.locked_out": "For mange feil forsøk. Vent {seconds} sekunder.",
    "pin.locked_out.one": "For mange feil forsøk. Vent {seconds} sekund.",
    "pin.rejected": "Denne PIN-koden kan ikke brukes.",
    "pin.rejected.too_short": "For kort: bruk minst 6 sifre eller en passfrase på minst 8 tegn.",
    "pin.rejected.not_digits_or_passphrase": "Bruk enten bare sifre eller en passfrase.",
    "pin.rejected.trivial": "For lett å gjette. Velg en annen PIN.",
    "pin.rejected.trivial.same": "For lett å gjette: det er samme tegn gjentatt. Velg en annen.",
    "pin.rejected.trivial.run": "For lett å gjette: PIN-koden er en tallrekke. Velg en annen.",
    "pin.rejected.trivial.repeat":
        "For lett å gjette: PIN-koden gjentar et kort mønster. Velg en annen.",
    "pin.rejected.trivial.pairs":
        "For lett å gjette: PIN-koden består av doble sifre. Velg en annen.",
    "pin.rejected.trivial.blocks":
        "For lett å gjette: PIN-koden er to blokker med like sifre. Velg en annen.",
    "pin.rejected.trivial.mirror":
        "For lett å gjette: PIN-koden er lik forlengs og baklengs. Velg en annen.",
    "pin.rejected.trivial.nearly":
        "For lett å gjette: PIN-koden er nesten bare ett siffer. Velg en annen.",
    "pin.rejected.trivial.keypad":
        "For lett å gjette: PIN-koden er et tastaturmønster. Velg en annen.",
    "pin.rejected.trivial.date": "For lett å gjette: PIN-koden ser ut som en dato. Velg en annen.",
    "pin.rejected.trivial.common": "For lett å gjette: det er et vanlig passord. Velg en annen.",
    "pin.rejected.trivial.keyboard":
        "For lett å gjette: det er en rad på tastaturet. Velg en annen.",
    "pin.rejected.trivial.alphabet":
        "For lett å gjette: det er en rekke i alfabetet. Velg en annen.",
    "pin.damaged": "Loggboken er skadet og ble ikke endret. Kontakt IT.",
    "pin.rolled_back": "Lagringen er kortere/eldre enn sist. Loggboken ble ikke endret. "
        "Kontakt IT.",
    "pin.keystore_unavailable": "Kan ikke låse opp: telefonens nøkkellager svarer ikke. "
        "Prøv igjen, eller start telefonen på nytt. Ingenting er slettet.",
    "pin.no_logbook": "Fant ingen loggbok på denne enheten.",
    "pin.exists": "Det finnes allerede en loggbok her.",
    "pin.busy": "Loggboken er åpen i et annet vindu.",
    "pin.failed": "Loggboken kunne ikke åpnes. Prøv igjen.",
}
