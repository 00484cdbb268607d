"""JSON Schema validation whose problems a secretary can act on.

Every problem names the field by its label and its line ("Chưa điền Giờ bắt đầu (dòng 33),
ví dụ "19:30""), keeps the technical path as the problem's field ("start") and says how to
fix it, in Vietnamese and English. jsonschema's own (English) messages are never shown:
each validator keyword has its own explanation, and an unknown one a generic one.
jsonschema itself is imported on first use (it is slow to import).
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
import math
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from docgen.i18n import Msg
from docgen.model.labels import KIND_LABELS, PROFILE, example_of, field_label, label_of, pattern_of
from docgen.model.labels import path_text as path_text
from docgen.model.problems import LineMap, Problems
from docgen.vn.dates import date_error_msg

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

MAX_PROBLEMS = 100
"""At most 100 problems are listed for one file (then a note says there are more)."""

DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
TIME_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d$"
ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"

Parts = tuple[str | int, ...]


def short_repr(value: Any, limit: int = 60) -> str:
    """repr() for a message, cut to ``limit`` characters (a value may be 1 MiB long)."""
    text = repr(value) if not isinstance(value, list | dict) or len(value) < 50 else f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[:limit - 1] + "…"


def shown(value: Any, limit: int = 60) -> Msg:
    """A value as a message quotes it: "7h30" in double quotes, true/false, numbers as they are."""
    if value is None:
        return Msg("để trống", "empty")
    if isinstance(value, bool):
        return Msg(str(value).lower(), str(value).lower())
    if isinstance(value, int | float):
        text = str(value)
        text = text if len(text) <= limit else text[:limit - 1] + "…"
        return Msg(text, text)
    if isinstance(value, list):
        return Msg("một danh sách", "a list")
    if isinstance(value, dict):
        return Msg("một nhóm khóa: giá trị", "a key: value mapping")
    text = " ".join(str(value).split())
    text = text if len(text) <= limit else text[:limit - 1] + "…"
    return Msg(f"\"{text}\"", f"\"{text}\"")


def _blank(value: Any) -> bool:
    """Not filled in: empty (None) or only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def schema_kind(schema: dict[str, Any]) -> str | None:
    """The label table a schema uses: its kind, "profile" for profile.yaml, else None."""
    title = schema.get("title")
    if title in KIND_LABELS:
        return str(title)
    return PROFILE if title == "profile.yaml" else None


# --------------------------------------------------------------------------- describing one field

