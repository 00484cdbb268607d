"""JSON Schema validation whose errors read as field path + Vietnamese fix."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

import jsonschema
from jsonschema.exceptions import ValidationError

from docgen.i18n import Msg
from docgen.model.problems import Problems

MAX_PROBLEMS = 100
"""At most 100 problems are listed for one file (then a note says there are more)."""

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


def short_repr(value: Any, limit: int = 60) -> str:
    """repr() for a message, cut to ``limit`` characters (a value may be 1 MiB long)."""
    text = repr(value) if not isinstance(value, list | dict) or len(value) < 50 else f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _describe(error: ValidationError) -> tuple[str, Msg, Msg]:
    """(field path, message, hint) for one schema error."""
    instance: Any = error.instance
    schema: Any = error.schema
    validator_value: Any = error.validator_value
    path = path_text(error.absolute_path)
    shown = short_repr(instance)
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
            return path, Msg(f"ngày không hợp lệ: {shown}", f"invalid date: {shown}"), Msg(
                "ghi ngày dạng NĂM-THÁNG-NGÀY, ví dụ 2026-03-10", "write dates as YYYY-MM-DD, e.g. 2026-03-10")
        if pattern == TIME_PATTERN:
            return path, Msg(f"giờ không hợp lệ: {shown}", f"invalid time: {shown}"), Msg(
                "ghi giờ dạng \"19:30\" (trong dấu nháy)", "write times as \"19:30\" (quoted)")
        if pattern == ID_PATTERN:
            return path, Msg(f"mã không hợp lệ: {shown}", f"invalid id: {shown}"), Msg(
                "mã chỉ gồm chữ thường không dấu, số và dấu gạch nối, ví dụ m01",
                "ids use lowercase ASCII letters, digits and hyphens, e.g. m01")
        return path, Msg(f"giá trị sai dạng: {shown}", f"malformed value: {shown}"), Msg(
            f"giá trị phải khớp mẫu {pattern}", f"the value must match {pattern}")
    if v == "type":
        expected = error.validator_value
        names_vi = {"string": "chuỗi chữ", "integer": "số nguyên", "array": "danh sách",
                    "object": "bảng khóa: giá trị", "boolean": "true/false", "null": "để trống",
                    "number": "số"}
        wanted = expected if isinstance(expected, list) else [expected]
        vi = " hoặc ".join(names_vi.get(str(w), str(w)) for w in wanted)
        en = " or ".join(str(w) for w in wanted)
        return path, Msg(f"sai kiểu dữ liệu: {shown}", f"wrong type: {shown}"), Msg(
            f"giá trị phải là {vi}", f"the value must be {en}")
    if v == "enum":
        allowed = ", ".join(str(a) for a in validator_value)
        return path, Msg(f"giá trị không hợp lệ: {shown}", f"invalid value: {shown}"), Msg(
            f"chọn một trong: {allowed}", f"choose one of: {allowed}")
    if v in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        bound = error.validator_value
        vi, en = {"minimum": (f"nhỏ nhất là {bound}", f"at least {bound}"),
                  "maximum": (f"lớn nhất là {bound}", f"at most {bound}"),
                  "exclusiveMinimum": (f"phải lớn hơn {bound}", f"more than {bound}"),
                  "exclusiveMaximum": (f"phải nhỏ hơn {bound}", f"less than {bound}")}[str(v)]
        return path, Msg(f"giá trị ngoài phạm vi: {shown}", f"value out of range: {shown}"), Msg(
            f"giá trị {vi}", f"the value must be {en}")
    if v in ("minItems", "minLength"):
        return path, Msg("không được để trống", "must not be empty"), Msg(
            "điền ít nhất một mục", "fill in at least one item")
    if v == "uniqueItems":
        return path, Msg("danh sách có mục trùng lặp", "the list has duplicate items"), Msg(
            "xóa mục trùng", "remove the duplicate")
    return path, Msg(f"giá trị không hợp lệ: {error.message}", f"invalid value: {error.message}"), Msg(
        "xem docgen schema KIND", "see docgen schema KIND")


@lru_cache(maxsize=64)
def _regex(pattern: str) -> re.Pattern[str]:
    """A schema pattern with ECMA-262 meaning (what JSON Schema specifies): ``\\d`` is
    ASCII only and ``$`` is the end of the text, not "before a final line break"."""
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern, re.ASCII)


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[ValidationError]:
    # Python's own \d matches "٢٠٢٦" and $ accepts "2026-03-10\n": both then crash fromisoformat.
    if validator.is_type(instance, "string") and not _regex(pattern).search(instance):
        yield ValidationError(f"{short_repr(instance)} does not match {pattern!r}")


def _key(value: Any) -> Any:
    """A hashable stand-in equal exactly when JSON Schema calls two values equal."""
    if isinstance(value, dict):
        return ("object", frozenset((k, _key(v)) for k, v in value.items()))
    if isinstance(value, list):
        return ("array", tuple(_key(v) for v in value))
    if isinstance(value, bool) or value is None:
        return ("const", value)
    if isinstance(value, int | float):
        return ("number", value)
    return ("string", value) if isinstance(value, str) else ("other", id(value))


def _unique_items(validator: Any, unique: bool, instance: Any, schema: Any) -> Iterator[ValidationError]:
    # jsonschema's own check compares unsortable items pairwise: minutes for a long list of mappings.
    if unique and validator.is_type(instance, "array"):
        seen: set[Any] = set()
        for item in instance:
            key = _key(item)
            if key in seen:
                yield ValidationError("the array has non-unique elements")
                return
            seen.add(key)


def _is_integer(checker: Any, instance: Any) -> bool:
    # JSON Schema calls 5.0 an integer; docgen formats numbers with {:02d} and range().
    return isinstance(instance, int) and not isinstance(instance, bool)


_Validator: Any = jsonschema.validators.extend(  # type: ignore[no-untyped-call]  # untyped in the stubs
    jsonschema.Draft202012Validator,
    validators={"pattern": _pattern, "uniqueItems": _unique_items},
    type_checker=jsonschema.Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_integer),
)


def add_problem(problems: Problems, field: str, message: Msg, hint: Msg | None = None) -> bool:
    """Add a problem unless MAX_PROBLEMS are listed already (the first time, a note says so
    instead); False once the list is full. A 1 MiB file can hold 500,000 wrong values."""
    count = len(problems.items)
    if count < MAX_PROBLEMS:
        problems.add(field, message, hint)
        return True
    if count == MAX_PROBLEMS:
        problems.add("", Msg(f"chỉ liệt kê {MAX_PROBLEMS} lỗi đầu tiên, tệp còn lỗi khác",
                             f"only the first {MAX_PROBLEMS} problems are listed, the file has more"),
                     Msg("sửa các lỗi trên rồi chạy lại để xem các lỗi còn lại",
                         "fix the problems above and run again to see the rest"))
    return False


def check_schema(data: dict[str, Any], schema: dict[str, Any], problems: Problems) -> None:
    """Add one problem per schema violation (deepest first, stable order), at most MAX_PROBLEMS."""
    validator = _Validator(schema)
    errors = sorted(itertools.islice(validator.iter_errors(data), MAX_PROBLEMS + 1),
                    key=lambda e: (list(map(str, e.absolute_path)), e.validator))
    for error in errors:
        if not add_problem(problems, *_describe(error)):
            break


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
                add_problem(problems, path, Msg(f"ngày không tồn tại: {value}", f"no such date: {value}"),
                            Msg("sửa ngày (YYYY-MM-DD)", "fix the date (YYYY-MM-DD)"))
    walk(data, "")
