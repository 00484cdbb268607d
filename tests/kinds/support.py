"""Helpers for the tests of the kinds (docgen/kinds/): the examples as plain data, an input
parsed, its problems, warnings and text, and the CLI on an archive. The example ``settings``
and ``profile`` are fixtures of conftest.py."""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from docgen.cli import main
from docgen.config import Settings
from docgen.errors import InputError
from docgen.model import DocumentInput, Profile, parse_input
from docgen.model.problems import FieldProblem
from docgen.render import Renderer

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
PROFILE = EXAMPLES / "profile.yaml"
CONFIG = EXAMPLES / "docgen.toml"


def plain(path: Path) -> Any:
    """A YAML file as JSON-plain data (dates as ISO strings), as ``parse_input`` gets it."""
    result: Any = json.loads(json.dumps(yaml.safe_load(path.read_text("utf-8")), default=str))
    return result


@functools.cache
def _example(kind: str) -> dict[str, Any]:
    data: dict[str, Any] = plain(EXAMPLES / f"{kind}.yaml")
    return data


def example_data(kind: str, **changes: Any) -> dict[str, Any]:
    """examples/<kind>.yaml as plain data, a fresh copy, with ``changes`` set on top."""
    data = copy.deepcopy(_example(kind))
    data.update(changes)
    return data


def parse(data: dict[str, Any], settings: Settings, profile: Profile) -> DocumentInput:
    """``data`` parsed as an input file (a copy: ``data`` is left as it was)."""
    return parse_input(copy.deepcopy(data), settings, profile, "input.yaml")


def field_problems(data: dict[str, Any], settings: Settings, profile: Profile) -> list[FieldProblem]:
    """The problems for which ``data`` fails (exit status 3), each naming its field."""
    with pytest.raises(InputError) as info:
        parse(data, settings, profile)
    assert info.value.exit_code == 3
    found = info.value.problems
    assert all(isinstance(p, FieldProblem) for p in found)
    return [p for p in found if isinstance(p, FieldProblem)]


def problems(data: dict[str, Any], settings: Settings, profile: Profile) -> dict[str, str]:
    """field path → Vietnamese message of each problem for which ``data`` fails."""
    return {p.path: p.message.vi for p in field_problems(data, settings, profile)}


def warnings(data: dict[str, Any], settings: Settings, profile: Profile) -> list[str]:
    """The Vietnamese warnings of ``data`` parsed."""
    return [w.vi for w in parse(data, settings, profile).warnings]


def text_of(doc: DocumentInput, settings: Settings) -> str:
    """The text of ``doc`` rendered."""
    return Renderer(settings).render(doc).text


def run(root: Path, *args: str, lang: str = "vi", config: Path = CONFIG) -> Result:
    """``docgen`` on the archive at ``root`` with the example configuration, as user thu-ky."""
    return CliRunner().invoke(main, ["--lang", lang, "--config", str(config), "--archive", str(root), *args],
                              env={"DOCGEN_USER": "thu-ky"})
