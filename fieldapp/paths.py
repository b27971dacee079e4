"""Where the logbook lives: --data-dir, else FLET_APP_STORAGE_DATA (set by built apps), else a
per-user data directory."""

from __future__ import annotations

import os
from pathlib import Path


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser()
    flet_dir = os.environ.get("FLET_APP_STORAGE_DATA")
    if flet_dir:
        return Path(flet_dir) / "logbook"
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "politikontakt"
