"""Plain-text papers (.txt): Unicode (UTF-8, UTF-16 with or without BOM), legacy 8-bit
bytes (TCVN3, VNI-Windows), UTF-8 that carries TCVN3/VNI mojibake, NFD, and VIQR when
asked.

- A BOM decides (UTF-8, UTF-16, UTF-32). Else valid UTF-8 is Unicode text, each line
  (paragraph) of which may still be legacy mojibake ("Tr­êng", "Uû ban nh©n d©n",
  "chaøo"): it is decoded when ``guess_encoding`` says so.
- Else the bytes are 8-bit legacy text, decoded line by line as ``guess_encoding``
  reads the raw bytes; a line that is neither TCVN3 nor VNI is read as Windows-1252.
- ``ReadOptions.encoding`` "tcvn3", "vni" or "unicode" forces one reading; "viqr"
  decodes VIQR (``docgen.importing.viqr``).

Each non-empty line is a Paragraph. A leading header typed as two columns (separated by
three or more spaces or a tab on the same lines) becomes a one-row Table of two cells,
as the PDF reader builds it. The ``decode_guessed`` helper is shared with the PDF reader.
"""

from __future__ import annotations

import re
import unicodedata

from docgen.i18n import Msg
from docgen.importing.ocr import is_type_name
from docgen.importing.recovered import (
    Block,
    Encoding,
    Paragraph,
    ReadOptions,
    Recovered,
    Table,
    UnreadableFile,
)
from docgen.importing.viqr import decode_viqr
from docgen.vn.legacy import decode_tcvn3, decode_vni, guess_encoding

__all__ = ["combine_encodings", "decode_guessed", "read_text"]

_FORCED = ("unicode", "tcvn3", "vni", "viqr")
_CP1252_GAPS = {0x81: "\x81", 0x8D: "\x8d", 0x8F: "\x8f", 0x90: "\x90", 0x9D: "\x9d"}


_CP1252_PUNCT = "‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ€"


def _has_legacy_units(text: str) -> bool:
    """Whether a reading as legacy text could change anything (a character 0x80–0xFF
    or cp1252 punctuation)."""
    return any("\x80" <= c <= "\xff" or c in _CP1252_PUNCT for c in text)


def _only_cp1252(text: str) -> bool:
    """Whether ``text`` could be the cp1252 face of legacy bytes (no letter a Unicode
    Vietnamese text has beyond Latin-1: "ộ", "ư", "đ" rule it out)."""
    return all(ord(c) <= 0xFF or c in _CP1252_PUNCT for c in text)


def decode_guessed(text: str) -> tuple[str, str | None]:
    """A paragraph of text with no font (PDF text layer, .txt) → (NFC Unicode, the
    encoding it was in). Legacy mojibake is decoded as ``guess_encoding`` says; the
    encoding is None when the text has nothing outside ASCII to judge by."""
    nfc = unicodedata.normalize("NFC", text)
    if not _has_legacy_units(nfc):
        return nfc, ("unicode" if any(ord(c) > 0x7F for c in nfc) else None)
    guess = guess_encoding(nfc)
    if guess == "tcvn3":
        return decode_tcvn3(nfc), "tcvn3"
    if guess == "vni":
        return decode_vni(nfc), "vni"
    return nfc, "unicode"


def combine_encodings(found: list[str]) -> Encoding:
    """One encoding for the whole file: the one found, "mixed" for several, "unicode"
    when nothing could be judged."""
    kinds = set(found)
    if len(kinds) > 1 or "mixed" in kinds:
        return "mixed"
    if "tcvn3" in kinds:
        return "tcvn3"
    if "vni" in kinds:
        return "vni"
    if "viqr" in kinds:
        return "viqr"
    return "unicode"


def _cp1252(raw: bytes) -> str:
    return "".join(
        _CP1252_GAPS.get(b) or bytes([b]).decode("cp1252", "replace") if b >= 0x80 else chr(b)
        for b in raw
    )


def _unicode(data: bytes) -> str | None:
    """The text when ``data`` is Unicode (a BOM, UTF-16 without BOM, or valid UTF-8)."""
    for bom, codec in (
        (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\xef\xbb\xbf", "utf-8-sig"), (b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le"),
    ):
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec.replace("-sig", ""))
            except UnicodeDecodeError as exc:
                raise UnreadableFile(
                    Msg(f"Tệp văn bản ghi dấu {codec.upper()} nhưng nội dung hỏng.",
                        f"The text file is marked {codec.upper()} but its content is damaged."),
                    hint=Msg("Mở tệp bằng trình soạn thảo, lưu lại dạng UTF-8 rồi nhập lại.",
                             "Open the file in an editor, save it as UTF-8, then import again."),
                ) from exc
    sample = data[:4000]
    if len(sample) >= 4 and b"\x00" in sample:
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        codec = "utf-16-le" if odd > 3 * max(even, 1) else "utf-16-be" if even > 3 * max(odd, 1) else ""
        if codec:
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _decode_forced(line: str, raw: bytes | None, encoding: str) -> str:
    source: str | bytes = raw if raw is not None else line
    if encoding == "tcvn3":
        return decode_tcvn3(source)
    if encoding == "vni":
        return decode_vni(source)
    if encoding == "viqr":
        return decode_viqr(line)
    return unicodedata.normalize("NFC", line)


