"""Facets say what their option finds, and which topics each command goes by (docs/search.md,
"Chủ đề"): search (``--topic``, ``topic:``, the facets, ``docgen topics``) by declared or
suggested topics; the catalog (list, print, export) by declared topics.

The corpus of search_corpus is filed into a real archive (meta.json, content.txt, catalog)
in tmp_path; the index is the one the first search builds on disk from it, as for a user.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from search_corpus import corpus, file_corpus

from docgen.archive import Archive
from docgen.archive.filters import DocFilter, cell_matches, cell_names, cell_reach
from docgen.cli import main
from docgen.config import Settings
from docgen.printing import select_documents
from docgen.search import SearchIndex, ready_index, search_ids
from docgen.search.aliases import ALIASES_CACHE, cached_aliases
from docgen.search.topicmatch import suggest_topics
from docgen.topics import load_topics

ALIASES = "Thôn Bản Xèo: [Thôn Bản Xèo cũ]\n"
OPTION = {"kind": "kind", "cell": "cell", "year": "year", "topic": "topic"}  # facet → DocFilter field
QUERIES = ["chi bộ", "VSMT", "an ninh OR giao thông", '"nông thôn mới"', "đảng viên -đảng phí"]
FILTERS = [DocFilter(), DocFilter(year=2023), DocFilter(kind="bien-ban"), DocFilter(topic="vsmt"),
           DocFilter(cell="Bản Xèo")]


@dataclasses.dataclass
class Filed:
    settings: Settings
    ids: dict[str, str]  # corpus id → archive id
    declared: dict[str, set[str]]  # archive id → declared topics
    suggested: dict[str, set[str]]  # archive id → declared and suggested topics

    def names(self, ids: list[str] | set[str]) -> set[str]:
        by_archive = {v: k for k, v in self.ids.items()}
        return {by_archive[i] for i in ids}

    def having(self, topic: str, suggested: bool) -> set[str]:
        table = self.suggested if suggested else self.declared
        return self.names({i for i, topics in table.items() if topic in topics})


@pytest.fixture(scope="module")
def filed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Filed]:
    root = tmp_path_factory.mktemp("facets") / "archive"
    docs = corpus()
    ids = file_corpus(root, docs)
    (root / "aliases.yaml").write_text(ALIASES, "utf-8")
    declared = {ids[d.id]: set(d.meta.topics) for d in docs}
    suggested = {ids[d.id]: {*d.meta.topics, *suggest_topics(d.meta.title, d.text)} for d in docs}
    settings = Settings(archive_root=root)
    yield Filed(settings, ids, declared, suggested)


@pytest.fixture(scope="module")
def index(filed: Filed) -> Iterator[SearchIndex]:
    found = ready_index(filed.settings)  # builds the index on disk from the archive
    yield found
    found.close()


def _narrowed(filt: DocFilter, facet: str, value: str) -> DocFilter:
    typed: str | int = int(value) if facet == "year" else value
    return dataclasses.replace(filt, **{OPTION[facet]: typed})


@pytest.mark.parametrize("filt", FILTERS, ids=repr)
@pytest.mark.parametrize("query", QUERIES)
def test_a_facet_count_is_what_its_option_finds(index: SearchIndex, query: str, filt: DocFilter) -> None:
    found = index.search(query, filt, limit=1)
    assert set(found.facets) == set(OPTION)  # (with no hit, the facet of the filter's own
    # condition still says what another value of it finds: "nông thôn mới" --topic vsmt)
    for facet, counts in found.facets.items():
        for value, count in counts.items():
            assert index.search(query, _narrowed(filt, facet, value)).total == count, (facet, value)
    # and no topic or cell with results is missing from its facet
    for topic in load_topics():
        total = index.search(query, dataclasses.replace(filt, topic=topic.id)).total
        assert found.facets["topic"].get(topic.id, 0) == total, topic.id
    for cell in index.engine().terms("cell"):
        total = index.search(query, dataclasses.replace(filt, cell=cell)).total
        assert found.facets["cell"].get(cell, 0) == total, cell


def test_the_cell_facet_follows_the_cell_rule(index: SearchIndex) -> None:
    """"CHI BỘ THÔN BẢN XÈO CŨ" is an old name of "CHI BỘ THÔN BẢN XÈO" (aliases.yaml) and
    contains it: either name finds the documents of both, and so either count says."""
    found = index.search("chi bộ", limit=1000)
    old, current = "CHI BỘ THÔN BẢN XÈO CŨ", "CHI BỘ THÔN BẢN XÈO"
    filed_as = {cell: sum(1 for hit in found.hits if hit.cell == cell) for cell in (old, current)}
    assert all(filed_as.values())
    both = index.search("chi bộ", DocFilter(cell=current)).total
    assert both == index.search("chi bộ", DocFilter(cell=old)).total == sum(filed_as.values())
    assert found.facets["cell"][current] == found.facets["cell"][old] == both
    # the alias list was parsed once and kept beside the index
    assert (index.path / ALIASES_CACHE).is_file()


def test_search_goes_by_suggested_topics_the_catalog_by_declared(filed: Filed, index: SearchIndex) -> None:
    declared, suggested = filed.having("vsmt", False), filed.having("vsmt", True)
    assert declared < suggested  # documents that name the topic without declaring it
    filt = DocFilter(topic="VSMT")
    searched = filed.names(search_ids(filed.settings, None, filt))
    assert searched == suggested
    assert filed.names(search_ids(filed.settings, "topic:vsmt", DocFilter())) == suggested
    assert index.topic_counts()["vsmt"] == len(suggested)  # docgen topics
    archive = Archive(filed.settings.archive_root)
    try:
        assert filed.names([rec["id"] for _, rec in archive.matching(filt)]) == declared  # list, export
    finally:
        archive.close()
    assert filed.names([d.id for d in select_documents(filed.settings, filt)]) == declared  # print
    # print --query: the search's hits, narrowed by the catalog's rule
    hits = filed.names(search_ids(filed.settings, "rác", filt))
    printed = filed.names([d.id for d in select_documents(filed.settings,
                                                          dataclasses.replace(filt, query="rác"))])
    assert printed == hits & declared and hits - declared


def test_the_cli_facet_then_its_option(filed: Filed, index: SearchIndex) -> None:
    """What a user does: read "Chủ đề (--topic): vsmt (N)", then add --topic vsmt."""
    base = ["--archive", str(filed.settings.archive_root)]
    runner = CliRunner()
    first = runner.invoke(main, [*base, "search", "chi bộ", "--json"])
    assert first.exit_code == 0, first.output
    facets = json.loads(first.stdout)["facets"]
    for facet, option in (("topic", "--topic"), ("cell", "--cell"), ("year", "--year")):
        value, count = next(iter(facets[facet].items()))
        narrowed = runner.invoke(main, [*base, "search", "chi bộ", option, value, "--json"])
        assert narrowed.exit_code == 0, narrowed.output
        assert json.loads(narrowed.stdout)["total"] == count, (facet, value)
    listed = runner.invoke(main, [*base, "list", "--topic", "vsmt", "--json"])
    assert listed.exit_code == 0, listed.output
    assert filed.names([row["id"] for row in json.loads(listed.stdout)]) == filed.having("vsmt", False)


def test_cell_reach_is_cell_matches_for_every_pair() -> None:
    cells = ["CHI BỘ THÔN AN THÀNH", "CHI BỘ THÔN AN THÀNH 2", "CHI BỘ THÔN TÂN THÀNH", "THÔN AN",
             "Chi bộ thôn Nà Lừa", "CHI BỘ THÔN TÂN HỢP", "CHI BỘ THÔN  AN\u00a0THÀNH", "—"]
    for groups in ((), (("thon tan hop", "thon na lua"),)):
        reach = cell_reach(cells, groups)
        for asked in cells:
            names = cell_names(asked, groups)
            assert set(reach[asked]) == {c for c in cells if cell_matches(c, names)}, asked


def test_the_alias_cache_follows_the_file(tmp_path: Path) -> None:
    source, folder = tmp_path / "aliases.yaml", tmp_path / "index"
    folder.mkdir()
    source.write_text(ALIASES, "utf-8")
    assert cached_aliases(source, folder) == (("thon ban xeo", "thon ban xeo cu"),)
    assert (folder / ALIASES_CACHE).is_file()
    source.write_text("Thôn Tân Hợp: [Thôn Nà Lừa]\n", "utf-8")  # same size, other names
    assert cached_aliases(source, folder) == (("thon tan hop", "thon na lua"),)
    assert cached_aliases(tmp_path / "none.yaml", folder) == ()
    (folder / ALIASES_CACHE).write_text("not json", "utf-8")  # damaged: parsed again
    assert cached_aliases(source, folder) == (("thon tan hop", "thon na lua"),)
