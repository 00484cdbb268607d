"""JSON Schema (draft 2020-12) parts the document kinds share (docgen/kinds/).

The schemas say what is valid; the labels (docgen.model.labels) say what each field is
called: every property gets its Vietnamese label as ``title``, label and note as
``description``, and the label's example (written the Vietnamese way: 10/3/2026, "19:30")
in ``examples`` when the schema gives none. ``docgen form`` writes commented YAML forms
from them and ``docgen schema KIND`` prints them.

Dates and times are checked here in their canonical form (2026-03-10, 19:30): what people
write (10/3/2026, 19h30, member names, topic labels) is read into that form before the
schema check (docgen.model.resolve).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import Any

from docgen.model.labels import Label, labels_for
from docgen.model.validation import DATE_PATTERN as DATE_PATTERN
from docgen.model.validation import ID_PATTERN as ID_PATTERN
from docgen.model.validation import TIME_PATTERN as TIME_PATTERN

Schema = dict[str, Any]

# The archive keeps numbers in SQLite (64-bit) and the numbering registry: without a
# bound, "number: 99999999999999999999" was a traceback (OverflowError) in docgen new.
MAX_NUMBER = 9999

def p(types: str | list[str], default: Any = ..., examples: list[Any] | None = None, **extra: Any) -> Schema:
    """One property schema (its title and description come from the labels)."""
    out: Schema = {"type": types}
    if default is not ...:
        out["default"] = default
    if examples:
        out["examples"] = examples
    out.update(extra)
    return out


def text(**extra: Any) -> Schema:
    """A required text: an empty string is "chưa điền", as a missing value is."""
    return p("string", minLength=1, **extra)


def obj(properties: dict[str, Schema], required: list[str] | None = None, **extra: Any) -> Schema:
    out: Schema = {"type": "object", "additionalProperties": False, "properties": properties}
    if required:
        out["required"] = required
    out.update(extra)
    return out


def arr(items: Schema, default: Any = ..., examples: list[Any] | None = None, **extra: Any) -> Schema:
    return p("array", default, examples, items=items, **extra)


def member_ref(**kw: Any) -> Schema:
    return p("string", pattern=ID_PATTERN, **kw)


def common(kind: str, summary_example: str) -> dict[str, Schema]:
    return {
        "kind": p("string", const=kind, examples=[kind]),
        "date": p("string", pattern=DATE_PATTERN),
        "number": p(["integer", "null"], default=None, minimum=1, maximum=MAX_NUMBER),
        "draft": p("boolean", default=False),
        "topics": arr(p("string", pattern=ID_PATTERN), default=[], uniqueItems=True),
        "summary": p(["string", "null"], default=None, examples=[summary_example]),
    }


def speech() -> Schema:
    return arr(obj({
        "speaker": text(),
        "content": text(examples=["Thống nhất với báo cáo..."]),
    }, ["speaker", "content"]), default=[])


def tasks_table() -> Schema:
    return arr(obj({
        "content": text(),
        "owner": p(["string", "null"], default=None),
        "deadline": p(["string", "null"], default=None),
        "note": p(["string", "null"], default=None),
    }, ["content"]), default=[])


def recipients() -> Schema:
    return arr(p("string"), default=[],
               examples=[["Đảng ủy xã Quang Kim (để báo cáo)", "Đảng viên trong chi bộ"]])


def vote_schema(required: bool) -> Schema:
    extra: dict[str, Any] = {"examples": [{"for": 14, "against": 0, "abstain": 1}]} if required else {"default": None}
    return p(["object", "null"] if not required else "object", **extra,
             additionalProperties=False, required=["for"], properties={
                 "for": p("integer", minimum=0),
                 "against": p("integer", default=0, minimum=0),
                 "abstain": p("integer", default=0, minimum=0),
                 "special": p("boolean", default=False),
                 "subject": p(["string", "null"], default=None),
                 "voters": p(["array", "null"], default=None, items={"type": "string", "pattern": ID_PATTERN}),
             })


def meeting() -> dict[str, Schema]:
    return {
        "month": p(["integer", "null"], default=None, minimum=1, maximum=12),
        "year": p(["integer", "null"], default=None, minimum=1945, maximum=2200),
        "start": p("string", pattern=TIME_PATTERN),
        "end": p("string", pattern=TIME_PATTERN),
        "place": p(["string", "null"], default=None),
        "chair": member_ref(),
        "secretary": member_ref(),
        "absent": arr(obj({
            "member": member_ref(),
            "reason": p(["string", "null"], default=None),
        }, ["member"]), default=[]),
        "exempt_present": arr({"type": "string", "pattern": ID_PATTERN}, default=[], uniqueItems=True),
        "exempt_not_voting": arr({"type": "string", "pattern": ID_PATTERN}, default=[], uniqueItems=True),
        "temporary_in_present": arr({"type": "string", "pattern": ID_PATTERN}, default=[], uniqueItems=True),
        "guests": arr(obj({
            "name": text(),
            "position": p(["string", "null"], default=None),
        }, ["name"]), default=[]),
        "combined_with_topical": p("boolean", default=False),
        "vote": vote_schema(False),
        "self_score": p(["object", "null"], default=None, additionalProperties=False, required=["points"],
                        properties={
                            "points": p("number", minimum=0, maximum=100),
                            "rating": p(["string", "null"], default=None,
                                        enum=[None, "Tốt", "Khá", "Trung bình", "Kém"]),
                        }),
    }


def minutes_body() -> dict[str, Schema]:
    return {
        "agenda": arr(p("string"), default=[],
                      examples=[["Thông tin thời sự", "Đánh giá kết quả thực hiện nghị quyết tháng 2"]]),
        "proceedings": speech(),
        "conclusion": p(["string", "null"], default=None),
        "tasks": tasks_table(),
        "read_back": p(["object", "null"], default=None, additionalProperties=False,
                       properties={"agree": p("integer", minimum=0)}),
    }


def kind_schema(kind: str, title: str, properties: dict[str, Schema], required: list[str]) -> Schema:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://docgen.local/schema/{kind}.json",
        "title": kind,
        "description": title,
        "type": "object",
        "additionalProperties": False,
        "required": required,
        "properties": properties,
    }


def example_value(example: str) -> Any:
    """A label's example as written in YAML ('"19:30"', "10/3/2026", "14", "true",
    "[vsmt, ntm]") as the value it stands for (without importing a YAML parser)."""
    example = example.strip()
    if len(example) >= 2 and example[0] == example[-1] == '"':
        return example[1:-1]
    if example.startswith("[") and example.endswith("]"):
        return [example_value(part) for part in example[1:-1].split(",") if part.strip()]
    if example in ("true", "false"):
        return example == "true"
    if re.fullmatch(r"-?\d+", example):
        return int(example)
    return example


def labelled(schema: Schema, kind: str, table: Mapping[str, Label] | None = None) -> Schema:
    """``schema`` with ``title``, ``description`` and (when missing) ``examples`` from the
    labels of ``kind`` (or ``table``), on every property and list item (changed in place,
    returned)."""
    table = labels_for(kind) if table is None else table

    def visit(node: Schema, key: str) -> None:
        label = table.get(key)
        if label is not None:
            node["title"] = label.vi
            node["description"] = label.description.vi
            if label.example is not None and "examples" not in node and "const" not in node:
                node["examples"] = [example_value(label.example)]
        walk(node, key)

    def walk(node: Schema, prefix: str) -> None:
        for name, sub in (node.get("properties") or {}).items():
            if isinstance(sub, dict):
                visit(sub, f"{prefix}.{name}" if prefix else name)
        items = node.get("items")
        if isinstance(items, dict) and prefix:
            visit(items, f"{prefix}[]")

    walk(schema, "")
    return schema


def schema_for(kind: str) -> Schema:
    """A fresh copy of the JSON Schema of ``kind``, labelled."""
    from docgen.kinds import KINDS

    return copy.deepcopy(KINDS[kind].schema)


VOTE_TYPE_NAMES = ("resolution", "conclusion", "admission", "conversion", "rating", "discipline", "other")


def votes_list() -> Schema:
    """Further votes of a sitting, each with its subject and type (the type sets the threshold)."""
    return arr(obj({
        "subject": text(examples=["đề nghị kết nạp quần chúng Lê Thị Hạnh vào Đảng"]),
        "type": p("string", default="other", enum=list(VOTE_TYPE_NAMES)),
        "for": p("integer", minimum=0),
        "against": p("integer", default=0, minimum=0),
        "abstain": p("integer", default=0, minimum=0),
        "voters": p(["array", "null"], default=None, items={"type": "string", "pattern": ID_PATTERN}),
    }, ["subject", "for"]), default=[])


def topical_part() -> Schema:
    """The topical part of a regular sitting combined with a topical session."""
    return p(["object", "null"], default=None, additionalProperties=False, required=["title"], properties={
        "title": text(),
        "presenter": p(["string", "null"], default=None, pattern=ID_PATTERN),
        "purpose": p(["string", "null"], default=None),
        "presentation": p(["string", "null"], default=None),
        "discussion": speech(),
        "conclusion": p(["string", "null"], default=None),
    })


def extraordinary() -> dict[str, Schema]:
    """An extraordinary sitting (sinh hoạt bất thường) of the regular minutes or resolution."""
    return {"extraordinary": p("boolean", default=False), "reason": p(["string", "null"], default=None)}
