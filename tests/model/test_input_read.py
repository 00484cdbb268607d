"""Reading input files that forgive (issue 10): YAML 1.2 scalars, UTF-16/32, legacy
Vietnamese encodings named, Word/PDF files recognised, YAML and JSON syntax errors in our
own words with the line, and the line of every field (LineMap).

Every file is a real file in tmp_path, read through read_mapping / read_mapping_lines.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import re
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from docgen.errors import ConfigError, InputError
from docgen.model.files import (
    MAX_FILE_BYTES,
    LineMap,
    _Loader,
    parse_text,
    parse_text_lines,
    read_mapping,
    read_mapping_lines,
    read_text,
)
from docgen.vn.text import clean_tree

from .rosters import EXAMPLES

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))

# What PyYAML, libyaml and json say: none of it may reach the user.
ENGLISH = re.compile(
    r"mapping values|could not find|while scanning|while parsing|did not find|found character|"
    r"cannot start any token|expected <|expected ','|expected ':'|unicode string|Expecting|delimiter|"
    r"Unterminated|Extra data|Invalid control|Invalid \\\\escape|found unexpected|found unknown|"
    r"but found|special characters are not allowed|control characters are not allowed|line \d+, column \d+\n"
)


def write(tmp_path: Path, content: str | bytes, name: str = "input.yaml") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def refused(tmp_path: Path, content: str | bytes, name: str = "input.yaml") -> InputError:
    """Read ``content`` from a file; it must be refused with our own words only."""
    path = write(tmp_path, content, name)
    with pytest.raises(InputError) as info:
        read_mapping_lines(path)
    error = info.value
    assert error.file == str(path)
    for lang in ("vi", "en"):
        rendered = error.render(lang)
        assert not ENGLISH.search(rendered), rendered
        assert "Traceback" not in rendered
    assert error.hint is not None
    return error


# ----------------------------------------------------------------------------- YAML 1.2 scalars


def test_times_and_dates_typed_plainly_are_text(tmp_path: Path) -> None:
    data = read_mapping(write(tmp_path, "kind: bien-ban-thuong-ky\nstart: 19:30\nend: 21:00\n"
                                        "date: 10/3/2026\niso: 2026-03-10\nlong: 1:30:00\n"
                                        "stamp: 2026-03-10 19:30:00\n"))
    assert data == {"kind": "bien-ban-thuong-ky", "start": "19:30", "end": "21:00", "date": "10/3/2026",
                    "iso": "2026-03-10", "long": "1:30:00", "stamp": "2026-03-10 19:30:00"}


@pytest.mark.parametrize(("plain", "value"), [
    ("5", 5), ("-3", -3), ("+7", 7), ("0", 0), ("010", 10), ("007", 7), ("0o17", 15), ("0x1F", 31),
    ("0xff", 255), ("0b101", "0b101"), ("1_000", "1_000"), ("0x_1F", "0x_1F"), ("190:30", "190:30"),
    ("1.5", 1.5), (".5", 0.5), ("-2.", -2.0), ("1e3", 1000.0), ("1.5E-2", 0.015), ("1_0.5", "1_0.5"),
    ("true", True), ("True", True), ("TRUE", True), ("false", False), ("False", False), ("FALSE", False),
    ("yes", "yes"), ("no", "no"), ("Yes", "Yes"), ("NO", "NO"), ("on", "on"), ("off", "off"),
    ("y", "y"), ("n", "n"), ("tRUE", "tRUE"),
    ("~", None), ("null", None), ("Null", None), ("NULL", None), ("", None), ("nil", "nil"),
    ("None", "None"), ("none", "none"), ("=", "="), ("<<", "<<"), ("05-NQ/CB", "05-NQ/CB"),
    ("٢٠٢٦", "٢٠٢٦"), ("１２", "１２"), ("12abc", "12abc"),
])
def test_yaml_1_2_core_schema(tmp_path: Path, plain: str, value: Any) -> None:
    data = read_mapping(write(tmp_path, f"x: {plain}\n"))
    assert data == {"x": value} and type(data["x"]) is type(value)
    # the loader's own resolvers agree (yaml.load(..., Loader=_Loader) gives the same)
    assert yaml.load(f"x: {plain}\n", Loader=_Loader) == {"x": value}  # noqa: S506


def test_quoted_and_tagged_scalars_stay_text() -> None:
    data = parse_text('a: "5"\nb: \'true\'\nc: !!str 010\nd: ! 19:30\ne: !!null x\nf: "~"\n', "in")
    assert data == {"a": "5", "b": "true", "c": "010", "d": "19:30", "e": None, "f": "~"}


def test_special_floats_are_refused_with_the_line() -> None:
    for value in (".inf", "-.Inf", ".NaN", "1e999"):
        with pytest.raises(InputError) as info:
            parse_text(f"kind: x\nself_score: {{points: {value}}}\n", "in")
        assert info.value.field == "self_score.points"
        assert info.value.message.vi.endswith("(dòng 2)")


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_examples_read_as_with_yaml_1_1(path: Path) -> None:
    """Nothing in the shipped examples relies on YAML 1.1 (yes/no booleans, sexagesimal
    numbers, octal 010): read with 1.2 they give what PyYAML's safe_load gives."""
    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value.isoformat() if isinstance(value, dt.date) else value

    old = clean_tree(plain(yaml.safe_load(path.read_text("utf-8"))))
    assert read_mapping(path) == old


