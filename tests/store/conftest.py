"""Fixtures for the store tests: a file key store in tmp and FLOOR-cost vaults."""

from __future__ import annotations

import pytest

from fieldapp.store import FileKeyStore, KdfParams, Vault
from tests.support.pins import PIN


@pytest.fixture
def keystore(tmp_path):
    return FileKeyStore(tmp_path / "keystore" / "device-secret")


@pytest.fixture
def data_dir(tmp_path):
    return tmp_path / "data"


@pytest.fixture
def vault(data_dir, keystore):
    vault = Vault.create(data_dir, PIN, keystore, kdf=KdfParams.FLOOR)
    yield vault
    vault.lock()
