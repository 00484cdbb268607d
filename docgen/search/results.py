"""What a search returns: filters, hits, facets."""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from docgen.archive.filters import DocFilter

# Narrow a search: the one filter of list, search, print and export (all given
# conditions must hold; the cell also matches old names). See docgen.archive.filters.
SearchFilters = DocFilter


class SearchHit(NamedTuple):
    """One document found (a NamedTuple: a dataclass costs each search's start-up more)."""

    id: str
    kind: str
    number_text: str
    date: dt.date
    cell: str
    title: str
    topics: tuple[str, ...]  # declared and suggested (the topics search matches)
    score: float
    snippets: tuple[str, ...] = ()  # matched words wrapped in ** **

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "number": self.number_text,
                "date": self.date.isoformat(), "cell": self.cell, "title": self.title,
                "topics": list(self.topics), "score": round(self.score, 4),
                "snippets": list(self.snippets)}


class SearchResults:
    """A page of hits, the total, the facets (value → count among all the hits: applying
    the facet's option gives that many) and a spelling suggestion."""

    __slots__ = ("hits", "total", "page", "limit", "facets", "did_you_mean")

    def __init__(self, hits: tuple[SearchHit, ...], total: int, page: int = 1, limit: int = 10,
                 facets: dict[str, dict[str, int]] | None = None,
                 did_you_mean: str | None = None) -> None:
        self.hits = hits
        self.total = total
        self.page = page
        self.limit = limit
        self.facets: dict[str, dict[str, int]] = {} if facets is None else facets  # topic/kind/cell/year
        self.did_you_mean = did_you_mean

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SearchResults) and all(
            getattr(self, name) == getattr(other, name) for name in self.__slots__)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (f"SearchResults(total={self.total}, page={self.page}, limit={self.limit}, "
                f"hits={self.hits!r}, facets={self.facets!r}, did_you_mean={self.did_you_mean!r})")

    def to_json(self) -> dict[str, Any]:
        return {"total": self.total, "page": self.page, "limit": self.limit,
                "hits": [h.to_json() for h in self.hits], "facets": self.facets,
                "did_you_mean": self.did_you_mean}
