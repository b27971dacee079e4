"""School visits: check-in and check-out, the list and a visit's form."""
