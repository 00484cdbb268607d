"""docgen/data/topics.json is topics.yaml already parsed (docgen.topics): the same topics,
regenerated whenever the YAML changes, and never trusted once the YAML has changed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from docgen import topics
from docgen.topics import TOPICS_JSON, TOPICS_YAML, load_topics, topics_json


def test_the_json_is_made_from_the_yaml_as_it_is() -> None:
    assert TOPICS_JSON.read_text("utf-8") == topics_json(), (
        "docgen/data/topics.yaml changed: run `.venv/bin/python -m docgen.topics`")


def test_the_json_holds_the_topics_of_the_yaml() -> None:
    assert load_topics() == topics._parse_yaml(TOPICS_YAML.read_text("utf-8"))
    assert len(load_topics()) == 31


def test_an_edited_yaml_is_read_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    edited = tmp_path / "topics.yaml"
    edited.write_text(TOPICS_YAML.read_text("utf-8").replace("label: Thu nộp đảng phí",
                                                             "label: Thu, nộp đảng phí"), "utf-8")
    monkeypatch.setattr(topics, "TOPICS_YAML", edited)  # the shipped JSON is now stale
    found = topics._shipped()
    assert [t.label for t in found if t.id == "dang-phi"] == ["Thu, nộp đảng phí"]


def test_reading_the_topics_needs_no_yaml_and_no_whoosh() -> None:
    code = ("import sys; from docgen.topics import find_topics; "
            "assert [t.id for t in find_topics('VSMT')] == ['vsmt']; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('yaml', 'whoosh')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          check=True)
    assert done.stdout.strip() == "[]"
