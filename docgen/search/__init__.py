"""Vietnamese full-text search over the archive (the only package that imports whoosh).

Public API: SearchIndex, SearchFilters, SearchResults, SearchHit, SearchError,
index_hook, search_ids, check_index, SCHEMA_VERSION.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Protocol

from docgen.config import Settings
from docgen.errors import SearchError
from docgen.i18n import Msg
from docgen.model.meta import ArchivedDoc, IndexHook
from docgen.search.index import SearchIndex
from docgen.search.results import SearchFilters, SearchHit, SearchResults
from docgen.search.schema import SCHEMA_VERSION

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
    "open_index",
    "search_ids",
]


def open_index(settings: Settings) -> SearchIndex:
    """The index at settings.index_path with the settings' alias list."""
    return SearchIndex(settings.index_path, aliases_path=settings.aliases_path)


class _IndexHook:
    """Keeps the index in step with the archive: one commit per call."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def documents_changed(self, docs: Sequence[ArchivedDoc]) -> None:
        index = open_index(self.settings)
        if index.exists() and index.needs_rebuild():
            return  # an outdated index is rebuilt by `docgen reindex`; search says so
        index.add_many(docs)
        index.close()


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


def index_hook(settings: Settings) -> IndexHook:
    return _IndexHook(settings)


def search_ids(settings: Settings, query: str | None, filters: SearchFilters,
               limit: int = 10000) -> list[str]:
    """Ids of the matching documents, best first (by date, newest first, without a query)."""
    index = open_index(settings)
    try:
        sort = "relevance" if query and query.strip() else "date"
        return index.ids(query, filters, sort=sort, limit=limit)
    finally:
        index.close()


def check_index(settings: Settings, docs: Iterable[ArchivedDoc]) -> list[Msg]:
    """Index drift for `docgen verify`; empty when there is no index."""
    index = open_index(settings)
    if not index.path.exists():
        return []
    if index.needs_rebuild():
        return [Msg("chỉ mục tìm kiếm cần xây dựng lại (docgen reindex)",
                    "the search index needs a rebuild (docgen reindex)")]
    try:
        return index.drift(docs)
    except SearchError as exc:
        return [exc.message]
    finally:
        index.close()
