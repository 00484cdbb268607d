"""Golden tests: the filled XML parts and the text of every kind, compared exactly.

Rewrite with ``pytest tests/render --update-goldens`` and review the diff.
"""

from __future__ import annotations

import pytest

from docgen.config import Settings
from docgen.model import load_input
from docgen.render import Renderer

from .support import GOLDEN, KIND_NAMES, example_path, pretty_parts


def _check(path_name: str, kind: str, actual: str, update: bool) -> None:
    path = GOLDEN / kind / path_name
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, "utf-8")
    assert path.is_file(), f"golden {path} missing: run pytest --update-goldens"
    assert actual == path.read_text("utf-8"), f"{path} differs (pytest --update-goldens to accept)"


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_golden(kind: str, settings: Settings, update_goldens: bool) -> None:
    rendered = Renderer(settings).render(load_input(example_path(kind), settings))
    parts = pretty_parts(rendered.docx)
    assert {"document.xml", "header1.xml", "header2.xml"} <= set(parts)
    for name, xml in parts.items():
        _check(name, kind, xml, update_goldens)
    _check("text.txt", kind, rendered.text + "\n", update_goldens)
    if not update_goldens:
        stored = {p.name for p in (GOLDEN / kind).iterdir()}
        assert stored == {*parts, "text.txt"}
