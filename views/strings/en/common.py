"""English (switchable in Settings): the app's name, navigation and forms."""

STRINGS = {
    "app.name": "Police contact",
    "confidential": "Confidential",
    "nav.back": "Back",
    "nav.lock": "Lock the app",
    "form.save": "Save",
    "form.delete": "Delete",
    "form.deleted": "Deleted",
    "form.delete_title": "Delete this record?",
    "form.delete_body": ("It is deleted from the phone, and the municipality is told at the "
                         "next sync. This cannot be undone."),
    "form.delete_section": "Recorded by mistake? Delete the whole record.",
    "form.delete_cancel": "Cancel",
    "form.delete_confirm": "Delete",
    "form.date": "Date",
    "form.time": "Time",
    "form.date_hint": "dd.mm.yyyy",
    "form.not_a_number": "Enter a number.",
    "form.not_a_date": "Write the date as dd.mm.yyyy.",
    "form.not_a_time": "Write the time as hh:mm.",
    "form.free_of_personal": "The text contains no personal data",
}
