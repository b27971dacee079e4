"""The domain of the police contact's logbook (standard library only)."""

from .codec import DecodeError, from_dict, to_dict
from .codes import SyncState
from .identity import Finding, contains_personal_data, find_personal_data, identity_number_kind
from .kinds import RECORD_TYPES, RECORD_TYPES_BY_KIND
from .records import (
    Consent,
    CrisisCallout,
    CrisisContact,
    FollowUpAction,
    FollowUpCase,
    Observation,
    Record,
    SchoolVisit,
    TimelineEntry,
)
from .sensitivity import Sensitivity, free_text_fields, sensitivity_of
from .validation import FieldError, ValidationError, validate

__all__ = [
    "RECORD_TYPES", "RECORD_TYPES_BY_KIND", "Consent", "CrisisCallout", "CrisisContact",
    "DecodeError", "FieldError", "Finding", "FollowUpAction", "FollowUpCase", "Observation",
    "Record", "SchoolVisit", "Sensitivity", "SyncState", "TimelineEntry", "ValidationError",
    "contains_personal_data", "find_personal_data", "free_text_fields", "from_dict",
    "identity_number_kind", "sensitivity_of", "to_dict", "validate",
]
