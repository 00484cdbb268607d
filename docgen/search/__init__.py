"""Vietnamese full-text search over the archive (the only package that imports whoosh).

Public API: SearchIndex, SearchFilters (= docgen.archive.filters.DocFilter, the one filter
of list, search, print and export), SearchResults, SearchHit, SearchError, index_hook,
ready_index, search_ids, check_index, SCHEMA_VERSION.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from docgen.config import Settings
from docgen.errors import ArchiveError, SearchError
from docgen.i18n import Msg
from docgen.model.meta import ArchivedDoc, IndexHook
from docgen.search.index import SearchIndex
from docgen.search.results import SearchFilters, SearchHit, SearchResults
from docgen.search.schema import SCHEMA_VERSION
from docgen.search.sync import Notify, SyncResult

__all__ = [
    "SCHEMA_VERSION",
    "SearchError",
    "SearchFilters",
    "SearchHit",
    "SearchIndex",
    "SearchResults",
    "changed_since",
    "check_index",
    "index_hook",
    "index_leftovers",
    "open_index",
    "ready_index",
    "search_ids",
]


def open_index(settings: Settings) -> SearchIndex:
    """The index at settings.index_path with the settings' alias list (not caught up:
    see ``ready_index``)."""
    return SearchIndex(settings.index_path, aliases_path=settings.aliases_path)


def _archive(settings: Settings) -> Any:
    from docgen.archive import Archive

    return Archive(settings.archive_root, per_year=settings.numbering_per_year)


def _caught_up(settings: Settings, index: SearchIndex, notify: Notify | None = None,
               rebuild: bool = True) -> SyncResult:
    archive = _archive(settings)
    try:
        return index.catch_up(archive, notify=notify, rebuild=rebuild)
    finally:
        archive.close()


def ready_index(settings: Settings, notify: Notify | None = None) -> SearchIndex:
    """The index, first brought up to date with the archive (``catch_up``).

    What could not be done now (busy, read-only, damaged) is said through ``notify``;
    the index then answers as it is.
    """
    if not settings.archive_root.is_dir():
        raise ArchiveError(
            Msg(f"không có kho lưu trữ tại {settings.archive_root}",
                f"there is no archive at {settings.archive_root}"),
            file=str(settings.archive_root),
            hint=Msg("kiểm tra --archive hoặc `archive` trong docgen.toml; kho được tạo khi lưu "
                     "văn bản đầu tiên (docgen new)",
                     "check --archive or `archive` in docgen.toml; an archive is created by "
                     "filing its first document (docgen new)"))
    index = open_index(settings)
    result = _caught_up(settings, index, notify)
    if result.note is not None and notify is not None:
        notify(result.note)
    return index


class _IndexHook:
    """Keeps the index in step with the archive after each change (catch_up)."""

    def __init__(self, settings: Settings, notify: Notify | None = None,
                 rebuild_limit: int = 2000) -> None:
        self.settings = settings
        self.notify = notify
        self.rebuild_limit = rebuild_limit
        self.notes: list[Msg] = []

    def documents_changed(self, docs: Sequence[ArchivedDoc]) -> None:
        try:
            self._catch_up()
        except Exception as exc:  # noqa: BLE001 - the documents are filed; never fail for the cache
            self.notes.append(Msg(
                f"đã lưu vào kho nhưng chưa cập nhật được chỉ mục tìm kiếm "
                f"({type(exc).__name__}: {exc}); chỉ mục sẽ tự cập nhật ở lệnh tìm kiếm sau",
                f"filed in the archive, but the search index could not be updated "
                f"({type(exc).__name__}: {exc}); it catches up with the next search"))

    def _catch_up(self) -> None:
        index = open_index(self.settings)
        archive = _archive(self.settings)
        try:
            small = index.usable() or sum(1 for _ in archive.iter_current()) <= self.rebuild_limit
            result = index.catch_up(archive, notify=self.notify, rebuild=small)
        finally:
            archive.close()
            index.close()
        if result.note is not None:
            self.notes.append(Msg(
                f"đã lưu vào kho; {result.note.vi}", f"filed in the archive; {result.note.en}"))


class _DocSource(Protocol):
    def iter_current(self, with_text: bool = False) -> Iterator[ArchivedDoc]: ...

    def with_text(self, doc: ArchivedDoc) -> ArchivedDoc: ...


def changed_since(archive: _DocSource, states: dict[str, tuple[str, int]]) -> Iterator[ArchivedDoc]:
    """Documents of ``archive`` whose state differs from ``states`` (id → (sha256, version)).

    New or amended current documents come with their text; documents withdrawn since
    come as they are (the index removes them). Reads the catalog, then only the texts
    of the changed documents.
    """
    for doc in archive.iter_current():
        if doc.status == "current":
            if states.get(doc.id) != (doc.docx_sha256, doc.version):
                yield archive.with_text(doc)
        elif doc.id in states:
            yield doc


def index_hook(settings: Settings, notify: Notify | None = None) -> IndexHook:
    return _IndexHook(settings, notify)


def search_ids(settings: Settings, query: str | None, filters: SearchFilters,
               limit: int = 10000, notify: Notify | None = None) -> list[str]:
    """Ids of the matching documents, best first (by date, newest first, without a query).

    ``query`` and the filter's own query must both hold."""
    index = ready_index(settings, notify)
    try:
        asked = (query and query.strip()) or filters.text_query
        sort = "relevance" if asked else "date"
        return index.ids(query, filters, sort=sort, limit=limit)
    finally:
        index.close()


def index_leftovers(settings: Settings) -> list[Path]:
    """Folders a killed `docgen reindex` left beside the index (`docgen gc` removes them)."""
    return open_index(settings).leftovers()


def check_index(settings: Settings, docs: Iterable[ArchivedDoc]) -> list[Msg]:
    """Index problems for `docgen verify`, after the index caught up with the archive:
    a missing or unusable index, and drift (``index_leftovers``: what a killed rebuild
    left behind).

    The index's states are read under the writers' lock right after catching up, at a
    known change number; the archive is read after that, and the documents changed since
    that number (filings going on beside verify) are left out of the comparison. ``docs``
    is read only when the index cannot be brought up to date.
    """
    index = open_index(settings)
    problems: list[Msg] = []
    result = _caught_up(settings, index, rebuild=False)
    if not index.usable():
        if any(True for _ in docs):
            problems.append(Msg(
                "không có chỉ mục tìm kiếm dùng được (thiếu, hỏng hoặc cũ): lệnh tìm kiếm "
                "tiếp theo sẽ tự xây dựng lại từ kho (hoặc chạy docgen reindex ngay)",
                "there is no usable search index (missing, damaged or outdated): the next "
                "search rebuilds it from the archive (or run docgen reindex now)"))
        return problems
    archive = _archive(settings)
    try:
        found = index.caught_up_states(archive)
        if found is None:
            if result.note is not None:
                problems.append(result.note)
            problems.extend(index.drift(docs))
            return problems
        states, seq = found
        current = list(archive.iter_current())
        changed = frozenset(doc_id for doc_id, _ in archive.changes_after(seq))
        problems.extend(index.drift(current, states, changed))
    except SearchError as exc:
        problems.append(exc.message)
    finally:
        archive.close()
        index.close()
    return problems