class _Field:
    """What a message needs to know about one field."""

    def __init__(self, problems: Problems, parts: Parts, schema: Any) -> None:
        self.parts = parts
        self.schema: dict[str, Any] = schema if isinstance(schema, dict) else {}
        self.kind = problems.kind
        self.label = problems.label(parts)
        self.at = problems.where(parts)
        self.example = example_of(parts, self.kind)
        self.key = next((p for p in reversed(parts) if isinstance(p, str)), "")

    @property
    def types(self) -> list[str]:
        t = self.schema.get("type")
        return [str(x) for x in t] if isinstance(t, list) else ([str(t)] if t else [])

    def head(self) -> tuple[str, str]:
        """"Giờ bắt đầu (dòng 33)" / "Start time (line 33)"."""
        return f"{self.label.vi}{self.at.vi}", f"{self.label.en}{self.at.en}"

    def eg(self) -> Msg:
        """", ví dụ "19:30"" or nothing."""
        return Msg(f", ví dụ {self.example}", f", e.g. {self.example}") if self.example else Msg("", "")

    def sample_line(self) -> str | None:
        """The example as a line of the file: 'start: "19:30"' (or '- m03' for a list item)."""
        if not self.example:
            return None
        return f"{self.key}: {self.example}" if isinstance(self.parts[-1], str) else f"- {self.example}"

    def how(self, with_example: bool = True) -> Msg | None:
        """How to write this field."""
        sample = self.sample_line() if with_example else None
        eg = Msg(f", ví dụ {sample}", f", e.g. {sample}") if sample else Msg("", "")
        pattern = self.schema.get("pattern")
        types = self.types
        if pattern == TIME_PATTERN:  # no quotes needed: the YAML 1.2 loader reads 19:30 as text
            plain = (self.example or "").strip('"')
            line = f"{self.key}: {plain}" if with_example and plain else ""
            eg = Msg(f", ví dụ {line}", f", e.g. {line}") if line else Msg("", "")
            return Msg("ghi giờ:phút theo 24 giờ" + eg.vi, "write hours:minutes (24-hour clock)" + eg.en)
        if pattern == DATE_PATTERN:
            return Msg("ghi ngày/tháng/năm" + (eg.vi or ", ví dụ 10/3/2026"),
                       "write day/month/year" + (eg.en or ", e.g. 10/3/2026"))
        if pattern == ID_PATTERN:
            return self._how_id(eg)
        if "enum" in self.schema:
            allowed = ", ".join(str(v) for v in self.schema["enum"] if v is not None)
            empty = (" hoặc để trống", " or leave it empty") if None in self.schema["enum"] else ("", "")
            return Msg(f"chọn một trong: {allowed}{empty[0]}", f"choose one of: {allowed}{empty[1]}")
        if "integer" in types or "number" in types:
            low, high = self.schema.get("minimum"), self.schema.get("maximum")
            span = (f" từ {low} đến {high}", f" from {low} to {high}") if low is not None and high is not None \
                else ("", "")
            return Msg(f"ghi một số{span[0]}, không đặt trong dấu nháy" + eg.vi,
                       f"write a number{span[1]}, without quotes" + eg.en)
        if "boolean" in types:
            return Msg(f"ghi true (có) hoặc false (không), ví dụ {self.key}: true",
                       f"write true or false, e.g. {self.key}: true")
        if "array" in types:
            return Msg("ghi danh sách: mỗi mục một dòng bắt đầu bằng \"- \", hoặc [mục 1, mục 2]",
                       "write a list: one item per line starting with \"- \", or [item 1, item 2]")
        if "object" in types:
            return self._how_object()
        if types == ["null"]:
            note = field_label(self.parts, self.kind)
            return note.note if note and note.note else Msg("để trống", "leave it empty")
        if sample:
            return Msg(f"ví dụ {sample}", f"e.g. {sample}")
        if "string" in types:
            return Msg("viết nội dung sau dấu hai chấm; nội dung có dấu hai chấm thì đặt trong dấu nháy",
                       "write the text after the colon; quote text that contains a colon")
        return None

    def _how_object(self) -> Msg:
        """The keys of a group and an example line: 'ghi các khóa member: (Đảng viên), reason:
        (Lý do vắng), ví dụ - {member: m05, reason: đi công tác}', and the label's note (how
        else the item may be written)."""
        props = list(self.schema.get("properties") or {})
        if not props:
            return Msg(f"ghi các trường con thụt vào dưới dòng \"{self.key}:\"",
                       f"write the inner fields indented under \"{self.key}:\"")
        required = set(self.schema.get("required") or ())
        children = {key: field_label((*self.parts, key), self.kind) for key in props}
        keys_vi = ", ".join(f"{k}: ({c.vi})" if c else f"{k}:" for k, c in children.items())
        keys_en = ", ".join(f"{k}: ({c.en})" if c else f"{k}:" for k, c in children.items())
        order = sorted(props, key=lambda k: k not in required)
        pairs = [f"{k}: {c.example}" for k in order if (c := children[k]) is not None and c.example][:3]
        lead = "- " if self.parts and isinstance(self.parts[-1], int) else f"{self.key}: "
        eg = (f", ví dụ {lead}{{{', '.join(pairs)}}}", f", e.g. {lead}{{{', '.join(pairs)}}}") if pairs else ("", "")
        note = field_label(self.parts, self.kind)
        extra = (f"; {note.note.vi}", f"; {note.note.en}") if note and note.note else ("", "")
        return Msg(f"ghi các khóa {keys_vi}{eg[0]}{extra[0]}", f"write the keys {keys_en}{eg[1]}{extra[1]}")

    def _how_id(self, eg: Msg) -> Msg:
        pattern = pattern_of(self.parts)
        if pattern == "topics[]":
            return Msg("ghi mã hoặc tên chủ đề (xem docgen topics)" + (eg.vi or ", ví dụ vsmt"),
                       "write a topic id or name (see docgen topics)" + (eg.en or ", e.g. vsmt"))
        if pattern == "members[].id":
            return Msg("mã chỉ gồm chữ thường không dấu, số và dấu gạch nối" + (eg.vi or ", ví dụ m01"),
                       "ids use lowercase ASCII letters, digits and hyphens" + (eg.en or ", e.g. m01"))
        if self.kind == PROFILE:
            return Msg("dùng một mã có trong danh sách đảng viên (members)" + eg.vi,
                       "use an id listed under members" + eg.en)
        return Msg("ghi mã đảng viên (ví dụ m01) hoặc họ tên như trong danh sách (docgen roster)",
                   "write a member id (e.g. m01) or the name as on the roster (docgen roster)")

    def schema_hint(self) -> Msg:
        if self.kind in KIND_LABELS and self.kind != PROFILE:
            return Msg(f"xem các trường bằng \"docgen schema {self.kind}\"",
                       f"see the fields with \"docgen schema {self.kind}\"")
        return Msg("xem docs/input-format.md", "see docs/input-format.md")


