"""The numbering registry ``<root>/numbering.json``: last number per series.

The next number of a series is one more than the larger of the registry and the highest
number filed in the series (from the meta.json files, through the catalog), skipping any
number a damaged version folder of the same type symbol and period carries in its name.
So a number is never reused, also when the registry is lost, lowered or garbled; a
registry raised by hand makes the next number jump (never down), and ``verify`` reports
both.

The registry is raised (temp file + rename) after the version folder and its audit line
are in place and fsynced, while the write's intent marker (audit.pending) is still
there: a crash before the registry is written is repaired at the next write
(docgen.archive.audit.recover_pending). The registry is a fast, readable summary and is
deliberately not fsynced (the version folders are): a registry lost or left behind by a
power cut never reuses a number, and verify reports it.

``load`` never fails: an unreadable or garbled file, a non-object, a ``series`` that is
not an object, values that are not non-negative integers (bools included) all count as
missing entries; ``inspect`` says what is wrong, for verify.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from pathlib import Path
from typing import Any

from docgen.archive.fsutil import temp_path
from docgen.vn import fold

REGISTRY_FILE = "numbering.json"
FORMAT = "docgen-numbering/1"


def _valid(value: Any) -> bool:
    return type(value) is int and value >= 0


def inspect(root: Path) -> tuple[dict[str, int], list[tuple[str | None, str, str]]]:
    """(valid entries, problems as (key or None, vi, en)); a missing file is no problem."""
    path = root / REGISTRY_FILE
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}, []
    except OSError as exc:
        return {}, [(None, f"không đọc được: {exc}", f"cannot be read: {exc}")]
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        return {}, [(None, f"hỏng, không phải JSON ({exc})", f"garbled, not JSON ({exc})")]
    if not isinstance(data, dict):
        return {}, [(None, f"không phải đối tượng JSON (là {type(data).__name__})",
                     f"not a JSON object (a {type(data).__name__})")]
    problems: list[tuple[str | None, str, str]] = []
    if data.get("format") != FORMAT:
        problems.append(("format", f"format là {data.get('format')!r}, cần {FORMAT!r}",
                         f"format is {data.get('format')!r}, expected {FORMAT!r}"))
    series = data.get("series")
    if not isinstance(series, dict):
        problems.append(("series", f"series không phải đối tượng (là {series!r:.40})",
                         f"series is not an object ({series!r:.40})"))
        return {}, problems
    values: dict[str, int] = {}
    for key, value in series.items():
        if _valid(value):
            values[str(key)] = value
        else:
            problems.append((f"series.{key}",
                             f"giá trị {value!r:.40} không phải số nguyên không âm",
                             f"value {value!r:.40} is not a non-negative integer"))
    return values, problems


def load(root: Path) -> dict[str, int]:
    """The valid entries of the registry (never raises)."""
    return inspect(root)[0]


def stage(root: Path, series: str, number: int) -> Path | None:
    """Write the registry with ``series`` raised to ``number`` to a temp file (not
    fsynced) and return it; None when the registry already holds ``number`` or more."""
    registry = load(root)
    if registry.get(series, 0) >= number:
        return None
    registry[series] = number
    payload = {"format": FORMAT, "series": dict(sorted(registry.items()))}
    data = json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8")
    tmp = temp_path(root, ".json")
    tmp.write_bytes(data)
    return tmp


def install(root: Path, staged: Path) -> None:
    """Put a staged registry in place (one rename); on failure the temp file goes."""
    try:
        os.replace(staged, root / REGISTRY_FILE)
    except OSError:
        with contextlib.suppress(OSError):
            staged.unlink()
        raise


def record(root: Path, series: str, number: int) -> None:
    """Raise the registry's last number of ``series`` to ``number`` (never lowers it)."""
    staged = stage(root, series, number)
    if staged is not None:
        install(root, staged)


def folder_symbol(type_symbol: str) -> str:
    """A type symbol as version folder names carry it ("QĐ" → "QD"; see ids.number_part)."""
    return re.sub(r"[^A-Za-z0-9-]+", "", fold(type_symbol).upper()) or "X"


def series_period(series: str) -> tuple[str, str, str] | None:
    """(type symbol, first day, last day) of a series key
    ``<cell>|<issuer>|<type>|term:<date>`` / ``…|year:<YYYY>`` (ISO dates; a term runs
    from its start with no known end, so its last day is "9999"); None if malformed."""
    parts = series.rsplit("|", 3)
    if len(parts) != 4:
        return None
    symbol, period = parts[2], parts[3]
    kind, _, value = period.partition(":")
    if kind == "year" and len(value) == 4 and value.isdigit():
        return symbol, f"{value}-01-01", f"{value}-12-31"
    if kind == "term" and value:
        return symbol, "" if value == "-" else value, "9999"
    return None
