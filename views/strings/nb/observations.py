"""Norsk bokmål: the officer's language: observations."""

STRINGS = {
    "obs.new_title": "Ny observasjon",
    "obs.place_hint": "For eksempel Ålgård stasjon",
    "obs.count_hint": "Valgfritt",
    "obs.position_added": "Posisjon lagt til",
    "obs.position_denied": "Posisjon er ikke tillatt. Skriv stedet selv.",
    "obs.position_off": "Posisjonstjenesten er slått av. Skriv stedet selv.",
    "obs.saved": "Observasjon lagret",
    "obs.no_category": "Ingen valgt: observasjonen lagres uten kategori.",
    "obs.time_label": "Klokkeslett (i dag)",
    "obs.last_place": "Sist: {place}",
    "obs.same_place": ("Samme sted som forrige observasjon kl. {time}. "
                        "Skriv et annet sted om du har flyttet deg."),
    "obs.position_at_last": "Posisjonen stemmer med {place}",
    "obs.updated": "Observasjon oppdatert",
    "obs.list_title": "Observasjoner",
    "obs.none": "Ingen observasjoner ennå.",
    "obs.edit_title": "Observasjon",
    "obs.count_line": "{count} ungdommer",
    "obs.count_line.one": "1 ungdom",
}