Problem = tuple[Parts, Msg, Msg | None]


def _unfilled(f: _Field) -> Problem:
    eg = f.eg()
    return f.parts, Msg(f"Chưa điền {f.label.vi}{f.at.vi}{eg.vi}", f"{f.label.en} is not filled in{f.at.en}{eg.en}"), \
        f.how(with_example=False)


_TYPE_NAMES = {"string": ("chữ", "text"), "integer": ("số nguyên", "a whole number"),
               "number": ("số", "a number"), "boolean": ("true hoặc false", "true or false"),
               "array": ("danh sách", "a list"), "object": ("nhóm khóa: giá trị", "a key: value mapping"),
               "null": ("để trống", "empty")}


def _wrong_type(f: _Field, instance: Any) -> Problem:
    if _blank(instance):
        return _unfilled(f)
    vi, en = f.head()
    value = shown(instance)
    wanted = [t for t in f.types if t != "null"]
    if not wanted:
        note = f.how()
        return f.parts, Msg(f"{vi} phải để trống, ở đây là {value.vi}", f"{en} must be empty, not {value.en}"), note
    names_vi = " hoặc ".join(_TYPE_NAMES.get(t, (t, t))[0] for t in wanted)
    names_en = " or ".join(_TYPE_NAMES.get(t, (t, t))[1] for t in wanted)
    hint = f.how()
    if f.schema.get("pattern") == TIME_PATTERN and isinstance(instance, int | float) \
            and not isinstance(instance, bool):
        return _time_as_number(f, instance)
    if "integer" in wanted and isinstance(instance, float):
        hint = Msg("ghi số nguyên, không có phần thập phân", "write a whole number, without decimals")
    elif ("integer" in wanted or "number" in wanted) and isinstance(instance, str) \
            and re.fullmatch(r"\s*-?\d+([.,]\d+)?\s*", instance):
        hint = Msg(f"bỏ dấu nháy quanh số: {f.key}: {instance.strip()}",
                   f"remove the quotes around the number: {f.key}: {instance.strip()}")
    elif f.schema.get("pattern") == TIME_PATTERN:
        hint = f.how()
    elif "string" in wanted and not isinstance(instance, list | dict):
        hint = Msg(f"đặt giá trị trong dấu nháy, ví dụ {f.key}: \"{instance}\"",
                   f"put the value in quotes, e.g. {f.key}: \"{instance}\"")
    return f.parts, Msg(f"{vi} phải là {names_vi}, ở đây là {value.vi}",
                        f"{en} must be {names_en}, not {value.en}"), hint


