"""Limits of the logbook's fields: the one home for them (validation and meetings use them; a
limit is also what an officer is told in a ``too_long``, ``too_early`` or ``too_far_ahead``
message).

Dates and times must be plausible (``validation._check_moments``):
- nothing before ``EARLIEST`` (1 January 2000): an earlier date is a typing slip (01.01.1900);
- what already happened (a visit, an observation, a callout and its times, a consent given or
  withdrawn, an action done, a case opened or closed, a contact last verified, a meeting
  cancelled, minutes approved, a log entry) may lie at most ``HAPPENED_MARGIN`` ahead
  of the clock: a phone clock or a time zone a little off must not block a save, a date in
  next month must;
- what is planned (a meeting's time and its agenda's sending, a due date, a consent's
  expiry) may lie in the future, at most ``YEARS_AHEAD`` years ahead of the clock.
A birth date has its own rules (not in the future, under 18 when the case was opened).
"""

from datetime import date, timedelta

SHORT_TEXT = 200    # a name, a place, a title, a role
LONG_TEXT = 4000    # a note, a concern, a decision

EARLIEST = date(2000, 1, 1)
HAPPENED_MARGIN = timedelta(days=1)
YEARS_AHEAD = 5
