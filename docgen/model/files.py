"""Reading YAML/JSON input files as UTF-8, with errors a secretary can act on."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from docgen.errors import DocgenError, InputError
from docgen.i18n import Msg
from docgen.vn.text import clean_tree

ErrorFactory = Callable[..., DocgenError]


_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ~20x faster


class _Loader(_BaseLoader):  # type: ignore[misc]
    """SafeLoader that keeps dates as text: "2026-13-01" is then a field error, not a crash."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


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
        raw = path.read_bytes()
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


def parse_text(text: str, source: str, error: ErrorFactory = InputError) -> dict[str, Any]:
    """Parse YAML (JSON is YAML too, but parsed strictly when it starts with '{')."""
    try:
        data = json.loads(text) if text.lstrip().startswith("{") else yaml.load(text, Loader=_Loader)  # noqa: S506
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