def _time_digits(number: int | float) -> tuple[str, str] | None:
    """The hours and minutes a number in a time field was most likely typed as: 19.3 and
    19.30 (both read as the number 19.3) → ("19", "30"), 8.05 → ("8", "05"), 19 → ("19",
    "00"); None when the number cannot be a time (1170, 25.5, 19.75, 19.305)."""
    if isinstance(number, int):
        return (str(number), "00") if 0 <= number <= 23 else None
    if not math.isfinite(number):
        return None
    text = repr(number)
    match = re.fullmatch(r"(\d{1,2})\.(\d{1,2})", text)
    if not match:
        return None
    hours, minutes = match.group(1), match.group(2).ljust(2, "0")
    return (hours, minutes) if int(hours) <= 23 and int(minutes) <= 59 else None


def _time_as_number(f: _Field, instance: int | float) -> Problem:
    """``start: 19.30`` is the number 19.3 (so is ``start: 19.3``): a time needs a colon, or
    quotes around the dotted form. Ambiguous, so an error, never read as 19:30 silently."""
    vi, en = f.head()
    value = shown(instance)
    message = Msg(f"{vi} bị đọc thành số {value.vi}, không phải giờ",
                  f"{en} was read as the number {value.en}, not as a time")
    digits = _time_digits(instance)
    if isinstance(instance, int) and digits:  # start: 19
        hour = digits[0]
        return f.parts, message, Msg(f"viết cả phút, sau dấu hai chấm: {f.key}: {hour}:00 (hoặc {f.key}: {hour}h)",
                                     f"write the minutes too, after a colon: {f.key}: {hour}:00 (or {f.key}: {hour}h)")
    hour, minute = digits or ("19", "30")
    return f.parts, message, Msg(
        f"viết giờ với dấu hai chấm: {f.key}: {hour}:{minute} (hoặc đặt trong dấu nháy: {f.key}: \"{hour}.{minute}\")",
        f"write the time with a colon: {f.key}: {hour}:{minute} (or in quotes: {f.key}: \"{hour}.{minute}\")")


def _pattern_problem(f: _Field, instance: Any) -> Problem:
    if _blank(instance):
        return _unfilled(f)
    vi, en = f.head()
    value = shown(instance)
    pattern = f.schema.get("pattern")
    if pattern == DATE_PATTERN:
        return f.parts, Msg(f"{vi} không phải là ngày: {value.vi}", f"{en} is not a date: {value.en}"), f.how()
    if pattern == TIME_PATTERN:
        return f.parts, Msg(f"{vi} không phải là giờ: {value.vi}", f"{en} is not a time: {value.en}"), f.how()
    if pattern == ID_PATTERN:
        return f.parts, Msg(f"{vi} không phải là mã hợp lệ: {value.vi}", f"{en} is not a valid id: {value.en}"), \
            f.how()
    return f.parts, Msg(f"{vi} sai dạng: {value.vi}", f"{en} is not in the expected form: {value.en}"), \
        f.how() or f.schema_hint()


def _number(value: Any) -> str:
    return str(value)


def _range_problem(f: _Field, validator: str, instance: Any) -> Problem:
    vi, en = f.head()
    value = _number(instance)
    low, high = f.schema.get("minimum"), f.schema.get("maximum")
    hint = f.how()
    if validator in ("minimum", "maximum") and low is not None and high is not None:
        return f.parts, Msg(f"{vi} chỉ từ {low} đến {high}, ở đây là {value}",
                            f"{en} must be from {low} to {high}, not {value}"), hint
    if validator == "minimum" and low == 0:
        return f.parts, Msg(f"{vi} không được là số âm, ở đây là {value}",
                            f"{en} cannot be negative, not {value}"), hint
    bound = f.schema.get(validator)
    text = {"minimum": (f"nhỏ nhất là {bound}", f"at least {bound}"),
            "maximum": (f"lớn nhất là {bound}", f"at most {bound}"),
            "exclusiveMinimum": (f"phải lớn hơn {bound}", f"more than {bound}"),
            "exclusiveMaximum": (f"phải nhỏ hơn {bound}", f"less than {bound}")}[validator]
    return f.parts, Msg(f"{vi} {text[0]}, ở đây là {value}", f"{en} must be {text[1]}, not {value}"), hint