def test_no_example_or_test_input_uses_yaml_1_1_booleans() -> None:
    words = re.compile(r":\s+(yes|no|on|off|y|n|Yes|No|On|Off|YES|NO|ON|OFF)\s*$", re.MULTILINE)
    for path in EXAMPLE_FILES:
        assert not words.search(path.read_text("utf-8")), path


# ----------------------------------------------------------------------------- encodings

BASE = (EXAMPLES / "nghi-quyet.yaml").read_text("utf-8")


@pytest.mark.parametrize(("codec", "bom"), [
    ("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"),
    ("utf-32-le", b"\xff\xfe\x00\x00"), ("utf-32-be", b"\x00\x00\xfe\xff"), ("utf-16-le", b""),
    ("utf-16-be", b""),
])
def test_unicode_files_with_and_without_bom(tmp_path: Path, codec: str, bom: bytes) -> None:
    path = write(tmp_path, bom + BASE.encode(codec))
    assert read_mapping(path) == read_mapping(EXAMPLES / "nghi-quyet.yaml")
    assert read_text(path) == BASE


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_ascii_and_decomposed(tmp_path: Path, codec: str) -> None:
    assert read_mapping(write(tmp_path, "kind: nghi-quyet\nnumber: 5\n".encode(codec))) == {
        "kind": "nghi-quyet", "number": 5}
    nfd = unicodedata.normalize("NFD", BASE)  # Windows' own keyboard: combining marks U+03xx
    assert read_mapping(write(tmp_path, nfd.encode(codec))) == read_mapping(EXAMPLES / "nghi-quyet.yaml")


def test_windows_notepad_unicode_with_crlf(tmp_path: Path) -> None:
    path = write(tmp_path, b"\xff\xfe" + BASE.replace("\n", "\r\n").encode("utf-16-le"))
    data, lines = read_mapping_lines(path)
    assert data == read_mapping(EXAMPLES / "nghi-quyet.yaml")
    assert lines[("place",)] == BASE.split("\n").index(next(x for x in BASE.split("\n") if x.startswith("place:"))) + 1


def test_a_damaged_utf16_file(tmp_path: Path) -> None:
    error = refused(tmp_path, b"\xff\xfe" + "kind: x\n".encode("utf-16-le") + b"\x00\xd8k\x00")
    assert error.message.vi.startswith("tệp UTF-16 bị hỏng")
    assert "UTF-8" in error.hint.vi if error.hint else False


# TCVN3 (ABC) bytes of the letters used below, checked against glibc's TCVN5712-1.
TCVN3 = {"ị": 0xDE, "ế": 0xD5, "ộ": 0xE9, "ề": 0xD2, "ệ": 0xD6, "ô": 0xAB, "ư": 0xAD, "ờ": 0xEA,
         "à": 0xB5, "ă": 0xA8, "ó": 0xE3, "đ": 0xAE, "ả": 0xB6, "ê": 0xAA, "ủ": 0xF1, "â": 0xA9,
         "á": 0xB8, "ợ": 0xEE, "ã": 0xB7, "ở": 0xEB, "Đ": 0xA7}
WORDS = ("kind: nghi-quyet\nplace: Nhà văn hóa thôn An Thành\n"
         "summary: Nghị quyết chi bộ về vệ sinh môi trường\nissuer: Đảng ủy xã\n"
         "members: đảng viên được nhân dân tin tưởng, tháng\n")


def tcvn3(text: str) -> bytes:
    return bytes(TCVN3[ch] if ord(ch) > 127 else ord(ch) for ch in unicodedata.normalize("NFC", text))


_VNI_TONE = {"\u0301": 0xF9, "\u0300": 0xF8, "\u0309": 0xFB, "\u0303": 0xF5, "\u0323": 0xEF}
_VNI_I = {"\u0301": 0xED, "\u0300": 0xEC, "\u0309": 0xE6, "\u0303": 0xF3, "\u0323": 0xF2}
_VNI_CIRCUMFLEX = {None: 0xE2, "\u0301": 0xE1, "\u0300": 0xE0, "\u0309": 0xE5, "\u0303": 0xE3, "\u0323": 0xE4}
_VNI_BREVE = {None: 0xEA, "\u0301": 0xE9, "\u0300": 0xE8, "\u0309": 0xFA, "\u0303": 0xFC, "\u0323": 0xEB}


