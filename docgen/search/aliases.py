"""Cell and commune names over time: current name → old names (2025 mergers, renames).

The file (Settings.aliases_path, default ``<archive_root>/aliases.yaml``) is a YAML
mapping from the current name to a list of old names::

    Xã Quang Kim: [Xã Quang Kim cũ, Xã Bản Xèo]
    Thôn An Thành: [Thôn An Thành 1, Thôn An Thành 2]

A search by any name of a group finds documents filed under every name of the group.
The groups and the cell rule that uses them belong to the one filter of list, search,
print and export: docgen.archive.filters (``load_aliases``, ``cell_names``).
"""

from __future__ import annotations

from docgen.archive.filters import AliasGroups, cell_names, load_aliases

names_for = cell_names

__all__ = ["AliasGroups", "load_aliases", "names_for"]