def _child(problems: Problems, parts: Parts, schema: dict[str, Any], name: str) -> _Field:
    sub = (schema.get("properties") or {}).get(name, {})
    return _Field(problems, (*parts, name), sub)


def _missing(problems: Problems, parts: Parts, schema: dict[str, Any], instance: Any,
             required: Iterable[Any]) -> Iterator[Problem]:
    present = instance if isinstance(instance, dict) else {}
    for name in required:
        if name in present:
            continue
        f = _child(problems, parts, schema, str(name))
        vi, en = f.head()
        en = f"{f.label.en} is missing{f.at.en}"
        eg = f.eg()
        sample = f"{name}: {f.example}" if f.example else f"{name}: …"
        inside = ("", "")
        if parts:
            outer = problems.label(parts)
            inside = (f" trong {outer.vi}", f" under {outer.en}")
        yield f.parts, Msg(f"Thiếu {vi}{eg.vi}", f"{en}{eg.en}"), Msg(
            f"thêm dòng \"{sample}\"{inside[0]}", f"add the line \"{sample}\"{inside[1]}")


def _unknown_fields(problems: Problems, parts: Parts, schema: dict[str, Any], instance: Any) -> Iterator[Problem]:
    known = list(schema.get("properties") or {})
    patterns = [re.compile(p) for p in schema.get("patternProperties") or {}]
    extra = [k for k in (instance if isinstance(instance, dict) else {})
             if k not in known and not any(p.search(str(k)) for p in patterns)]
    where_vi, where_en = "", ""
    if parts:
        outer = problems.label(parts)
        where_vi, where_en = f" trong {outer.vi}", f" in {outer.en}"
    for name in extra:
        child: Parts = (*parts, str(name))
        at = problems.where(child)
        message = Msg(f"Trường \"{name}\"{at.vi} không có{where_vi}",
                      f"Unknown field \"{name}\"{at.en}{where_en}")
        text = str(name)
        if " " in text or not text.isascii():
            hint = Msg("giá trị có dấu phẩy trong {...} phải đặt trong nháy kép, ví dụ reason: \"tuổi cao, sức khỏe yếu\"",
                       "in {...} put values containing commas in double quotes, e.g. reason: \"tuổi cao, sức khỏe yếu\"")
        else:
            close = difflib.get_close_matches(text.lower(), known, n=1, cutoff=0.6)
            if close:
                label = problems.label((*parts, close[0]))
                hint = Msg(f"có phải là \"{close[0]}\" ({label.vi})? sửa tên trường hoặc xóa dòng này",
                           f"did you mean \"{close[0]}\" ({label.en})? fix the name or remove the line")
            else:
                base = _Field(problems, parts, schema).schema_hint()
                hint = Msg(f"xóa dòng này hoặc sửa tên trường; {base.vi}",
                           f"remove the line or fix the field name; {base.en}")
        yield child, message, hint


def _duplicate(f: _Field, instance: Any) -> Problem:
    seen: dict[Any, int] = {}
    for index, item in enumerate(instance if isinstance(instance, list) else []):
        key = _key(item)
        if key in seen:
            parts: Parts = (*f.parts, index)
            label = label_of(parts, f.kind)
            value = shown(item)
            return parts, Msg(f"{label.vi}{f.at.vi} trùng với mục thứ {seen[key] + 1}: {value.vi}",
                              f"{label.en}{f.at.en} repeats item {seen[key] + 1}: {value.en}"), Msg(
                "xóa mục trùng", "remove the repeated item")
        seen[key] = index
    vi, en = f.head()
    return f.parts, Msg(f"{vi} có mục trùng lặp", f"{en} has a repeated item"), Msg(
        "xóa mục trùng", "remove the repeated item")