def _lines(data: bytes, options: ReadOptions) -> tuple[list[str], list[str]]:
    """The decoded lines and the encodings found, line by line."""
    forced = options.encoding if options.encoding in _FORCED else None
    text = _unicode(data)
    found: list[str] = []
    out: list[str] = []
    if text is not None:
        # a line too short to judge by itself ("Sè 03-NQ/CB") takes the encoding of the
        # whole text when that is a legacy one: a file is typed in one font
        whole = guess_encoding(text) if _has_legacy_units(text) else "unicode"
        for line in re.split(r"\r\n|\r|\n", text):
            if forced:
                decoded = _decode_forced(line, None, forced)
            else:
                decoded, encoding = decode_guessed(line)
                if encoding == "unicode" and whole != "unicode" and _has_legacy_units(line) \
                        and _only_cp1252(line):
                    decoded = _decode_forced(line, None, whole)
                    encoding = whole
                if encoding:
                    found.append(encoding)
            out.append(decoded)
        return out, found
    whole_raw = guess_encoding(data)
    # 8-bit legacy bytes
    for raw in re.split(rb"\r\n|\r|\n", data):
        if forced == "unicode":
            decoded = unicodedata.normalize("NFC", _cp1252(raw))
        elif forced:
            decoded = _decode_forced(_cp1252(raw), raw, forced)
        else:
            guess = guess_encoding(raw) if any(b >= 0x80 for b in raw) else None
            if guess == "unicode" and whole_raw != "unicode":
                guess = whole_raw  # too short to tell: the file's own encoding
            if guess == "tcvn3":
                decoded = decode_tcvn3(raw)
            elif guess == "vni":
                decoded = decode_vni(raw)
            else:
                decoded = unicodedata.normalize("NFC", _cp1252(raw))
            if guess:
                found.append(guess)
        out.append(decoded)
    return out, found


_COLUMNS = re.compile(r"\S(?:[ \t]*\t[ \t]*| {3,})(?=\S)")


def _header(lines: list[str]) -> tuple[Table | None, int]:
    """A leading two-column header (3+ spaces or a tab between the columns): the Table
    and the number of lines it took."""
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    left: list[str] = []
    right: list[str] = []
    right_col: int | None = None
    i = start
    while i < len(lines):
        line = lines[i].rstrip()
        match = _COLUMNS.search(line)
        if match is not None:
            col = len(line[: match.end()].expandtabs(8))
            left.append(line[: match.start() + 1].strip())
            right.append(line[match.end():].strip())
            right_col = col if right_col is None else min(right_col, col)
            i += 1
            continue
        break
    if right_col is None:
        return None, 0
    # lines under the two-column ones that sit in one column ("*", "Số 05-NQ/CB")
    extra = 0
    while i < len(lines) and extra < 6:
        expanded = lines[i].rstrip().expandtabs(8)
        if not expanded.strip():
            break
        indent = len(expanded) - len(expanded.lstrip())
        content = expanded.strip()
        if indent >= right_col:
            right.append(content)
        elif len(expanded) < right_col and indent > 0 and not is_type_name(content):
            left.append(content)
        else:
            break
        i += 1
        extra += 1
    cells = ("\n".join(x for x in left if x), "\n".join(x for x in right if x))
    if not cells[0] or not cells[1]:
        return None, 0
    return Table(rows=(cells,)), i


def _upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def read_text(data: bytes, options: ReadOptions) -> Recovered:
    """A plain-text paper → Recovered (source "txt"): one Paragraph a non-empty line, a
    leading two-column header as a Table."""
    if len(data) > options.max_bytes:
        raise UnreadableFile(
            Msg(f"Tệp văn bản lớn hơn {options.max_bytes // (1024 * 1024)} MB.",
                f"The text file is larger than {options.max_bytes // (1024 * 1024)} MB."),
            hint=Msg("Tách tệp thành nhiều tệp nhỏ hơn rồi nhập lại.",
                     "Split the file into smaller files, then import again."),
        )
    if not data.strip():
        raise UnreadableFile(
            Msg("Tệp văn bản rỗng.", "The text file is empty."),
            hint=Msg("Kiểm tra lại tệp: có thể đã chọn nhầm tệp.",
                     "Check the file: the wrong file may have been chosen."),
        )
    lines, found = _lines(data, options)
    lines = [unicodedata.normalize("NFC", line.replace("\ufeff", "")) for line in lines]
    blocks: list[Block] = []
    table, taken = _header(lines)
    if table is not None:
        blocks.append(table)
    for line in lines[taken:]:
        text = line.strip()
        if not text:
            continue
        indent = len(line.expandtabs(8)) - len(line.expandtabs(8).lstrip())
        blocks.append(Paragraph(text=" ".join(text.split()), centered=indent >= 10,
                                upper=_upper(text)))
    if not blocks:
        raise UnreadableFile(
            Msg("Tệp văn bản không có chữ nào.", "The text file has no text."),
            hint=Msg("Kiểm tra lại tệp: có thể đã chọn nhầm tệp.",
                     "Check the file: the wrong file may have been chosen."),
        )
    forced = options.encoding if options.encoding in _FORCED else None
    encoding = combine_encodings([forced] if forced else found)
    return Recovered(blocks=blocks, encoding=encoding, source="txt")
