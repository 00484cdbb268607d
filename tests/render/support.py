"""Helpers for the render tests: example inputs and pretty XML parts of a .docx."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import yaml
from lxml import etree

from docgen.kinds import KINDS

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
GOLDEN = Path(__file__).resolve().parent / "golden"
KIND_NAMES = list(KINDS)  # every kind of the registry (docgen/kinds/)


def example_path(kind: str) -> Path:
    return EXAMPLES / f"{kind}.yaml"


def example_data(kind: str) -> dict[str, Any]:
    data = yaml.safe_load(example_path(kind).read_text("utf-8"))
    result: dict[str, Any] = json.loads(json.dumps(data, default=str))
    return result


def part_names(docx: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return z.namelist()


def read_part(docx: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return z.read(name)


def pretty_parts(docx: bytes) -> dict[str, str]:
    """word/document.xml and every header/footer part, pretty-printed."""
    out = {}
    for name in part_names(docx):
        base = name.rsplit("/", 1)[-1]
        if name == "word/document.xml" or (name.startswith("word/") and base.startswith(("header", "footer"))
                                          and base.endswith(".xml")):
            tree = etree.fromstring(read_part(docx, name))
            out[base] = etree.tostring(tree, pretty_print=True, encoding="unicode")
    return out
