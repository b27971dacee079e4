"""Durable file primitives shared by the vault and the sealed log.

The rules follow SQLite's: an append is one ``os.write`` followed by ``fdatasync`` before the
caller is told it worked; a replacement is a 0600 temp file in the same directory, fsynced,
``os.replace``d over the target, then the directory is fsynced.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from .errors import LogbookBusy


def _exclusive_lock() -> Callable[[int], None] | None:
    """``flock(fd, LOCK_EX | LOCK_NB)``, or None where there is no fcntl."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on Android/Linux/macOS
        return None
    return lambda fd: fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


_FLOCK = _exclusive_lock()

FILE_MODE = 0o600
DIR_MODE = 0o700


def ensure_private_dir(path: Path) -> None:
    """Create ``path`` (and parents) with mode 0700; tighten it if it already exists."""
    if not path.is_dir():
        path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        fsync_dir(path.parent)
    with contextlib.suppress(OSError):
        if path.stat().st_mode & 0o077:
            path.chmod(DIR_MODE)


def fsync_dir(path: Path) -> None:
    """Make a rename or file creation inside ``path`` durable."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def close_replaced(fd: int, pause: Callable[[], None], step: int = 4 << 20) -> None:
    """Close a file that was replaced (no longer in any folder), first giving its blocks back
    ``step`` bytes at a time with ``pause()`` between: freeing a 50 MB log at once held a
    concurrent write up to 11 ms. A file that still has a name is only closed."""
    try:
        with contextlib.suppress(OSError):  # the close frees whatever is left
            stat = os.fstat(fd)
            size = stat.st_size if stat.st_nlink == 0 else 0
            while size > step:
                pause()
                size -= step
                os.ftruncate(fd, size)
    finally:
        with contextlib.suppress(OSError):
            os.close(fd)


def write_all(fd: int, data: bytes) -> None:
    """Write ``data`` with one ``os.write``; a short write is an error, not a retry."""
    written = os.write(fd, data)
    if written != len(data):
        raise OSError(errno.EIO, "short write")


def temp_path_for(path: Path) -> Path:
    """A fresh, unpredictable temp name next to ``path`` (same directory, same file system)."""
    return path.with_name(f".{path.name}.tmp-{secrets.token_hex(6)}")


def write_new_file(path: Path, data: bytes) -> None:
    """Create ``path`` exclusively (0600), write ``data`` and fsync it."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        write_all(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_replace(path: Path, data: bytes) -> None:
    """Replace ``path`` by a file holding ``data``, durably and atomically."""
    tmp = temp_path_for(path)
    try:
        write_new_file(tmp, data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    fsync_dir(path.parent)


def atomic_create(path: Path, data: bytes) -> bool:
    """Create ``path`` with ``data`` unless it exists; return False when it already existed.

    Uses a hard link so that two racing creators never overwrite each other.
    """
    tmp = temp_path_for(path)
    try:
        write_new_file(tmp, data)
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        except OSError:  # a file system without hard links: best effort instead
            if path.exists():
                return False
            os.replace(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    fsync_dir(path.parent)
    return True


def remove_stale_temps(path: Path) -> None:
    """Delete temp files left next to ``path`` by a crash (they hold only ciphertext)."""
    for stale in path.parent.glob(f".{path.name}.tmp-*"):
        with contextlib.suppress(OSError):
            stale.unlink()


def datasync(fd: int) -> None:
    """``fdatasync`` where the platform has it, ``fsync`` elsewhere."""
    if hasattr(os, "fdatasync"):
        os.fdatasync(fd)
    else:  # pragma: no cover - macOS, Windows
        os.fsync(fd)


def read_whole(fd: int) -> bytes:
    """Read a whole file through ``fd`` from offset 0."""
    size = os.fstat(fd).st_size
    chunks, offset = [], 0
    while offset < size:
        chunk = os.pread(fd, size - offset, offset)
        if not chunk:
            break
        chunks.append(chunk)
        offset += len(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def lock_file(fd: int) -> None:
    """Take the exclusive lock on an open log file, or raise LogbookBusy."""
    if _FLOCK is None:  # pragma: no cover
        return
    try:
        _FLOCK(fd)
    except BlockingIOError:
        raise LogbookBusy() from None


def set_aside_tail(path: Path, fd: int, tail: bytes, torn_at: int) -> None:
    """Copy ``tail`` (the file from ``torn_at`` on) to ``<file>.torn-<timestamp>``, then cut
    the file at ``torn_at``."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    for attempt in range(100):
        suffix = f"-{attempt}" if attempt else ""
        aside = path.with_name(f"{path.name}.torn-{stamp}{suffix}")
        if atomic_create(aside, tail):
            break
    os.ftruncate(fd, torn_at)
    os.fsync(fd)
