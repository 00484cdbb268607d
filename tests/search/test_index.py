from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import json
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from search_corpus import corpus, file_corpus, make_doc

from docgen.cli import main
from docgen.errors import SearchError
from docgen.i18n import Msg
from docgen.search import SearchFilters, SearchIndex
from docgen.search.schema import VERSION_FILE


def _ranked(index: SearchIndex, query: str) -> list[tuple[str, float]]:
    return [(h.id, round(h.score, 6)) for h in index.search(query, limit=20).hits]


def test_incremental_adds_equal_rebuild(tmp_path: Path) -> None:
    docs = corpus()
    full = SearchIndex(tmp_path / "full")
    full.rebuild(docs)
    inc = SearchIndex(tmp_path / "inc")
    for start in range(0, len(docs), 10):
        inc.add_many(docs[start:start + 10])
    for query in ("vệ sinh môi trường", "NTM", '"an toàn giao thông"', "dang phi"):
        assert [i for i, _ in _ranked(inc, query)] == [i for i, _ in _ranked(full, query)]
        assert inc.search(query).total == full.search(query).total


def test_replace_and_withdraw(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "ix")
    doc = make_doc("a", "NGHỊ QUYẾT về đảng phí", "Thu nộp đảng phí.")
    index.add_many([doc])
    index.add_many([dataclasses.replace(doc, version=2, text="Vệ sinh môi trường.")])
    assert index.search("đảng phí").total == 1  # the title still says it
    assert index.search('"vệ sinh môi trường"').total == 1
    index.add_many([dataclasses.replace(doc, status="withdrawn")])
    assert index.search("đảng phí").total == 0
    assert index.drift([doc]) and "missing" in index.drift([doc])[0].en


def test_drift_reports_missing_stale_and_extra(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "ix")
    a, b = make_doc("a", "T", "x"), make_doc("b", "T", "y")
    index.rebuild([a, b])
    c = make_doc("c", "T", "z")
    found = [m.en for m in index.drift([dataclasses.replace(a, version=2), c])]
    assert any("old version of a" in m for m in found)
    assert any("c is missing" in m for m in found)
    assert any("holds b" in m for m in found)


def test_schema_version_change_needs_rebuild(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "ix")
    assert index.needs_rebuild()
    index.rebuild([make_doc("a", "T", "rác thải")])
    assert not index.needs_rebuild()
    (tmp_path / "ix" / VERSION_FILE).write_text("0\n")
    assert index.needs_rebuild()
    with pytest.raises(SearchError) as err:
        SearchIndex(tmp_path / "ix").search("rác")
    assert "docgen reindex" in err.value.render("en")


def _search_error(index: SearchIndex, query: str) -> str:
    try:
        index.search(query)
    except SearchError as exc:
        return exc.render("en")
    return ""


# whoosh leaves the damaged segment file open when it fails to read it; collect it here.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.filterwarnings("ignore::ResourceWarning")
def test_corrupt_index_says_reindex(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "ix")
    index.rebuild([make_doc("a", "T", "rác thải")])
    for pattern in ("*.seg", "*.trm"):
        for f in (tmp_path / "ix").glob(pattern):
            f.write_bytes(b"garbage")
    assert "docgen reindex" in _search_error(SearchIndex(tmp_path / "ix"), "rác")
    assert "docgen reindex" in _search_error(SearchIndex(tmp_path / "none"), "rác")
    for f in (tmp_path / "ix").glob("*.toc"):
        f.write_bytes(b"garbage")
    fixed = SearchIndex(tmp_path / "ix")  # reindex is the way out, table of contents broken too
    assert fixed.rebuild([make_doc("a", "T", "rác thải")], catch_up=lambda states: ()) == 1
    assert fixed.search("rác").total == 1
    gc.collect()