def vni(text: str) -> bytes:
    """VNI-Windows: a base letter then a mark byte ("chào" → "chaøo"); ơ ư đ are ô ö ñ, the
    toned i's and ỵ single bytes; capitals take the capital (cp1252) marks."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        if ord(ch) < 128:
            out.append(ord(ch))
            continue
        upper = ch.isupper()

        def case(byte: int, upper: bool = upper) -> int:
            return byte - 0x20 if upper else byte

        if ch in "đĐ":
            out.append(case(0xF1))
            continue
        base, *marks = unicodedata.normalize("NFD", ch)
        tone = next((m for m in marks if m in _VNI_TONE), None)
        shape = next((m for m in marks if m not in _VNI_TONE), None)
        if shape == "\u031b":  # horn: ơ ư
            out.append(case(0xF4 if base.lower() == "o" else 0xF6))
            if tone:
                out.append(case(_VNI_TONE[tone]))
        elif shape == "\u0302":
            out += bytes([ord(base), case(_VNI_CIRCUMFLEX[tone])])
        elif shape == "\u0306":
            out += bytes([ord(base), case(_VNI_BREVE[tone])])
        elif base.lower() == "i" and tone:
            out.append(case(_VNI_I[tone]))
        elif base.lower() == "y" and tone == "\u0323":
            out.append(case(0xEE))
        else:
            assert tone is not None, ch
            out += bytes([ord(base), case(_VNI_TONE[tone])])
    return bytes(out)


def cp1258(text: str) -> bytes:
    """Windows-1258: letters with â ê ô ă ơ ư (and some toned ones) precomposed, the other
    tones as combining bytes after the vowel ("ị" = i + 0xF2)."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            tones = "".join(c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323")
            rest = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
            out += rest.encode("cp1258") + tones.encode("cp1258")
    return bytes(out)


def test_the_legacy_encoders_of_these_tests() -> None:
    assert vni("Xin chào các bạn").decode("cp1252") == "Xin chaøo caùc baïn"  # the VNI fact of the notes
    assert vni("ĐẢNG CỘNG SẢN").decode("cp1252") == "ÑAÛNG COÄNG SAÛN"
    assert tcvn3("Đảng") == b"\xa7\xb6ng"  # the TCVN3 facts of the notes
    assert cp1258("Nghị quyết") == b"Nghi\xf2 quy\xea\xect"
    assert unicodedata.normalize("NFC", cp1258(WORDS).decode("cp1258")) == WORDS


@pytest.mark.parametrize(("encode", "name", "unikey"), [
    (tcvn3, "TCVN3 (ABC)", "TCVN3 (ABC)"), (vni, "VNI-Windows", "VNI Windows"),
    (cp1258, "Windows-1258 (cp1258)", "Vietnamese locale CP 1258"),
])
def test_a_legacy_vietnamese_file_names_its_encoding(tmp_path: Path, encode: Any, name: str,
                                                     unikey: str) -> None:
    error = refused(tmp_path, encode(WORDS))
    assert error.message.vi == f"tệp không phải UTF-8: có vẻ được gõ bằng bảng mã {name} (chữ có dấu đầu tiên ở dòng 2)"
    assert error.message.en.startswith(f"the file is not UTF-8: it looks typed in the {name} encoding")
    assert error.hint is not None
    assert f"“{unikey}”" in error.hint.vi and "Công cụ chuyển mã" in error.hint.vi and "UTF-8" in error.hint.vi
    if encode is cp1258:
        assert "Notepad" in error.hint.vi and "Lưu thành (Save As)" in error.hint.vi
    else:
        assert "Ctrl+Shift+F6" in error.hint.vi


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
@pytest.mark.parametrize("encoding", ["VNI-Windows", "Windows-1258 (cp1258)"])
def test_whole_examples_in_legacy_encodings(tmp_path: Path, path: Path, encoding: str) -> None:
    text = path.read_text("utf-8")
    vietnamese = "".join(ch if ord(ch) < 128 or unicodedata.name(ch, "").startswith("LATIN") else " " for ch in text)
    raw = vni(vietnamese) if encoding == "VNI-Windows" else cp1258(vietnamese)
    error = refused(tmp_path, raw)
    assert f"bảng mã {encoding}" in error.message.vi


def test_a_file_mixing_legacy_encodings(tmp_path: Path) -> None:
    error = refused(tmp_path, b"kind: x\n" + tcvn3(WORDS.split("\n", 1)[1]) + vni(WORDS.split("\n", 1)[1]))
    assert error.message.vi == ("tệp không phải UTF-8: có vẻ được gõ bằng một bảng mã cũ (TCVN3, VNI hoặc "
                                "cp1258; chữ có dấu đầu tiên ở dòng 2)")
    assert error.hint is not None and "Công cụ chuyển mã" in error.hint.vi


def test_a_non_vietnamese_file_gets_the_general_hint(tmp_path: Path) -> None:
    error = refused(tmp_path, "kind: nghi-quyet\nplace: café Müller naïve\n".encode("latin-1"))
    assert error.message.vi == "tệp không phải UTF-8 (byte lỗi ở vị trí 27, dòng 2)"
    assert error.hint is not None and "UTF-8" in error.hint.vi and "Unikey" in error.hint.vi


# ----------------------------------------------------------------------------- not a text file


