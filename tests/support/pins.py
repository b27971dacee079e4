"""The PIN tests create and unlock logbooks and vaults with.

A browser journey may keep a PIN of its own next to its steps, where the reader sees it typed.
"""

from __future__ import annotations

PIN = "482913"
