"""What a search returns: filters, hits, facets."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from docgen.archive.filters import DocFilter

# Narrow a search: the one filter of list, search, print and export (all given
# conditions must hold; the cell also matches old names). See docgen.archive.filters.
SearchFilters = DocFilter


@dataclass(frozen=True)
class SearchHit:
    id: str
    kind: str
    number_text: str
    date: dt.date
    cell: str
    title: str
    topics: tuple[str, ...]
    score: float
    snippets: tuple[str, ...] = ()  # matched words wrapped in ** **

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "number": self.number_text,
                "date": self.date.isoformat(), "cell": self.cell, "title": self.title,
                "topics": list(self.topics), "score": round(self.score, 4),
                "snippets": list(self.snippets)}


@dataclass(frozen=True)
class SearchResults:
    hits: tuple[SearchHit, ...]
    total: int
    page: int = 1
    limit: int = 10
    facets: dict[str, dict[str, int]] = field(default_factory=dict)  # topic/kind/cell/year
    did_you_mean: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"total": self.total, "page": self.page, "limit": self.limit,
                "hits": [h.to_json() for h in self.hits], "facets": self.facets,
                "did_you_mean": self.did_you_mean}
