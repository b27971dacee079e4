"""Norsk bokmål: the officer's language: observations."""

STRINGS = {
    "obs.new_title": "Ny observasjon",
    "obs.place_hint": "For eksempel Ålgård stasjon",
    "obs.count_hint": "Valgfritt",
    "obs.position_added": "Posisjon lagt til",
    "obs.position_denied": "Posisjon er ikke tillatt. Skriv stedet selv.",
    "obs.position_off": "Posisjonstjenesten er slått av. Skriv stedet selv.",
    "obs.saved": "Observasjon lagret",
    "obs.updated": "Observasjon oppdatert",
    "obs.list_title": "Observasjoner",
    "obs.none": "Ingen observasjoner ennå.",
    "obs.edit_title": "Observasjon",
    "obs.count_line": "{count} ungdommer",
    "obs.count_line.one": "1 ungdom",
}