def zip_bytes(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "mimetypeapplication/vnd.oasis.opendocument.text" if name == "mimetype" else "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(("content", "kind_vi", "kind_en"), [
    (zip_bytes("[Content_Types].xml", "_rels/.rels", "word/document.xml"), "Word (.docx)", "Word (.docx)"),
    (zip_bytes("mimetype", "content.xml"), "OpenDocument (.odt)", "OpenDocument (.odt)"),
    (zip_bytes("[Content_Types].xml", "xl/workbook.xml"), "bảng tính Excel (.xlsx/.ods)", "spreadsheet (.xlsx/.ods)"),
    (zip_bytes("a.txt"), "nén ZIP", "ZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "Word/Excel cũ (.doc/.xls)", "old Word/Excel (.doc/.xls)"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF", "PDF"),
    (b"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times New Roman;}}", "Word (RTF)", "Word (RTF)"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "ảnh PNG", "PNG image"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "ảnh JPEG", "JPEG image"),
    (b"GIF89a\x01\x00\x01\x00", "ảnh GIF", "GIF image"),
])
def test_word_pdf_and_images_are_recognised_by_content(tmp_path: Path, content: bytes, kind_vi: str,
                                                       kind_en: str) -> None:
    error = refused(tmp_path, content, name="bien-ban.yaml")  # the name says YAML: the content decides
    assert error.message.vi == f"đây là tệp {kind_vi}, docgen đọc tệp YAML/JSON"
    assert error.message.en == f"this is a {kind_en} file; docgen reads YAML/JSON files"
    assert error.hint is not None and "docgen form nghi-quyet -o nq.yaml" in error.hint.vi


def test_a_big_pdf_is_a_pdf_not_a_big_file(tmp_path: Path) -> None:
    error = refused(tmp_path, b"%PDF-1.4\n" + b"x" * (MAX_FILE_BYTES + 10), name="in.json")
    assert error.message.vi.startswith("đây là tệp PDF")


def test_a_folder_and_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        read_mapping(tmp_path)
    assert info.value.message.vi == f"{tmp_path} là một thư mục, không phải tệp"
    with pytest.raises(InputError) as info:
        read_mapping(tmp_path / "none.yaml")
    assert info.value.message.vi.startswith("không tìm thấy tệp")


# ----------------------------------------------------------------------------- YAML syntax


