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
    kinds: tuple[str, ...] = ()  # any of these kinds (empty: every kind)
    cell: str | None = None
    topic: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    query: str | None = None

    @property
    def filtered(self) -> bool:
        return bool(self.kinds) or any(v is not None for v in (self.cell, self.topic,
                                                               self.date_from, self.date_to))


def _same(a: str, b: str) -> bool:
    return nfc(a).strip().casefold() == nfc(b).strip().casefold()


def matches(doc: ArchivedDoc, sel: Selection) -> bool:
    """True when ``doc`` passes every filter of ``sel`` (the query aside)."""
    meta = doc.meta
    checks = (
        not sel.kinds or meta.kind in sel.kinds,
        sel.cell is None or _same(meta.cell, sel.cell),
        sel.topic is None or sel.topic in meta.topics,
        sel.date_from is None or meta.date >= sel.date_from,
        sel.date_to is None or meta.date <= sel.date_to,
    )
    return all(checks)


def _by_query(settings: Settings, sel: Selection) -> list[str]:
    from docgen.search import SearchFilters, search_ids

    kind = sel.kinds[0] if len(sel.kinds) == 1 else None
    filters = SearchFilters(kind=kind, cell=sel.cell, topic=sel.topic,
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
            hits = [archive.get(i) for i in _by_query(settings, sel)]
            return [d for d in hits if d.status == "current" and matches(d, sel)]
        found: list[ArchivedDoc] = []
        for kind in sel.kinds or (None,):
            found += archive.list(kind=kind, cell=sel.cell, topic=sel.topic,
                                  date_from=sel.date_from, date_to=sel.date_to)
        return found
    finally:
        archive.close()
