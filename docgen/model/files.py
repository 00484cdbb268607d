"""Reading YAML/JSON input files as UTF-8, with errors a secretary can act on.

Hostile or broken files fail fast, before anything is built from them: see the limits
below (documented in docs/input-format.md, "Giới hạn / Limits").
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml

from docgen.errors import DocgenError, InputError
from docgen.i18n import Msg
from docgen.model.validation import path_text
from docgen.vn.text import clean_tree

ErrorFactory = Callable[..., DocgenError]

MAX_FILE_BYTES = 1024 * 1024
"""An input file (or profile.yaml) larger than 1 MiB is refused before it is parsed."""
MAX_DEPTH = 50
"""Lists and mappings nested more than 50 levels deep are refused (the top mapping is level 1)."""
MAX_INT_DIGITS = 30
"""Integers with more than 30 digits are refused (no field needs more than 4)."""
MAX_ITEMS = 1000
"""A list with more than 1,000 items, or a mapping with more than 1,000 keys, is refused."""

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ~20x faster

_INT_TAG = "tag:yaml.org,2002:int"
# Explicit tags that can never fail to construct; any other (!!int abc, !!timestamp,
# !!binary, !!set, custom !tags) is refused with a message instead of a traceback.
_ALLOWED_TAGS = frozenset({"!", "tag:yaml.org,2002:str", "tag:yaml.org,2002:null",
                           "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"})
# C0/C1 control characters (tab, line feed and carriage return are text) and lone
# surrogates (they cannot be written as UTF-8).
_BAD_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


class _Loader(_BaseLoader):  # type: ignore[misc]
    """SafeLoader that keeps dates as text: "2026-13-01" is then a field error, not a crash."""


# Dates stay text; a plain "=" is text too (YAML 1.1's "value" tag has no constructor).
_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers
          if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:value")]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _Refused(Exception):
    """One limit broken, at ``path`` (list of keys and indexes)."""

    def __init__(self, path: list[Any], message: Msg, hint: Msg, line: int | None = None) -> None:
        super().__init__(message.en)
        self.path = path
        self.message = message
        self.hint = hint
        self.line = line


class _BigInt:
    """What the JSON parser returns for an integer literal longer than MAX_INT_DIGITS."""

    def __init__(self, digits: int) -> None:
        self.digits = digits


def _too_deep(path: list[Any], line: int | None = None) -> _Refused:
    return _Refused(path, Msg(f"dữ liệu lồng nhau quá sâu (quá {MAX_DEPTH} cấp)",
                              f"the data is nested too deeply (more than {MAX_DEPTH} levels)"),
                    Msg("kiểm tra dấu ngoặc [ ] { } và thụt lề; văn bản không cần lồng nhiều cấp như vậy",
                        "check the brackets [ ] { } and the indentation; no document needs that many levels"),
                    line)


def _too_big(path: list[Any], digits: int | None, line: int | None = None) -> _Refused:
    """``digits`` None: too many to count them (a huge 0x… number)."""
    count_vi, count_en = (f"{digits} chữ số", f"{digits} digits") if digits else ("rất nhiều chữ số", "very many digits")
    return _Refused(path, Msg(f"số quá lớn ({count_vi}, tối đa {MAX_INT_DIGITS})",
                              f"number too large ({count_en}, at most {MAX_INT_DIGITS})"),
                    Msg("sửa lại con số; nếu đó là chữ, đặt trong dấu nháy kép",
                        "fix the number; if it is text, put it in double quotes"), line)


def _alias(path: list[Any], line: int | None) -> _Refused:
    return _Refused(path, Msg("tệp dùng bí danh YAML (&/*), docgen không nhận bí danh",
                              "the file uses YAML aliases (&/*), which docgen does not accept"),
                    Msg("hãy viết đầy đủ giá trị ở từng chỗ thay cho *tên và xóa &tên",
                        "write the value out in full at each place instead of *name, and remove &name"),
                    line)


def _too_many(path: list[Any], mapping: bool, line: int | None = None) -> _Refused:
    vi, en = ("bảng khóa: giá trị có hơn", "mapping has more than") if mapping else ("danh sách có hơn", "list has more than")
    items_vi, items_en = ("khóa", "keys") if mapping else ("mục", "items")
    return _Refused(path, Msg(f"{vi} {MAX_ITEMS} {items_vi}", f"the {en} {MAX_ITEMS} {items_en}"),
                    Msg("một văn bản không cần nhiều mục như vậy: kiểm tra xem có chọn nhầm tệp không",
                        "no document needs that many: check that this is the right file"), line)


def _bad_tag(path: list[Any], tag: str, line: int | None) -> _Refused:
    return _Refused(path, Msg(f"thẻ kiểu YAML {tag} không được hỗ trợ", f"the YAML tag {tag} is not supported"),
                    Msg("xóa thẻ (!!...) và viết giá trị bình thường: ngày 2026-03-10, số 5, chữ trong nháy",
                        "remove the tag (!!...) and write the plain value: a date 2026-03-10, a number 5, "
                        "text in quotes"), line)


def _bad_char(path: list[Any], char: str, in_key: bool) -> _Refused:
    code = f"U+{ord(char):04X}"
    what_vi, what_en = ("tên trường", "a field name") if in_key else ("giá trị", "the value")
    return _Refused(path, Msg(f"{what_vi} có ký tự điều khiển hoặc ký tự hỏng ({code})",
                              f"{what_en} contains a control or broken character ({code})"),
                    Msg("xóa ký tự đó (thường do sao chép từ nơi khác); chỉ dùng chữ, số, dấu câu và xuống dòng",
                        "delete that character (usually pasted from elsewhere); use letters, digits, "
                        "punctuation and line breaks only"))


def _not_finite(path: list[Any], value: float) -> _Refused:
    return _Refused(path, Msg(f"giá trị không phải là số hữu hạn: {value!r}", f"not a finite number: {value!r}"),
                    Msg("ghi một con số bình thường, ví dụ 92", "write an ordinary number, e.g. 92"))


def _plain(value: Any) -> Any:
    """YAML dates/times become ISO strings so JSON Schema sees one shape."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def read_text(path: Path, error: ErrorFactory = InputError) -> str:
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError as exc:
        raise error(
            Msg(f"không tìm thấy tệp {path}", f"file {path} not found"),
            file=str(path),
            hint=Msg("kiểm tra đường dẫn tệp", "check the file path"),
        ) from exc
    except OSError as exc:
        raise error(
            Msg(f"không đọc được tệp: {exc.strerror}", f"cannot read the file: {exc.strerror}"),
            file=str(path),
            hint=Msg("kiểm tra quyền đọc tệp", "check the file's permissions"),
        ) from exc
    if len(raw) > MAX_FILE_BYTES:
        raise error(
            Msg(f"tệp quá lớn (hơn {MAX_FILE_BYTES // 1024} KiB)",
                f"the file is too large (more than {MAX_FILE_BYTES // 1024} KiB)"),
            file=str(path),
            hint=Msg("một văn bản chỉ cần vài chục KiB: kiểm tra xem có chọn nhầm tệp không",
                     "a document needs a few dozen KiB: check that this is the right file"),
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(
            Msg(f"tệp không phải UTF-8 (byte lỗi ở vị trí {exc.start})",
                f"the file is not UTF-8 (bad byte at offset {exc.start})"),
            file=str(path),
            hint=Msg("lưu lại tệp với bảng mã UTF-8 (Unicode), không dùng TCVN3/VNI",
                     "save the file again as UTF-8 (Unicode), not TCVN3/VNI"),
        ) from exc


def _json_int(text: str) -> int | _BigInt:
    digits = len(text.lstrip("-"))
    return _BigInt(digits) if digits > MAX_INT_DIGITS else int(text)


def _check_json_depth(text: str) -> None:
    """Refuse JSON nested deeper than MAX_DEPTH before json.loads recurses into it."""
    depth = 0
    for char in _NOT_BRACKET.sub("", _JSON_STRING.sub("", text)):
        depth += 1 if char in "[{" else -1
        if depth > MAX_DEPTH:
            break
    else:
        return
    depth = 0  # too deep: find the line (slower, only on this path)
    for match in _JSON_TOKEN.finditer(text):
        if match.group() in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise _too_deep([], text.count("\n", 0, match.start()) + 1)
        elif match.group() in "]}":
            depth -= 1
    raise _too_deep([])


class _Frame:
    """An open list or mapping while scanning: where we are in it and how many items."""

    __slots__ = ("count", "mapping", "part", "want_key")

    def __init__(self, mapping: bool) -> None:
        self.mapping = mapping
        self.part: Any = 0  # the current index, or the current key of a mapping
        self.want_key = True  # mappings: the next node is a key
        self.count = 0  # items (lists) or keys (mappings) so far

    def node_done(self, key: Any) -> None:
        """A node inside this collection ended: move on to the next slot."""
        if not self.mapping:
            self.count += 1
            self.part = self.count
        elif self.want_key:
            self.part, self.want_key = key, False
            self.count += 1
        else:
            self.want_key = True


def _scan_yaml(text: str) -> None:
    """Read the YAML events once (no objects built) and refuse aliases, explicit tags,
    nesting deeper than MAX_DEPTH, collections longer than MAX_ITEMS and integers longer
    than MAX_INT_DIGITS, before anything is built.

    Works with libyaml's CSafeLoader (whose composer cannot be overridden): the event
    stream is flat, so neither aliases nor depth cost anything here.
    """
    loader = _Loader(text)
    frames: list[_Frame] = []
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.CollectionEndEvent):
                frames.pop()
                if frames:
                    frames[-1].node_done("?")  # a list or mapping as a key: not a field name
                continue
            if not isinstance(event, yaml.NodeEvent):
                continue
            line = event.start_mark.line + 1 if event.start_mark is not None else None
            path = [f.part for f in frames]
            top = frames[-1] if frames else None
            if top is not None and top.want_key and top.mapping and isinstance(event, yaml.ScalarEvent):
                path[-1] = event.value
            if top is not None and top.count >= MAX_ITEMS and (top.want_key or not top.mapping):
                raise _too_many(path[:-1], top.mapping, line)
            if isinstance(event, yaml.AliasEvent):
                raise _alias(path, line)
            tag = event.tag
            if tag is not None and tag not in _ALLOWED_TAGS:
                raise _bad_tag(path, tag, line)
            if isinstance(event, yaml.ScalarEvent):
                if event.implicit[0] and tag is None and len(event.value) > MAX_INT_DIGITS:
                    digits = sum(c.isdigit() for c in event.value)  # int() refuses > 4,300
                    resolved = loader.resolve(yaml.ScalarNode, event.value, (True, False))
                    if digits > MAX_INT_DIGITS and resolved == _INT_TAG:
                        raise _too_big(path, digits, line)
                if top is not None:
                    top.node_done(event.value)
            else:  # a list or a mapping starts
                frames.append(_Frame(isinstance(event, yaml.MappingStartEvent)))
                if len(frames) > MAX_DEPTH:
                    raise _too_deep(path, line)
    finally:
        loader.dispose()


