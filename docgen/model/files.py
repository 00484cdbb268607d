"""Reading YAML/JSON input files, with errors a secretary can act on.

Hostile or broken files fail fast, before anything is built from them: see the limits
below (documented in docs/input-format.md, "Giới hạn / Limits").

What is forgiven and what is explained:

- Encodings: UTF-8 with or without a BOM; UTF-16 and UTF-32 with a BOM (Windows Notepad's
  "Unicode"), and UTF-16 without one. A file in a legacy Vietnamese encoding (TCVN3/ABC,
  VNI-Windows, cp1258) is not guessed into text: the message names the encoding that byte
  statistics point to and how to convert it (Unikey's "Công cụ chuyển mã").
- A Word, PDF, spreadsheet or image file given where YAML is expected is recognised by
  its content ("đây là tệp Word (.docx), docgen đọc tệp YAML/JSON").
- YAML is read with the YAML 1.2 core schema: ``start: 19:30`` is the text "19:30" (YAML
  1.1 read it as the number 1170), ``yes``/``no``/``on``/``off`` are text, ``010`` is 10,
  dates stay text. Only ``true``/``false`` (also ``True``/``TRUE``…) are booleans and
  ``~``/``null``/empty are null.
- Syntax errors of YAML and JSON are explained in our own words, with the line, the text
  of that line and a concrete fix; PyYAML's and json's English never reaches the user.
- ``parse_text_lines``/``read_mapping_lines`` also return a ``LineMap``: the line of every
  key and list item, for messages such as "Chưa điền Giờ bắt đầu (dòng 33)".
"""

from __future__ import annotations

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
from docgen.vn.text import clean, clean_tree

ErrorFactory = Callable[..., DocgenError]

LineMap = dict[tuple[str | int, ...], int]
"""Key path → 1-based line in the file: a mapping entry's path gives the line of its key
(``("meeting", "start")`` → the line of ``start:``), a list item's path the line where the
item starts (``("absent", 2, "member")``, ``("absent", 2)``)."""

MAX_FILE_BYTES = 1024 * 1024
"""An input file (or profile.yaml) larger than 1 MiB is refused before it is parsed."""
MAX_DEPTH = 50
"""Lists and mappings nested more than 50 levels deep are refused (the top mapping is level 1)."""
MAX_INT_DIGITS = 30
"""Integers with more than 30 digits are refused (no field needs more than 4)."""
MAX_ITEMS = 1000
"""A list with more than 1,000 items, or a mapping with more than 1,000 keys, is refused."""

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ~20x faster

_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (_TAG + name for name in ("str", "int", "float", "bool", "null"))
_SEQ, _MAP = _TAG + "seq", _TAG + "map"
# C0/C1 control characters (tab, line feed and carriage return are text) and lone
# surrogates (they cannot be written as UTF-8).
_BAD_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)
_JSON_LEX = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]|[^\s\[\]{},:"]+', re.DOTALL)
# Line breaks as YAML counts them (libyaml: CR, LF, CRLF, NEL, LS, PS).
_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")

# ----------------------------------------------------------------------------- YAML 1.2 core schema

_CORE_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_CORE_TRUE = frozenset({"true", "True", "TRUE"})
_CORE_BOOL = _CORE_TRUE | {"false", "False", "FALSE"}
_CORE_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_CORE_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
                         r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)")
_NUMBER_START = frozenset("0123456789+-.")


_CORE_NUMBER = re.compile(rf"(?P<int>{_CORE_INT.pattern})|(?P<float>{_CORE_FLOAT.pattern})")


def _plain_tag(value: str) -> str:
    """The tag of an untagged plain scalar under the YAML 1.2 core schema."""
    if value in _CORE_NULL:
        return _NULL
    if value in _CORE_BOOL:
        return _BOOL
    if value[0] in _NUMBER_START:
        number = _CORE_NUMBER.fullmatch(value)
        if number is not None:
            return _INT if number.lastgroup == "int" else _FLOAT
    return _STR


def reads_as_text(plain: str) -> bool:
    """Whether docgen reads ``plain``, written unquoted, back as that text (YAML 1.2 core:
    "503750e460" is a number there, though PyYAML's YAML 1.1 dumper leaves it unquoted)."""
    return bool(plain) and _plain_tag(plain) == _STR


def _core_int(value: str) -> int:
    """A YAML 1.2 core integer: decimal (``010`` is 10), ``0o17`` octal, ``0x1F`` hex."""
    if value.startswith("0x"):
        return int(value[2:], 16)
    if value.startswith("0o"):
        return int(value[2:], 8)
    return int(value)


def _core_float(value: str) -> float:
    lowered = value.lower()
    if lowered.endswith(".inf"):
        return -math.inf if lowered.startswith("-") else math.inf
    if lowered == ".nan":
        return math.nan
    return float(value)


class _Loader(_BaseLoader):  # type: ignore[misc]
    """SafeLoader reading scalars with the YAML 1.2 core schema (dates stay text).

    docgen builds its data from this loader's events (``_build_yaml``); the resolvers and
    constructors below make ``yaml.load(text, Loader=_Loader)`` give the same values.
    """


_Loader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
    (_BOOL, r"(?:true|True|TRUE|false|False|FALSE)\Z", "tTfF"),
    (_INT, rf"(?:{_CORE_INT.pattern})\Z", "-+0123456789"),
    (_FLOAT, rf"(?:{_CORE_FLOAT.pattern})\Z", "-+0123456789."),
    (_NULL, r"(?:~|null|Null|NULL|)\Z", ["~", "n", "N", ""]),
):
    _Loader.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))
_Loader.add_constructor(_INT, lambda loader, node: _core_int(loader.construct_scalar(node)))
_Loader.add_constructor(_FLOAT, lambda loader, node: _core_float(loader.construct_scalar(node)))

# ----------------------------------------------------------------------------- limits


class _Refused(Exception):
    """One limit broken, at ``path`` (list of keys and indexes)."""

    def __init__(self, path: list[Any], message: Msg, hint: Msg, line: int | None = None) -> None:
        super().__init__(message.en)
        self.path = path
        self.message = message
        self.hint = hint
        self.line = line


class _Syntax(Exception):
    """A syntax error explained in our words (the line is in the message already)."""

    def __init__(self, message: Msg, hint: Msg) -> None:
        super().__init__(message.en)
        self.message = message
        self.hint = hint


class _BigInt:
    """What the JSON parser returns for an integer literal longer than MAX_INT_DIGITS."""

    def __init__(self, digits: int) -> None:
        self.digits = digits


class _JsonDuplicate(Exception):
    """A JSON object has the same key twice (located afterwards by ``_json_lines``)."""


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
                    Msg("xóa thẻ (!!...) và viết giá trị bình thường: ngày 10/3/2026, giờ 19:30, số 5, "
                        "chữ viết như thường",
                        "remove the tag (!!...) and write the plain value: a date 10/3/2026, a time 19:30, "
                        "a number 5, text as it is"), line)


def _bad_char(path: list[Any], char: str, in_key: bool, line: int | None = None) -> _Refused:
    code = f"U+{ord(char):04X}"
    what_vi, what_en = ("tên trường", "a field name") if in_key else ("giá trị", "the value")
    return _Refused(path, Msg(f"{what_vi} có ký tự điều khiển hoặc ký tự hỏng ({code})",
                              f"{what_en} contains a control or broken character ({code})"),
                    Msg("xóa ký tự đó (thường do sao chép từ nơi khác); chỉ dùng chữ, số, dấu câu và xuống dòng",
                        "delete that character (usually pasted from elsewhere); use letters, digits, "
                        "punctuation and line breaks only"), line)


