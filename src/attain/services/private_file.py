"""Files in the user's cache that only the user can have written: read safely, written whole.

A cache entry decides what a command prints (a summary plan) or runs code when loaded (a pickled
agreement), so an entry is read only when it and its directory belong to the user running attain
and neither is writable by group or others (as OpenSSH checks `~/.ssh`), and never through a
symbolic link. Writes are atomic (a whole file or none) and skipped when the directory cannot be
made private; a cache is an optimisation, never a reason for a command to fail.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


def read_private(path: Path) -> bytes | None:
    """The bytes of `path`; None when there is none or it or its directory is not safely the user's own."""
    if not private_directory(path.parent):
        return None
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        with os.fdopen(descriptor, "rb") as handle:
            if not owned_privately(os.fstat(handle.fileno())):
                return None
            return handle.read()
    except OSError:
        return None


def write_private(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically; a directory not writable, or not private, is skipped."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not private_directory(path.parent):
            return
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        Path(temporary).replace(path)
    except OSError:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()


def private_directory(directory: Path) -> bool:
    """Whether `directory` is a real directory of this user that no one else can write to."""
    try:
        return owned_privately(os.lstat(directory)) and directory.is_dir()
    except OSError:
        return False


def owned_privately(status: os.stat_result) -> bool:
    """Owned by the user running attain and writable by neither group nor others (POSIX; elsewhere, true)."""
    if not hasattr(os, "geteuid"):
        return True
    return status.st_uid == os.geteuid() and not status.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
