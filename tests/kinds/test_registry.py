"""The registry of kinds (docgen/kinds/): every kind is whole, and nothing else lists kinds.

A kind is one module (its Kind entry), its template, its example and its docs. These tests
iterate the registry, so a new kind is checked without editing a test.
"""

from __future__ import annotations

import re

import pytest

from docgen.config import DEFAULT_TEMPLATES, Settings
from docgen.kinds import KINDS
from docgen.kinds.base import COMMON_KEYS, Kind
from docgen.model import load_input
from docgen.model.resolve import resolve_kind
from docgen.printing.book import kind_label

from .support import EXAMPLES, REPO

DOCS = REPO / "docs" / "kinds"
ALL = list(KINDS)


def test_the_registry_finds_every_kind_module() -> None:
    modules = sorted(p.stem for p in (REPO / "docgen" / "kinds").glob("*.py")
                     if not p.stem.startswith("_") and p.stem not in ("base", "common"))
    assert sorted(k.replace("-", "_") for k in KINDS) == modules
    assert len({k.order for k in KINDS.values()}) == len(KINDS), "two kinds share an order"


@pytest.mark.parametrize("kind", ALL)
def test_a_kind_is_whole(kind: str, settings: Settings) -> None:
    spec: Kind = KINDS[kind]
    assert re.fullmatch(r"[a-z]+(-[a-z]+)+", kind)
    assert spec.label.vi and spec.label.en and spec.description.vi and spec.description.en
    assert spec.type_name == spec.type_name.upper()
    assert spec.type_symbol == spec.type_symbol.upper()
    assert (DEFAULT_TEMPLATES / spec.template_name).is_file()
    example = EXAMPLES / spec.example_name
    assert example.is_file(), f"{kind}: no example {example}"
    doc = load_input(example, settings)
    assert doc.kind == kind
    assert spec.summary(doc.data, doc.profile), f"{kind}: empty default summary"
    assert set(doc.context()) <= spec.context_keys
    assert spec.required_keys <= set(doc.context())
    assert spec.context_keys >= COMMON_KEYS
    assert spec.step_months(doc.data) > 0
    assert kind_label(kind) == spec.book_name.vi
    doc_file = DOCS / f"{kind}.md"
    assert doc_file.is_file(), f"{kind}: no docs {doc_file}"
    assert f"`{kind}`" in doc_file.read_text("utf-8")


@pytest.mark.parametrize("kind", ALL)
def test_people_may_name_a_kind_by_its_label_or_alias(kind: str) -> None:
    spec = KINDS[kind]
    for name in (spec.label.vi, *spec.aliases):
        assert resolve_kind(name) == kind, name


def test_no_other_module_lists_kinds() -> None:
    """Outside docgen/kinds/, a module may name a kind or two (examples in a help text) but
    never lists them: the registry is the only list."""
    ids = [re.escape(k) for k in sorted(KINDS, key=len, reverse=True)]
    pattern = re.compile(r"(?<![\w-])(" + "|".join(ids) + r")(?![\w-])")
    offenders = {}
    for path in (REPO / "docgen").rglob("*.py"):
        if "kinds" in path.relative_to(REPO / "docgen").parts[:1]:
            continue
        named = set(pattern.findall(path.read_text("utf-8")))
        if len(named) > 2:
            offenders[str(path.relative_to(REPO))] = sorted(named)
    assert offenders == {}


def test_the_docs_index_lists_every_kind() -> None:
    index = (DOCS / "README.md").read_text("utf-8")
    for kind in KINDS:
        assert f"({kind}.md)" in index, kind
