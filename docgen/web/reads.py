"""Every read of the web app, limited to what the user may see.

The one place permissions are enforced for reading: a ``Reader`` is made for the
request's user; every catalog query, search, facet count, similar list, download and
book goes through it, and each limits the one filter (docgen.archive.filters) to the
user's cells with ``DocFilter.scope``. A document outside the scope is "not found",
exactly as one that does not exist (its existence is not revealed).
"""

from __future__ import annotations

import builtins
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen.accounts import User
from docgen.archive import Archive
from docgen.archive.filters import DocFilter
from docgen.archive.records import INPUT_FILE, archived
from docgen.cells import CellEntry, Cells, scope_of
from docgen.config import Settings
from docgen.errors import ArchiveError, SearchError
from docgen.i18n import Msg
from docgen.model.meta import ArchivedDoc
from docgen.search import SearchIndex, SearchResults, open_index

NOT_FOUND = Msg("không có văn bản này, hoặc bạn không có quyền xem", "no such document, or you may not see it")
CATCH_UP_EVERY = 1.0  # seconds: the shared index looks at the archive at most this often


class NotVisible(ArchiveError):
    """The document does not exist or lies outside the reader's cells (HTTP 404)."""


@dataclass
class SharedIndex:
    """One search index for the whole server, caught up with the archive before a search
    (at most every CATCH_UP_EVERY seconds), used by one request at a time."""

    settings: Settings
    lock: threading.RLock = field(default_factory=threading.RLock)
    _index: SearchIndex | None = None
    _checked: float = 0.0

    @contextmanager
    def ready(self) -> Iterator[SearchIndex]:
        with self.lock:
            if self._index is None:
                self._index = open_index(self.settings)
            now = time.monotonic()
            if now - self._checked >= CATCH_UP_EVERY:
                archive = Archive(self.settings.archive_root, per_year=self.settings.numbering_per_year)
                try:
                    small = self._index.usable() or sum(1 for _ in archive.iter_current()) <= 20000
                    self._index.catch_up(archive, rebuild=small)
                finally:
                    archive.close()
                self._checked = now
            yield self._index

    def changed(self) -> None:
        """A write of this server: the next search looks at the archive again."""
        self._checked = 0.0

    def close(self) -> None:
        with self.lock:
            if self._index is not None:
                self._index.close()
                self._index = None


class Reader:
    """What ``user`` may read of the archive of ``settings``."""

    def __init__(self, settings: Settings, user: User, index: SharedIndex) -> None:
        self.settings = settings
        self.user = user
        self.index = index
        self.cells = Cells(settings)
        self._entries: builtins.list[CellEntry] | None = None
        self._archive: Archive | None = None

    # the user's cells ------------------------------------------------------------
    def all_cells(self) -> builtins.list[CellEntry]:
        if self._entries is None:
            self._entries = self.cells.entries()
        return self._entries

    def my_cells(self) -> builtins.list[CellEntry]:
        """The cells this user reads (every cell for the admin and committee staff)."""
        if self.user.reads_all:
            return self.all_cells()
        return [c for c in self.all_cells() if c.id in self.user.cells]

    def writable_cells(self) -> builtins.list[CellEntry]:
        return [c for c in self.all_cells() if self.user.writes(c.id)]

    def cell(self, cell_id: str) -> CellEntry:
        """One of the user's cells (NotVisible otherwise)."""
        for entry in self.my_cells():
            if entry.id == cell_id:
                return entry
        raise NotVisible(Msg("không có chi bộ này, hoặc bạn không có quyền xem",
                             "no such cell, or you may not see it"))

    @property
    def scope(self) -> tuple[str, ...] | None:
        return None if self.user.reads_all else scope_of(self.my_cells())

    def cell_of(self, doc: ArchivedDoc) -> CellEntry | None:
        for entry in self.all_cells():
            if entry.owns(doc.meta.cell):
                return entry
        return None

    def can_write(self, doc: ArchivedDoc) -> bool:
        entry = self.cell_of(doc)
        return entry is not None and self.user.writes(entry.id)

    # the archive -------------------------------------------------------------------
    def archive(self) -> Archive:
        if self._archive is None:
            self._archive = Archive(self.settings.archive_root, per_year=self.settings.numbering_per_year)
        return self._archive

    def close(self) -> None:
        if self._archive is not None:
            self._archive.close()
            self._archive = None

    def scoped(self, filt: DocFilter) -> DocFilter:
        return filt.scoped(self.scope)

    def list(self, filt: DocFilter, limit: int | None = None) -> list[ArchivedDoc]:
        """Current versions matching ``filt`` within the user's cells, newest first."""
        rows = self.archive().matching(self.scoped(filt), limit)
        return [archived(self.settings.archive_root, rel, rec) for rel, rec in rows]

    def records(self, filt: DocFilter, limit: int | None = None
                ) -> builtins.list[tuple[str, dict[str, Any]]]:
        """(relpath, meta.json dict) of what ``list`` gives (the API shows the records)."""
        return self.archive().matching(self.scoped(filt), limit)

    def record(self, doc: ArchivedDoc) -> dict[str, Any]:
        """The meta.json of ``doc``'s current version (``doc`` from ``get``: visible)."""
        if not self.scoped(DocFilter()).in_scope(doc.meta.cell):
            raise NotVisible(NOT_FOUND)
        return dict(self.archive().record(doc.id))

    def count(self, filt: DocFilter) -> int:
        return self.archive().count(self.scoped(filt))

    def get(self, doc_id: str) -> ArchivedDoc:
        """The current version of ``doc_id``; NotVisible when absent or outside the scope."""
        try:
            doc = self.archive().get(doc_id)
        except ArchiveError as exc:
            raise NotVisible(NOT_FOUND) from exc
        if not self.scoped(DocFilter()).in_scope(doc.meta.cell):
            raise NotVisible(NOT_FOUND)
        return doc

    def history(self, doc_id: str) -> builtins.list[ArchivedDoc]:
        self.get(doc_id)
        return self.archive().history(doc_id)

    def version(self, doc_id: str, version: int) -> ArchivedDoc:
        for doc in self.history(doc_id):
            if doc.version == version:
                return doc
        raise NotVisible(NOT_FOUND)

    def text(self, doc: ArchivedDoc) -> str:
        return self.archive().with_text(doc).text

    def input_of(self, doc: ArchivedDoc) -> Path:
        """The filed input (input.yaml) of a version the reader may see."""
        return doc.folder / INPUT_FILE

    # search ----------------------------------------------------------------------
    def search(self, query: str | None, filt: DocFilter, sort: str = "relevance",
               limit: int = 10, page: int = 1) -> SearchResults:
        with self.index.ready() as index:
            return index.search(query, self.scoped(filt), sort=sort, limit=limit, page=page)

    def ids(self, query: str | None, filt: DocFilter, sort: str = "relevance",
            limit: int = 10000) -> builtins.list[str]:
        """The ids of the best ``limit`` matches of a search (no snippets, no facets): the
        same matches ``search`` pages through, within the user's cells."""
        with self.index.ready() as index:
            return index.ids(query, self.scoped(filt), sort=sort, limit=limit)

    def similar(self, doc_id: str, limit: int = 5) -> SearchResults:
        self.get(doc_id)
        try:
            with self.index.ready() as index:
                return index.similar(doc_id, limit=limit, filters=self.scoped(DocFilter()))
        except SearchError:
            return SearchResults((), 0)
