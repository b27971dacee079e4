"""Text limits of the logbook's fields: the one home for them (validation and meetings use
them; a limit is also the ``limit`` an officer is told in a ``too_long`` message)."""

SHORT_TEXT = 200    # a name, a place, a title, a role
LONG_TEXT = 4000    # a note, a concern, a decision
