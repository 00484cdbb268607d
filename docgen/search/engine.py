"""Fast scoring over whoosh postings: whole posting blocks into dicts, BM25 in Python.

Whoosh's per-posting matcher machinery costs several microseconds a document; reading
whole posting blocks and combining dicts and sets keeps a query over 50,000 documents in
the tens of milliseconds. Filters (kind, cell, year, topic, day) are cached as sets for
the life of a searcher.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Iterable
from itertools import accumulate, repeat
from typing import Any

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.matching import ListMatcher
from whoosh.util.numeric import byte_to_length

from docgen.search.schema import FIELD_WEIGHTS

K1 = 1.2
B = 0.6
_BYTE_LENGTHS = [float(byte_to_length(i)) for i in range(256)]

Scores = dict[int, float]


def _leaf_postings(reader: Any, field: str, term: str, base: int, out: dict[int, float]) -> None:
    """Add (docnum + base → weight) of ``term`` in one segment to ``out``."""
    tbytes = term.encode("utf-8")
    terms = getattr(reader, "_terms", None)  # None: whoosh's EmptyReader (no segment yet)
    if terms is None or (field, tbytes) not in terms:
        return
    matcher = terms.matcher(field, tbytes, reader.schema[field].format)
    deleted = reader.deleted_docs_set if reader.has_deletions() else None
    if isinstance(matcher, W3LeafMatcher):
        _read_blocks(matcher, base, out)
    elif isinstance(matcher, ListMatcher) and matcher._weights is not None:  # inlined postings
        ids = [i + base for i in matcher._ids] if base else matcher._ids
        out.update(zip(ids, matcher._weights, strict=True))
    else:
        while matcher.is_active():
            out[matcher.id() + base] = matcher.weight()
            matcher.next()
    if deleted:
        for docnum in deleted:
            out.pop(docnum + base, None)


def _read_blocks(matcher: Any, base: int, out: dict[int, float]) -> None:
    """Every block of a W3 posting list, decoded with C-level passes.

    whoosh's own ``_read_ids`` undoes the delta encoding with a Python generator (about a
    third of a query's time on common words); ``itertools.accumulate`` does it in C.
    """
    while True:
        if matcher._data is None:
            matcher._read_data()
        deltas, weights = matcher._data[0], matcher._data[1]
        ids: Iterable[int] = accumulate(deltas)
        if base:
            ids = map(base.__add__, ids)
        if weights is None:
            out.update(zip(ids, repeat(1.0)))
        elif isinstance(weights, float):
            out.update(zip(ids, repeat(weights)))
        else:
            out.update(zip(ids, weights, strict=True))
        if matcher._lastblock:
            return
        matcher._goto(matcher._nextoffset)


class Engine:
    """Scoring and filter caches for one whoosh searcher (one index generation)."""

    def __init__(self, searcher: Any) -> None:
        self.searcher = searcher
        self.leaves: list[tuple[Any, int]] = [(s.reader(), base) for s, base in searcher.leaf_searchers()]
        self.doc_count_all = searcher.reader().doc_count_all()
        self.doc_count = max(1, searcher.doc_count())
        self._norms: dict[str, list[float]] = {}
        self._sets: OrderedDict[tuple[str, str], frozenset[int]] = OrderedDict()
        self._live: frozenset[int] | None = None
        self._values: dict[str, dict[int, str]] = {}
        self._days: list[str] | None = None
        self._terms: dict[str, list[str]] = {}

    # postings ---------------------------------------------------------------
    def postings(self, field: str, term: str) -> dict[int, float]:
        out: dict[int, float] = {}
        for reader, base in self.leaves:
            _leaf_postings(reader, field, term, base, out)
        return out

    def doc_set(self, field: str, term: str) -> frozenset[int]:
        """Docnums having ``term`` in ``field`` (cached; for filters and facets)."""
        key = (field, term)
        found = self._sets.get(key)
        if found is None:
            found = frozenset(self.postings(field, term))
            self._sets[key] = found
            if len(self._sets) > 4096:
                self._sets.popitem(last=False)
        return found

    def doc_frequency(self, field: str, term: str) -> int:
        """Documents (deleted ones included) having ``term`` in ``field``: one lookup a segment."""
        tbytes = term.encode("utf-8")
        total = 0
        for reader, _base in self.leaves:
            terms = getattr(reader, "_terms", None)  # None: an empty index
            if terms is not None and (field, tbytes) in terms:
                total += terms.doc_frequency(field, tbytes)
        return total

    def terms(self, field: str) -> list[str]:
        """The field's terms (cached: used for the small fields of filters and facets)."""
        found = self._terms.get(field)
        if found is None:
            reader = self.searcher.reader()
            found = [t.decode("utf-8") if isinstance(t, bytes) else t for t in reader.lexicon(field)]
            self._terms[field] = found
        return found

    def live(self) -> frozenset[int]:
        if self._live is None:
            self._live = frozenset(self.searcher.reader().all_doc_ids())
        return self._live

    def values(self, field: str) -> dict[int, str]:
        """docnum → the (single) term of ``field``: for sorting and facets."""
        found = self._values.get(field)
        if found is None:
            found = {}
            for term in self.terms(field):
                for docnum in self.doc_set(field, term):
                    found[docnum] = term
            self._values[field] = found
        return found

    def day_list(self) -> list[str]:
        """docnum → the ISO day of the document ("" when unknown): for date ordering."""
        if self._days is None:
            days = [""] * self.doc_count_all
            for docnum, value in self.values("day").items():
                days[docnum] = value
            self._days = days
        return self._days

    # scoring ----------------------------------------------------------------
    def _norm(self, field: str) -> list[float]:
        """Per-document BM25 length factor K1 * (1 - B + B * length / average).

        The average is taken over the live documents' stored (one-byte) lengths, so it
        depends only on which documents the index holds, not on its history: whoosh's
        ``field_length`` still counts deleted documents until a merge, and a merge sums
        the quantised lengths where a fresh segment sums the exact ones.
        """
        found = self._norms.get(field)
        if found is not None:
            return found
        lengths = [-1.0] * self.doc_count_all  # -1: no stored length (no normalisation)
        known = False
        for reader, base in self.leaves:
            try:
                column = reader._perdoc.column_reader(f"_{field}_len", LENGTHS_COLUMN)
                raw = list(column.load()) if hasattr(column, "load") else list(column)
            except Exception:  # noqa: BLE001 - no length column: no length normalisation
                continue
            known = True
            lengths[base:base + len(raw)] = [_BYTE_LENGTHS[int(byte)] for byte in raw]
        if not known:
            norms = [K1] * self.doc_count_all
        else:
            total = sum(n for n in map(lengths.__getitem__, self.live()) if n > 0) or 1.0
            avg = max(1.0, total / self.doc_count)
            norms = [K1 * (1 - B + B * n / avg) if n >= 0 else K1 for n in lengths]
        self._norms[field] = norms
        return norms

    def idf(self, df: int) -> float:
        n = self.doc_count
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def term_scores(self, field: str, term: str, boost: float = 1.0) -> Scores:
        """BM25 scores of ``term`` in ``field`` (times the field weight and ``boost``)."""
        posts = self.postings(field, term)
        if not posts:
            return {}
        weight = self.idf(len(posts)) * FIELD_WEIGHTS.get(field, 1.0) * boost * (K1 + 1)
        if field == "topics":
            return {d: weight / (1 + K1) * 2 for d in posts}
        norms = self._norm(field)
        return {d: weight * tf / (tf + norms[d]) for d, tf in posts.items()}

    def any_field_scores(self, fields: Iterable[str], term: str, boost: float = 1.0) -> Scores:
        parts = [part for part in (self.term_scores(f, term, boost) for f in fields) if part]
        return union(parts)


def intersect(parts: list[Scores]) -> Scores:
    if not parts:
        return {}
    parts = sorted(parts, key=len)
    result = dict(parts[0])
    for part in parts[1:]:
        result = {d: s + part[d] for d, s in result.items() if d in part}
        if not result:
            break
    return result


def union(parts: list[Scores]) -> Scores:
    """Sum of the score dicts (missing = 0); the first part's keys come first."""
    if not parts:
        return {}
    order = sorted(range(len(parts)), key=lambda i: len(parts[i]), reverse=True)
    result = dict(parts[order[0]])
    for i in order[1:]:
        part = parts[i]
        common = part.keys() & result.keys()
        for d in common:
            result[d] += part[d]
        if len(common) < len(part):
            result.update((d, s) for d, s in part.items() if d not in common)
    return result


def boost_existing(base: Scores, bonus: Scores) -> None:
    """Add ``bonus`` to the documents already in ``base`` (AND-MAYBE)."""
    if len(bonus) < len(base):
        for d, s in bonus.items():
            if d in base:
                base[d] += s
    else:
        for d in base:
            extra = bonus.get(d)
            if extra:
                base[d] += extra
