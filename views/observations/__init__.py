"""Observations: quick-add, the list and the edit form."""
