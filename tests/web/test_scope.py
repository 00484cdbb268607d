"""The reader's scope in the one filter (DocFilter.scope): the catalog, the Python rule and
the search engine (hits, facets, did-you-mean, similar) never reach another cell's paper."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import NAME_B, settings_for

from docgen.archive import Archive
from docgen.archive.filters import DocFilter, words_key
from docgen.errors import SearchError
from docgen.search import ready_index
from docgen.vn.text import fold

NAME_A = "CHI BỘ THÔN AN THÀNH"
SCOPE_A = (words_key(NAME_A),)
SCOPE_B = (words_key(NAME_B),)


def _texts(root: Path) -> dict[str, tuple[str, str]]:
    archive = Archive(root)
    try:
        return {d.id: (d.meta.cell, d.text) for d in archive.iter_current(with_text=True)}
    finally:
        archive.close()


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]{5,}", fold(text).lower()))


def test_catalog_and_rule_agree_on_the_scope(web_archive: Path) -> None:
    archive = Archive(web_archive)
    try:
        rows = archive.matching(DocFilter(scope=SCOPE_B))
        assert rows and {r["cell"] for _, r in rows} == {NAME_B}
        assert archive.matching(DocFilter(scope=())) == []
        every = archive.matching(DocFilter(include_withdrawn=True))
        ruled = [r for _, r in every if DocFilter(scope=SCOPE_B).matches_record(r)]
        assert sorted(r["id"] for r in ruled) == sorted(r["id"] for _, r in rows)
        # scope narrows a cell filter, it never widens it
        narrowed = DocFilter(cell="An Thành").scoped(SCOPE_B)
        assert archive.matching(narrowed) == []
    finally:
        archive.close()


def test_search_hits_and_facets_stay_in_scope(web_archive: Path) -> None:
    index = ready_index(settings_for(web_archive))
    try:
        found = index.search(None, DocFilter(scope=SCOPE_B), limit=50)
        assert found.total == 2 and {h.cell for h in found.hits} == {NAME_B}
        assert set(found.facets["cell"]) == {NAME_B}
        assert sum(found.facets["kind"].values()) == 2
        every = index.search(None, DocFilter(), limit=50)
        assert every.total == 13 and len(every.facets["cell"]) == 2
    finally:
        index.close()


def test_did_you_mean_does_not_reveal_another_cells_words(web_archive: Path) -> None:
    texts = _texts(web_archive)
    only_a = set().union(*(_words(t) for c, t in texts.values() if c == NAME_A))
    only_a -= set().union(*(_words(t) for c, t in texts.values() if c == NAME_B))
    index = ready_index(settings_for(web_archive))
    try:
        for word in sorted(only_a):
            typo = word[:3] + word[4:]  # one letter dropped
            hint = index.search(typo, DocFilter(), limit=1).did_you_mean
            if hint and word in hint:
                break
        else:
            pytest.fail("no misspelling of a word of cell A alone is corrected")
        assert index.search(typo, DocFilter(scope=SCOPE_A), limit=1).did_you_mean == hint
        hidden = index.search(typo, DocFilter(scope=SCOPE_B), limit=1)
        assert hidden.total == 0 and hidden.did_you_mean is None
    finally:
        index.close()


def test_similar_stays_in_scope(web_archive: Path) -> None:
    texts = _texts(web_archive)
    a_id = next(i for i, (c, _) in texts.items() if c == NAME_A)
    b_id = next(i for i, (c, _) in texts.items() if c == NAME_B)
    index = ready_index(settings_for(web_archive))
    try:
        unscoped = index.similar(b_id, limit=20)
        assert any(h.cell == NAME_A for h in unscoped.hits)
        scoped = index.similar(b_id, limit=20, filters=DocFilter(scope=SCOPE_B))
        assert all(h.cell == NAME_B for h in scoped.hits)
        with pytest.raises(SearchError):
            index.similar(a_id, limit=5, filters=DocFilter(scope=SCOPE_B))
    finally:
        index.close()
