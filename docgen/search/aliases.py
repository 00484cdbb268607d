"""Cell and commune names over time: current name → old names (2025 mergers, renames).

The file (Settings.aliases_path, default ``<archive_root>/aliases.yaml``) is a YAML
mapping from the current name to a list of old names::

    Xã Quang Kim: [Xã Quang Kim cũ, Xã Bản Xèo]
    Thôn An Thành: [Thôn An Thành 1, Thôn An Thành 2]

A search by any name of a group finds documents filed under every name of the group.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from docgen.errors import SearchError
from docgen.i18n import Msg
from docgen.search.analysis import folded_text, syllables

AliasGroups = tuple[tuple[str, ...], ...]  # each group: folded names, current first


def _folded(name: str) -> str:
    return " ".join(syllables(folded_text(name)))


def _bad(path: Path, detail: str) -> SearchError:
    return SearchError(
        Msg(f"danh sách tên cũ/mới không hợp lệ: {detail}", f"invalid alias list: {detail}"),
        file=str(path),
        hint=Msg("mỗi dòng: 'Tên hiện nay: [tên cũ 1, tên cũ 2]' (YAML)",
                 "one entry per current name: 'Current name: [old name 1, old name 2]' (YAML)"),
    )


def load_aliases(path: Path | None) -> AliasGroups:
    """Alias groups from ``path``; none when the file does not exist."""
    if path is None or not path.is_file():
        return ()
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise _bad(path, str(exc).splitlines()[0]) from exc
    if data is None:
        return ()
    if not isinstance(data, dict):
        raise _bad(path, "cần một bảng (mapping) tên hiện nay → danh sách tên cũ")
    groups = []
    for current, old in data.items():
        olds = [old] if isinstance(old, str) else (old or [])
        if not isinstance(olds, list):
            raise _bad(path, f"{current}: cần một danh sách tên cũ")
        names = [_folded(str(current)), *(_folded(str(o)) for o in olds)]
        groups.append(tuple(dict.fromkeys(n for n in names if n)))
    return tuple(groups)


def names_for(name: str, groups: AliasGroups) -> tuple[str, ...]:
    """Folded ``name`` plus every name of the groups it belongs to (contained or equal)."""
    folded = _folded(name)
    names = [folded]
    padded = f" {folded} "
    for group in groups:
        if any(padded.find(f" {n} ") >= 0 or f" {n} ".find(padded) >= 0 for n in group):
            for n in group:
                # Keep the part of the query outside the matched name ("chi bo thon X").
                for member in group:
                    if f" {member} " in padded:
                        names.append(padded.replace(f" {member} ", f" {n} ").strip())
                names.append(n)
    return tuple(dict.fromkeys(names))
