"""JSON Schema validation whose errors read as field path + Vietnamese fix."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import jsonschema
from jsonschema.exceptions import ValidationError

from docgen.i18n import Msg
from docgen.model.problems import Problems

DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
TIME_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d$"
ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"


def path_text(parts: Iterable[Any]) -> str:
    """deque(['absent', 2, 'member']) → "absent[2].member"."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _describe(error: ValidationError) -> tuple[str, Msg, Msg]:
    """(field path, message, hint) for one schema error."""
    instance: Any = error.instance
    schema: Any = error.schema
    validator_value: Any = error.validator_value
    path = path_text(error.absolute_path)
    v = error.validator
    if v == "required":
        missing = str(error.message).split("'")[1] if "'" in error.message else "?"
        field = f"{path}.{missing}" if path else missing
        return field, Msg("thiếu trường bắt buộc", "a required field is missing"), Msg(
            f"thêm trường \"{missing}\"", f"add the field \"{missing}\"")
    if v == "additionalProperties":
        extra = sorted(set(instance) - set(schema.get("properties", {})))
        names = ", ".join(extra)
        field = f"{path}.{extra[0]}" if path and extra else (extra[0] if extra else path)
        if any(" " in name or not name.isascii() for name in extra):
            return field, Msg(f"trường không được hỗ trợ: {names}", f"unsupported field(s): {names}"), Msg(
                "giá trị có dấu phẩy trong {...} phải đặt trong nháy kép, ví dụ reason: \"tuổi cao, sức khỏe yếu\"",
                "in {...} put values containing commas in double quotes, e.g. reason: \"tuổi cao, sức khỏe yếu\"")
        return field, Msg(f"trường không được hỗ trợ: {names}", f"unsupported field(s): {names}"), Msg(
            "xóa trường này hoặc sửa lỗi chính tả của tên trường (xem docgen schema KIND)",
            "remove it or fix the field name's spelling (see docgen schema KIND)")
    if v == "pattern":
        pattern = str(error.validator_value)
        if pattern == DATE_PATTERN:
            return path, Msg(f"ngày không hợp lệ: {error.instance!r}", f"invalid date: {error.instance!r}"), Msg(
                "ghi ngày dạng NĂM-THÁNG-NGÀY, ví dụ 2026-03-10", "write dates as YYYY-MM-DD, e.g. 2026-03-10")
        if pattern == TIME_PATTERN:
            return path, Msg(f"giờ không hợp lệ: {error.instance!r}", f"invalid time: {error.instance!r}"), Msg(
                "ghi giờ dạng \"19:30\" (trong dấu nháy)", "write times as \"19:30\" (quoted)")
        if pattern == ID_PATTERN:
            return path, Msg(f"mã không hợp lệ: {error.instance!r}", f"invalid id: {error.instance!r}"), Msg(
                "mã chỉ gồm chữ thường không dấu, số và dấu gạch nối, ví dụ m01",
                "ids use lowercase ASCII letters, digits and hyphens, e.g. m01")
        return path, Msg(f"giá trị sai dạng: {error.instance!r}", f"malformed value: {error.instance!r}"), Msg(
            f"giá trị phải khớp mẫu {pattern}", f"the value must match {pattern}")
    if v == "type":
        expected = error.validator_value
        names_vi = {"string": "chuỗi chữ", "integer": "số nguyên", "array": "danh sách",
                    "object": "bảng khóa: giá trị", "boolean": "true/false", "null": "để trống",
                    "number": "số"}
        wanted = expected if isinstance(expected, list) else [expected]
        vi = " hoặc ".join(names_vi.get(str(w), str(w)) for w in wanted)
        en = " or ".join(str(w) for w in wanted)
        return path, Msg(f"sai kiểu dữ liệu: {error.instance!r}", f"wrong type: {error.instance!r}"), Msg(
            f"giá trị phải là {vi}", f"the value must be {en}")
    if v == "enum":
        allowed = ", ".join(str(a) for a in validator_value)
        return path, Msg(f"giá trị không hợp lệ: {error.instance!r}", f"invalid value: {error.instance!r}"), Msg(
            f"chọn một trong: {allowed}", f"choose one of: {allowed}")
    if v in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        return path, Msg(f"giá trị ngoài phạm vi: {error.instance!r}", f"value out of range: {error.instance!r}"), Msg(
            f"giới hạn {v}: {error.validator_value}", f"limit {v}: {error.validator_value}")
    if v in ("minItems", "minLength"):
        return path, Msg("không được để trống", "must not be empty"), Msg(
            "điền ít nhất một mục", "fill in at least one item")
    if v == "uniqueItems":
        return path, Msg("danh sách có mục trùng lặp", "the list has duplicate items"), Msg(
            "xóa mục trùng", "remove the duplicate")
    return path, Msg(f"giá trị không hợp lệ: {error.message}", f"invalid value: {error.message}"), Msg(
        "xem docgen schema KIND", "see docgen schema KIND")


def check_schema(data: dict[str, Any], schema: dict[str, Any], problems: Problems) -> None:
    """Add one problem per schema violation (deepest first, stable order)."""
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: (list(map(str, e.absolute_path)), e.validator))
    for error in errors:
        field, message, hint = _describe(error)
        problems.add(field, message, hint)


def check_dates(data: dict[str, Any], problems: Problems) -> None:
    """Every ISO date string must be a real date (2026-02-30 is not)."""
    def walk(value: Any, path: str) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, f"{path}.{k}" if path else str(k))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, f"{path}[{i}]")
        elif isinstance(value, str) and len(value) == 10 and value[4:5] == "-" and value[7:8] == "-":
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                problems.add(path, Msg(f"ngày không tồn tại: {value}", f"no such date: {value}"),
                             Msg("sửa ngày (YYYY-MM-DD)", "fix the date (YYYY-MM-DD)"))
    walk(data, "")
