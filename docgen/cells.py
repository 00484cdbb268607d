"""The cells of one archive: a commune's archive holds the papers of many chi bộ.

Each cell has an id (``an-thanh``: lower-case letters, digits and hyphens) and its own
profile and roster, kept at ``<archive>/cells/<id>/profile.yaml`` (``docgen cells add``,
the web app's administration screen). The single-cell layout of before keeps working: the
profile of the settings (``--profile``, ``profile.yaml``) is one more cell, listed under
its name's id, unless a registered cell has the same name.

A paper belongs to the cell whose names (today's and the earlier ones of ``cell.history``)
include the cell name printed on it (``DocMeta.cell``), compared folded word by word.
These names are what the web app's permissions pass to the one filter as its ``scope``.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from docgen.archive import audit
from docgen.archive.filters import words_key
from docgen.archive.fsutil import archive_lock
from docgen.archive.ids import cell_slug
from docgen.config import Settings
from docgen.errors import ConfigError, InputError
from docgen.fsio import write_bytes_atomic
from docgen.i18n import Msg
from docgen.model.profile import Profile, load_profile

CELLS_DIR = "cells"
log = logging.getLogger("docgen.cells")
PROFILE_NAME = "profile.yaml"
CELL_ID = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")
ID_HINT = Msg("mã chi bộ gồm chữ thường không dấu, chữ số và gạch nối, vd. an-thanh",
              "a cell id is lower-case letters without accents, digits and hyphens, e.g. an-thanh")


@dataclass(frozen=True)
class CellEntry:
    """One cell of the archive."""

    id: str
    name: str  # today's name as printed: "CHI BỘ THÔN AN THÀNH"
    superior: str
    profile_path: Path
    names: tuple[str, ...]  # every name it has had, as words_key gives them
    registered: bool  # False: the settings' own profile (the single-cell layout)

    def profile(self) -> Profile:
        return load_profile(self.profile_path)

    def owns(self, cell_name: str) -> bool:
        """True when a paper printed with ``cell_name`` is this cell's."""
        return words_key(cell_name) in self.names


def names_of(profile: Profile) -> tuple[str, ...]:
    """Every name the profile's cell has had (today's and ``cell.history``'s), folded:
    its papers are those printed with one of them."""
    names = [words_key(profile.cell.name)]
    names += [words_key(cell.name) for _, cell in profile.cell_history]
    return tuple(dict.fromkeys(n for n in names if n))


_SEEN: dict[tuple[str, str, int, int, bool], CellEntry] = {}
_SEEN_LOCK = threading.Lock()


def _entry(cell_id: str, path: Path, registered: bool) -> CellEntry:
    """The cell of a profile file, parsed again only when the file changed (the web app
    asks on every request: parsing four profiles took 100 ms a request)."""
    st = path.stat()
    key = (cell_id, str(path.resolve()), st.st_mtime_ns, st.st_size, registered)
    with _SEEN_LOCK:
        found = _SEEN.get(key)
    if found is not None:
        return found
    profile = load_profile(path)
    entry = CellEntry(cell_id, profile.cell.name, profile.cell.superior, path,
                      names_of(profile), registered)
    with _SEEN_LOCK:
        if len(_SEEN) > 4096:
            _SEEN.clear()
        _SEEN[key] = entry
    return entry


def default_id(name: str) -> str:
    """A cell id made from its name: "CHI BỘ THÔN AN THÀNH" → "an-thanh"."""
    return cell_slug(name)[:40].strip("-") or "chi-bo"


