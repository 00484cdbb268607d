"""The bulk segment builder against whoosh's own writer, and the parallel rebuild."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from search_corpus import CELLS, corpus, make_doc
from whoosh import index as windex

import docgen.search.index as search_index
from docgen.errors import SearchError
from docgen.model.meta import ArchivedDoc
from docgen.search import SearchIndex, bulk
from docgen.search.index import index_fields
from docgen.search.schema import SCHEMA_VERSION, VERSION_FILE, build_schema

TEXT = ("thu gom rác thải vệ sinh môi trường đường làng ngõ xóm sạch đẹp nông thôn mới an ninh "
        "trật tự đảng viên chi bộ nghị quyết kiểm tra giám sát học tập làm theo")
WORDS = TEXT.split(" ")


def _many(n: int) -> list[ArchivedDoc]:
    """``n`` documents whose words repeat: posting lists from 1 to n long (inline and blocks)."""
    docs = list(corpus())
    for i in range(n):
        words = [WORDS[(i * 7 + k * k) % len(WORDS)] for k in range(3 + i % 40)]
        docs.append(make_doc(f"m{i:04d}", f"NGHỊ QUYẾT số {i} về {WORDS[i % len(WORDS)]}",
                             " ".join(words) + f". Tổ {i % 9} thôn {i % 13}.",
                             cell=CELLS[i % len(CELLS)], date=dt.date(2016 + i % 10, 1 + i % 12, 1 + i % 28),
                             kind=("nghi-quyet", "bien-ban")[i % 2], number=i + 1))
    return docs


def _whoosh_writer_index(path: Path, docs: list[ArchivedDoc]) -> Any:
    path.mkdir()
    ix = windex.create_in(str(path), build_schema())
    writer = ix.writer()
    for doc in docs:
        writer.add_document(**index_fields(doc))
    writer.commit()
    return ix


def _dump(reader: Any) -> dict[str, Any]:
    """Everything a reader says about the index: terms, postings, term stats, lengths, stored."""
    out: dict[str, Any] = {"stored": list(reader.all_stored_fields()), "terms": {}}
    schema = reader.schema
    for name in schema.names():
        if not schema[name].indexed:
            continue
        out[f"length:{name}"] = reader.field_length(name)
        out[f"doclen:{name}"] = [reader.doc_field_length(d, name) for d in range(reader.doc_count_all())]
        for tbytes in reader.lexicon(name):
            info = reader.term_info(name, tbytes)
            m = reader.postings(name, tbytes)
            posts = []
            while m.is_active():
                # an inlined list of a value-less format reads '' where a block reads None
                posts.append((m.id(), m.weight(), m.value() or None))
                m.next()
            out["terms"][(name, tbytes)] = (posts, info.weight(), info.doc_frequency(), info.min_length(),
                                             info.max_length(), info.max_weight(), info.min_id(), info.max_id())
    return out


def test_bulk_segment_reads_the_same_as_whoosh_writer(tmp_path: Path) -> None:
    docs = _many(400)
    theirs = _whoosh_writer_index(tmp_path / "whoosh", docs)
    (tmp_path / "bulk").mkdir()
    schema = build_schema()
    windex.create_in(str(tmp_path / "bulk"), schema).close()
    segments = bulk.build_segments(tmp_path / "bulk", schema, map(index_fields, docs))
    bulk.commit_segments(tmp_path / "bulk", schema, segments)
    ours = windex.open_dir(str(tmp_path / "bulk"))
    with theirs.reader() as a, ours.reader() as b:
        expected, got = _dump(a), _dump(b)
    lengths = [len(v[0]) for v in got["terms"].values()]
    # the data covers inline lists, one block and several blocks
    assert min(lengths) == 1 and any(bulk.INLINE_LIMIT <= n <= 128 for n in lengths) and max(lengths) > 256
    assert got["terms"].keys() == expected["terms"].keys()
    for key, value in expected["terms"].items():
        assert got["terms"][key] == value, key
    assert got == expected


def test_segments_are_cut_at_segment_docs(tmp_path: Path) -> None:
    docs = _many(120)
    index = SearchIndex(tmp_path / "one")
    index.rebuild(docs)
    (tmp_path / "cut").mkdir()
    schema = build_schema()
    windex.create_in(str(tmp_path / "cut"), schema).close()
    segments = bulk.build_segments(tmp_path / "cut", schema, map(index_fields, docs), segment_docs=50)
    assert [s.doc_count_all() for s in segments] == [50, 50, 50, len(docs) - 150]
    bulk.commit_segments(tmp_path / "cut", schema, segments)
    (tmp_path / "cut" / VERSION_FILE).write_text(f"{SCHEMA_VERSION}\n", "utf-8")
    cut = SearchIndex(tmp_path / "cut")
    for query in ("rác thải", '"nông thôn mới"', "VSMT", "kiem tra giam sat"):
        assert _results(cut, query) == _results(index, query)


def _results(index: SearchIndex, query: str) -> list[tuple[float, str]]:
    found = index.search(query, limit=1000)
    return sorted((round(-h.score, 6), h.id) for h in found.hits)


@pytest.fixture
def parallel(monkeypatch: pytest.MonkeyPatch) -> None:
    """Worker processes from 60 documents on, several segments each, small batches."""
    monkeypatch.setattr(search_index, "PARALLEL_MIN_DOCS", 60)
    monkeypatch.setattr(search_index, "REBUILD_PROCS", 2)
    monkeypatch.setattr(bulk, "SEGMENT_DOCS", 50)
    monkeypatch.setattr(bulk, "BATCH_DOCS", 16)


@pytest.mark.usefixtures("parallel")
def test_parallel_rebuild_equals_one_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = _many(300)
    docs[5] = dataclasses.replace(docs[5], status="withdrawn")
    seen: list[int] = []
    par = SearchIndex(tmp_path / "par")
    assert par.rebuild(docs, progress=seen.append) == len(docs) - 1
    assert sum(seen) == len(docs)
    assert len(windex.open_dir(str(par.path)).reader().leaf_readers()) > 2  # several segments
    monkeypatch.setattr(search_index, "REBUILD_PROCS", 1)
    one = SearchIndex(tmp_path / "one")
    one.rebuild(docs)
    assert par.stored_states() == one.stored_states()
    for query in ("rác thải", '"nông thôn mới"', "VSMT", "an ninh OR giám sát", "dang vien -chi"):
        assert _results(par, query) == _results(one, query), query
        assert par.search(query).facets == one.search(query).facets
    assert par.topic_counts() == one.topic_counts()
    assert not par.path.with_name(par.path.name + ".new").exists()
    assert {p.suffix for p in par.path.iterdir()} == {".seg", ".toc", ""}  # no scratch left


@pytest.mark.usefixtures("parallel")
def test_failing_worker_is_a_clear_error_and_keeps_the_old_index(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    docs = _many(200)
    index = SearchIndex(tmp_path / "ix")
    index.rebuild(docs[:10])

    def broken(doc: ArchivedDoc, topics_path: Path | None = None) -> dict[str, Any]:
        if doc.id == "m0150":
            raise ValueError("hỏng văn bản m0150")
        return index_fields(doc, topics_path)

    monkeypatch.setattr(search_index, "index_fields", broken)
    with pytest.raises(SearchError) as err:
        index.rebuild(docs)
    assert "m0150: ValueError: hỏng văn bản m0150" in err.value.message.vi
    assert "indexing failed" in err.value.message.en and "Traceback" not in err.value.message.en
    assert not index.path.with_name(index.path.name + ".new").exists()
    assert index.search("VSMT").total > 0  # the old index still answers
    assert len(index.stored_states()) == 10
