"""How a crisis contact is reached: a phone number one can call, an e-mail one can write to.

Both are read through ``textnorm.normalise``, as the personal-data detector reads text.
"""

from __future__ import annotations

import re

from .textnorm import normalise

_PHONE = re.compile(r"\+?[0-9]+")
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")


def valid_email(email: str) -> bool:
    """One @, a dot in the domain, no spaces, and nothing that reads differently once
    normalised (an invisible or look-alike character would break the address)."""
    address = email.strip()
    return bool(EMAIL_PATTERN.fullmatch(address)) and normalise(address) == address


def dial_number(phone: str) -> str | None:
    """The number to call (``+4751614200``) from a phone as typed, or None when it is none:
    digits with an optional leading '+', spaces and dashes allowed; 8 digits (Norwegian), or
    '+' and 7-15 digits. Read through ``textnorm.normalise`` as the detector reads text, so
    a no-break space, an en dash or full-width digits from a phone's keyboard still give the
    plain number, and the call link only ever holds '+' and ASCII digits."""
    number = re.sub(r"[ \-]", "", normalise(phone).strip())
    if not _PHONE.fullmatch(number):
        return None
    digits = len(number) - number.startswith("+")
    return number if (7 <= digits <= 15 if number.startswith("+") else digits == 8) else None