def _not_finite(path: list[Any], value: float, line: int | None = None) -> _Refused:
    return _Refused(path, Msg(f"giá trị không phải là số hữu hạn: {value!r}", f"not a finite number: {value!r}"),
                    Msg("ghi một con số bình thường, ví dụ 92", "write an ordinary number, e.g. 92"), line)


def _duplicate(path: list[Any], key: str, first: int | None, second: int | None) -> _Refused:
    name = _BAD_CHAR.sub(lambda m: f"\\u{ord(m.group()):04x}", key)[:60]
    if first and second:
        where_vi, where_en = f" (dòng {first} và dòng {second})", f" (lines {first} and {second})"
    else:
        where_vi = where_en = ""
    return _Refused(path, Msg(f"trường “{name}” được ghi hai lần{where_vi}",
                              f"the field “{name}” is written twice{where_en}"),
                    Msg("xóa một trong hai chỗ: docgen không biết nên lấy giá trị nào",
                        "delete one of the two: docgen cannot tell which value is meant"))


def _complex_key(path: list[Any], line: int | None) -> _Refused:
    return _Refused(path, Msg("tên trường là một danh sách hoặc bảng, không phải chữ",
                              "a field name is a list or a mapping, not a word"),
                    Msg("tên trường là một chữ đứng trước dấu hai chấm, ví dụ “place:”; xóa dấu “?” "
                        "hoặc dấu ngoặc ở đầu dòng",
                        "a field name is a word before a colon, e.g. “place:”; remove the “?” or the "
                        "brackets at the start of the line"), line)


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


