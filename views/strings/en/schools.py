"""English (switchable in Settings): school visits."""

STRINGS = {
    "school.checkin_title": "Check in",
    "school.pick": "Pick a school",
    "school.name": "School",
    "school.name_required": "Enter the school's name.",
    "school.check_in_now": "Check in now",
    "school.check_in_other": "Check in at a school",
    "school.checked_in": "Checked in at {school} at {time}",
    "school.checked_out": "Checked out of {school} at {time}",
    "school.list_title": "School visits",
    "school.none": "No school visits yet.",
    "school.edit_title": "School visit",
    "school.date": "Date",
    "school.time_in": "In (hh:mm)",
    "school.time_out": "Out (hh:mm)",
    "school.contacts_hint": "Names, separated by commas",
    "school.roles": "Roles of those you met",
    "school.follow_ups_hint": "What, who and when",
    "school.saved": "School visit saved",
}