class Cells:
    """The cells of the archive of ``settings`` (read afresh on every call: a few files)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.folder = settings.archive_root / CELLS_DIR

    def registered(self) -> list[CellEntry]:
        if not self.folder.is_dir():
            return []
        out = []
        for sub in sorted(self.folder.iterdir()):
            path = sub / PROFILE_NAME
            if CELL_ID.match(sub.name) and path.is_file():
                try:
                    out.append(_entry(sub.name, path, True))
                except (InputError, ConfigError) as exc:
                    # one broken profile must not stop the other cells: its papers are
                    # nobody's until it is mended (``broken`` lists it for the admin)
                    log.warning("cell %s: %s", sub.name, exc.render("en").replace("\n", " "))
        return out

    def broken(self) -> list[tuple[str, str]]:
        """(cell id, the problem) of every registered cell whose profile cannot be read."""
        found = []
        if self.folder.is_dir():
            for sub in sorted(self.folder.iterdir()):
                path = sub / PROFILE_NAME
                if CELL_ID.match(sub.name) and path.is_file():
                    try:
                        _entry(sub.name, path, True)
                    except (InputError, ConfigError) as exc:
                        found.append((sub.name, exc.render(self.settings.lang)))
        return found

    def entries(self) -> list[CellEntry]:
        """Every cell: the registered ones, then the settings' profile when it is another."""
        found = self.registered()
        own = self.settings.profile_path
        if own.is_file() and not any(e.profile_path.resolve() == own.resolve() for e in found):
            try:
                named = _entry("", own, False)
                legacy = replace(named, id=default_id(named.name))
            except (InputError, ConfigError):
                legacy = None  # a broken profile.yaml: the CLI says so where it is used
            taken = {e.id for e in found}
            if legacy is not None and not any(set(e.names) & set(legacy.names) for e in found):
                if legacy.id in taken:
                    legacy = replace(legacy, id=f"{legacy.id[:38].strip('-')}-1")
                found.append(legacy)
        return found

    def get(self, cell_id: str) -> CellEntry:
        for entry in self.entries():
            if entry.id == cell_id:
                return entry
        known = ", ".join(e.id for e in self.entries()) or "—"
        raise ConfigError(Msg(f"không có chi bộ mã {cell_id!r} trong kho",
                              f"no cell with id {cell_id!r} in the archive"),
                          hint=Msg(f"các chi bộ có: {known} (docgen cells list)",
                                   f"the cells are: {known} (docgen cells list)"))

    def cell_of(self, cell_name: str) -> CellEntry | None:
        """The cell a paper printed with ``cell_name`` belongs to."""
        for entry in self.entries():
            if entry.owns(cell_name):
                return entry
        return None

    def add(self, cell_id: str | None, profile_src: Path, actor: str = "") -> CellEntry:
        """Register a cell from a profile.yaml (checked first); its id defaults to its name's.
        The archive's audit log records it with ``actor`` (whoever added it)."""
        profile = load_profile(profile_src)  # InputError naming the file and the field
        cell_id = cell_id or default_id(profile.cell.name)
        if not CELL_ID.match(cell_id):
            raise InputError(Msg(f"mã chi bộ không hợp lệ: {cell_id!r}", f"invalid cell id: {cell_id!r}"),
                             hint=ID_HINT, field="id")
        names = set(names_of(profile))
        with archive_lock(self.settings.archive_root):
            for other in self.registered():  # the settings' own profile may be registered
                if other.id == cell_id:
                    raise InputError(Msg(f"đã có chi bộ mã {cell_id}", f"a cell with id {cell_id} exists"),
                                     hint=Msg("chọn mã khác", "choose another id"), field="id")
                if names & set(other.names):
                    raise InputError(
                        Msg(f"chi bộ “{profile.cell.name}” đã có trong kho (mã {other.id})",
                            f"the cell “{profile.cell.name}” is already in the archive (id {other.id})"),
                        hint=Msg("mỗi chi bộ chỉ đăng ký một lần; sửa hồ sơ của nó thay vì thêm mới",
                                 "register each cell once; edit its profile instead"),
                        file=str(profile_src))
            target = self.folder / cell_id / PROFILE_NAME
            target.parent.mkdir(parents=True, exist_ok=True)
            write_bytes_atomic(target, profile_src.read_bytes(), sync=True)
            audit.append(self.settings.archive_root, {
                "at": audit.utc_now(), "user": actor or self.settings.user or "unknown",
                "op": "cell-add", "cell": cell_id, "name": profile.cell.name})
        return _entry(cell_id, target, True)


def scope_of(entries: Iterable[CellEntry]) -> tuple[str, ...]:
    """Every name of ``entries``: the one filter's ``scope`` for them."""
    return tuple(dict.fromkeys(n for e in entries for n in e.names))