@pytest.mark.parametrize(("text", "vi", "hint"), [
    ("kind: nghi-quyet\nmeeting:\n\tstart: 19:30\n",
     "dùng dấu Tab để thụt lề ở dòng 3: YAML chỉ nhận dấu cách (“→start: 19:30”)", "thay mỗi dấu Tab"),
    ("kind: nghi-quyet\n\tplace: Nhà văn hóa\n",
     "dùng dấu Tab để thụt lề ở dòng 2: YAML chỉ nhận dấu cách (“→place: Nhà văn hóa”)", "dấu cách"),
    ("kind: nghi-quyet\nabsent:\n  -\tmember: m05\n",
     "dùng dấu Tab để thụt lề ở dòng 3: YAML chỉ nhận dấu cách (“  -→member: m05”)", "dấu cách"),
    ("kind: nghi-quyet\nplace Nhà văn hóa\nchair: m01\n",
     "thiếu dấu hai chấm sau tên trường ở dòng 2 (“place Nhà văn hóa”)", "viết: place: Nhà văn hóa"),
    ("kind: nghi-quyet\nchair: m01\nplace Nhà văn hóa\n",
     "thiếu dấu hai chấm sau tên trường ở dòng 3 (“place Nhà văn hóa”)", "viết: place: Nhà văn hóa"),
    ("kind: nghi-quyet\nvote:\n  for: 15\n  against 0\n  abstain: 1\n",
     "thiếu dấu hai chấm sau tên trường ở dòng 4 (“  against 0”)", "viết: against: 0"),
    ("kind: nghi-quyet\nsummary: Nghị quyết: về VSMT\n",
     "có dấu hai chấm trong đoạn chữ không đặt trong nháy ở dòng 2: đặt cả đoạn trong nháy kép "
     "(“summary: Nghị quyết: về VSMT”)", 'viết: summary: "Nghị quyết: về VSMT"'),
    ('kind: nghi-quyet\nsummary: Hưởng ứng "Ngày Chủ nhật xanh": ra quân\n',
     "có dấu hai chấm trong đoạn chữ không đặt trong nháy ở dòng 2: đặt cả đoạn trong nháy kép "
     "(“summary: Hưởng ứng \"Ngày Chủ nhật xanh\": ra quân”)",
     "viết: summary: 'Hưởng ứng \"Ngày Chủ nhật xanh\": ra quân'"),
    ("kind: nghi-quyet\nagenda:\n  - Thời sự\n  - Nghị quyết: về: VSMT\n",
     "có dấu hai chấm trong đoạn chữ không đặt trong nháy ở dòng 4: đặt cả đoạn trong nháy kép "
     "(“  - Nghị quyết: về: VSMT”)", 'viết: - "Nghị quyết: về: VSMT"'),
    ("kind: nghi-quyet\nvote:\n  for: 15\n    against: 0\n",
     "thụt lề sai ở dòng 4: dòng này thụt vào sâu hơn trường ở dòng trên (“    against: 0”)", "thẳng cột"),
    ("kind: nghi-quyet\nvote:\n    for: 15\n  against: 0\n",
     "thụt lề không khớp ở dòng 4: các trường cùng cấp phải thẳng cột với nhau (“  against: 0”)", "dòng 4"),
    ("kind:nghi-quyet\nplace: Nhà văn hóa\n",
     "thiếu dấu cách sau dấu hai chấm ở dòng 1 (“kind:nghi-quyet”)", "kind: nghi-quyet"),
    ('kind: nghi-quyet\nplace: "Nhà văn hóa\nchair: m01\n',
     "dấu nháy \" mở ở dòng 2 chưa được đóng (“place: \"Nhà văn hóa”)", "cuối dòng 2"),
    ("kind: nghi-quyet\nplace: 'Nhà văn hóa\n",
     "dấu nháy ' mở ở dòng 2 chưa được đóng (“place: 'Nhà văn hóa”)", "thêm dấu '"),
    ("kind: nghi-quyet\ntopics: [vsmt, ntm\nchair: m01\n",
     "dấu ngoặc “[” mở ở dòng 2 chưa được đóng (“topics: [vsmt, ntm”)", "thêm “]”"),
    ("kind: nghi-quyet\nvote: {for: 15, against: 0\n",
     "dấu ngoặc “{” mở ở dòng 2 chưa được đóng (“vote: {for: 15, against: 0”)", "thêm “}”"),
    ('kind: nghi-quyet\ntopics: ["vsmt" "ntm"]\n',
     "thiếu dấu phẩy hoặc dấu “]” ở dòng 2, cột 17 (“topics: [\"vsmt\" \"ntm\"]”)", "dấu phẩy"),
    ("kind: nghi-quyet\ntopics: [vsmt, , ntm]\n",
     "thiếu giá trị ở dòng 2, cột 16 (hai dấu phẩy liền nhau?) (“topics: [vsmt, , ntm]”)", "dấu phẩy thừa"),
    ('kind: nghi-quyet\nsummary: "Hưởng ứng "Ngày Chủ nhật xanh""\n',
     "có chữ sau dấu nháy đóng ở dòng 2, cột 22 (“summary: \"Hưởng ứng \"Ngày Chủ nhật xanh\"\"”)",
     "'Hưởng ứng \"Ngày Chủ nhật xanh\"'"),
    ("kind: nghi-quyet\ntopics: [vsmt]]\n",
     "có ký tự thừa sau giá trị ở dòng 2, cột 15 (“topics: [vsmt]]”)", "xóa phần thừa"),
    ("kind: nghi-quyet\n- m05\n",
     "dòng 2 là một mục danh sách (“- …”) nhưng không thuộc trường nào (“- m05”)", "“absent:”"),
    ("kind: nghi-quyet\nplace: @Nhà văn hóa\n",
     "giá trị ở dòng 2 bắt đầu bằng “@”, một ký tự đặc biệt của YAML (“place: @Nhà văn hóa”)",
     'place: "@Nhà văn hóa"'),
    ("kind: nghi-quyet\nconclusion: * Giao chi ủy\n",
     "giá trị ở dòng 2 bắt đầu bằng “*”, một ký tự đặc biệt của YAML (“conclusion: * Giao chi ủy”)",
     'conclusion: "* Giao chi ủy"'),
    ("kind: nghi-quyet\nconclusion: `Giao`\n",
     "giá trị ở dòng 2 bắt đầu bằng “`”, một ký tự đặc biệt của YAML (“conclusion: `Giao`”)",
     'conclusion: "`Giao`"'),
    ('kind: nghi-quyet\nplace: "C:\\Tài liệu"\n',
     "dấu gạch chéo ngược “\\” trong đoạn chữ đặt trong nháy kép ở dòng 2 không hợp lệ (“place: \"C:\\Tài liệu\"”)",
     "\\\\"),
    ("kind: nghi-quyet\n---\nkind: nghi-quyet\n",
     "tệp có nhiều hơn một văn bản: dòng 2 (“---”) bắt đầu phần thứ hai", "xóa dòng “---”"),
    ("kind: nghi-quyet\nplace: a\x07b\n",
     "tệp có ký tự điều khiển hoặc ký tự hỏng (U+0007) ở dòng 2", "xóa ký tự đó"),
])
def test_yaml_syntax_errors_in_our_words(tmp_path: Path, text: str, vi: str, hint: str) -> None:
    error = refused(tmp_path, text)
    assert error.message.vi == vi
    assert error.hint is not None and hint in error.hint.vi, error.hint.vi if error.hint else None
    assert error.hint.en and error.message.en
    assert "YAML syntax error at line" in error.message.en or "(" in error.message.en


def test_english_messages_say_yaml_syntax_error_and_the_line(tmp_path: Path) -> None:
    error = refused(tmp_path, "kind: nghi-quyet\nsummary: Nghị quyết: về VSMT\n")
    assert error.message.en == ("YAML syntax error at line 2, column 20: a colon inside text that is not "
                                "in quotes; put the whole text in double quotes (“summary: Nghị quyết: về VSMT”)")
    assert error.render("en").startswith("Error: YAML syntax error at line 2")
    assert error.render("vi").splitlines()[0] == (
        "Lỗi: có dấu hai chấm trong đoạn chữ không đặt trong nháy ở dòng 2: đặt cả đoạn trong nháy kép "
        "(“summary: Nghị quyết: về VSMT”)")
    error = refused(tmp_path, "kind: nghi-quyet\nmeeting:\n\tstart: 19:30\n")
    assert error.message.en == ("YAML syntax error at line 3: a Tab is used for indentation; YAML accepts "
                                "spaces only (“→start: 19:30”)")


def test_a_long_line_is_shortened_around_the_error(tmp_path: Path) -> None:
    long = "Nghị quyết về công tác vệ sinh môi trường, nông thôn mới và an ninh trật tự " * 3
    error = refused(tmp_path, f"kind: nghi-quyet\nsummary: {long}: tháng 3\n")
    shown = re.search(r"\(“(.*)”\)$", error.message.vi)
    assert shown is not None and len(shown.group(1)) <= 60 and shown.group(1).startswith("…")
    assert "tháng 3" in shown.group(1)


