"""Files a PDF conversion may leave in a version folder's ``cache/`` when it is killed.

One list of patterns for ``docgen verify`` (warnings, code ``converter-temp``) and
``docgen gc`` (removes them). Since issue 9 conversions run in ``<root>/.tmp/`` and only
a finished PDF is renamed into ``cache/``; these are leftovers of older docgen versions,
or of a converter killed while it wrote next to its output.
"""

from __future__ import annotations

import contextlib
import fcntl
import fnmatch
import os
import re
from collections.abc import Iterator
from pathlib import Path

from docgen.archive.records import CACHE_DIR

# LibreOffice's lock file and its temporary save file; a copy in progress; older docgen's
# own temporary PDF (".<sha256>.pdf.<uuid>.tmp.pdf").
PATTERNS = (".~lock.*#", "lu*.tmp", "*.part", ".*.tmp.pdf")
# A ``.tmp/`` work folder in use holds an OS lock on this file (released when its process
# dies): gc leaves such a folder alone.
ACTIVE_FILE = ".active"
_YEAR = re.compile(r"\d{4}")
_MONTH = re.compile(r"0[1-9]|1[0-2]")


def is_converter_leftover(entry: Path) -> bool:
    """True when ``entry`` (inside a ``cache/`` folder) is a converter's temporary file."""
    if entry.is_dir() and not entry.is_symlink():
        return False
    return any(fnmatch.fnmatchcase(entry.name, pattern) for pattern in PATTERNS)


def leftovers_in(cache: Path) -> list[Path]:
    """The converter leftovers in one ``cache/`` folder, sorted."""
    try:
        entries = sorted(cache.iterdir())
    except (FileNotFoundError, NotADirectoryError):
        return []
    return [entry for entry in entries if is_converter_leftover(entry)]


def _caches(root: Path) -> list[Path]:
    """Every ``YYYY/MM/<version folder>/cache`` folder under ``root``."""
    found: list[Path] = []
    for year in sorted(os.scandir(root), key=lambda e: e.name):
        if not (year.is_dir(follow_symlinks=False) and _YEAR.fullmatch(year.name)):
            continue
        for month in sorted(os.scandir(year.path), key=lambda e: e.name):
            if not (month.is_dir(follow_symlinks=False) and _MONTH.fullmatch(month.name)):
                continue
            for folder in sorted(os.scandir(month.path), key=lambda e: e.name):
                cache = Path(folder.path) / CACHE_DIR
                if folder.is_dir(follow_symlinks=False) and cache.is_dir():
                    found.append(cache)
    return found


def remove_leftovers(root: Path) -> list[Path]:
    """Delete every converter leftover in the version folders' ``cache/``; what was removed."""
    if not root.is_dir():
        return []
    removed: list[Path] = []
    for cache in _caches(root):
        for entry in leftovers_in(cache):
            try:
                entry.unlink()
            except FileNotFoundError:
                continue
            removed.append(entry)
    return removed


@contextlib.contextmanager
def hold_active(folder: Path) -> Iterator[None]:
    """Mark the ``.tmp/`` work folder ``folder`` as in use for the duration (see ``in_use``)."""
    fd = os.open(folder / ACTIVE_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def in_use(entry: Path) -> bool:
    """True when a live process holds ``entry``'s work-folder lock (``hold_active``)."""
    try:
        fd = os.open(entry / ACTIVE_FILE, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        os.close(fd)
    return False
