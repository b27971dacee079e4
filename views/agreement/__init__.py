"""The agreement with a municipality: its editor screen and the rules that read and check it."""
