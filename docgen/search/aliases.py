"""Cell and commune names over time: current name → old names (2025 mergers, renames).

The file (Settings.aliases_path, default ``<archive_root>/aliases.yaml``) is a YAML
mapping from the current name to a list of old names::

    Xã Quang Kim: [Xã Quang Kim cũ, Xã Bản Xèo]
    Thôn An Thành: [Thôn An Thành 1, Thôn An Thành 2]

A search by any name of a group finds documents filed under every name of the group.
The groups and the cell rule that uses them belong to the one filter of list, search,
print and export: docgen.archive.filters (``load_aliases``, ``cell_names``).

Every search needs the groups (the cell facet counts what ``--cell`` would find), so the
index keeps them parsed in its folder (``ALIASES_CACHE``, keyed by the CRC-32 and size of
the file's bytes): a search reads JSON, not YAML, until the file changes.
"""

from __future__ import annotations

import contextlib
import json
import zlib
from pathlib import Path

from docgen.archive.filters import AliasGroups, cell_names, load_aliases
from docgen.fsio import write_text_atomic

ALIASES_CACHE = "docgen-aliases.json"

names_for = cell_names


def cached_aliases(source: Path | None, index_dir: Path) -> AliasGroups:
    """``load_aliases(source)``, through the parsed copy in ``index_dir`` (written when
    missing or stale and the folder can be written; never an error of its own)."""
    if source is None or not source.is_file():
        return ()
    try:
        data = source.read_bytes()
    except OSError:
        return load_aliases(source)  # says what is wrong with the file
    key = f"{zlib.crc32(data)}:{len(data)}"
    cache = index_dir / ALIASES_CACHE
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        kept = json.loads(cache.read_text("utf-8"))
        if kept["key"] == key:
            return tuple(tuple(str(name) for name in group) for group in kept["groups"])
    groups = load_aliases(source)
    if index_dir.is_dir():
        with contextlib.suppress(OSError):  # a read-only index: parse again next time
            write_text_atomic(cache, json.dumps({"key": key, "groups": groups}, ensure_ascii=False))
    return groups


__all__ = ["ALIASES_CACHE", "AliasGroups", "cached_aliases", "load_aliases", "names_for"]