def _sized(f: _Field, validator: str, bound: Any, instance: Any) -> Problem:
    vi, en = f.head()
    size = len(instance) if isinstance(instance, list | str | dict) else 0
    if validator == "minItems":
        if size == 0:
            return f.parts, Msg(f"{vi} chưa có mục nào", f"{en} has no items"), Msg(
                f"thêm ít nhất {bound} mục", f"add at least {bound} item(s)")
        return f.parts, Msg(f"{vi} cần ít nhất {bound} mục, ở đây có {size}",
                            f"{en} needs at least {bound} items, it has {size}"), Msg(
            "thêm mục", "add items")
    if validator == "maxItems":
        return f.parts, Msg(f"{vi} có {size} mục, nhiều nhất là {bound}",
                            f"{en} has {size} items, at most {bound} are allowed"), Msg(
            "bớt mục", "remove some items")
    if validator == "minLength":
        if _blank(instance):
            return _unfilled(f)
        return f.parts, Msg(f"{vi} cần ít nhất {bound} ký tự, ở đây có {size}",
                            f"{en} needs at least {bound} characters, it has {size}"), f.how()
    if validator == "maxLength":
        return f.parts, Msg(f"{vi} dài {size} ký tự, nhiều nhất là {bound}",
                            f"{en} is {size} characters long, at most {bound} are allowed"), Msg(
            "viết ngắn lại", "shorten it")
    if validator == "minProperties":
        if size == 0:
            return _unfilled(f)
        return f.parts, Msg(f"{vi} cần ít nhất {bound} trường, ở đây có {size}",
                            f"{en} needs at least {bound} fields, it has {size}"), f.schema_hint()
    return f.parts, Msg(f"{vi} có {size} trường, nhiều nhất là {bound}",
                        f"{en} has {size} fields, at most {bound} are allowed"), Msg(
        "xóa bớt trường", "remove some fields")


