"""docgen.model.labels: one label for every field of every kind and of profile.yaml."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from click.testing import CliRunner

from docgen.cli import main
from docgen.model import KINDS, PROFILE_SCHEMA
from docgen.model.labels import (
    KIND_LABELS,
    PROFILE,
    example_of,
    field_label,
    label_of,
    labels_for,
    pattern_of,
    schema_paths,
    split_path,
)
from docgen.model.resolve import parse_user_time
from docgen.model.schemas import example_value
from docgen.model.validation import DATE_PATTERN, TIME_PATTERN
from docgen.vn.dates import parse_user_date

SCHEMAS: dict[str, dict[str, Any]] = {**{k: s.schema for k, s in KINDS.items()}, PROFILE: PROFILE_SCHEMA}


def _node(schema: dict[str, Any], pattern: str) -> dict[str, Any]:
    """The sub-schema of a label key ("absent[].member")."""
    node = schema
    for part in re.findall(r"\[\]|[^.\[\]]+", pattern):
        node = node["items"] if part == "[]" else node["properties"][part]
    return node


@pytest.mark.parametrize("kind", list(SCHEMAS))
def test_every_field_of_every_schema_has_a_label(kind: str) -> None:
    paths = list(schema_paths(SCHEMAS[kind]))
    assert "date" in paths or "members[].admitted" in paths
    table = labels_for(kind)
    missing = [p for p in paths if p not in table]
    assert not missing, f"{kind}: no label for {missing}"
    for path in paths:
        label = table[path]
        assert label.vi and label.en, path
        assert not label.vi.isascii(), f"{kind}.{path}: {label.vi!r} is not Vietnamese"
        assert label.en.isascii(), f"{kind}.{path}: {label.en!r} is not English"


@pytest.mark.parametrize("kind", list(SCHEMAS))
def test_no_label_without_a_field(kind: str) -> None:
    """The table names only fields that exist: a renamed field cannot keep a stale label."""
    paths = set(schema_paths(SCHEMAS[kind]))
    assert set(KIND_LABELS[kind]) - paths == set()


@pytest.mark.parametrize("kind", list(SCHEMAS))
def test_examples_are_written_the_vietnamese_way(kind: str) -> None:
    for path, label in KIND_LABELS[kind].items():
        if label.example is None:
            continue
        node = _node(SCHEMAS[kind], path)
        value = example_value(label.example)
        if node.get("pattern") == DATE_PATTERN:
            assert re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", label.example), path  # 10/3/2026, never ISO
            parse_user_date(label.example)
        if node.get("pattern") == TIME_PATTERN:
            assert label.example.startswith('"'), path  # quoted as `docgen form` writes it (unquoted works too)
            assert "nháy" not in (label.note.vi if label.note else ""), path  # no quotes needed any more
            parse_user_time(value)
        types = node.get("type")
        types = types if isinstance(types, list) else [types]
        expected = {"string": str, "integer": int, "number": int, "boolean": bool, "array": list}
        assert any(isinstance(value, expected[t]) for t in types if t in expected), (path, value)


def test_concrete_paths() -> None:
    assert label_of("start", "nghi-quyet").vi == "Giờ bắt đầu"
    assert label_of("start", "nghi-quyet").en == "Start time"
    member = label_of("absent[2].member", "bien-ban-thuong-ky")
    assert (member.vi, member.en) == ("Đảng viên của người vắng mặt thứ 3", "Member (absent member 3)")
    topic = label_of(("topics", 1), "nghi-quyet")
    assert (topic.vi, topic.en) == ("Chủ đề thứ 2", "Topic 2")
    period = label_of("members[2].exempt[0].to", PROFILE)
    assert period.vi == "Đến ngày của thời kỳ miễn sinh hoạt thứ 1 của đảng viên thứ 3"
    assert period.en == "To (exemption period 1, member 3)"
    assert label_of("vote.for", None).vi == "Số đồng chí tán thành"
    assert label_of("colour", "nghi-quyet").vi == '"colour"'
    assert label_of("assessment[0].text", "nghi-quyet").vi == "Nội dung đánh giá của mục đánh giá thứ 1"


def test_kinds_name_the_same_key_differently() -> None:
    assert field_label("tasks", "de-cuong-chuyen-de").vi.startswith("IV.")  # type: ignore[union-attr]
    assert field_label("tasks", "bien-ban-thuong-ky").vi == "Phân công nhiệm vụ"  # type: ignore[union-attr]
    assert field_label("year", "ke-hoach-chuyen-de").vi == "Năm của kế hoạch"  # type: ignore[union-attr]
    assert example_of("start", "nghi-quyet") == '"19:30"'
    assert example_of("date", "nghi-quyet") == "10/3/2026"
    assert example_of("colour", "nghi-quyet") is None


def test_paths() -> None:
    assert split_path("absent[2].member") == ("absent", 2, "member")
    assert split_path(("members", 0, "exempt", 1, "to")) == ("members", 0, "exempt", 1, "to")
    assert split_path("") == ()
    assert pattern_of("members[3].exempt[0].from") == "members[].exempt[].from"
    assert pattern_of(("topics", 4)) == "topics[]"


@pytest.mark.parametrize("kind", list(SCHEMAS))
def test_schema_titles_and_descriptions_come_from_the_labels(kind: str) -> None:
    schema = SCHEMAS[kind]
    for path in schema_paths(schema):
        node, label = _node(schema, path), labels_for(kind)[path]
        assert node["title"] == label.vi
        assert node["description"] == label.description.vi
        assert node["description"].startswith(label.vi)


@pytest.mark.parametrize("kind", list(KINDS))
def test_docgen_schema_shows_dates_the_vietnamese_way(kind: str) -> None:
    result = CliRunner().invoke(main, ["schema", kind], env={"DOCGEN_LANG": "vi"})
    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    assert schema["properties"]["date"]["examples"] == ["10/3/2026"]
    assert "ngày/tháng/năm" in schema["properties"]["date"]["description"]
    text = json.dumps({k: v for k, v in schema.items() if k != "$schema"}, ensure_ascii=False)
    assert "YYYY" not in text
    assert not re.search(r'"examples": \[[^\]]*"\d{4}-\d{2}-\d{2}"', text)  # no ISO example


def test_the_profile_schema_shows_dates_the_vietnamese_way() -> None:
    text = json.dumps({k: v for k, v in PROFILE_SCHEMA.items() if k != "$schema"}, ensure_ascii=False)
    assert "YYYY" not in text
    assert not re.search(r'"examples": \[[^\]]*"\d{4}-\d{2}-\d{2}"', text)  # no ISO example
    admitted = PROFILE_SCHEMA["properties"]["members"]["items"]["properties"]["admitted"]
    assert admitted["title"] == "Ngày kết nạp" and admitted["examples"] == ["19/5/1998"]
    assert "ngày/tháng/năm" in admitted["description"]
    period = PROFILE_SCHEMA["properties"]["members"]["items"]["properties"]["exempt"]["items"]
    assert period["properties"]["from"]["examples"] == ["1/1/2026"]
    assert period["properties"]["to"]["description"] == "Đến ngày — để trống: chưa kết thúc"
