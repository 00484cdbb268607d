"""Bulk-built segments are ordinary whoosh segments: whoosh's own writer adds, deletes,
merges and optimizes over them, and the index then answers exactly as a fresh rebuild does.

Index A is rebuilt through the parallel bulk path (two workers, several segments holding
inline, one-block and multi-block posting lists), then receives 200 single filings,
amendments and withdrawals, one ``add_many`` commit each (whoosh's MERGE_SMALL policy merges
small segments on these commits, bulk ones included), then an optimize. Index B is rebuilt
from scratch with the final documents. Every query of the quality test set
(tests/search/test_eval.py), with relevance and date order, a few more filters and plain
listings, must give the same ids in the same order, the same scores, totals and facets in
both, before the optimize as well as after it; after the optimize the merged index must
hold exactly B's data (postings, term statistics, lengths and stored fields, by id).

Same order does not come for free: whoosh's ``field_length()`` counts deleted documents
until a merge and, after one, sums the one-byte quantised lengths where a fresh segment
sums the exact ones (here 100,800 against 99,171 for the body), and whoosh's merges
renumber documents, so equal keys must not fall back on docnum order. The engine takes
BM25's average over the live documents' stored lengths and breaks ties by id; these tests
fail if either goes. Only did-you-mean may differ before the optimize: ``doc_frequency``
counts deleted documents, by design.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from search_corpus import CELLS, COMMON, KINDS, TOPIC_TEXTS, corpus, make_doc
from test_eval import EVAL
from whoosh import index as windex

import docgen.search.index as search_index
from docgen.model.meta import ArchivedDoc
from docgen.search import SearchFilters, SearchIndex, bulk
from docgen.search import query as q
from docgen.search.aliases import ALIASES_CACHE
from docgen.search.schema import VERSION_FILE

F = SearchFilters
ALIASES = "Thôn Bản Xèo: [Thôn Bản Xèo cũ]\n"
TEXT = ("thu gom rác thải vệ sinh môi trường đường làng ngõ xóm sạch đẹp nông thôn mới an ninh "
        "trật tự đảng viên chi bộ nghị quyết kiểm tra giám sát học tập làm theo")
WORDS = TEXT.split(" ")
INITIAL_GENERATED = 340  # with the 61 corpus documents: 401, about 200 a worker
SEGMENT_DOCS = 140  # > 128 (whoosh's block size): frequent terms get two blocks a segment
OPERATIONS = 200
MORE_OPERATIONS = 50
# the quality test set, the other filters test_eval uses, a few more, and plain listings
QUERIES: list[tuple[str, SearchFilters]] = list(dict.fromkeys(
    [(query, filters) for query, filters, _relevant in EVAL] + [
        ("ve sinh moi truong", F(kind="bien-ban")),
        ("chuyển đổi số", F()),
        ("rác thải", F(date_from=dt.date(2022, 1, 1), date_to=dt.date(2023, 12, 31))),
        ("đảng viên", F(topic="ptdv")),
        ("an ninh OR giám sát", F()),
        ("dang vien -chi", F()),
        ("giam sta", F()),  # no match: a did-you-mean suggestion
        ("", F()),
        ("", F(kind="bien-ban")),
        ("", F(year=2023)),
        ("", F(cell="Thôn Bản Xèo")),
    ]))
SORTS = ("relevance", "date")


# documents ------------------------------------------------------------------
class Docs:
    """The archive's current documents, in filing order (an amendment keeps its place)."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.current: dict[str, ArchivedDoc] = {}
        self.number = 1000

    def generated(self, doc_id: str, version: int = 1, base: ArchivedDoc | None = None) -> ArchivedDoc:
        rng = self.rng
        topics = rng.sample(sorted(TOPIC_TEXTS), rng.randint(1, 2))
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 60)))
        text = "\n".join([COMMON, *(TOPIC_TEXTS[t][1] for t in topics),
                          f"{words}. Tổ {rng.randrange(9)} thôn {rng.randrange(13)}."])
        if base is not None:  # an amendment: same document, new version and text
            m = base.meta
            title = f"{m.title.split(' (')[0]} (sửa đổi lần {version - 1})"
            return make_doc(doc_id, title, text, kind=m.kind, cell=m.cell, date=m.date,
                            topics=m.topics, number=m.number or 1, version=version)
        self.number += 1
        kind, _sym, type_name = KINDS[rng.randrange(len(KINDS))]
        # meetings fall on a few days of the month: documents of the same day are common
        date = dt.date(2021 + rng.randrange(4), 1 + rng.randrange(12), rng.choice((5, 10, 15, 20)))
        title = f"{type_name} về {TOPIC_TEXTS[topics[0]][0]} tháng {date.month} năm {date.year}"
        declared = (topics[0],) if rng.random() < 0.3 else ()
        return make_doc(doc_id, title, text, kind=kind, cell=rng.choice(CELLS), date=date,
                        topics=declared, number=self.number)

    def initial(self) -> list[ArchivedDoc]:
        docs = corpus() + [self.generated(f"g{i:04d}") for i in range(INITIAL_GENERATED)]
        self.current = {d.id: d for d in docs}
        return docs

    def operation(self, serial: int) -> tuple[str, ArchivedDoc]:
        """One filing (40 %), amendment (40 %) or withdrawal (20 %), applied to ``current``."""
        roll = self.rng.random()
        if roll < 0.4:
            doc = self.generated(f"n{serial:04d}")
            self.current[doc.id] = doc
            return "new", doc
        old = self.current[self.rng.choice(sorted(self.current))]
        if roll < 0.8:
            doc = self.generated(old.id, old.version + 1, base=old)
            self.current[doc.id] = doc
            return "amend", doc
        del self.current[old.id]
        return "withdraw", dataclasses.replace(old, status="withdrawn", version=old.version + 1)


