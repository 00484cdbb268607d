"""Which archived documents to print: by ids, by filters, or by a search query.

The filter is the one of `list`, `search` and `export` (docgen.archive.filters.DocFilter;
``Selection`` is its name here): the same conditions select the same documents, and a
query only narrows them, hit by hit, under the same rule.
"""

from __future__ import annotations

from docgen.archive.filters import DocFilter
from docgen.config import Settings
from docgen.model.meta import ArchivedDoc

Selection = DocFilter


def matches(doc: ArchivedDoc, sel: Selection) -> bool:
    """True when ``doc`` passes every filter of ``sel`` (the query aside)."""
    return sel.matches(doc)


def _by_query(settings: Settings, sel: Selection) -> list[str]:
    from docgen.search import search_ids

    return search_ids(settings, None, sel)


def select_documents(settings: Settings, sel: Selection) -> list[ArchivedDoc]:
    """The current archived documents ``sel`` designates.

    With ids: those documents, in the order given, that pass the other conditions
    (withdrawn ones only with ``include_withdrawn``). With a query: the search hits, best
    first, that pass them. Otherwise: the archive's listing, newest first. The cell's
    alias groups come from the settings (aliases.yaml) unless ``sel`` carries its own.
    """
    from docgen.archive import Archive

    if not sel.aliases:
        sel = sel.using(settings)
    archive = Archive(settings.archive_root)
    try:
        if sel.ids:
            docs = [archive.get(i) for i in dict.fromkeys(sel.ids)]
            return [d for d in docs if sel.matches(d)]
        if sel.text_query:
            hits = [archive.get(i) for i in _by_query(settings, sel)]
            return [d for d in hits if d.status == "current" and sel.matches(d)]
        from docgen.archive.records import archived

        return [archived(archive.root, rel, rec) for rel, rec in archive.matching(sel)]
    finally:
        archive.close()