def _check_values(data: Any) -> None:
    """Refuse what the JSON parser lets through: depth and length of collections, huge or
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


# ----------------------------------------------------------------------------- reading bytes

_FORM_HINT = Msg("tạo tệp nhập liệu bằng “docgen form nghi-quyet -o nq.yaml” (đổi nghi-quyet thành loại "
                 "văn bản cần soạn), điền nội dung bằng Notepad rồi chạy lại với tệp .yaml đó",
                 "write an input file with “docgen form nghi-quyet -o nq.yaml” (nghi-quyet being the "
                 "kind of document), fill it in with a text editor, then run again with that .yaml file")


def _zip_kind(head: bytes) -> tuple[str, str]:
    """What a zip file is, from the names of its first members."""
    if b"word/" in head:
        return "Word (.docx)", "Word (.docx)"
    if b"opendocument.text" in head:
        return "OpenDocument (.odt)", "OpenDocument (.odt)"
    if b"xl/" in head or b"opendocument.spreadsheet" in head:
        return "bảng tính Excel (.xlsx/.ods)", "spreadsheet (.xlsx/.ods)"
    if b"ppt/" in head or b"opendocument.presentation" in head:
        return "PowerPoint (.pptx/.odp)", "PowerPoint (.pptx/.odp)"
    return "nén ZIP", "ZIP archive"


def _binary_kind(raw: bytes) -> tuple[str, str] | None:
    """(Vietnamese, English) name of a well-known non-text format, by its first bytes."""
    if raw.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(raw[:65536])
    if raw.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "Word/Excel cũ (.doc/.xls)", "old Word/Excel (.doc/.xls)"
    if raw.startswith(b"%PDF"):
        return "PDF", "PDF"
    if raw.startswith(b"{\\rtf"):
        return "Word (RTF)", "Word (RTF)"
    images = ((b"\x89PNG\r\n\x1a\n", "PNG"), (b"\xff\xd8\xff", "JPEG"), (b"GIF87a", "GIF"),
              (b"GIF89a", "GIF"), (b"II*\x00", "TIFF"), (b"MM\x00*", "TIFF"))
    for magic, name in images:
        if raw.startswith(magic):
            return f"ảnh {name}", f"{name} image"
    if raw[:4] == b"RIFF" and raw[8:12] == b"WEBP":
        return "ảnh WebP", "WebP image"
    if raw[4:8] == b"ftyp" and raw[8:12] in (b"heic", b"heix", b"mif1", b"avif"):
        return "ảnh HEIC/AVIF", "HEIC/AVIF image"
    if raw.startswith(b"BM") and len(raw) > 26 and int.from_bytes(raw[2:6], "little") == len(raw):
        return "ảnh BMP", "BMP image"
    return None


# Legacy Vietnamese encodings, told apart by their bytes (domain notes §8.4; the tables of
# Unikey's converter and of glibc's TCVN5712-1):
# - TCVN3 (ABC) has one byte per letter; ă â ê ô ơ ư đ, their capitals and à ả ã á ạ ằ …
#   are 0xA1–0xBF, which VNI and cp1258 never use for letters.
# - VNI-Windows writes a base letter then a mark byte: "chào" is "chaøo" (ø = 0xF8, grave).
#   Tone marks follow a e o u y and ô/ö (VNI's ơ/ư), circumflex marks (with their tone)
#   follow a e o, breve marks follow a; capital marks follow capitals.
# - cp1258 (Windows Vietnamese) has â ê ô ă ơ ư đ precomposed, and the tones as combining
#   bytes 0xCC (grave), 0xEC (acute), 0xD2 (hook), 0xDE (tilde), 0xF2 (dot) after the vowel.
_TCVN3_LETTERS = frozenset([*range(0xA1, 0xAF), *range(0xB5, 0xC0)])


def _pairs(bases: bytes, marks: bytes, upper: bool = True) -> set[int]:
    """(previous byte << 8 | byte) for each base followed by each mark (and the capitals)."""
    pairs = {base << 8 | mark for base in bases for mark in marks}
    if upper:
        pairs |= {(base - 0x20) << 8 | (mark - 0x20) for base in bases for mark in marks}
    return pairs


_VNI_PAIRS = frozenset(_pairs(b"aeouy\xf4\xf6", b"\xf9\xf8\xfb\xf5\xef")
                       | _pairs(b"aeo", b"\xe2\xe1\xe0\xe5\xe3\xe4") | _pairs(b"a", b"\xea\xe9\xe8\xfa\xfc\xeb"))
_CP1258_PAIRS = frozenset(
    _pairs(b"aeiouy\xe2\xea\xf4\xe3\xf5\xfd", b"\xcc\xec\xd2\xde\xf2", upper=False)
    | _pairs(b"AEIOUY\xc2\xca\xd4\xc3\xd5\xdd", b"\xcc\xec\xd2\xde\xf2", upper=False)
    # ă ơ ư after a consonant ("văn", "mơ", "tư"): in VNI and TCVN3 those bytes are other letters
    | _pairs(b"bcdghklmnpqrstvxBCDGHKLMNPQRSTVX", b"\xe3\xf5\xfd", upper=False)
    | _pairs(b"BCDGHKLMNPQRSTVX", b"\xc3\xd5\xdd", upper=False))
_CP1258_ONLY = frozenset(b"\xf0\xd0")  # đ Đ


# encoding → (its name in messages, its name in Unikey's converter)
_LEGACY = {
    "tcvn3": ("TCVN3 (ABC)", "TCVN3 (ABC)"),
    "vni": ("VNI-Windows", "VNI Windows"),
    "cp1258": ("Windows-1258 (cp1258)", "Vietnamese locale CP 1258"),
}


def _legacy_scores(raw: bytes) -> dict[str, int]:
    """How many bytes look like TCVN3, VNI and cp1258 letters or marks."""
    tcvn3 = vni = cp1258 = 0
    previous = 0
    for byte in raw:
        if byte >= 0x80:
            pair = previous << 8 | byte
            if byte in _TCVN3_LETTERS:
                tcvn3 += 1
            if pair in _VNI_PAIRS:
                vni += 1
            if pair in _CP1258_PAIRS or byte in _CP1258_ONLY:
                cp1258 += 1
        previous = byte
    return {"tcvn3": tcvn3, "vni": vni, "cp1258": cp1258}


def _guess_legacy(raw: bytes) -> str | None:
    """"tcvn3", "vni" or "cp1258" when the bytes clearly point to one of them; "legacy" when
    they look Vietnamese but not clearly one; None when they do not look Vietnamese (at
    least 2 signs, and a quarter of the bytes above 0x7F: in real files it is a half or more)."""
    sample = raw[:200_000]
    high = sum(1 for byte in sample if byte >= 0x80)
    scores = _legacy_scores(sample)
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    (best, first), (_, second) = ranked[0], ranked[1]
    if first < 2 or first * 4 < high:
        return None
    return best if first >= 2 * second else "legacy"


def _not_utf8(raw: bytes, exc: UnicodeDecodeError) -> tuple[Msg, Msg]:
    """(message, hint) for bytes that are not UTF-8."""
    line = raw.count(b"\n", 0, exc.start) + 1
    accented = re.search(rb"[\x80-\xff]", raw)
    first = raw.count(b"\n", 0, accented.start()) + 1 if accented else line
    guess = _guess_legacy(raw)
    if guess in _LEGACY:
        name, unikey = _LEGACY[guess]
        message = Msg(f"tệp không phải UTF-8: có vẻ được gõ bằng bảng mã {name} "
                      f"(chữ có dấu đầu tiên ở dòng {first})",
                      f"the file is not UTF-8: it looks typed in the {name} encoding "
                      f"(first accented letter at line {first})")
        if guess == "cp1258":
            hint = Msg("mở tệp bằng Notepad, chọn Lưu thành (Save As), chọn Mã hóa (Encoding) UTF-8 rồi lưu; "
                       f"hoặc dùng Unikey: Công cụ chuyển mã, nguồn “{unikey}”, đích “Unicode”",
                       "open the file in Notepad, choose Save As with Encoding UTF-8; or use Unikey's "
                       f"converter (Công cụ chuyển mã) from “{unikey}” to “Unicode”")
        else:
            hint = Msg(f"chép toàn bộ nội dung tệp, mở Unikey: Công cụ chuyển mã (Ctrl+Shift+F6), chọn "
                       f"nguồn “{unikey}”, đích “Unicode”, bấm Chuyển mã; dán vào Notepad rồi Lưu thành "
                       "(Save As) với Mã hóa (Encoding) UTF-8",
                       "copy the whole file, open Unikey's converter (Công cụ chuyển mã, Ctrl+Shift+F6), "
                       f"convert from “{unikey}” to “Unicode”, paste into Notepad and Save As with "
                       "Encoding UTF-8")
        return message, hint
    if guess == "legacy":
        message = Msg(f"tệp không phải UTF-8: có vẻ được gõ bằng một bảng mã cũ (TCVN3, VNI hoặc "
                      f"cp1258; chữ có dấu đầu tiên ở dòng {first})",
                      f"the file is not UTF-8: it looks typed in a legacy encoding (TCVN3, VNI or "
                      f"cp1258; first accented letter at line {first})")
    else:
        message = Msg(f"tệp không phải UTF-8 (byte lỗi ở vị trí {exc.start}, dòng {line})",
                      f"the file is not UTF-8 (bad byte at offset {exc.start}, line {line})")
    hint = Msg("lưu lại tệp với bảng mã UTF-8 (Unicode), không dùng TCVN3/VNI: với chữ gõ bằng bảng mã "
               "cũ, dùng Unikey: Công cụ chuyển mã (Ctrl+Shift+F6) chuyển sang Unicode rồi lưu dạng UTF-8",
               "save the file again as UTF-8 (Unicode), not TCVN3/VNI: for text typed in a legacy "
               "encoding, convert it to Unicode with Unikey's converter (Ctrl+Shift+F6) first")
    return message, hint


def _utf16_without_bom(raw: bytes) -> str | None:
    """"utf-16-le"/"utf-16-be" when half the high (or low) bytes are zero and the others
    almost never are: text that is mostly ASCII, written as UTF-16 without a BOM."""
    if len(raw) < 8 or len(raw) % 2:
        return None
    even, odd = raw[0::2].count(0), raw[1::2].count(0)
    half = len(raw) // 2
    if odd * 2 >= half and even * 20 < half:
        return "utf-16-le"
    if even * 2 >= half and odd * 20 < half:
        return "utf-16-be"
    return None


def _decode(raw: bytes) -> str:
    """The text of ``raw``: UTF-8 (one BOM dropped) unless a BOM or the zero bytes say
    UTF-16/32."""
    for bom, codec in ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
                       (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if raw.startswith(bom):
            return raw[len(bom):].decode(codec)
    utf16 = _utf16_without_bom(raw) if b"\x00" in raw else None  # a NUL is never UTF-8 text
    return raw.decode(utf16 or "utf-8-sig")


def read_text(path: Path, error: ErrorFactory = InputError) -> str:
    """The text of an input file: size limit, UTF-8/16/32, legacy encodings and binary
    formats explained."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError as exc:
        raise error(
            Msg(f"không tìm thấy tệp {path}", f"file {path} not found"),
            file=str(path),
            hint=Msg("kiểm tra đường dẫn tệp", "check the file path"),
        ) from exc
    except IsADirectoryError as exc:
        raise error(
            Msg(f"{path} là một thư mục, không phải tệp", f"{path} is a folder, not a file"),
            file=str(path),
            hint=Msg("chỉ đường dẫn tới tệp .yaml trong thư mục đó", "give the path of the .yaml file in it"),
        ) from exc
    except OSError as exc:
        raise error(
            Msg(f"không đọc được tệp: {exc.strerror}", f"cannot read the file: {exc.strerror}"),
            file=str(path),
            hint=Msg("kiểm tra quyền đọc tệp", "check the file's permissions"),
        ) from exc
    kind = _binary_kind(raw)
    if kind is not None:
        raise error(Msg(f"đây là tệp {kind[0]}, docgen đọc tệp YAML/JSON",
                        f"this is a {kind[1]} file; docgen reads YAML/JSON files"),
                    file=str(path), hint=_FORM_HINT)
    if len(raw) > MAX_FILE_BYTES:
        raise error(
            Msg(f"tệp quá lớn (hơn {MAX_FILE_BYTES // 1024} KiB)",
                f"the file is too large (more than {MAX_FILE_BYTES // 1024} KiB)"),
            file=str(path),
            hint=Msg("một văn bản chỉ cần vài chục KiB: kiểm tra xem có chọn nhầm tệp không",
                     "a document needs a few dozen KiB: check that this is the right file"),
        )
    try:
        return _decode(raw)
    except UnicodeDecodeError as exc:
        if exc.encoding.startswith(("utf-16", "utf-32")):
            raise error(
                Msg(f"tệp {exc.encoding.upper()[:6]} bị hỏng (byte lỗi ở vị trí {exc.start})",
                    f"the {exc.encoding.upper()[:6]} file is damaged (bad bytes at offset {exc.start})"),
                file=str(path),
                hint=Msg("mở tệp bằng Notepad, chọn Lưu thành (Save As) với Mã hóa (Encoding) UTF-8",
                         "open the file in Notepad and Save As with Encoding UTF-8"),
            ) from exc
        message, hint = _not_utf8(raw, exc)
        raise error(message, file=str(path), hint=hint) from exc


