"""Typed repositories over the settings document of the sealed store (see ``settings``)."""

from .agreements import Agreements, AgreementSource
from .municipalities import ServedMunicipalities, ServedMunicipality
from .preferences import Preferences
from .settings import SETTINGS_TABLE, SettingsDocument

__all__ = ["SETTINGS_TABLE", "AgreementSource", "Agreements", "Preferences",
           "ServedMunicipalities", "ServedMunicipality", "SettingsDocument"]
