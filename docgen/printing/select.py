"""Which archived documents to print: by ids, by filters, or by a search query."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from docgen.config import Settings
from docgen.model.meta import ArchivedDoc
from docgen.vn import nfc


@dataclass(frozen=True)
class Selection:
    """The same filters as search (all given conditions must hold)."""

    ids: tuple[str, ...] = ()
    kind: str | None = None
    cell: str | None = None
    topic: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    query: str | None = None

    @property
    def filtered(self) -> bool:
        return any(v is not None for v in (self.kind, self.cell, self.topic, self.date_from,
                                            self.date_to))


def _same(a: str, b: str) -> bool:
    return nfc(a).strip().casefold() == nfc(b).strip().casefold()


def matches(doc: ArchivedDoc, sel: Selection) -> bool:
    """True when ``doc`` passes every filter of ``sel`` (the query aside)."""
    meta = doc.meta
    checks = (
        sel.kind is None or meta.kind == sel.kind,
        sel.cell is None or _same(meta.cell, sel.cell),
        sel.topic is None or sel.topic in meta.topics,
        sel.date_from is None or meta.date >= sel.date_from,
        sel.date_to is None or meta.date <= sel.date_to,
    )
    return all(checks)


def _by_query(settings: Settings, sel: Selection) -> list[str]:
    from docgen.search import SearchFilters, search_ids

    filters = SearchFilters(kind=sel.kind, cell=sel.cell, topic=sel.topic,
                            date_from=sel.date_from, date_to=sel.date_to)
    return search_ids(settings, sel.query, filters)


def select_documents(settings: Settings, sel: Selection) -> list[ArchivedDoc]:
    """The current archived documents ``sel`` designates (ids keep their order)."""
    from docgen.archive import Archive

    archive = Archive(settings.archive_root)
    try:
        if sel.ids:
            docs: Sequence[ArchivedDoc] = [archive.get(i) for i in sel.ids]
            return [d for d in docs if matches(d, sel)]
        if sel.query and sel.query.strip():
            found = [archive.get(i) for i in _by_query(settings, sel)]
            return [d for d in found if d.status == "current" and matches(d, sel)]
        return list(archive.list(kind=sel.kind, cell=sel.cell, topic=sel.topic,
                                 date_from=sel.date_from, date_to=sel.date_to))
    finally:
        archive.close()
