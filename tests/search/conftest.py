"""Fixtures of the search tests."""

from __future__ import annotations

import pytest
from search_corpus import corpus

from docgen.search import SearchIndex


@pytest.fixture(scope="module")
def built_index(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    root = tmp_path_factory.mktemp("searchidx")
    aliases = root / "aliases.yaml"
    aliases.write_text("Thôn Bản Xèo: [Thôn Bản Xèo cũ]\n", "utf-8")
    index = SearchIndex(root / "index", aliases_path=aliases)
    index.rebuild(corpus())
    return index
