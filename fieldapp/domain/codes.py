"""Code lists used by the records. Codes are stable identifiers; labels live in messages.py."""

from __future__ import annotations

import enum
import re

OBSERVATION_CATEGORIES = ("alcohol", "drugs", "violence", "unrest", "vulnerable_youth", "other")
ATMOSPHERES = ("calm", "lively", "tense", "aggressive")
# "alcohol" and "drugs" together are what a school calls rus (the same codes as observations).
SCHOOL_TOPICS = (
    "alcohol", "drugs", "violence", "bullying", "online_safety", "vulnerable_youth", "presence",
    "other",
)
# Roles of the school contacts met (SchoolVisit.contact_roles): codes, never names.
CONTACT_ROLES = (
    "rektor", "inspektor", "kontaktlaerer", "sosiallaerer", "radgiver", "miljoterapeut",
    "helsesykepleier", "elevrad", "other",
)
SERVICES = ("barnevern", "skole", "helsesykepleier", "slt", "nav", "politi", "other")
RECIPIENTS = ("slt", "barnevern", "skole", "helse")
CONSENT_GIVERS = ("youth", "guardian", "both")
CONSENT_METHODS = ("written", "oral")
CASE_STATUSES = ("open", "closed")
CRISIS_EVENT_TYPES = (
    "forest_fire", "flood", "storm", "serious_violence", "major_accident", "other",
)
CALLER_ROLES = (
    "ordforer", "varaordforer", "radmann", "kommunalsjef_oppvekst", "slt_koordinator",
    "beredskapskoordinator", "politi", "other",
)

# Other legal bases than consent for sharing a follow-up case, as a versioned code list.
LEGAL_BASES_VERSION = "2026-1"
LEGAL_BASES = {
    "bvl_13_2": "barnevernsloven § 13-2 – opplysningsplikt til barnevernet",
    "pol_24_3": "politiloven § 24 tredje ledd – forebygge lovbrudd",
    "pregistl_27": "politiregisterloven § 27 – avverge eller forebygge",
}


class SyncState(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SYNCED = "synced"
    FAILED = "failed"
    QUARANTINED = "quarantined"
    LOCAL_ONLY = "local_only"


# Waiting to sync: not yet acknowledged by a backend and not given up on. "sending" counts:
# a run that stopped mid-batch (a kill, a lost network) leaves records there to be sent again.
WAITING_STATES = frozenset({SyncState.PENDING.value, SyncState.SENDING.value,
                            SyncState.FAILED.value})

# Council and SLT meetings (see meetings.py) and the agreement's meeting targets (agreement.py).
MEETING_TYPES = ("politirad", "interkommunalt_politirad", "slt_arbeidsgruppe")
COUNCIL_MEETING_TYPES = ("politirad", "interkommunalt_politirad")
MEETING_ROLES = (
    "ordforer", "varaordforer", "radmann", "kommunalsjef_oppvekst", "slt_koordinator",
    "beredskapskoordinator", "tjenesteenhetsleder", "lensmann", "politikontakt",
    "leder_naringsforum", "leder_ungdomsrad", "helsestasjon", "barnevern", "kultur",
    "familiesenter", "mestringssenter", "rektor", "miljoterapeut", "politi", "other",
)
TARGET_PERIODS = ("half_year", "year")
# A priority area's code (agreement.PriorityArea), as records and meetings link to it.
AREA_CODE_PATTERN = re.compile(r"^[a-z0-9_]{1,40}$")
# Record ids (and ids of nested items) are random UUIDs; a municipality is its 4-digit number.
UUID_PATTERN = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
MUNICIPALITY_CODE_PATTERN = re.compile(r"^[0-9]{4}$")