def test_duplicate_keys_are_refused_with_both_lines(tmp_path: Path) -> None:
    error = refused(tmp_path, "kind: nghi-quyet\nnumber: 5\nvote:\n  for: 15\n  for: 14\nnumber: 6\n")
    assert error.message.vi == "trường “for” được ghi hai lần (dòng 4 và dòng 5)"
    assert error.message.en == "the field “for” is written twice (lines 4 and 5)"
    assert error.field == "vote.for"
    nfd = unicodedata.normalize("NFD", "tên")
    error = refused(tmp_path, f"kind: nghi-quyet\ntên: a\n{nfd}: b\n")  # the same key once NFC
    assert error.message.vi == "trường “tên” được ghi hai lần (dòng 2 và dòng 3)"


def test_keys_that_are_lists_or_mappings(tmp_path: Path) -> None:
    for text in ("? [a]\n: b\n", "[a]: b\n", "{a: 1}: b\n"):
        error = refused(tmp_path, "kind: nghi-quyet\n" + text)
        assert error.message.vi == "tên trường là một danh sách hoặc bảng, không phải chữ (dòng 2)"


def test_limits_name_their_line(tmp_path: Path) -> None:
    error = refused(tmp_path, "kind: nghi-quyet\nplace: &p Nhà\nchair: *p\n")
    assert error.message.vi == "tệp dùng bí danh YAML (&/*), docgen không nhận bí danh (dòng 3)"
    assert error.field == "chair"
    error = refused(tmp_path, "kind: nghi-quyet\nnumber: !!int 5\n")
    assert error.message.vi == "thẻ kiểu YAML tag:yaml.org,2002:int không được hỗ trợ (dòng 2)"
    error = refused(tmp_path, "kind: nghi-quyet\nvote:\n  for: 0x" + "f" * 40 + "\n")
    assert error.message.vi == "số quá lớn (49 chữ số, tối đa 30) (dòng 3)" and error.field == "vote.for"


# A spread of broken files: each is refused, only in our words, and names a line.
BROKEN = [
    "a: b: c\n", "a:\n  - x\n  y: 1\n", "- a\nb: 1\n", "a: |x\n b\n", "a: 1\n...\nb: 2\n", "a: 1\n--- b\n",
    "kind: x\n%YAML 1.2\n", "a: !<x\n", "a: &\n", "a: [\n", "a: {\n", "a: [1, 2]]\n", "a: 'it''s\n",
    "a: \"\\x4\"\n", "a: \"\\ud800\"\n", "? a\n? b\n: c\n: d\n", "a: >\n\tb\n",
    "\"a\nb\": 1\n", "a: b\n  c: d\n", "a:\n  b: 1\n c: 2\n", "a: \"b\" # c\n  d\n", "a: [b, c]: d\n",
]


@pytest.mark.parametrize("text", BROKEN)
def test_broken_yaml_only_in_our_words(tmp_path: Path, text: str) -> None:
    error = refused(tmp_path, text)
    assert re.search(r"dòng \d+", error.message.vi), error.message.vi
    assert re.search(r"line \d+", error.message.en), error.message.en


def test_mutated_examples_never_show_pyyaml_english(tmp_path: Path) -> None:
    rng = random.Random(10)
    texts = [p.read_text("utf-8") for p in EXAMPLE_FILES]
    inserts = [":", "\t", '"', "'", "[", "]", "{", "}", "- ", "  ", ": ", "#", "*", "&", "!", "|", ",", "\n", "@"]
    refusals = 0
    for _ in range(400):
        text = rng.choice(texts)
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(text))
            if rng.random() < 0.3:
                text = text[:at] + text[at + 1:]
            else:
                text = text[:at] + rng.choice(inserts) + text[at:]
        try:
            parse_text_lines(text, "in.yaml")
        except InputError as exc:
            refusals += 1
            for lang in ("vi", "en"):
                rendered = exc.render(lang)
                assert not ENGLISH.search(rendered), (text, rendered)
    assert refusals > 400 // 5  # a fifth at least: the mutations did reach the error paths


# ----------------------------------------------------------------------------- JSON syntax


