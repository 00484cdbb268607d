"""The append-only audit log: one JSON object a line in ``<root>/audit.jsonl``."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

AUDIT_FILE = "audit.jsonl"


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def append(root: Path, entry: dict[str, Any], sync: bool = True) -> None:
    """Append one entry with a single O_APPEND write, then fsync (unless the caller will)."""
    line = (json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
    fd = os.open(root / AUDIT_FILE, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        os.write(fd, line)
        if sync:
            os.fsync(fd)
    finally:
        os.close(fd)


def read(root: Path) -> list[dict[str, Any]]:
    """Every well-formed entry (see ``bad_lines`` for the others)."""
    path = root / AUDIT_FILE
    if not path.exists():
        return []
    entries = []
    for raw in path.read_bytes().splitlines():
        try:
            value = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            continue
        if isinstance(value, dict):
            entries.append(value)
    return entries


def bad_lines(root: Path) -> list[int]:
    """1-based numbers of audit lines that are not a JSON object."""
    path = root / AUDIT_FILE
    if not path.exists():
        return []
    bad = []
    for number, raw in enumerate(path.read_bytes().splitlines(), start=1):
        try:
            ok = isinstance(json.loads(raw), dict)
        except (ValueError, UnicodeDecodeError):
            ok = False
        if not ok:
            bad.append(number)
    return bad