def _describe(error: ValidationError, problems: Problems) -> Iterator[Problem]:
    """The problems of one schema error: field path, message, hint (never jsonschema's text)."""
    parts: Parts = tuple(p if isinstance(p, int) else str(p) for p in error.absolute_path)
    instance: Any = error.instance
    schema: Any = error.schema if isinstance(error.schema, dict) else {}
    value: Any = error.validator_value
    v = str(error.validator)
    f = _Field(problems, parts, schema)
    vi, en = f.head()
    if v == "required":
        yield from _missing(problems, parts, schema, instance, value if isinstance(value, list) else [])
    elif v == "dependentRequired":
        for name, needs in (value or {}).items():
            if isinstance(instance, dict) and name in instance:
                for other in needs:
                    if other not in instance:
                        a, b = problems.label((*parts, name)), problems.label((*parts, other))
                        yield (*parts, other), Msg(f"Có {a.vi} thì phải có {b.vi}{problems.where((*parts, name)).vi}",
                                                   f"{a.en} needs {b.en}{problems.where((*parts, name)).en}"), Msg(
                            f"thêm dòng \"{other}: …\"", f"add the line \"{other}: …\"")
    elif v in ("additionalProperties", "unevaluatedProperties"):
        yield from _unknown_fields(problems, parts, schema, instance)
    elif v == "type":
        yield _wrong_type(f, instance)
    elif v == "pattern":
        yield _pattern_problem(f, instance)
    elif v == "format":
        if _blank(instance):
            yield _unfilled(f)
        elif value in ("date", "date-time"):
            yield parts, Msg(f"{vi} không phải là ngày: {shown(instance).vi}", f"{en} is not a date: {shown(instance).en}"), \
                Msg("ghi ngày/tháng/năm, ví dụ 10/3/2026", "write day/month/year, e.g. 10/3/2026")
        else:
            yield parts, Msg(f"{vi} sai định dạng {value}: {shown(instance).vi}",
                             f"{en} is not a valid {value}: {shown(instance).en}"), f.how() or f.schema_hint()
    elif v == "enum":
        if _blank(instance) and "" not in value:
            yield _unfilled(f)
        else:
            allowed = ", ".join(str(a) for a in value if a is not None)
            yield parts, Msg(f"{vi} chỉ nhận một trong: {allowed}; ở đây là {shown(instance).vi}",
                             f"{en} must be one of: {allowed}; not {shown(instance).en}"), f.how()
    elif v == "const":
        if parts == ("kind",):
            hint = Msg("không sửa dòng kind; muốn loại khác thì tạo biểu mẫu mới bằng docgen form",
                       "do not change the kind line; for another kind make a new form with docgen form")
        else:
            hint = Msg(f"ghi {f.key}: {shown(value).vi}", f"write {f.key}: {shown(value).en}")
        yield parts, Msg(f"{vi} phải là {shown(value).vi}, ở đây là {shown(instance).vi}",
                         f"{en} must be {shown(value).en}, not {shown(instance).en}"), hint
    elif v in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        yield _range_problem(f, v, instance)
    elif v == "multipleOf":
        yield parts, Msg(f"{vi} phải là bội số của {value}, ở đây là {instance}",
                         f"{en} must be a multiple of {value}, not {instance}"), f.how()
    elif v in ("minItems", "maxItems", "minLength", "maxLength", "minProperties", "maxProperties"):
        yield _sized(f, v, value, instance)
    elif v == "uniqueItems":
        yield _duplicate(f, instance)
    elif v in ("oneOf", "anyOf"):
        if _blank(instance):
            yield _unfilled(f)
        else:
            label = field_label(parts, problems.kind)
            note = label.note if label and label.note else f.schema_hint()
            yield parts, Msg(f"{vi} không đúng dạng nào được phép: {shown(instance).vi}",
                             f"{en} matches none of the allowed forms: {shown(instance).en}"), note
    elif v == "not":
        yield parts, Msg(f"{vi} không được có giá trị {shown(instance).vi}",
                         f"{en} cannot be {shown(instance).en}"), f.schema_hint()
    elif v in ("contains", "minContains", "maxContains"):
        yield parts, Msg(f"{vi} không có đủ mục đúng yêu cầu", f"{en} lacks the required items"), f.schema_hint()
    elif v in ("items", "prefixItems", "additionalItems", "unevaluatedItems"):
        yield parts, Msg(f"{vi} có mục không được phép", f"{en} has items that are not allowed"), f.schema_hint()
    elif v == "propertyNames":
        yield parts, Msg(f"{vi} có tên trường không hợp lệ: {shown(instance).vi}",
                         f"{en} has an invalid field name: {shown(instance).en}"), f.schema_hint()
    elif error.schema is False:
        if parts:
            yield parts, Msg(f"Không được dùng {vi} ở đây", f"{en} is not allowed here"), Msg(
                "xóa dòng này", "remove the line")
        else:  # jsonschema does not say which property a false schema refused
            yield parts, Msg("Tệp có một trường không được dùng", "The file has a field that is not allowed"), \
                f.schema_hint()
    else:
        yield parts, Msg(f"{vi} không hợp lệ: {shown(instance).vi}", f"{en} is not valid: {shown(instance).en}"), \
            f.schema_hint()


# --------------------------------------------------------------------------- the validator

@lru_cache(maxsize=64)
def _regex(pattern: str) -> re.Pattern[str]:
    """A schema pattern with ECMA-262 meaning (what JSON Schema specifies): ``\\d`` is
    ASCII only and ``$`` is the end of the text, not "before a final line break"."""
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern, re.ASCII)


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[ValidationError]:
    # Python's own \d matches "٢٠٢٦" and $ accepts "2026-03-10\n": both then crash fromisoformat.
    from jsonschema.exceptions import ValidationError

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
    from jsonschema.exceptions import ValidationError

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


