"""Synk: what waits and what leaves, sync now, enrolment, and the texts for them."""