# index inspection -------------------------------------------------------------
def _segments(path: Path) -> list[Any]:
    ix = windex.open_dir(str(path))
    try:
        return list(ix._segments())
    finally:
        ix.close()


def _segment_ids(path: Path) -> dict[str, tuple[int, int]]:
    """Segment id → (documents, deleted documents), in the TOC's order."""
    return {s.segment_id(): (s.doc_count_all(), s.deleted_count()) for s in _segments(path)}


def _list_lengths(path: Path) -> dict[str, list[int]]:
    """Segment id → the posting-list length of every term of that segment."""
    ix = windex.open_dir(str(path))
    out: dict[str, list[int]] = {}
    try:
        with ix.reader() as reader:
            for (leaf, _base), seg in zip(reader.leaf_readers(), ix._segments(), strict=True):
                out[seg.segment_id()] = [leaf.term_info(f, t).doc_frequency() for f, t in leaf.all_terms()]
    finally:
        ix.close()
    return out


def _stray_files(path: Path) -> list[str]:
    """Files of the index folder that its table of contents does not account for
    (scratch folders such as MAIN.tmp, .trm/.pst files of unnamed segments, old TOCs)."""
    ix = windex.open_dir(str(path))
    try:
        generation = ix.latest_generation()
        segments = list(ix._segments())
    finally:
        ix.close()
    expected = {f"_{bulk.INDEX_NAME}_{generation}.toc", VERSION_FILE, search_index.LOCK_FILE,
                ALIASES_CACHE}  # docgen's own: the alias list as parsed
    expected |= {f"{seg.segment_id()}.seg" for seg in segments if seg.is_compound()}
    return sorted({p.name for p in path.iterdir()} - expected)


def _data(path: Path) -> dict[str, Any]:
    """What the index holds, keyed by document id (independent of docnums and segments)."""
    ix = windex.open_dir(str(path))
    try:
        with ix.reader() as reader:
            assert not reader.has_deletions()
            ids = {d: fields["id"] for d, fields in reader.iter_docs()}
            schema = reader.schema
            out: dict[str, Any] = {"stored": {ids[d]: f for d, f in reader.iter_docs()}, "terms": {},
                                   "lengths": {}}
            for name in schema.names():
                if not schema[name].indexed:
                    continue
                out["lengths"][name] = {ids[d]: reader.doc_field_length(d, name) for d in ids}
                for tbytes in reader.lexicon(name):
                    info = reader.term_info(name, tbytes)
                    m = reader.postings(name, tbytes)
                    posts = []
                    while m.is_active():
                        # an inlined list of a value-less format reads '' where a block reads None
                        posts.append((ids[m.id()], m.weight(), m.value() or None))
                        m.next()
                    out["terms"][(name, tbytes)] = (sorted(posts), info.weight(), info.doc_frequency(),
                                                     info.max_weight(), info.min_length(), info.max_length())
            out["field_length"] = {n: reader.field_length(n) for n in schema.names() if schema[n].scorable}
    finally:
        ix.close()
    return out


