"""English (switchable in Settings): observations."""

STRINGS = {
    "obs.new_title": "New observation",
    "obs.place_hint": "For example Ålgård station",
    "obs.count_hint": "Optional",
    "obs.position_added": "Position added",
    "obs.position_denied": "Location is not allowed. Type the place yourself.",
    "obs.position_off": "Location services are off. Type the place yourself.",
    "obs.saved": "Observation saved",
    "obs.no_category": "None chosen: the observation is saved without a category.",
    "obs.time_label": "Time (today)",
    "obs.last_place": "Last: {place}",
    "obs.same_place": ("Same place as the last observation at {time}. "
                        "Type another place if you have moved."),
    "obs.position_at_last": "The position matches {place}",
    "obs.updated": "Observation updated",
    "obs.list_title": "Observations",
    "obs.none": "No observations yet.",
    "obs.edit_title": "Observation",
    "obs.count_line": "{count} youths",
    "obs.count_line.one": "1 youth",
}