def _walk(value: Any) -> Iterator[tuple[list[Any], Any, int]]:
    """(path, value, depth) of every value in document order (iterative: no recursion)."""
    stack: list[tuple[list[Any], Any, int]] = [([], value, 1)]
    while stack:
        path, item, depth = stack.pop()
        yield path, item, depth
        if isinstance(item, dict):
            stack.extend(([*path, k], v, depth + 1) for k, v in reversed(item.items()))
        elif isinstance(item, list):
            stack.extend(([*path, i], v, depth + 1) for i, v in reversed(list(enumerate(item))))


def _check_scalar(path: list[Any], value: Any, in_key: bool = False) -> None:
    if isinstance(value, bool):
        return
    if isinstance(value, _BigInt):
        raise _too_big(path, value.digits)
    if isinstance(value, int):
        if abs(value) >= 10 ** MAX_INT_DIGITS:  # 0x… is not limited by Python's int-string limit
            raise _too_big(path, len(str(abs(value))) if value.bit_length() < 10_000 else None)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise _not_finite(path, value)
    elif isinstance(value, str):
        bad = _BAD_CHAR.search(value)
        if bad:
            raise _bad_char(path, bad.group(), in_key)


def _check_values(data: Any) -> None:
    """Refuse what the parsers let through: depth and length of collections, huge or
    non-finite numbers, control characters and lone surrogates (in values and in keys)."""
    for path, value, depth in _walk(data):
        if isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                raise _too_deep(path)
            if len(value) > MAX_ITEMS:
                raise _too_many(path, isinstance(value, dict))
            if isinstance(value, dict):
                for key in value:  # a key is named in the message only when it is text
                    _check_scalar([*path, key] if isinstance(key, str) else path, key, in_key=True)
        else:
            _check_scalar(path, value)