# answers ----------------------------------------------------------------------
Key = tuple[str, SearchFilters, str]
Answers = dict[Key, dict[str, Any]]


def _answers(index: SearchIndex) -> Answers:
    out = {}
    for query, filters in QUERIES:
        for sort in SORTS:
            top = index.search(query, filters, sort=sort, limit=10)
            out[(query, filters, sort)] = {
                "ids": index.ids(query or None, filters, sort=sort),
                "top": [h.id for h in top.hits], "total": top.total, "facets": top.facets,
                "did_you_mean": top.did_you_mean, "snippets": {h.id: h.snippets for h in top.hits},
                "scores": [round(h.score, 9) for h in top.hits]}
    return out


def _scored(index: SearchIndex, key: Key, ids: set[str]) -> dict[str, tuple[float, str]]:
    """id → (score, day) of the matches ``ids`` of ``key`` (to report order differences)."""
    query, filters, sort = key
    tree = q.parse_query(query) if query.strip() else None
    eng, scores, _order, _info = index._ranked(tree, filters, sort, 10000)
    day = eng.day_list()
    out = {}
    for doc_id in ids:
        docnum = next(d for d in eng.postings("id", doc_id) if d in scores)
        out[doc_id] = (round(scores[docnum], 9), day[docnum])
    return out


def _order_differences(a: SearchIndex, b: SearchIndex, got: Answers, want: Answers) -> list[str]:
    """Each query whose ids come in another order: the first places that differ, with the
    score and day of each id in either index."""
    report = []
    for key, answer in want.items():
        for part in ("ids", "top", "scores"):
            mine, theirs = got[key][part], answer[part]
            if mine == theirs:
                continue
            if part == "scores":
                report.append(f"{key!r} top-10 scores: A {mine} B {theirs}")
                continue
            places = [(i, x, y) for i, (x, y) in enumerate(zip(mine, theirs, strict=True)) if x != y]
            shown = {doc_id for _i, x, y in places[:6] for doc_id in (x, y)}
            sa, sb = _scored(a, key, shown), _scored(b, key, shown)
            rows = [f"  #{i}: A {x} {sa[x]}  B {y} {sb[y]}" for i, x, y in places[:6]]
            report.append(f"{key!r} {part}: {len(places)} places differ\n" + "\n".join(rows))
    return report


def _assert_same_matches(got: Answers, want: Answers, did_you_mean: bool = True) -> None:
    assert got.keys() == want.keys()
    for key, answer in want.items():
        assert set(got[key]["ids"]) == set(answer["ids"]), key
        assert got[key]["total"] == answer["total"] == len(answer["ids"]), key
        assert got[key]["facets"] == answer["facets"], key
        if did_you_mean:
            assert got[key]["did_you_mean"] == answer["did_you_mean"], key
    assert sum(1 for answer in want.values() if answer["total"]) >= 0.9 * len(want)  # queries that find


def _without_suggestion(answers: Answers) -> Answers:
    return {key: {part: v for part, v in answer.items() if part != "did_you_mean"}
            for key, answer in answers.items()}


# the scenario -----------------------------------------------------------------
# (operation, segments merged away → their (documents, deleted documents), segments after)
Merge = tuple[int, dict[str, tuple[int, int]], int]


@dataclasses.dataclass
class Phase:
    """One round of operations on A, then an optimize, against a fresh index."""

    counts: dict[str, int]
    merges: list[Merge]
    segment_counts: list[int]
    before: Answers  # A before the optimize
    fresh: Answers  # the fresh index
    before_differences: list[str]
    after: Answers  # A after the optimize
    after_differences: list[str]
    segments_after: int
    stray: list[str]
    beside: list[str]
    data: dict[str, Any]  # A after the optimize
    fresh_data: dict[str, Any]


