"""The committed templates are exactly what scripts/build_templates.py generates."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
from docxtpl import DocxTemplate

from docgen.config import DEFAULT_TEMPLATES
from docgen.model import KINDS

from .support import KIND_NAMES

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "build_templates.py"


def _builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_templates", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_committed_template_matches_the_generator(kind: str) -> None:
    generated = _builder().template_bytes(kind)
    assert generated == (DEFAULT_TEMPLATES / f"{kind}.docx").read_bytes(), (
        "regenerate with: .venv/bin/python scripts/build_templates.py")


@pytest.mark.parametrize("kind", KIND_NAMES)
def test_template_uses_only_the_kinds_names_and_shows_the_required_ones(kind: str) -> None:
    names = DocxTemplate(str(DEFAULT_TEMPLATES / f"{kind}.docx")).get_undeclared_template_variables()
    spec = KINDS[kind]
    assert names <= spec.context_keys, names - spec.context_keys
    assert spec.required_keys <= names, spec.required_keys - names