def _shown(path: list[Any]) -> str | None:
    """The field path for a message (cut after 8 parts), control characters as \\uXXXX."""
    text = path_text(path[:8]) + ("…" if len(path) > 8 else "")
    return _BAD_CHAR.sub(lambda m: f"\\u{ord(m.group()):04x}", text) or None


def parse_text(text: str, source: str, error: ErrorFactory = InputError) -> dict[str, Any]:
    """Parse YAML (JSON is YAML too, but parsed strictly when it starts with '{')."""
    try:
        if text.lstrip().startswith("{"):
            _check_json_depth(text)
            data = json.loads(text, parse_int=_json_int)
        else:
            _scan_yaml(text)
            data = yaml.load(text, Loader=_Loader)  # noqa: S506
        _check_values(data)
    except _Refused as exc:
        where_vi = f" (dòng {exc.line})" if exc.line else ""
        where_en = f" (line {exc.line})" if exc.line else ""
        raise error(Msg(exc.message.vi + where_vi, exc.message.en + where_en), file=source,
                    field=_shown(exc.path), hint=exc.hint) from None
    except json.JSONDecodeError as exc:
        raise error(
            Msg(f"JSON sai cú pháp ở dòng {exc.lineno}, cột {exc.colno}: {exc.msg}",
                f"JSON syntax error at line {exc.lineno}, column {exc.colno}: {exc.msg}"),
            file=source,
            hint=Msg("sửa cú pháp JSON (dấu phẩy, ngoặc, dấu nháy)",
                     "fix the JSON syntax (commas, brackets, quotes)"),
        ) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" ở dòng {mark.line + 1}, cột {mark.column + 1}" if mark else ""
        where_en = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        if "maximum nesting depth" in problem:  # libyaml >= 0.2.6 stops at 1,000 open brackets
            deep = _too_deep([])
            raise error(Msg(deep.message.vi + where, deep.message.en + where_en), file=source,
                        hint=deep.hint) from exc
        raise error(
            Msg(f"YAML sai cú pháp{where}: {problem}", f"YAML syntax error{where_en}: {problem}"),
            file=source,
            hint=Msg("kiểm tra thụt lề và dấu hai chấm; giờ phải đặt trong nháy: \"19:30\"",
                     "check indentation and colons; quote times: \"19:30\""),
        ) from exc
    if not isinstance(data, dict):
        raise error(
            Msg("nội dung tệp phải là một bảng khóa: giá trị", "the file must hold a key: value mapping"),
            file=source,
            hint=Msg("bắt đầu tệp bằng các dòng như \"kind: nghi-quyet\"",
                     "start the file with lines such as \"kind: nghi-quyet\""),
        )
    cleaned: dict[str, Any] = clean_tree(_plain(data))
    return cleaned


def read_mapping(path: Path, error: ErrorFactory = InputError) -> dict[str, Any]:
    """A YAML or JSON file as a cleaned (NFC) dict with ISO date strings."""
    return parse_text(read_text(path, error), str(path), error)