# ----------------------------------------------------------------------------- messages about a line


class _Lines:
    """The lines of a text, split only when a message needs one."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._lines: list[str] | None = None

    def get(self, number: int) -> str:
        """Line ``number`` (1-based), "" past the end."""
        if self._lines is None:
            self._lines = _BREAKS.split(self.text)
        return self._lines[number - 1] if 0 < number <= len(self._lines) else ""

    def shown(self, number: int, column: int | None = None) -> str:
        """Line ``number`` for a message: Tabs as →, control characters as \\uXXXX, at most
        60 characters (around ``column``, 1-based, when the line is longer)."""
        line = self.get(number).rstrip()
        if len(line) > 60:
            start = 0 if column is None or column < 45 else min(column - 30, len(line) - 57)
            line = ("…" if start else "") + line[start:start + 57] + ("…" if start + 57 < len(line) else "")
        line = line.replace("\t", "→")
        return _BAD_CHAR.sub(lambda m: f"\\u{ord(m.group()):04x}", line)

    def quote(self, number: int, column: int | None = None) -> str:
        """" (“line text”)", or "" for an empty line."""
        text = self.shown(number, column)
        return f" (“{text}”)" if text.strip() else ""


def _syntax(kind: str, line: int, column: int | None, vi: str, en: str, hint: Msg,
            lines: _Lines) -> _Syntax:
    """"<vi> (“line text”)" / "<kind> syntax error at line N[, column M]: <en> (“line text”)"."""
    quote = lines.quote(line, column)
    at = f"line {line}" + (f", column {column}" if column else "")
    return _Syntax(Msg(vi + quote, f"{kind} syntax error at {at}: {en}{quote}"), hint)


def _suggest_quoted(value: str) -> str:
    """``value`` in double quotes (single quotes when it holds a double quote), for a hint."""
    value = value.strip()
    if len(value) > 50:
        value = value[:49] + "…"
    if '"' in value:
        return "'" + value.replace("'", "''") + "'"
    return '"' + value.replace("\\", "\\\\") + '"'


_KEY_COLON = re.compile(r":(?:[ \t]|$)")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_FIELD_NAME = re.compile(r"\s*(?:-\s+)?([A-Za-z_][A-Za-z0-9_-]*)(?:\s+(.*))?$")


def _colon_in_text(lines: _Lines, line: int, column: int) -> _Syntax | None:
    """"summary: Nghị quyết: về VSMT": a second ": " on a line that has a key already."""
    text = lines.get(line)
    first = _KEY_COLON.search(text)
    if first is None or first.start() >= column - 1:
        return None
    key, value = text[:first.start()].strip(), text[first.end():]
    item = key[1:].strip() if key.startswith("-") else None
    if item is not None and not _NAME.fullmatch(item):  # "- Nghị quyết: về VSMT": a text item
        fixed = f"- {_suggest_quoted(text.strip()[1:])}"
    else:
        fixed = f"{key}: {_suggest_quoted(value)}"
    return _syntax("YAML", line, column,
                   f"có dấu hai chấm trong đoạn chữ không đặt trong nháy ở dòng {line}: "
                   "đặt cả đoạn trong nháy kép",
                   "a colon inside text that is not in quotes; put the whole text in double quotes",
                   Msg(f"viết: {fixed}", f"write: {fixed}"), lines)


def _previous_content_line(lines: _Lines, line: int) -> int | None:
    for number in range(line - 1, max(line - 20, 0), -1):
        content = lines.get(number).strip()
        if content and not content.startswith("#"):
            return number
    return None


def _over_indented(lines: _Lines, line: int, column: int) -> _Syntax:
    """A "key: value" line that YAML read as the continuation of the line above."""
    above = _previous_content_line(lines, line)
    if above is not None:
        text = lines.get(above)
        glued = re.search(r"^\s*(?:-\s+)?([A-Za-z_][\w-]*):(\S.*)$", text)
        if glued and not _KEY_COLON.search(text):
            fixed = f"{glued.group(1)}: {glued.group(2)}"
            return _syntax("YAML", above, None,
                           f"thiếu dấu cách sau dấu hai chấm ở dòng {above}",
                           "a space is missing after the colon",
                           Msg(f"sau dấu hai chấm phải có một dấu cách: {fixed}",
                               f"a colon must be followed by a space: {fixed}"), lines)
    return _syntax("YAML", line, column,
                   f"thụt lề sai ở dòng {line}: dòng này thụt vào sâu hơn trường ở dòng trên",
                   "this line is indented more than the field above it",
                   Msg("các trường cùng cấp phải thẳng cột với nhau; chỉ thụt vào sau một dòng kết thúc "
                       "bằng dấu hai chấm (ví dụ “vote:”). Nếu dòng trên là đoạn chữ dài, đặt đoạn chữ đó "
                       "trong nháy kép",
                       "fields of the same level must line up; indent only after a line that ends with "
                       "a colon (e.g. “vote:”). If the line above is long text, put it in double quotes"),
                   lines)


def _missing_colon(lines: _Lines, line: int) -> _Syntax:
    match = _FIELD_NAME.match(lines.get(line))
    if match and match.group(2):
        fixed = f"{match.group(1)}: {match.group(2).strip()}"
        if len(fixed) > 60:
            fixed = fixed[:59] + "…"
        example = Msg(f"viết: {fixed}", f"write: {fixed}")
    else:
        example = Msg("ví dụ: place: Nhà văn hóa", "e.g. place: Nhà văn hóa")
    return _syntax("YAML", line, None,
                   f"thiếu dấu hai chấm sau tên trường ở dòng {line}",
                   "a colon is missing after the field name",
                   Msg(f"sau tên trường là dấu hai chấm, một dấu cách rồi mới đến giá trị; {example.vi}. "
                       "Nếu dòng này là phần tiếp của đoạn chữ ở dòng trên, thụt lề nó vào sâu hơn",
                       f"a field name is followed by a colon, a space and the value; {example.en}. "
                       "If this line continues the text of the line above, indent it further"), lines)


def _tab(lines: _Lines, line: int) -> _Syntax:
    return _syntax("YAML", line, None,
                   f"dùng dấu Tab để thụt lề ở dòng {line}: YAML chỉ nhận dấu cách",
                   "a Tab is used for indentation; YAML accepts spaces only",
                   Msg("thay mỗi dấu Tab (→) ở đầu dòng bằng dấu cách, ví dụ 2 dấu cách cho mỗi cấp, "
                       "để các trường cùng cấp thẳng cột; trong Notepad++: Edit › Blank Operations › TAB to Space",
                       "replace each Tab (→) at the start of the line with spaces, e.g. 2 per level, so that "
                       "fields of the same level line up; in Notepad++: Edit › Blank Operations › TAB to Space"),
                   lines)


def _dedent(lines: _Lines, line: int, column: int | None) -> _Syntax:
    return _syntax("YAML", line, column,
                   f"thụt lề không khớp ở dòng {line}: các trường cùng cấp phải thẳng cột với nhau",
                   "the indentation does not match: fields of the same level must line up",
                   Msg(f"thêm hoặc bớt dấu cách ở đầu dòng {line} cho thẳng cột với trường cùng cấp ở phía "
                       "trên (chỉ dùng dấu cách, không dùng Tab); mục của danh sách bắt đầu bằng “- ”",
                       f"add or remove spaces at the start of line {line} so that it lines up with the field "
                       "of the same level above (spaces only, no Tabs); list items start with “- ”"), lines)


def _special_start(lines: _Lines, line: int, column: int, char: str) -> _Syntax:
    text = lines.get(line)
    first = _KEY_COLON.search(text)
    value = text[first.end():] if first else text.strip()
    fixed = f"{text[:first.start()].strip()}: {_suggest_quoted(value)}" if first else _suggest_quoted(value)
    return _syntax("YAML", line, column,
                   f"giá trị ở dòng {line} bắt đầu bằng “{char}”, một ký tự đặc biệt của YAML",
                   f"the value starts with “{char}”, a special character in YAML",
                   Msg(f"đặt cả giá trị trong nháy kép: {fixed}", f"put the whole value in double quotes: {fixed}"),
                   lines)


def _after_value(lines: _Lines, line: int, column: int) -> _Syntax:
    """Something after a complete value on the same line (a closing quote or bracket)."""
    before = lines.get(line)[:column - 1].rstrip()
    if before.endswith(('"', "'")):
        quote = before[-1]
        other = "'" if quote == '"' else '"'
        return _syntax("YAML", line, column,
                       f"có chữ sau dấu nháy đóng ở dòng {line}, cột {column}",
                       "there is text after the closing quote",
                       Msg(f"nếu trong đoạn chữ có dấu {quote}, đặt cả đoạn trong dấu {other} ở hai đầu, ví dụ "
                           f"{other}Hưởng ứng {quote}Ngày Chủ nhật xanh{quote}{other}",
                           f"if the text holds a {quote}, put the whole text between {other} quotes, e.g. "
                           f"{other}Hưởng ứng {quote}Ngày Chủ nhật xanh{quote}{other}"), lines)
    return _syntax("YAML", line, column,
                   f"có ký tự thừa sau giá trị ở dòng {line}, cột {column}",
                   "there are extra characters after the value",
                   Msg("xóa phần thừa (thường là dấu ngoặc hay dấu nháy dư), hoặc đặt cả giá trị trong nháy kép",
                       "delete the extra characters (often a bracket or a quote too many), or put the "
                       "whole value in double quotes"), lines)


_CLOSING = {"[": "]", "{": "}"}


def _yaml_syntax(exc: yaml.YAMLError, lines: _Lines) -> _Syntax:
    """PyYAML's (or libyaml's) error as our own explanation, by its context and problem."""
    if isinstance(exc, yaml.reader.ReaderError):
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        index = lines.text.find(char)
        line = lines.text.count("\n", 0, index) + 1 if index >= 0 else 0
        code = f"U+{ord(char):04X}"
        where_vi, where_en = (f" ở dòng {line}", f" at line {line}") if line else ("", "")
        return _Syntax(Msg(f"tệp có ký tự điều khiển hoặc ký tự hỏng ({code}){where_vi}",
                           f"the file contains a control or broken character ({code}){where_en}"),
                       Msg("xóa ký tự đó (thường do sao chép từ nơi khác); chỉ dùng chữ, số, dấu câu và "
                           "xuống dòng", "delete that character (usually pasted from elsewhere); use "
                           "letters, digits, punctuation and line breaks only"))
    context = getattr(exc, "context", None) or ""
    problem = getattr(exc, "problem", None) or ""
    mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    if mark is None:
        return _Syntax(Msg("YAML sai cú pháp", "YAML syntax error"), _GENERIC_HINT)
    line, column = mark.line + 1, mark.column + 1
    start_line = context_mark.line + 1 if context_mark is not None else line
    text = lines.get(line)
    char = text[column - 1] if column - 1 < len(text) else ""
    indent = text[:len(text) - len(text.lstrip())]

    if "tab character" in problem or ("cannot start any token" in problem and char == "\t") or "\t" in indent:
        return _tab(lines, line)
    if "could not find expected ':'" in problem:
        return _missing_colon(lines, start_line)
    if "mapping values are not allowed" in problem:
        return _colon_in_text(lines, line, column) or _over_indented(lines, line, column)
    if "quoted scalar" in context:
        quote = lines.get(start_line)[context_mark.column:context_mark.column + 1] if context_mark else ""
        quote = quote if quote in ("'", '"') else '"'
        if "end of stream" in problem or "document indicator" in problem:
            return _syntax("YAML", start_line, None,
                           f"dấu nháy {quote} mở ở dòng {start_line} chưa được đóng",
                           f"the quote {quote} opened on this line is never closed",
                           Msg(f"thêm dấu {quote} ở cuối đoạn chữ (cuối dòng {start_line} nếu đoạn chữ "
                               f"chỉ một dòng)", f"add a {quote} at the end of the text (at the end "
                               f"of line {start_line} if the text is one line)"), lines)
        return _syntax("YAML", line, column,
                       f"dấu gạch chéo ngược “\\” trong đoạn chữ đặt trong nháy kép ở dòng {line} "
                       "không hợp lệ", "an invalid backslash escape inside double quotes",
                       Msg("trong nháy kép, viết \\\\ cho một dấu \\ (ví dụ \"C:\\\\Tài liệu\"), "
                           "hoặc đặt đoạn chữ trong nháy đơn: 'C:\\Tài liệu'",
                           "inside double quotes write \\\\ for one \\ (e.g. \"C:\\\\Docs\"), or use "
                           "single quotes: 'C:\\Docs'"), lines)
    if "flow sequence" in context or "flow mapping" in context:
        opened = "[" if "sequence" in context else "{"
        if line > start_line or not text[column - 1:].strip():
            return _syntax("YAML", start_line, None,
                           f"dấu ngoặc “{opened}” mở ở dòng {start_line} chưa được đóng",
                           f"the bracket “{opened}” opened on this line is never closed",
                           Msg(f"thêm “{_CLOSING[opened]}” ở cuối (cùng dòng {start_line}); các mục cách "
                               "nhau bằng dấu phẩy",
                               f"add “{_CLOSING[opened]}” at the end (on line {start_line}); items are "
                               "separated by commas"), lines)
        return _syntax("YAML", line, column,
                       f"thiếu dấu phẩy hoặc dấu “{_CLOSING[opened]}” ở dòng {line}, cột {column}",
                       f"a comma or a “{_CLOSING[opened]}” is missing",
                       Msg("các mục trong [ ] hoặc { } cách nhau bằng dấu phẩy; mục nào có dấu phẩy, dấu "
                           "nháy hay dấu hai chấm thì đặt trong nháy kép",
                           "items in [ ] or { } are separated by commas; put an item that holds a comma, a "
                           "quote or a colon in double quotes"), lines)
    if "flow node" in context:
        return _syntax("YAML", line, column,
                       f"thiếu giá trị ở dòng {line}, cột {column} (hai dấu phẩy liền nhau?)",
                       "a value is missing (two commas in a row?)",
                       Msg("xóa dấu phẩy thừa, hoặc viết giá trị vào giữa", "remove the extra comma, or "
                           "write the value in between"), lines)
    if "cannot start any token" in problem or context in ("while scanning an alias", "while scanning an anchor",
                                                         "while scanning a tag", "while scanning a block scalar"):
        start_char = lines.get(start_line)[context_mark.column:context_mark.column + 1] if context_mark else ""
        return _special_start(lines, start_line, column, start_char.strip() or char or "?")
    if "expected key" in problem or "expected <block end>" in problem or "'-' indicator" in problem:
        content = text.lstrip()
        if content.startswith("-") and (content == "-" or content[1:2].isspace()) and "mapping" in context:
            return _syntax("YAML", line, column,
                           f"dòng {line} là một mục danh sách (“- …”) nhưng không thuộc trường nào",
                           "this line is a list item (“- …”) that belongs to no field",
                           Msg("thụt mục này vào thẳng cột với các mục khác của danh sách, hoặc thêm tên "
                               "trường có dấu hai chấm ở dòng trên (ví dụ “absent:”)",
                               "indent the item like the other items of the list, or add a field name "
                               "with a colon on the line above (e.g. “absent:”)"), lines)
        if column - 1 <= len(indent):
            return _dedent(lines, line, column)
        return _after_value(lines, line, column)
    if "document" in problem or "document" in context:
        return _syntax("YAML", line, column,
                       f"có phần thứ hai sau dấu kết thúc “---” hoặc “...” ở dòng {line}",
                       "there is a second part after a “---” or “...” separator",
                       Msg("mỗi tệp là một văn bản: xóa dòng “---”/“...” (hoặc “%”) và tách phần sau ra tệp khác",
                           "one document per file: delete the “---”/“...” (or “%”) line and move what "
                           "follows to another file"), lines)
    return _syntax("YAML", line, column, f"YAML sai cú pháp ở dòng {line}, cột {column}",
                   "the text is not valid YAML", _GENERIC_HINT, lines)


_GENERIC_HINT = Msg("kiểm tra dòng này và dòng ngay trên: thụt lề chỉ bằng dấu cách, sau tên trường là dấu "
                    "hai chấm và một dấu cách, đoạn chữ có dấu “:” hay “#” hoặc bắt đầu bằng ký tự đặc biệt "
                    "thì đặt trong nháy kép",
                    "check this line and the one above: indent with spaces only, put a colon and a space "
                    "after each field name, and put text holding “:” or “#” (or starting with a special "
                    "character) in double quotes")


# ----------------------------------------------------------------------------- YAML


class _Open:
    """An open list or mapping while building: its path, and for a mapping the pending key."""

    __slots__ = ("container", "is_map", "key", "key_lines", "path", "want_key")

    def __init__(self, container: Any, path: tuple[str | int, ...]) -> None:
        self.container = container
        self.is_map = isinstance(container, dict)
        self.path = path
        self.key: str = ""
        self.want_key = True
        self.key_lines: dict[str, int] = {}


def _scalar(event: Any, parent: tuple[str | int, ...], part: str | int, in_key: bool) -> Any:
    """The value of a scalar event at ``parent + (part,)`` (YAML 1.2 core schema), limits
    checked. A key (``in_key``) is named in messages only when it is text."""
    tag = event.tag
    value: str = event.value
    if tag is None:
        tag = _plain_tag(value) if event.implicit[0] else _STR
    elif tag == "!":
        tag = _STR
    elif tag == _NULL:
        return None
    elif tag != _STR:  # !!int abc, !!bool x, !!timestamp, !!binary, !!seq on text, !custom
        raise _bad_tag([*parent] if in_key else [*parent, part], tag, event.start_mark.line + 1)
    if tag == _STR:
        bad = _BAD_CHAR.search(value)
        if bad:
            raise _bad_char([*parent, part], bad.group(), in_key, event.start_mark.line + 1)
        return value
    if tag == _NULL:
        return None
    if tag == _BOOL:
        return value in _CORE_TRUE
    path = [*parent] if in_key else [*parent, part]
    if tag == _INT:
        if value[:2] in ("0x", "0o"):
            number = _core_int(value)
            if abs(number) >= 10 ** MAX_INT_DIGITS:
                raise _too_big(path, len(str(number)) if number.bit_length() < 10_000 else None,
                               event.start_mark.line + 1)
            return number
        digits = len(value) - (value[0] in "+-")
        if digits > MAX_INT_DIGITS:
            raise _too_big(path, digits, event.start_mark.line + 1)
        return int(value)
    number_f = _core_float(value)
    if not math.isfinite(number_f):
        raise _not_finite(path, number_f, event.start_mark.line + 1)
    return number_f


def _build_yaml(text: str, lines: LineMap | None) -> Any:
    """Build the data from libyaml's events in one pass, refusing aliases, explicit tags,
    duplicate keys, non-text keys that are lists or mappings, nesting deeper than
    MAX_DEPTH, collections longer than MAX_ITEMS, integers longer than MAX_INT_DIGITS,
    non-finite numbers and control characters as they come. Strings are cleaned (NFC).

    ``lines`` (when given) receives the line of every key and list item. Building from the
    events (not yaml.load) reads the file once and never recurses: depth costs nothing.
    """
    bad = _SURROGATE.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise _Refused([], Msg(f"tệp có ký tự hỏng (U+{ord(bad.group()):04X})",
                               f"the file contains a broken character (U+{ord(bad.group()):04X})"),
                       Msg("xóa ký tự đó (thường do sao chép từ nơi khác)",
                           "delete that character (usually pasted from elsewhere)"), line)
    scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
    map_start, seq_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    loader = _Loader(text)
    get_event = loader.get_event
    stack: list[_Open] = []
    root: Any = None
    documents = 0
    try:
        while True:
            event = get_event()
            cls = type(event)
            if cls is scalar_event or cls is map_start or cls is seq_start or cls is alias_event:
                top = stack[-1] if stack else None
                if top is None:
                    parent: tuple[str | int, ...] = ()
                    part: str | int = ""
                elif top.is_map:
                    parent, part = top.path, top.key
                    if top.want_key:  # a key
                        line = event.start_mark.line + 1
                        if len(top.container) >= MAX_ITEMS:
                            raise _too_many(list(parent), True, line)
                        if cls is alias_event:
                            raise _alias(list(parent), line)
                        if cls is not scalar_event:
                            raise _complex_key(list(parent), line)
                        raw_key = _scalar(event, parent, event.value, True)
                        key = clean(raw_key) if isinstance(raw_key, str) else str(raw_key)
                        first = top.key_lines.get(key)
                        if first is not None:
                            raise _duplicate([*parent, key], key, first, line)
                        top.key_lines[key] = line
                        top.key, top.want_key = key, False
                        if lines is not None:
                            lines[(*parent, key)] = line
                        continue
                else:
                    parent, part = top.path, len(top.container)
                    if part >= MAX_ITEMS:
                        raise _too_many(list(parent), False, event.start_mark.line + 1)
                    if lines is not None:
                        lines[(*parent, part)] = event.start_mark.line + 1
                if cls is scalar_event:
                    value = _scalar(event, parent, part, False)
                    if type(value) is str:
                        value = clean(value)
                elif cls is alias_event:
                    raise _alias([*parent, part] if top else [], event.start_mark.line + 1)
                else:
                    path = (*parent, part) if top else ()
                    tag = event.tag
                    if tag is not None and tag != "!" and tag != (_MAP if cls is map_start else _SEQ):
                        raise _bad_tag(list(path), tag, event.start_mark.line + 1)
                    if len(stack) >= MAX_DEPTH:
                        raise _too_deep(list(path), event.start_mark.line + 1)
                    value = {} if cls is map_start else []
                    stack.append(_Open(value, path))
                if top is None:
                    root = value
                elif top.is_map:
                    top.container[top.key] = value
                    top.want_key = True
                else:
                    top.container.append(value)
            elif cls in ends:
                stack.pop()
            elif cls is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    line = event.start_mark.line + 1
                    raise _Refused([], Msg(f"tệp có nhiều hơn một văn bản: dòng {line} (“---”) bắt đầu "
                                           "phần thứ hai", f"the file holds more than one document: line "
                                           f"{line} (“---”) starts a second one"),
                                   Msg("mỗi tệp là một văn bản: xóa dòng “---” và tách phần sau ra tệp khác",
                                       "one document per file: delete the “---” line and move what follows "
                                       "to another file"))
            elif cls is yaml.StreamEndEvent:
                break
    finally:
        loader.dispose()
    return root


# ----------------------------------------------------------------------------- JSON


def _json_int(text: str) -> int | _BigInt:
    digits = len(text.lstrip("-"))
    return _BigInt(digits) if digits > MAX_INT_DIGITS else int(text)


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs) or len({clean(key) for key in result}) != len(result):
        raise _JsonDuplicate
    return result


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


def _json_key(token: str) -> str:
    raw = token[1:-1] if "\\" not in token else json.loads(token)
    return clean(raw) if isinstance(raw, str) else str(raw)


def _json_lines(text: str) -> LineMap:
    """The line of every key and list item of valid JSON text; refuses duplicate keys.

    Only strings, other literals and brackets are read: in an object they alternate key,
    value; in an array each value is the next item (commas and colons add nothing)."""
    lines: LineMap = {}
    # per open collection: [is_map, path, want_key, index or key, key_lines]
    stack: list[list[Any]] = []
    line, last = 1, 0
    count = text.count
    for match in _JSON_LEX.finditer(text):
        token = match.group()
        char = token[0]
        if char == "]" or char == "}":
            stack.pop()
            if stack:
                top = stack[-1]
                if top[0]:
                    top[2] = True
                else:
                    top[3] += 1
            continue
        if not stack:
            if char == "{":
                stack.append([True, (), True, "", {}])
            elif char == "[":
                stack.append([False, (), False, 0, None])
            continue
        start = match.start()
        line += count("\n", last, start)
        last = start
        top = stack[-1]
        if top[0]:
            if top[2]:
                key = _json_key(token)
                path = (*top[1], key)
                first = top[4].get(key)
                if first is not None:
                    raise _duplicate(list(path), key, first, line)
                top[4][key] = line
                lines[path] = line
                top[2], top[3] = False, key
                continue
            path = (*top[1], top[3])
        else:
            path = (*top[1], top[3])
            lines[path] = line
        if char == "{":
            stack.append([True, path, True, "", {}])
        elif char == "[":
            stack.append([False, path, False, 0, None])
        elif top[0]:
            top[2] = True
        else:
            top[3] += 1
    return lines


def _json_syntax(exc: json.JSONDecodeError, text: str) -> _Syntax:
    """json's error as our own explanation."""
    lines = _Lines(text)
    pos, line, column = exc.pos, exc.lineno, exc.colno
    char = text[pos] if pos < len(text) else ""
    before = text[:pos].rstrip()
    previous = before[-1:] if before else ""
    at_end = not text[pos:].strip()

    def say(vi: str, en: str, hint: Msg, where: int = line, col: int | None = column) -> _Syntax:
        return _syntax("JSON", where, col, vi, en, hint, lines)

    unclosed = Msg("thêm “}” hoặc “]” còn thiếu ở cuối tệp; mỗi “{” và “[” phải có dấu đóng tương ứng",
                   "add the missing “}” or “]” at the end; every “{” and “[” needs its closing bracket")
    if at_end and exc.msg.startswith(("Expecting ',' delimiter", "Expecting property name", "Expecting value",
                                      "Expecting ':' delimiter")):
        return say("tệp JSON kết thúc khi chưa đóng hết dấu ngoặc (thiếu “}” hoặc “]”)",
                   "the JSON text ends before all brackets are closed (a “}” or “]” is missing)", unclosed)
    if exc.msg.startswith("Expecting ',' delimiter"):
        return say(f"thiếu dấu phẩy ở dòng {line}, cột {column}",
                   "a comma is missing",
                   Msg("các mục trong JSON cách nhau bằng dấu phẩy: thêm “,” sau mục đứng trước vị trí này "
                       "(thường ở cuối dòng trên)", "items in JSON are separated by commas: add a “,” after "
                       "the item before this place (often at the end of the line above)"))
    if exc.msg.startswith("Expecting ':' delimiter"):
        return say(f"thiếu dấu hai chấm sau tên trường ở dòng {line}, cột {column}",
                   "a colon is missing after the field name",
                   Msg("viết tên trường trong nháy kép, dấu hai chấm rồi giá trị: \"place\": \"Nhà văn hóa\"",
                       "write the field name in double quotes, a colon, then the value: \"place\": \"…\""))
    if exc.msg.startswith(("Expecting property name", "Expecting value")):
        if previous == "," and char in "}]":
            where = text.count("\n", 0, len(before) - 1) + 1
            return say(f"dấu phẩy thừa trước “{char}” ở dòng {where}: JSON không cho phép dấu phẩy sau mục cuối",
                       f"a trailing comma before “{char}”: JSON allows no comma after the last item",
                       Msg("xóa dấu phẩy sau mục cuối cùng", "delete the comma after the last item"),
                       where, None)
        if char == "'":
            return say(f"dùng nháy đơn ở dòng {line}, cột {column}: JSON chỉ nhận nháy kép",
                       "single quotes are used: JSON accepts double quotes only",
                       Msg("thay mọi dấu ' bao quanh tên trường và chữ bằng dấu \"",
                           "replace the ' around field names and text with \""))
        if char == "/" or char == "#":
            return say(f"có chú thích ở dòng {line}: JSON không cho phép chú thích",
                       "a comment: JSON does not allow comments",
                       Msg("xóa chú thích, hoặc dùng tệp YAML (ở đó chú thích bắt đầu bằng #)",
                           "delete the comment, or use a YAML file (where comments start with #)"))
        if char in ",}]" or char == ":":
            return say(f"thiếu giá trị trước “{char}” ở dòng {line}, cột {column}",
                       f"a value is missing before “{char}”",
                       Msg("viết giá trị (chữ trong nháy kép, số, true, false hoặc null) hoặc xóa dấu thừa",
                           "write a value (text in double quotes, a number, true, false or null) or "
                           "delete the extra character"))
        word = re.match(r"[^\s,:\[\]{}\"]+", text[pos:])
        shown = word.group()[:30] if word else char
        if shown in ("True", "False", "None", "TRUE", "FALSE", "NULL", "Null", "NaN", "nan", "undefined"):
            return say(f"giá trị “{shown}” ở dòng {line} không có trong JSON: JSON viết true, false, null "
                       "(chữ thường)", f"“{shown}” is not JSON: JSON writes true, false and null (lower case)",
                       Msg("viết true, false hoặc null", "write true, false or null"))
        if exc.msg.startswith("Expecting property name"):
            return say(f"tên trường ở dòng {line}, cột {column} chưa đặt trong nháy kép",
                       "a field name is not in double quotes",
                       Msg(f"viết \"{shown}\": … (tên trường JSON luôn trong nháy kép)",
                           f"write \"{shown}\": … (JSON field names are always in double quotes)"))
        return say(f"chữ “{shown}” ở dòng {line}, cột {column} chưa đặt trong nháy kép",
                   f"the text “{shown}” is not in double quotes",
                   Msg("đặt chữ trong nháy kép: \"…\"; số, true, false, null thì viết không có nháy",
                       "put text in double quotes: \"…\"; numbers, true, false and null go without"))
    if exc.msg.startswith("Unterminated string"):
        return say(f"dấu nháy kép mở ở dòng {line}, cột {column} chưa được đóng",
                   "the double quote opened here is never closed",
                   Msg("thêm dấu \" ở cuối đoạn chữ; dấu \" bên trong đoạn chữ viết là \\\"",
                       "add a \" at the end of the text; a \" inside the text is written \\\""))
    if exc.msg.startswith("Invalid control character"):
        if char in "\r\n":
            return say(f"đoạn chữ trong nháy kép xuống dòng ở dòng {line} khi chưa đóng nháy",
                       "text in double quotes runs onto the next line before its closing quote",
                       Msg("đóng dấu \" trước khi xuống dòng; muốn xuống dòng trong chữ thì viết \\n",
                           "close the \" before the line ends; write \\n for a line break inside text"))
        if char == "\t":
            return say(f"có dấu Tab trong đoạn chữ ở dòng {line}, cột {column}: JSON không nhận",
                       "a Tab inside text: JSON does not accept it",
                       Msg("thay dấu Tab bằng dấu cách (hoặc viết \\t)", "replace the Tab with a space "
                           "(or write \\t)"))
        return say(f"có ký tự điều khiển trong đoạn chữ ở dòng {line}, cột {column}",
                   "a control character inside text",
                   Msg("xóa ký tự đó (thường do sao chép từ nơi khác)",
                       "delete that character (usually pasted from elsewhere)"))
    if exc.msg.startswith("Invalid \\"):
        return say(f"dấu gạch chéo ngược “\\” không hợp lệ trong đoạn chữ ở dòng {line}, cột {column}",
                   "an invalid backslash escape inside text",
                   Msg("viết \\\\ cho một dấu \\ (ví dụ \"C:\\\\Tài liệu\")",
                       "write \\\\ for one \\ (e.g. \"C:\\\\Docs\")"))
    if exc.msg.startswith("Extra data"):
        return say(f"có nội dung thừa sau dấu “}}” đóng cuối cùng, ở dòng {line}, cột {column}",
                   "there is extra text after the final closing “}”",
                   Msg("tệp JSON chỉ chứa một khối { … }: xóa phần thừa hoặc kiểm tra dấu ngoặc",
                       "a JSON file holds one { … } block: delete the extra text or check the brackets"))
    return say(f"JSON sai cú pháp ở dòng {line}, cột {column}", "the text is not valid JSON",
               Msg("sửa cú pháp JSON (dấu phẩy, ngoặc, dấu nháy kép)", "fix the JSON syntax (commas, "
                   "brackets, double quotes)"))


