"""The append-only audit log: one JSON object a line in ``<root>/audit.jsonl``.

Lines are **chained**: each new line carries ``"prev"``, the sha256 (hex) of the previous
line's bytes (without its newline); the first line of a new log has ``"prev": ""``. A
deleted, edited, reordered or truncated line therefore breaks the chain at the line after
it (``scan`` finds it). Lines written before the chain existed carry no ``prev``: the
lines before the first chained one are "legacy".

Every append goes through ``append``, always under the archive lock, so reading the last
line there is safe (it is read from the end of the file, never the whole file).

A version folder and its audit line are made crash-consistent with an intent marker,
``<root>/audit.pending`` (see ``Archive.publish_files``): it is in place before the
folder is renamed into place and removed after the audit line is written and fsynced;
``recover_pending`` (run whenever the lock is taken for a write) finishes the job of a
write that was interrupted in between.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen.archive import numbering
from docgen.archive.fsutil import sha256_bytes, temp_path

AUDIT_FILE = "audit.jsonl"
PENDING_FILE = "audit.pending"
PENDING_FORMAT = "docgen-audit-pending/1"
# Operations that add a version folder: each has exactly one audit line naming it.
FILING_OPS = frozenset({"new", "amend", "finalize", "withdraw", "import", "import-paper"})
_TAIL_BLOCK = 8192


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def line_hash(raw: bytes) -> str:
    """The ``prev`` of the line after ``raw`` (a line's bytes without its newline)."""
    return sha256_bytes(raw)


def encode(entry: dict[str, Any]) -> bytes:
    """An entry's line (without its newline), as ``append`` writes it."""
    return json.dumps(entry, ensure_ascii=False, sort_keys=True).encode("utf-8")


def _tail(fd: int, size: int) -> tuple[bytes | None, bool]:
    """(last line's bytes without newline or None for an empty file, ends with newline)."""
    if size == 0:
        return None, True
    complete = os.pread(fd, 1, size - 1) == b"\n"
    pos = size - 1 if complete else size
    chunks: list[bytes] = []
    while pos > 0:
        start = max(0, pos - _TAIL_BLOCK)
        block = os.pread(fd, pos - start, start)
        cut = block.rfind(b"\n")
        if cut >= 0:
            chunks.append(block[cut + 1:])
            break
        chunks.append(block)
        pos = start
    return b"".join(reversed(chunks)), complete


def append(root: Path, entry: dict[str, Any], sync: bool = True) -> None:
    """Append one chained entry with a single O_APPEND write, then fsync (unless the
    caller will). Runs under the archive lock. A last line cut short (no newline) is
    ended first, so the new line stays whole (verify reports the damaged one)."""
    fd = os.open(root / AUDIT_FILE, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        last, complete = _tail(fd, os.fstat(fd).st_size)
        chained = {**entry, "prev": "" if last is None else line_hash(last)}
        line = (b"" if complete else b"\n") + encode(chained) + b"\n"
        view = memoryview(line)
        while view:
            view = view[os.write(fd, view):]
        if sync:
            os.fsync(fd)
    finally:
        os.close(fd)


def last_entry(root: Path) -> dict[str, Any] | None:
    """The log's last line as an object (None when absent, empty or not an object)."""
    try:
        fd = os.open(root / AUDIT_FILE, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        last, _ = _tail(fd, os.fstat(fd).st_size)
    finally:
        os.close(fd)
    if last is None:
        return None
    try:
        value = json.loads(last)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def same_entry(a: dict[str, Any] | None, b: dict[str, Any] | None) -> bool:
    """The two entries are the same line apart from ``prev``."""
    if a is None or b is None:
        return False
    return {k: v for k, v in a.items() if k != "prev"} == \
        {k: v for k, v in b.items() if k != "prev"}


# ----------------------------------------------------------------- reading / checking
@dataclass
class Scan:
    """What ``scan`` found in the log."""

    exists: bool = False
    lines: int = 0
    bad: list[int] = field(default_factory=list)  # lines that are not a JSON object
    legacy: int = 0  # unchained lines before the first chained one
    breaks: list[tuple[int, str]] = field(default_factory=list)  # (line, "start"|"prev"|"missing")


def _parse(raw: bytes) -> dict[str, Any] | None:
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def scan(root: Path, visit: Callable[[int, dict[str, Any]], None] | None = None) -> Scan:
    """Read the log line by line (streaming), check the chain, call ``visit(line number,
    entry)`` for every line that is a JSON object.

    Chain rules: lines before the first line carrying ``prev`` are legacy; the first
    chained line must carry the hash of the line before it ("" when it is line 1); every
    later line must carry ``prev`` equal to the hash of the line before it. A damaged
    line is reported in ``bad`` and still hashed for the line after it.
    """
    result = Scan()
    path = root / AUDIT_FILE
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        return result
    result.exists = True
    chained = False
    previous: bytes | None = None
    consumed = 0
    complete = True
    with handle:
        for number, line in enumerate(handle, start=1):
            consumed += len(line)
            complete = line.endswith(b"\n")
            raw = line[:-1] if complete else line
            entry = _parse(raw)
            result.lines = number
            if entry is None:
                result.bad.append(number)
            else:
                prev = entry.get("prev")
                if prev is None and not chained:
                    result.legacy += 1
                elif prev is None:
                    result.breaks.append((number, "missing"))
                else:
                    expected = "" if previous is None else line_hash(previous)
                    if prev != expected:
                        result.breaks.append((number, "start" if previous is None else "prev"))
                    chained = True
                if visit is not None:
                    visit(number, entry)
            previous = raw
        if not complete and result.bad and result.bad[-1] == result.lines \
                and os.fstat(handle.fileno()).st_size > consumed:
            result.bad.pop()  # a line being appended while we read (verify beside a writer)
    return result


def read(root: Path) -> list[dict[str, Any]]:
    """Every well-formed entry (see ``bad_lines`` for the others)."""
    entries: list[dict[str, Any]] = []
    scan(root, lambda _, entry: entries.append(entry))
    return entries


def bad_lines(root: Path) -> list[int]:
    """1-based numbers of audit lines that are not a JSON object."""
    return scan(root).bad


# ------------------------------------------------------------------ intent marker
@dataclass(frozen=True)
class Pending:
    """The content of ``audit.pending``: the version folder being written, its exact
    audit entry, and the registry number to raise (None for unnumbered versions)."""

    folder: str
    entry: dict[str, Any]
    series: str | None
    number: int | None


def stage_pending(root: Path, folder: str, entry: dict[str, Any], series: str | None,
                  number: int | None) -> Path:
    """Write the marker to a temp file (not fsynced: the caller fsyncs it together with
    the version's files) and return its path; ``set_pending`` puts it in place."""
    payload = {"format": PENDING_FORMAT, "folder": folder, "entry": entry,
               "series": series, "number": number}
    tmp = temp_path(root, ".pending")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        view = memoryview(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8"))
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)
    return tmp


def set_pending(root: Path, staged: Path) -> None:
    os.replace(staged, root / PENDING_FILE)


def clear_pending(root: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(root / PENDING_FILE)


def read_pending(root: Path) -> Pending | None:
    """The marker, or None when there is none; ValueError when it is unreadable."""
    try:
        raw = (root / PENDING_FILE).read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ValueError(str(exc)) from exc
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise ValueError(f"not JSON ({exc})") from exc
    if not isinstance(data, dict) or data.get("format") != PENDING_FORMAT:
        raise ValueError(f"not a {PENDING_FORMAT} object")
    folder, entry = data.get("folder"), data.get("entry")
    series, number = data.get("series"), data.get("number")
    if not isinstance(folder, str) or not safe_relpath(folder) or not isinstance(entry, dict) \
            or entry.get("folder") != folder:
        raise ValueError("folder or entry missing or invalid")
    if not (series is None and number is None) and not (
            isinstance(series, str) and type(number) is int and number > 0):
        raise ValueError("series or number invalid")
    return Pending(folder, entry, series, number)


def safe_relpath(folder: str) -> bool:
    parts = folder.split("/")
    return len(parts) == 3 and all(p and p not in (".", "..") and "\\" not in p for p in parts)


def _matches_folder(root: Path, pending: Pending) -> bool:
    """The marker's folder is in place and is the version the marker describes."""
    folder = root / pending.folder
    if not folder.is_dir():
        return False
    try:
        record = json.loads((folder / "meta.json").read_bytes())
    except (OSError, ValueError, RecursionError):
        return True  # written by us just before the marker; verify reports the damage
    return isinstance(record, dict) and record.get("id") == pending.entry.get("id") \
        and record.get("version") == pending.entry.get("version") \
        and record.get("files") == pending.entry.get("files")


def recover_pending(root: Path) -> bool:
    """Finish a write interrupted between the folder's rename and the marker's removal.

    Call under the archive lock, before any other write. When the marker's folder is in
    place and the log does not already end with its entry, the entry is appended (and
    fsynced); the registry is raised; then the marker is removed. A marker whose folder
    is absent (the crash came before the rename), or an unreadable one, is removed.
    Returns True when a line was appended.
    """
    try:
        pending = read_pending(root)
    except ValueError:
        clear_pending(root)
        return False
    if pending is None:
        return False
    appended = False
    if _matches_folder(root, pending):
        if not same_entry(last_entry(root), pending.entry):
            append(root, pending.entry, sync=True)
            appended = True
        if pending.series is not None and pending.number is not None:
            with contextlib.suppress(OSError):  # a summary: verify reports it if off
                numbering.record(root, pending.series, pending.number)
    clear_pending(root)
    return appended
