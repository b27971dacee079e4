"""Closing the log a compaction replaced: its blocks are given back a few MiB at a time (a
pause for writers between), and a file that still has a name is never cut."""

from __future__ import annotations

import os

import pytest

from fieldapp.store.files import close_replaced

MIB = 1 << 20


def open_file(path, size):
    path.write_bytes(os.urandom(size))
    return os.open(path, os.O_RDWR)


def is_closed(fd):
    try:
        os.fstat(fd)
    except OSError:
        return True
    return False


def test_a_replaced_file_is_freed_step_by_step_then_closed(tmp_path):
    fd = open_file(tmp_path / "old.sealed", 10 * MIB + 5)
    (tmp_path / "new.sealed").write_bytes(b"new")
    os.replace(tmp_path / "new.sealed", tmp_path / "old.sealed")  # as a compaction does
    sizes = []
    close_replaced(fd, lambda: sizes.append(os.fstat(fd).st_size), step=4 * MIB)
    assert sizes == [10 * MIB + 5, 6 * MIB + 5]  # a pause before each cut
    assert is_closed(fd)
    assert (tmp_path / "old.sealed").read_bytes() == b"new"


def test_a_file_that_still_has_a_name_is_only_closed(tmp_path):
    data = os.urandom(9 * MIB)
    path = tmp_path / "live.sealed"
    path.write_bytes(data)
    fd = os.open(path, os.O_RDWR)
    pauses = []
    close_replaced(fd, lambda: pauses.append(1), step=MIB)
    assert is_closed(fd) and not pauses
    assert path.read_bytes() == data


def test_a_pause_that_raises_still_closes_the_file(tmp_path):
    fd = open_file(tmp_path / "old.sealed", 3 * MIB)
    os.unlink(tmp_path / "old.sealed")

    class Cancelled(Exception):
        pass

    def pause():
        raise Cancelled()

    with pytest.raises(Cancelled):
        close_replaced(fd, pause, step=MIB)
    assert is_closed(fd)
