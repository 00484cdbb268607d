"""JSON Schemas (draft 2020-12) of the five input kinds.

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
from typing import Any

from docgen.model.labels import labels_for
from docgen.model.validation import DATE_PATTERN, ID_PATTERN, TIME_PATTERN

Schema = dict[str, Any]

# The archive keeps numbers in SQLite (64-bit) and the numbering registry: without a
# bound, "number: 99999999999999999999" was a traceback (OverflowError) in docgen new.
MAX_NUMBER = 9999

KIND_NAMES = ("bien-ban-thuong-ky", "bien-ban-chuyen-de", "nghi-quyet", "ke-hoach-chuyen-de",
              "de-cuong-chuyen-de")


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


def _common(kind: str, summary_example: str) -> dict[str, Schema]:
    return {
        "kind": p("string", const=kind, examples=[kind]),
        "date": p("string", pattern=DATE_PATTERN),
        "number": p(["integer", "null"], default=None, minimum=1, maximum=MAX_NUMBER),
        "draft": p("boolean", default=False),
        "topics": arr(p("string", pattern=ID_PATTERN), default=[], uniqueItems=True),
        "summary": p(["string", "null"], default=None, examples=[summary_example]),
    }


def _speech() -> Schema:
    return arr(obj({
        "speaker": text(),
        "content": text(examples=["Thống nhất với báo cáo..."]),
    }, ["speaker", "content"]), default=[])


def _tasks_table() -> Schema:
    return arr(obj({
        "content": text(),
        "owner": p(["string", "null"], default=None),
        "deadline": p(["string", "null"], default=None),
        "note": p(["string", "null"], default=None),
    }, ["content"]), default=[])


def _recipients() -> Schema:
    return arr(p("string"), default=[],
               examples=[["Đảng ủy xã Quang Kim (để báo cáo)", "Đảng viên trong chi bộ"]])


def _vote(required: bool) -> Schema:
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


def _meeting() -> dict[str, Schema]:
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
        "temporary_in_present": arr({"type": "string", "pattern": ID_PATTERN}, default=[], uniqueItems=True),
        "guests": arr(obj({
            "name": text(),
            "position": p(["string", "null"], default=None),
        }, ["name"]), default=[]),
        "combined_with_topical": p("boolean", default=False),
        "vote": _vote(False),
        "self_score": p(["object", "null"], default=None, additionalProperties=False, required=["points"],
                        properties={
                            "points": p("number", minimum=0, maximum=100),
                            "rating": p(["string", "null"], default=None,
                                        enum=[None, "Tốt", "Khá", "Trung bình", "Kém"]),
                        }),
    }


def _minutes_body() -> dict[str, Schema]:
    return {
        "agenda": arr(p("string"), default=[],
                      examples=[["Thông tin thời sự", "Đánh giá kết quả thực hiện nghị quyết tháng 2"]]),
        "proceedings": _speech(),
        "conclusion": p(["string", "null"], default=None),
        "tasks": _tasks_table(),
        "read_back": p(["object", "null"], default=None, additionalProperties=False,
                       properties={"agree": p("integer", minimum=0)}),
    }


def _schema(kind: str, title: str, properties: dict[str, Schema], required: list[str]) -> Schema:
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


def _thuong_ky() -> Schema:
    props = {**_common("bien-ban-thuong-ky", "sinh hoạt chi bộ thường kỳ tháng 3 năm 2026"),
             **_meeting(), **_minutes_body()}
    return _schema("bien-ban-thuong-ky", "Biên bản sinh hoạt chi bộ thường kỳ", props,
                   ["kind", "date", "start", "end", "chair", "secretary"])


def _chuyen_de_minutes() -> Schema:
    props = {**_common("bien-ban-chuyen-de", "sinh hoạt chuyên đề quý I năm 2026"), **_meeting(),
             **_minutes_body(),
             "quarter": p(["integer", "null"], default=None, minimum=1, maximum=4),
             "topic_title": text(),
             "purpose": p(["string", "null"], default=None),
             "presenter": member_ref(),
             "presentation": p(["string", "null"], default=None),
             "discussion": _speech()}
    return _schema("bien-ban-chuyen-de", "Biên bản sinh hoạt chuyên đề", props,
                   ["kind", "date", "start", "end", "chair", "secretary", "topic_title", "presenter"])


def _nghi_quyet() -> Schema:
    props = {**_common("nghi-quyet", "lãnh đạo thực hiện nhiệm vụ tháng 3 năm 2026"), **_meeting(),
             "vote": _vote(True),
             "assessment": arr(obj({
                 "heading": text(),
                 "text": text(examples=["Chi bộ đã thông tin kịp thời tình hình thời sự đến đảng viên."]),
             }, ["heading", "text"]), default=[]),
             "directions": arr(obj({
                 "heading": text(),
                 "items": arr(p("string"), default=[]),
             }, ["heading"]), default=[]),
             "assignments": _tasks_table(),
             "signer": p(["string", "null"], default=None, pattern=ID_PATTERN),
             "recipients": _recipients()}
    return _schema("nghi-quyet", "Nghị quyết chi bộ hằng tháng", props,
                   ["kind", "date", "start", "end", "chair", "secretary", "vote"])


def _ke_hoach() -> Schema:
    props = {**_common("ke-hoach-chuyen-de", "sinh hoạt chuyên đề năm 2026"),
             "year": p(["integer", "null"], default=None, minimum=1945, maximum=2200),
             "quarter": p(["integer", "null"], default=None, minimum=1, maximum=4),
             "bases": arr(p("string"), default=[],
                          examples=[["Điều lệ Đảng Cộng sản Việt Nam",
                                     "Hướng dẫn số 42-HD/BTCTW ngày 28/10/2025 của Ban Tổ chức Trung ương"]]),
             "purpose": p(["string", "null"], default=None),
             "schedule": arr(obj({
                 "period": text(),
                 "quarter": p(["integer", "null"], default=None, minimum=1, maximum=4),
                 "title": text(),
                 "preparer": p(["string", "null"], default=None),
                 "owner": p(["string", "null"], default=None),
                 "note": p(["string", "null"], default=None),
             }, ["period", "title"]), default=[]),
             "organisation": p(["string", "null"], default=None),
             "signer": p(["string", "null"], default=None, pattern=ID_PATTERN),
             "recipients": _recipients()}
    return _schema("ke-hoach-chuyen-de", "Kế hoạch sinh hoạt chuyên đề", props, ["kind", "date"])


def _de_cuong() -> Schema:
    common = _common("de-cuong-chuyen-de", "sinh hoạt chuyên đề quý I năm 2026")
    common["number"] = p("null", default=None)
    props = {**common,
             "year": p(["integer", "null"], default=None, minimum=1945, maximum=2200),
             "quarter": p(["integer", "null"], default=None, minimum=1, maximum=4),
             "title": text(examples=["Chung tay giữ gìn vệ sinh môi trường, xây dựng thôn sáng - xanh - sạch - đẹp"]),
             "presenter": member_ref(),
             "approved": p("boolean", default=False),
             "purpose": p(["string", "null"], default=None),
             "content": p(["string", "null"], default=None),
             "situation": p(["string", "null"], default=None),
             "tasks": p(["string", "null"], default=None),
             "questions": arr(p("string"), default=[])}
    return _schema("de-cuong-chuyen-de", "Đề cương sinh hoạt chuyên đề", props,
                   ["kind", "date", "title", "presenter"])


_BUILDERS = {
    "bien-ban-thuong-ky": _thuong_ky,
    "bien-ban-chuyen-de": _chuyen_de_minutes,
    "nghi-quyet": _nghi_quyet,
    "ke-hoach-chuyen-de": _ke_hoach,
    "de-cuong-chuyen-de": _de_cuong,
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


def labelled(schema: Schema, kind: str) -> Schema:
    """``schema`` with ``title``, ``description`` and (when missing) ``examples`` from the
    labels of ``kind``, on every property and list item (changed in place, returned)."""
    table = labels_for(kind)

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
    return labelled(copy.deepcopy(_BUILDERS[kind]()), kind)