@pytest.mark.parametrize(("text", "vi"), [
    ('{"kind": "nghi-quyet",\n "number": 5,\n}',
     "dấu phẩy thừa trước “}” ở dòng 2: JSON không cho phép dấu phẩy sau mục cuối (“ \"number\": 5,”)"),
    ('{"topics": ["vsmt", "ntm",]}',
     "dấu phẩy thừa trước “]” ở dòng 1: JSON không cho phép dấu phẩy sau mục cuối (“{\"topics\": [\"vsmt\", \"ntm\",]}”)"),
    ('{"kind": "nghi-quyet"\n "number": 5}', "thiếu dấu phẩy ở dòng 2, cột 2 (“ \"number\": 5}”)"),
    ('{"kind" "nghi-quyet"}', "thiếu dấu hai chấm sau tên trường ở dòng 1, cột 9 (“{\"kind\" \"nghi-quyet\"}”)"),
    ("{'kind': 'nghi-quyet'}", "dùng nháy đơn ở dòng 1, cột 2: JSON chỉ nhận nháy kép (“{'kind': 'nghi-quyet'}”)"),
    ('{kind: "nghi-quyet"}', "tên trường ở dòng 1, cột 2 chưa đặt trong nháy kép (“{kind: \"nghi-quyet\"}”)"),
    ('{"kind": nghi-quyet}', "chữ “nghi-quyet” ở dòng 1, cột 10 chưa đặt trong nháy kép (“{\"kind\": nghi-quyet}”)"),
    ('{"draft": True}',
     "giá trị “True” ở dòng 1 không có trong JSON: JSON viết true, false, null (chữ thường) (“{\"draft\": True}”)"),
    ('{"kind": "nghi-quyet}', "dấu nháy kép mở ở dòng 1, cột 10 chưa được đóng (“{\"kind\": \"nghi-quyet}”)"),
    ('{"place": "Nhà\nvăn hóa"}',
     "đoạn chữ trong nháy kép xuống dòng ở dòng 1 khi chưa đóng nháy (“{\"place\": \"Nhà”)"),
    ('{"place": "C:\\Tài liệu"}',
     "dấu gạch chéo ngược “\\” không hợp lệ trong đoạn chữ ở dòng 1, cột 14 (“{\"place\": \"C:\\Tài liệu\"}”)"),
    ('{"kind": "nghi-quyet"}}', "có nội dung thừa sau dấu “}” đóng cuối cùng, ở dòng 1, cột 23 (“{\"kind\": \"nghi-quyet\"}}”)"),
    ('{"kind": "nghi-quyet",\n "vote": {"for": 1}',
     "tệp JSON kết thúc khi chưa đóng hết dấu ngoặc (thiếu “}” hoặc “]”) (“ \"vote\": {\"for\": 1}”)"),
    ('{"kind": "nghi-quyet", // ghi chú\n "number": 5}',
     "có chú thích ở dòng 1: JSON không cho phép chú thích (“{\"kind\": \"nghi-quyet\", // ghi chú”)"),
    ('{"kind": , "number": 5}', "thiếu giá trị trước “,” ở dòng 1, cột 10 (“{\"kind\": , \"number\": 5}”)"),
])
def test_json_syntax_errors_in_our_words(tmp_path: Path, text: str, vi: str) -> None:
    error = refused(tmp_path, text, name="input.json")
    assert error.message.vi == vi
    assert error.message.en.startswith("JSON syntax error at line")


def test_json_duplicate_keys(tmp_path: Path) -> None:
    error = refused(tmp_path, '{"kind": "nghi-quyet",\n "vote": {"for": 15,\n  "for": 14}}', name="in.json")
    assert error.message.vi == "trường “for” được ghi hai lần (dòng 2 và dòng 3)"
    assert error.field == "vote.for"


# ----------------------------------------------------------------------------- line numbers


def line_of(text: str, prefix: str, after: int = 0) -> int:
    """The 1-based number of the first line (after line ``after``) starting with ``prefix``."""
    for number, line in enumerate(text.split("\n"), 1):
        if number > after and line.lstrip().startswith(prefix):
            return number
    raise AssertionError(prefix)


def test_yaml_line_map(tmp_path: Path) -> None:
    text = (EXAMPLES / "bien-ban-thuong-ky.yaml").read_text("utf-8")
    data, lines = read_mapping_lines(write(tmp_path, text))
    assert data == read_mapping(EXAMPLES / "bien-ban-thuong-ky.yaml")
    assert lines[("kind",)] == 1
    assert lines[("start",)] == line_of(text, "start:")
    absent = line_of(text, "absent:")
    assert lines[("absent",)] == absent
    assert lines[("absent", 0)] == lines[("absent", 0, "member")] == absent + 1
    assert lines[("absent", 2, "member")] == absent + 3
    assert lines[("topics", 3)] == line_of(text, "topics:")
    proceedings = line_of(text, "proceedings:")
    assert lines[("proceedings", 0, "speaker")] == proceedings + 1
    assert lines[("proceedings", 0, "content")] == proceedings + 2
    assert lines[("proceedings", 1)] == line_of(text, "- speaker: m02")
    assert lines[("vote", "for")] == line_of(text, "vote:")
    # every path of the data has a line, and only those
    def paths(value: Any, path: tuple[str | int, ...] = ()) -> set[tuple[str | int, ...]]:
        found = {path} if path else set()
        items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else []
        for key, child in items:
            found |= paths(child, (*path, key))
        return found
    assert set(lines) == paths(data)


def test_yaml_line_map_block_styles_comments_and_empty_values() -> None:
    text = ("# Biên bản\n\nkind: bien-ban-thuong-ky\n"
            "start:\n"
            "end: \"21:30\"\n"
            "meeting:\n  # giờ\n  place: Nhà văn hóa\n  chair:\n"
            "absent:\n  -\n  - member: m05\n\n    reason: ốm\n"
            "conclusion: |\n  Dòng 1\n  Dòng 2\n"
            "tasks:\n- content: >\n    Ra quân\n  owner: m06\n")
    data, lines = parse_text_lines(text, "in.yaml")
    assert data["start"] is None and data["absent"] == [None, {"member": "m05", "reason": "ốm"}]
    expected: LineMap = {
        ("kind",): 3, ("start",): 4, ("end",): 5, ("meeting",): 6, ("meeting", "place"): 8,
        ("meeting", "chair"): 9, ("absent",): 10, ("absent", 0): 11, ("absent", 1): 12,
        ("absent", 1, "member"): 12, ("absent", 1, "reason"): 14, ("conclusion",): 15,
        ("tasks",): 18, ("tasks", 0): 19, ("tasks", 0, "content"): 19, ("tasks", 0, "owner"): 21,
    }
    assert lines == expected