@dataclasses.dataclass
class Scenario:
    root: Path
    docs: Docs
    a: SearchIndex
    bulk_segments: dict[str, tuple[int, int]]
    bulk_lengths: dict[str, list[int]]
    first: Phase


def _index(root: Path, name: str) -> SearchIndex:
    aliases = root / "aliases.yaml"
    if not aliases.exists():
        aliases.write_text(ALIASES, "utf-8")
    return SearchIndex(root / name, aliases_path=aliases)


def _phase(root: Path, docs: Docs, a: SearchIndex, operations: int, first: int, fresh_name: str) -> Phase:
    """``operations`` single operations on ``a`` (one ``add_many`` commit each, recording
    whoosh's merges), a fresh index of the result, then an optimize of ``a``."""
    counts: dict[str, int] = {}
    merges: list[Merge] = []
    segments = _segment_ids(a.path)
    segment_counts = [len(segments)]
    for serial in range(first, first + operations):
        kind, doc = docs.operation(serial)
        counts[kind] = counts.get(kind, 0) + 1
        assert a.add_many([doc]) == 1
        now = _segment_ids(a.path)
        gone = {s: sizes for s, sizes in segments.items() if s not in now}
        if gone:
            merges.append((serial, gone, len(now)))
        segment_counts.append(len(now))
        segments = now
    b = _index(root, fresh_name)
    b.rebuild(list(docs.current.values()))
    before, fresh = _answers(a), _answers(b)
    before_differences = _order_differences(a, b, before, fresh)
    ix = windex.open_dir(str(a.path))
    try:
        ix.optimize()  # whoosh's writer, committed with optimize=True
    finally:
        ix.close()
    a.close()
    after = _answers(a)
    return Phase(counts, merges, segment_counts, before, fresh, before_differences, after,
                 _order_differences(a, b, after, fresh), len(_segments(a.path)), _stray_files(a.path),
                 sorted(p.name for p in root.iterdir() if p.suffix in (".new", ".old")),
                 _data(a.path), _data(b.path))


def _parallel(mp: pytest.MonkeyPatch) -> None:
    """Rebuilds through the worker processes (2), several segments each, small batches."""
    mp.setattr(search_index, "PARALLEL_MIN_DOCS", 60)
    mp.setattr(search_index, "REBUILD_PROCS", 2)
    mp.setattr(bulk, "SEGMENT_DOCS", SEGMENT_DOCS)
    mp.setattr(bulk, "BATCH_DOCS", 16)


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scenario]:
    root = tmp_path_factory.mktemp("bulkmerge")
    with pytest.MonkeyPatch.context() as mp:
        _parallel(mp)
        docs = Docs(seed=9)
        a = _index(root, "a")
        a.rebuild(docs.initial())
        bulk_segments = _segment_ids(a.path)
        bulk_lengths = _list_lengths(a.path)
        first = _phase(root, docs, a, OPERATIONS, 0, "b")
        yield Scenario(root, docs, a, bulk_segments, bulk_lengths, first)


@pytest.fixture(scope="module")
def second(scenario: Scenario) -> Phase:
    """50 more operations on the optimized A, another optimize, a fresh index C."""
    with pytest.MonkeyPatch.context() as mp:
        _parallel(mp)
        return _phase(scenario.root, scenario.docs, scenario.a, MORE_OPERATIONS, OPERATIONS, "c")


def _print_merges(phase: Phase, bulk_segments: dict[str, tuple[int, int]]) -> None:
    print(f"\noperations: {phase.counts}; {len(phase.merges)} merges; segments after each "
          f"operation: {phase.segment_counts}")
    for serial, gone, left in phase.merges:
        names = [f"{'bulk ' if s in bulk_segments else ''}{s} {n} docs ({d} deleted)"
                 for s, (n, d) in gone.items()]
        print(f"  operation {serial}: merged {len(gone)} segments [{', '.join(names)}], {left} after")


