"""Turn a parsed query into scored documents with the engine."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from docgen.archive.filters import (
    AliasGroups,
    DocFilter,
    cell_matches,
    cell_names,
    kind_key,
    words_key,
)
from docgen.archive.filters import topic_ids as topic_ids_for
from docgen.errors import SearchError
from docgen.i18n import Msg
from docgen.search import query as q
from docgen.search.analysis import exact_text, folded_text, pair, syllables
from docgen.search.engine import Engine, Scores, boost_existing, intersect, union
from docgen.search.topicmatch import expansion_forms, find_topic_spans

TEXT_FIELDS = ("body", "title", "org")
PAIR_FIELDS = ("body", "title")
EXPANSION_WEIGHT = 0.6  # other forms of a topic (abbreviation ↔ full form ↔ synonyms)
TOPIC_TAG_WEIGHT = 1.0
PAIR_BONUS = 0.5
MAX_PREFIX_TERMS = 64


class QueryInfo:
    """What the query asked for, for ranking bonuses, snippets and suggestions."""

    __slots__ = ("folded_units", "exact_units", "plain_words")

    def __init__(self) -> None:
        self.folded_units: list[str] = []  # syllables and phrases to highlight
        self.exact_units: list[str] = []  # accented units typed by the user
        self.plain_words: list[str] = []  # folded bare words (did you mean)


class Evaluator:
    def __init__(self, engine: Engine, aliases: Callable[[], AliasGroups]) -> None:
        self.engine = engine
        self.aliases = aliases  # loaded only when a cell is searched
        self.info = QueryInfo()

    # leaves -----------------------------------------------------------------
    def syllable(self, syl: str, fields: tuple[str, ...] = TEXT_FIELDS) -> Scores:
        return self.engine.any_field_scores(fields, syl)

    def phrase(self, sylls: tuple[str, ...] | list[str], fields: tuple[str, ...] = TEXT_FIELDS,
               boost: float = 1.0) -> Scores:
        if len(sylls) == 1:
            return self.engine.any_field_scores(fields, sylls[0], boost)
        return intersect([self.engine.any_field_scores(fields, pair(a, b), boost)
                          for a, b in zip(sylls, sylls[1:], strict=False)])

    def topic_group(self, sylls: list[str], topic_ids: tuple[str, ...]) -> Scores:
        """The typed form OR the topic's other forms OR the topic tag."""
        parts = [self.phrase(sylls)]
        for topic_id in topic_ids:
            for form in expansion_forms(topic_id):
                if list(form) != sylls:
                    parts.append(self.phrase(form, boost=EXPANSION_WEIGHT))
                    self.info.folded_units.append(" ".join(form))
            parts.append(self.engine.term_scores("topics", topic_id, TOPIC_TAG_WEIGHT))
        return union(parts)

    def note(self, raw: str, sylls: list[str]) -> None:
        self.info.folded_units.append(" ".join(sylls))
        exact = " ".join(syllables(exact_text(raw)))
        if exact != " ".join(sylls):
            self.info.exact_units.append(exact)

    # nodes ------------------------------------------------------------------
    def words(self, node: q.Words) -> Scores:
        sylls = syllables(folded_text(" ".join(node.words)))
        if not sylls:
            return {}
        self.note(" ".join(node.words), sylls)
        self.info.plain_words.extend(sylls)
        spans = find_topic_spans(sylls)
        covered = {i for s in spans for i in range(s.start, s.end)}
        parts = [self.topic_group(sylls[s.start:s.end], s.topic_ids) for s in spans]
        parts += [self.syllable(s) for i, s in enumerate(sylls) if i not in covered]
        result = intersect(parts)
        for a, b in zip(sylls, sylls[1:], strict=False):
            if result:
                boost_existing(result, self.engine.any_field_scores(PAIR_FIELDS, pair(a, b), PAIR_BONUS))
        return result

    def phrase_node(self, node: q.Phrase, fields: tuple[str, ...] = TEXT_FIELDS) -> Scores:
        """A quoted phrase: exactly these syllables in a row (no topic expansion)."""
        sylls = syllables(folded_text(node.text))
        if not sylls:
            return {}
        self.note(node.text, sylls)
        return self.phrase(sylls, fields)

    def prefix(self, node: q.Prefix) -> Scores:
        stem = "".join(syllables(folded_text(node.stem)))
        self.info.folded_units.append(stem)
        reader = self.engine.searcher.reader()
        terms = []
        for term in reader.expand_prefix("body", stem):
            text = term.decode("utf-8") if isinstance(term, bytes) else term
            if "_" not in text:
                terms.append(text)
            if len(terms) >= MAX_PREFIX_TERMS:
                break
        return union([self.syllable(t) for t in terms])

    def field(self, node: q.FieldQ) -> Scores:
        name, value = node.name, node.value
        if name == "title":
            return self.phrase_node(q.Phrase(value), ("title",))
        return dict.fromkeys(self.filter_set(name, value), 0.0)

    def filter_set(self, name: str, value: str) -> set[int] | frozenset[int]:
        eng = self.engine
        if name == "topic":
            return union_sets(eng.doc_set("topics", t) for t in topic_ids_for(value))
        if name == "kind":
            return eng.doc_set("kind", kind_key(value))
        if name == "year":
            return eng.doc_set("year", value.strip())
        if name == "cell":
            return self.cell_set(value)
        if name in ("from", "to"):
            day = parse_day(value)
            days = eng.values("day")
            iso = day.isoformat()
            return {d for d, v in days.items() if (v >= iso if name == "from" else v <= iso)}
        raise AssertionError(name)  # the parser only lets known fields through

    def cell_set(self, value: str, groups: AliasGroups | None = None) -> set[int]:
        """Documents of the cells ``value`` names: the cell rule of
        docgen.archive.filters (its words in a row in the cell's name, or in another name
        of its alias group), over the index's cell names."""
        return self.cells_named(cell_names(value, self.aliases() if groups is None else groups))

    def cells_named(self, names: tuple[str, ...]) -> set[int]:
        eng = self.engine
        return union_sets(eng.doc_set("cell", term) for term in eng.terms("cell")
                          if cell_matches(term, names))

    def node(self, node: q.Node) -> Scores:
        if isinstance(node, q.Words):
            return self.words(node)
        if isinstance(node, q.Phrase):
            return self.phrase_node(node)
        if isinstance(node, q.Prefix):
            return self.prefix(node)
        if isinstance(node, q.FieldQ):
            return self.field(node)
        if isinstance(node, q.Not):
            live = self.engine.live()
            excluded = self.node(node.child)
            return {d: 0.0 for d in live if d not in excluded}
        if isinstance(node, q.Or):
            return union([self.node(c) for c in node.children])
        assert isinstance(node, q.And)
        positives = [c for c in node.children if not isinstance(c, q.Not)]
        negatives = [c for c in node.children if isinstance(c, q.Not)]
        result = intersect([self.node(c) for c in positives]) if positives else {
            d: 0.0 for d in self.engine.live()}
        for neg in negatives:
            assert isinstance(neg, q.Not)
            excluded = self.node(neg.child)
            result = {d: s for d, s in result.items() if d not in excluded}
        return result

    def conditions(self, filt: DocFilter) -> dict[str, set[int] | frozenset[int]]:
        """The documents each condition of ``filt`` lets through (its query aside), by the
        rule of docgen.archive.filters over the index's fields; only the conditions given.
        Keys: "ids", "kind", "cell", "topic", "days" (from/to), "year", "number". The
        filter's own alias groups, or else the index's alias list, widen its cell."""
        eng = self.engine
        sets: dict[str, set[int] | frozenset[int]] = {}
        if filt.ids:
            sets["ids"] = union_sets(eng.doc_set("id", i) for i in filt.ids)
        kinds = filt.kind_keys()
        if kinds:
            sets["kind"] = union_sets(eng.doc_set("kind", k) for k in kinds)
        if filt.cell_names() is not None:
            groups = filt.aliases or self.aliases()
            sets["cell"] = self.cells_named(filt.with_aliases(groups).cell_names() or ())
        if filt.scope is not None:  # the reader's cells, whole names (docgen.web permissions)
            allowed = set(filt.scope)
            sets["scope"] = union_sets(eng.doc_set("cell", term) for term in eng.terms("cell")
                                       if words_key(term) in allowed)
        topics = filt.topic_ids()
        if topics is not None:  # declared or suggested, as the facets count and topic: finds
            sets["topic"] = union_sets(eng.doc_set("topics", t) for t in topics)
        if filt.date_from is not None or filt.date_to is not None:
            lo = (filt.date_from or dt.date.min).isoformat()
            hi = (filt.date_to or dt.date.max).isoformat()
            sets["days"] = {d for d, v in eng.values("day").items() if lo <= v <= hi}
        if filt.year is not None:
            sets["year"] = eng.doc_set("year", str(filt.year))
        number = filt.number_condition()
        if number is not None:
            how, value = number
            sets["number"] = eng.doc_set("number" if how == "number" else "number_key", str(value))
        return sets


def intersect_sets(sets: Iterable[set[int] | frozenset[int]]) -> set[int] | None:
    """The documents in every one of ``sets`` (smallest first); None for no sets at all."""
    ordered = sorted(sets, key=len)
    if not ordered:
        return None
    found = set(ordered[0])
    for s in ordered[1:]:
        found &= s
    return found


def union_sets(sets: object) -> set[int]:
    out: set[int] = set()
    for s in sets:  # type: ignore[attr-defined]
        out |= s
    return out


def parse_day(value: str) -> dt.date:
    text = value.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise SearchError(
        Msg(f"ngày không hợp lệ: '{value}'", f"invalid date: '{value}'"),
        field="date",
        hint=Msg("viết ngày dạng 2023-05-31 hoặc 31/05/2023", "write dates as 2023-05-31 or 31/05/2023"),
    )
