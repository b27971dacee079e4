"""Settings: language, theme, auto-lock, municipalities served and their agreements."""