# the tests ----------------------------------------------------------------------
def test_rebuild_wrote_several_bulk_segments_with_every_kind_of_list(scenario: Scenario) -> None:
    print(f"\nbulk segments (documents, deleted): {list(scenario.bulk_segments.values())}")
    assert len(scenario.bulk_segments) >= 4  # two workers, two segments each
    assert sum(n for n, _deleted in scenario.bulk_segments.values()) == len(corpus()) + INITIAL_GENERATED
    for lengths in scenario.bulk_lengths.values():
        assert min(lengths) < bulk.INLINE_LIMIT  # inline lists
        assert any(bulk.INLINE_LIMIT <= n <= 128 for n in lengths)  # one block
    assert sum(max(n) > 128 for n in scenario.bulk_lengths.values()) >= 2  # several blocks


def test_whoosh_merged_bulk_segments_during_the_operations(scenario: Scenario) -> None:
    phase = scenario.first
    _print_merges(phase, scenario.bulk_segments)
    assert phase.counts.keys() == {"new", "amend", "withdraw"}
    assert sum(phase.counts.values()) == OPERATIONS
    assert len(phase.merges) >= 5
    merged = {s: sizes for _serial, gone, _left in phase.merges for s, sizes in gone.items()}
    bulk_merged = [merged[s] for s in scenario.bulk_segments if s in merged]
    # whoosh's writer read and rewrote bulk segments, skipping their deleted documents
    assert bulk_merged and any(deleted for _docs, deleted in bulk_merged)
    assert phase.segments_after == 1


def test_same_matches_before_the_optimize(scenario: Scenario) -> None:
    # did-you-mean may differ: doc_frequency counts deleted documents until a merge
    _assert_same_matches(scenario.first.before, scenario.first.fresh, did_you_mean=False)


def test_same_matches_after_the_optimize(scenario: Scenario) -> None:
    _assert_same_matches(scenario.first.after, scenario.first.fresh)


def test_merged_index_holds_the_fresh_index_data(scenario: Scenario) -> None:
    """Postings, term statistics, lengths and stored fields by id, after the optimize."""
    got, want = scenario.first.data, scenario.first.fresh_data
    print(f"\nfield_length totals: merged {got['field_length']}, fresh {want['field_length']}")
    assert got["stored"] == want["stored"]
    assert got["lengths"] == want["lengths"]
    assert got["terms"].keys() == want["terms"].keys()
    for key, value in want["terms"].items():
        assert got["terms"][key] == value, key


def test_same_order_before_the_optimize(scenario: Scenario) -> None:
    """Deleted documents still sit in the segments: scores and order must not notice."""
    assert not scenario.first.before_differences, "\n".join(scenario.first.before_differences)
    assert _without_suggestion(scenario.first.before) == _without_suggestion(scenario.first.fresh)


def test_same_answers_after_the_optimize(scenario: Scenario) -> None:
    assert not scenario.first.after_differences, "\n".join(scenario.first.after_differences)
    assert scenario.first.after == scenario.first.fresh


def test_no_stray_files_after_merges_and_optimize(scenario: Scenario) -> None:
    assert scenario.first.stray == []
    assert scenario.first.beside == []  # no index.new / index.old next to it


def test_whoosh_keeps_merging_after_the_optimize(scenario: Scenario, second: Phase) -> None:
    _print_merges(second, scenario.bulk_segments)
    assert sum(second.counts.values()) == MORE_OPERATIONS
    assert second.merges  # whoosh merged again, the optimized segment or newer ones
    assert second.segments_after == 1
    _assert_same_matches(second.before, second.fresh, did_you_mean=False)
    _assert_same_matches(second.after, second.fresh)
    assert second.data["stored"] == second.fresh_data["stored"]
    assert second.data["terms"] == second.fresh_data["terms"]
    assert second.stray == [] and second.beside == []
    found = scenario.a.search("vệ sinh môi trường")
    assert found.total and found.hits


def test_keeps_merging_same_answers_as_a_fresh_index(second: Phase) -> None:
    assert not second.before_differences, "\n".join(second.before_differences)
    assert not second.after_differences, "\n".join(second.after_differences)
    assert second.after == second.fresh