@lru_cache(maxsize=1)
def _validator_class() -> Any:
    import jsonschema

    return jsonschema.validators.extend(  # type: ignore[no-untyped-call]  # untyped in the stubs
        jsonschema.Draft202012Validator,
        validators={"pattern": _pattern, "uniqueItems": _unique_items},
        type_checker=jsonschema.Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_integer),
    )


def add_problem(problems: Problems, field: str | Parts, message: Msg, hint: Msg | None = None, *,
                named: bool = False, secondary: bool = False) -> bool:
    """Add a problem unless MAX_PROBLEMS are listed already (the first time, a note says so
    instead); False once the list is full. A 1 MiB file can hold 500,000 wrong values.

    ``named``: the message already names the field by label and line; ``secondary``: left
    out when the field has a problem already (see Problems.add)."""
    count = len(problems.items)
    if count < MAX_PROBLEMS:
        problems.add(field, message, hint, named=named, secondary=secondary)
        return True
    if count == MAX_PROBLEMS:
        problems.add("", Msg(f"chỉ liệt kê {MAX_PROBLEMS} lỗi đầu tiên, tệp còn lỗi khác",
                             f"only the first {MAX_PROBLEMS} problems are listed, the file has more"),
                     Msg("sửa các lỗi trên rồi chạy lại để xem các lỗi còn lại",
                         "fix the problems above and run again to see the rest"))
    return False


def check_schema(data: dict[str, Any], schema: dict[str, Any], problems: Problems,
                 lines: LineMap | None = None) -> None:
    """Add one problem per schema violation (at most MAX_PROBLEMS; one per field, none for a
    field that has a problem already), each naming the field by label and line. ``lines``
    (or ``problems.lines``) maps paths to lines; the labels are the schema's kind's
    (``problems.kind`` when set)."""
    if lines is not None and problems.lines is None:
        problems.lines = lines
    if problems.kind is None:
        problems.kind = schema_kind(schema)
    validator = _validator_class()(schema)
    errors = sorted(itertools.islice(validator.iter_errors(data), MAX_PROBLEMS + 1),
                    key=lambda e: (_schema_order(schema, e.absolute_path), str(e.validator)))
    for error in errors:
        for path, message, hint in _describe(error, problems):
            if not add_problem(problems, path, message, hint, named=True, secondary=True):
                return


def _schema_order(schema: Any, path: Iterable[Any]) -> list[tuple[int, str]]:
    """Where a path comes in the schema's own order (the order ``docgen form`` writes the
    fields in): problems are listed so when the file's lines are not known."""
    out: list[tuple[int, str]] = []
    node = schema if isinstance(schema, dict) else {}
    for part in path:
        if isinstance(part, int):
            out.append((part, ""))
            items = node.get("items")
            node = items if isinstance(items, dict) else {}
            continue
        names = list(node.get("properties") or {})
        out.append((names.index(part) if part in names else len(names), str(part)))
        sub = (node.get("properties") or {}).get(part)
        node = sub if isinstance(sub, dict) else {}
    return out


def _vn_text(iso: str) -> str:
    """"2026-02-30" → "30/2/2026" (also for a date that does not exist)."""
    year, month, day = iso.split("-")
    return f"{int(day)}/{int(month)}/{year}"


def check_dates(data: dict[str, Any], problems: Problems) -> None:
    """Every ISO date string must be a real date (30/2/2026 is not)."""
    def walk(value: Any, path: Parts) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, (*path, str(k)))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, (*path, i))
        elif isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value, re.ASCII):
            try:
                dt.date.fromisoformat(value)
            except ValueError:
                label, at = problems.label(path), problems.where(path)
                text = _vn_text(value)
                _, hint = date_error_msg(text, impossible=True)
                add_problem(problems, path, Msg(f"{label.vi}{at.vi} không có thật: {text}",
                                                f"{label.en}{at.en} does not exist: {text}"), hint, named=True,
                            secondary=True)
    walk(data, ())
