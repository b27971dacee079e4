"""The encrypted local store: vault (keys), sealed append-only storage for TinyDB, migrations.

Imports only the standard library, ``tinydb`` and ``cryptography``.
"""

from .database import MemoryDatabase, StoreDatabase, open_database
from .errors import (
    LockedOut,
    LogbookBusy,
    LogbookExists,
    NoLogbook,
    PinRejected,
    StoreDamaged,
    StoreError,
    VaultLocked,
    WrongPin,
)
from .kdf import KdfParams
from .keystore import FileKeyStore, KeyStore, MemoryKeyStore, default_keystore
from .lazy import record_ids
from .migrations import MIGRATIONS, apply_migrations, schema_version
from .pin_policy import check_pin_policy
from .sealed import SealedStorage
from .table import CachedTable
from .vault import Vault

__all__ = [
    "MIGRATIONS",
    "CachedTable",
    "FileKeyStore",
    "KdfParams",
    "KeyStore",
    "LockedOut",
    "LogbookBusy",
    "LogbookExists",
    "MemoryDatabase",
    "MemoryKeyStore",
    "NoLogbook",
    "PinRejected",
    "SealedStorage",
    "StoreDamaged",
    "StoreDatabase",
    "StoreError",
    "Vault",
    "VaultLocked",
    "WrongPin",
    "apply_migrations",
    "check_pin_policy",
    "default_keystore",
    "open_database",
    "record_ids",
    "schema_version",
]