def test_an_index_locked_by_a_foreign_writer_names_the_lock(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from whoosh import index as windex

    from docgen.search import index as index_module

    monkeypatch.setattr(index_module, "FOREIGN_LOCK_WAIT", 0.3)
    index = SearchIndex(tmp_path / "ix")
    index.rebuild([make_doc("a", "T", "rác thải")])
    ix = windex.open_dir(str(tmp_path / "ix"))
    writer = ix.writer()  # not a docgen writer: it does not take docgen's turn lock
    try:
        with pytest.raises(SearchError) as err:
            index.add_many([make_doc("b", "T", "x")])
        text = err.value.render("en")
        assert "MAIN_WRITELOCK" in text and "locked" in text
    finally:
        writer.cancel()
    index.add_many([make_doc("b", "T", "x")])  # the lock is free again: no leftover
    assert index.search("x").total == 1


def test_rebuild_swaps_only_when_no_filing_is_writing(tmp_path: Path) -> None:
    from docgen.search.sync import turn

    index = SearchIndex(tmp_path / "ix")
    index.rebuild([make_doc("a", "T", "rác thải")])
    holding = threading.Event()
    released: list[float] = []

    def filing() -> None:  # another writer's turn on the index
        with turn(index.lock_path, 5.0, None, Msg("x", "x")):
            holding.set()
            time.sleep(0.5)
            released.append(time.monotonic())

    thread = threading.Thread(target=filing)
    thread.start()
    holding.wait(5)
    index.rebuild([make_doc("a", "T", "rác thải"), make_doc("b", "T", "an ninh")])
    swapped = time.monotonic()
    thread.join()
    assert released and swapped >= released[0]
    assert index.search("an ninh").total == 1


def test_a_failed_commit_releases_every_lock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from whoosh.writing import SegmentWriter

    index = SearchIndex(tmp_path / "ix")
    index.rebuild([make_doc("a", "T", "rác thải")])

    def broken_commit(self: SegmentWriter, *args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(SegmentWriter, "commit", broken_commit)
        with pytest.raises(OSError):
            index.add_many([make_doc("b", "T", "an ninh")])
    index.add_many([make_doc("c", "T", "an ninh")])  # neither lock is left held
    assert index.search("an ninh").total == 1


@pytest.mark.parametrize("query", ['"abc', "a AND", "OR b", "(a", "a)", "foo:bar", "*", "topic:"])
def test_malformed_queries(built_index: SearchIndex, query: str) -> None:
    with pytest.raises(SearchError) as err:
        built_index.search(query)
    assert "malformed query" in err.value.render("en")


def test_facets_similar_did_you_mean(built_index: SearchIndex) -> None:
    found = built_index.search("vệ sinh môi trường", SearchFilters(date_from=dt.date(2020, 1, 1)))
    assert found.facets["topic"]["vsmt"] >= 7 and sum(found.facets["kind"].values()) == found.total
    assert found.hits[0].snippets and "**" in found.hits[0].snippets[0]
    similar = built_index.similar("vsmt-1")
    assert similar.hits[0].id.startswith("vsmt-")
    assert built_index.search("nong thom").did_you_mean == "nong thon"
    assert built_index.topic_counts()["vsmt"] >= 7


def test_cli_search_reindex_topics_similar(tmp_path: Path) -> None:
    ids = file_corpus(tmp_path / "arch")
    vsmt = {ids[f"vsmt-{j}"] for j in range(7)}
    runner = CliRunner()
    base = ["--lang", "en", "--archive", str(tmp_path / "arch")]
    res = runner.invoke(main, [*base, "search", "VSMT", "--kind", "nghi-quyet", "--json"])
    assert res.exit_code == 0, res.output  # the first search builds the index
    assert json.loads(res.stdout)["hits"][0]["id"] in vsmt
    res = runner.invoke(main, [*base, "search", "ve sinh", "--sort", "date", "--limit", "2"])
    assert res.exit_code == 0 and "documents found" in res.output
    res = runner.invoke(main, [*base, "search", '"abc'])
    assert res.exit_code == 8 and "malformed query" in res.output and "Traceback" not in res.output
    res = runner.invoke(main, [*base, "topics"])
    assert res.exit_code == 0 and "vsmt" in res.output
    res = runner.invoke(main, [*base, "similar", ids["vsmt-1"], "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["hits"][0]["id"] in vsmt
    for cmd in ("search", "topics", "similar", "reindex"):
        assert runner.invoke(main, [cmd, "--help"]).exit_code == 0


def test_cell_aliases_find_old_and_current_names(tmp_path: Path) -> None:
    aliases = tmp_path / "aliases.yaml"
    aliases.write_text("Thôn Tân Hợp: [Thôn Nà Lừa, Thôn Khuổi Bốc]\n", "utf-8")
    index = SearchIndex(tmp_path / "ix", aliases_path=aliases)
    index.rebuild([
        make_doc("old", "NGHỊ QUYẾT tháng 3", "Họp chi bộ.", cell="CHI BỘ THÔN NÀ LỪA",
                 date=dt.date(2024, 3, 1)),
        make_doc("new", "NGHỊ QUYẾT tháng 9", "Họp chi bộ.", cell="CHI BỘ THÔN TÂN HỢP",
                 date=dt.date(2025, 9, 1)),
        make_doc("other", "NGHỊ QUYẾT tháng 9", "Họp chi bộ.", cell="CHI BỘ THÔN BẢN XÈO"),
    ])
    for name in ("Thôn Tân Hợp", "tan hop", "Nà Lừa", "Thôn Khuổi Bốc"):
        assert sorted(h.id for h in index.search("họp", SearchFilters(cell=name)).hits) == ["new", "old"]
    assert [h.id for h in index.search('cell:"na lua"', sort="date").hits] == ["new", "old"]


def test_bad_alias_file_is_a_clear_error(tmp_path: Path) -> None:
    aliases = tmp_path / "aliases.yaml"
    aliases.write_text("- just a list\n", "utf-8")
    index = SearchIndex(tmp_path / "ix", aliases_path=aliases)
    index.rebuild([make_doc("a", "T", "x")])
    with pytest.raises(SearchError) as err:
        index.search("x", SearchFilters(cell="An Thành"))
    assert err.value.file == str(aliases)


def test_boolean_operators_and_fields(built_index: SearchIndex) -> None:
    def ids(query: str) -> set[str]:
        return {h.id for h in built_index.search(query, limit=100).hits}

    vsmt, atgt = ids("VSMT"), ids("ATGT")
    assert ids("VSMT OR ATGT") == vsmt | atgt
    assert ids("rác thải NOT thuế") == ids("rác thải") - ids("thuế")
    assert ids("rác thải -thuế") == ids("rác thải NOT thuế")
    assert ids("(VSMT OR ATGT) year:2021") == {d for d in vsmt | atgt if d in ids("year:2021")}
    assert ids('title:"an toàn giao thông"') == {f"atgt-{j}" for j in range(7)}
    assert ids("topic:VSMT") == ids("topic:vsmt") == ids('topic:"vệ sinh môi trường"')
    assert ids("from:2023-01-01 to:31/12/2023") == ids("year:2023")
    with pytest.raises(SearchError):
        built_index.search("topic:khong-co")
    with pytest.raises(SearchError):
        built_index.search("from:2023-13-45")
