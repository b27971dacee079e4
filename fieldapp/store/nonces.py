"""Random 96-bit AES-GCM nonces from the operating system's CSPRNG (never ``random``).

With random nonces a key must not encrypt more than 2^32 messages (NIST SP 800-38D); the
sealed log rotates its data key at every compaction, far below that.
"""

from __future__ import annotations

import os

NONCE_BYTES = 12


def new_nonce() -> bytes:
    """A fresh 12-byte nonce."""
    return os.urandom(NONCE_BYTES)