def _parse_json(text: str, want_lines: bool) -> tuple[Any, LineMap]:
    _check_json_depth(text)
    try:
        data = json.loads(text, parse_int=_json_int, object_pairs_hook=_json_object)
    except _JsonDuplicate:
        _json_lines(text)  # raises with the path and the two lines
        raise _duplicate([], "?", None, None) from None
    _check_values(data)
    lines = _json_lines(text) if want_lines and isinstance(data, dict) else {}
    return clean_tree(data), lines


# ----------------------------------------------------------------------------- parsing


def _parse(text: str, source: str, error: ErrorFactory, want_lines: bool) -> tuple[dict[str, Any], LineMap]:
    lines: LineMap = {}
    try:
        if text.lstrip().startswith("{"):
            data, lines = _parse_json(text, want_lines)
        else:
            data = _build_yaml(text, lines if want_lines else None)
    except _Refused as exc:
        where_vi = f" (dòng {exc.line})" if exc.line else ""
        where_en = f" (line {exc.line})" if exc.line else ""
        raise error(Msg(exc.message.vi + where_vi, exc.message.en + where_en), file=source,
                    field=_shown(exc.path), hint=exc.hint) from None
    except json.JSONDecodeError as exc:
        syntax = _json_syntax(exc, text)
        raise error(syntax.message, file=source, hint=syntax.hint) from None
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or ""
        if "maximum nesting depth" in problem:  # libyaml >= 0.2.6 stops at 1,000 open brackets
            mark = getattr(exc, "problem_mark", None)
            deep = _too_deep([])
            where_vi = f" (dòng {mark.line + 1})" if mark else ""
            where_en = f" (line {mark.line + 1})" if mark else ""
            raise error(Msg(deep.message.vi + where_vi, deep.message.en + where_en), file=source,
                        hint=deep.hint) from None
        syntax = _yaml_syntax(exc, _Lines(text))
        raise error(syntax.message, file=source, hint=syntax.hint) from None
    if not isinstance(data, dict):
        raise error(
            Msg("nội dung tệp phải là một bảng khóa: giá trị", "the file must hold a key: value mapping"),
            file=source,
            hint=Msg("bắt đầu tệp bằng các dòng như \"kind: nghi-quyet\"",
                     "start the file with lines such as \"kind: nghi-quyet\""),
        )
    return data, lines


def parse_text_lines(text: str, source: str, error: ErrorFactory = InputError) -> tuple[dict[str, Any], LineMap]:
    """Parse YAML (or JSON, when the text starts with '{') into a cleaned (NFC) dict, with
    the line of every key and list item (``LineMap``; best effort for JSON)."""
    return _parse(text, source, error, want_lines=True)


def parse_text(text: str, source: str, error: ErrorFactory = InputError) -> dict[str, Any]:
    """Parse YAML (JSON is YAML too, but parsed strictly when it starts with '{')."""
    return _parse(text, source, error, want_lines=False)[0]


def read_mapping_lines(path: Path, error: ErrorFactory = InputError) -> tuple[dict[str, Any], LineMap]:
    """A YAML or JSON file as a cleaned (NFC) dict, with the line of every key and list item."""
    return parse_text_lines(read_text(path, error), str(path), error)


def read_mapping(path: Path, error: ErrorFactory = InputError) -> dict[str, Any]:
    """A YAML or JSON file as a cleaned (NFC) dict (dates stay text)."""
    return parse_text(read_text(path, error), str(path), error)
