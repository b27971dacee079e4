"""Council meetings: the list, the meeting form, and its flet-free presenter."""