def test_line_map_keys_are_the_cleaned_keys() -> None:
    nfd = unicodedata.normalize("NFD", "người")
    data, lines = parse_text_lines(f"kind: x\n{nfd}:\n  - a\n", "in.yaml")
    assert list(data) == ["kind", "người"] and lines[("người", 0)] == 3


def test_crlf_and_bom_keep_the_lines(tmp_path: Path) -> None:
    text = "kind: x\r\n\r\nvote:\r\n  for: 1\r\n"
    _, lines = read_mapping_lines(write(tmp_path, b"\xef\xbb\xbf" + text.encode()))
    assert lines == {("kind",): 1, ("vote",): 3, ("vote", "for"): 4}


def test_json_line_map(tmp_path: Path) -> None:
    data = read_mapping(EXAMPLES / "bien-ban-thuong-ky.yaml")
    text = json.dumps(data, ensure_ascii=False, indent=2)
    read, lines = read_mapping_lines(write(tmp_path, text, "in.json"))
    assert read == data
    _, yaml_lines = parse_text_lines((EXAMPLES / "bien-ban-thuong-ky.yaml").read_text("utf-8"), "in")
    assert set(lines) == set(yaml_lines)
    assert lines[("start",)] == line_of(text, '"start"')
    absent = line_of(text, '"absent"')
    assert lines[("absent", 0)] == absent + 1 and lines[("absent", 0, "member")] == absent + 2
    compact = '{"kind": "x",\n"topics": ["a",\n "b"], "vote": {"for": 1,\n"against": 2}, "t\\u00ean": [[1], {"a": 2}]}'
    _, lines = parse_text_lines(compact, "in.json")
    assert lines == {("kind",): 1, ("topics",): 2, ("topics", 0): 2, ("topics", 1): 3, ("vote",): 3,
                     ("vote", "for"): 3, ("vote", "against"): 4, ("tên",): 4, ("tên", 0): 4,
                     ("tên", 0, 0): 4, ("tên", 1): 4, ("tên", 1, "a"): 4}


def test_parse_text_and_read_mapping_are_the_line_less_forms(tmp_path: Path) -> None:
    for path in EXAMPLE_FILES:
        text = path.read_text("utf-8")
        assert parse_text(text, "in") == parse_text_lines(text, "in")[0] == read_mapping(path)


def test_the_error_factory_is_used(tmp_path: Path) -> None:
    path = write(tmp_path, "members:\n\t- id: m01\n", "profile.yaml")
    with pytest.raises(ConfigError) as info:
        read_mapping_lines(path, ConfigError)
    assert info.value.message.vi.startswith("dùng dấu Tab để thụt lề ở dòng 2")
    with pytest.raises(ConfigError):
        read_mapping(write(tmp_path, zip_bytes("word/document.xml"), "p.yaml"), ConfigError)


BIG_ITEMS = [{"member": f"m{j:02d}", "reason": "ốm nặng", "note": "19:30"} for j in range(40)]


def big_yaml() -> str:
    """A YAML file of just under MAX_FILE_BYTES: ``kind`` and as many lists of the 40
    BIG_ITEMS (as flow mappings) as fit (bench/bench_input.py times reading such a file)."""
    block = "".join(f"  - {{member: m{j:02d}, reason: ốm nặng, note: \"19:30\"}}\n" for j in range(40))
    parts, size, i = ["kind: nghi-quyet\n"], len(b"kind: nghi-quyet\n"), 0
    while size + len(chunk := f"list{i}:\n{block}".encode()) <= MAX_FILE_BYTES:
        parts.append(chunk.decode())
        size, i = size + len(chunk), i + 1
    return "".join(parts)


def test_a_1_mib_file_is_read(tmp_path: Path) -> None:
    """A file at the size limit is read whole and right, YAML and JSON (how fast: bench/bench_input.py)."""
    text = big_yaml()
    assert MAX_FILE_BYTES - 100_000 < len(text.encode()) <= MAX_FILE_BYTES
    data, lines = read_mapping_lines(write(tmp_path, text))
    count = len(data) - 1
    assert count > 400
    assert data == {"kind": "nghi-quyet", **{f"list{i}": BIG_ITEMS for i in range(count)}}
    assert len(lines) == 1 + count * (1 + 40 * 4)  # kind; each list, its items and their 3 keys
    assert lines[(f"list{count - 1}", 39, "note")] == text.count("\n")
    keys = list(data)
    while len(json.dumps({k: data[k] for k in keys}, ensure_ascii=False).encode()) > MAX_FILE_BYTES:
        keys = keys[:-20]
    part = {k: data[k] for k in keys}
    assert read_mapping_lines(write(tmp_path, json.dumps(part, ensure_ascii=False), "in.json"))[0] == part
