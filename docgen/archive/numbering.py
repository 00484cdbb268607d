"""The numbering registry ``<root>/numbering.json``: last number per series.

The registry is updated atomically (temp file, rename) after a document is in place.
The next number is one more than the larger of the registry and the highest number
filed in the series (from the meta.json files), so a crash between the two steps, or a
registry lost in a power cut, never reuses a number: the registry is a fast, readable
summary and is deliberately not fsynced (the version folders are).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from docgen.archive.fsutil import temp_path

REGISTRY_FILE = "numbering.json"


def load(root: Path) -> dict[str, int]:
    path = root / REGISTRY_FILE
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    series = data.get("series", {}) if isinstance(data, dict) else {}
    return {str(k): int(v) for k, v in series.items() if isinstance(v, int)}


def record(root: Path, series: str, number: int) -> None:
    """Raise the registry's last number of ``series`` to ``number`` (never lowers it)."""
    registry = load(root)
    if registry.get(series, 0) >= number:
        return
    registry[series] = number
    payload = {"format": "docgen-numbering/1", "series": dict(sorted(registry.items()))}
    data = json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8")
    tmp = temp_path(root, ".json")
    tmp.write_bytes(data)
    os.replace(tmp, root / REGISTRY_FILE)
