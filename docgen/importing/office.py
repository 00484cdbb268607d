"""The reader of old word-processing files that are not .docx: Word 97–2003 (.doc),
OpenDocument (.odt) and RTF. LibreOffice converts each to a .docx (font names kept, so a
``.VnTime`` run is still known to be TCVN3), which ``docx_read.read_docx`` then reads.

Before LibreOffice, two cheap looks at the bytes: a .doc is an OLE compound file whose
``WordDocument`` stream starts with Word's file information block (FIB); the FIB's
``fEncrypted`` flag says the document needs a password, and an OLE container holding an
``EncryptedPackage`` stream is a password-protected Word 2007+ file. A zip (.odt) whose
manifest lists ``encryption-data`` is a password-protected OpenDocument file. These are
refused at once with a message naming the password. An OLE file whose structure cannot be
followed is refused as damaged only when the converter runs ``soffice --convert-to`` (no
python3-uno), which would show its bytes as text; the UNO listener is the better judge
(it reads some files this code finds inconsistent, and refuses the plain-text fallback).
Anything else LibreOffice cannot open comes back from the converter as
``ConversionFailed``.

The OLE layout (MS-CFB: 512-byte header, sector allocation table, 128-byte directory
entries) and the FIB's first fields (MS-DOC 2.5.2: wIdent, nFib, unused, lid, pnNext, then
the 16-bit flags at offset 0x0A, fEncrypted = 0x0100) are read here with just enough
code to find one stream's first bytes.
"""

from __future__ import annotations

import io
import shutil
import struct
import tempfile
import zipfile
from pathlib import Path
from typing import Literal

from docgen.config import Settings
from docgen.i18n import Msg
from docgen.importing.docx_read import read_docx
from docgen.importing.recovered import ReadOptions, Recovered, UnreadableFile
from docgen.printing.converter import WORK_SUFFIX, ConversionFailed, Converter

__all__ = ["OfficeKind", "office_problem", "read_office"]

OfficeKind = Literal["doc", "odt", "rtf"]
_KINDS: dict[str, OfficeKind] = {".doc": "doc", ".odt": "odt", ".rtf": "rtf"}

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_FREE, _END = 0xFFFFFFFF, 0xFFFFFFFE
_MAX_REGULAR = 0xFFFFFFFA  # sector numbers above this are markers, not sectors
_F_ENCRYPTED = 0x0100  # FIB flags (offset 0x0A): the document is encrypted
_WORD_IDENTS = (0xA5EC, 0xA5DC)  # Word 97+, Word 6/95

_HINT_PASSWORD = Msg(
    "mở tệp bằng Word hoặc LibreOffice với mật khẩu, gỡ mật khẩu (Word: Tệp → Thông tin → "
    "Bảo vệ tài liệu → Mã hóa bằng mật khẩu, xóa trống), lưu lại rồi nhập lại",
    "open the file in Word or LibreOffice with its password, remove the password (Word: "
    "File → Info → Protect Document → Encrypt with Password, clear it), save and import "
    "it again")
_HINT_DAMAGED = Msg(
    "mở tệp bằng Word hoặc LibreOffice: nếu mở được, lưu lại thành .docx rồi nhập lại; nếu "
    "không, lấy lại tệp từ bản sao lưu",
    "open the file in Word or LibreOffice: if it opens, save it as .docx and import that; "
    "if not, get the file again from a backup")


class _BrokenOle(Exception):
    """The OLE structure cannot be followed (truncated, cyclic, out of range)."""


class _Ole:
    """Just enough of an OLE compound file (MS-CFB) to list its streams and read the
    first bytes of one."""

    def __init__(self, data: bytes) -> None:
        if len(data) < 512 or not data.startswith(OLE_MAGIC):
            raise _BrokenOle("no OLE header")
        self.data = data
        shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
        if shift not in (9, 12) or mini_shift != 6:
            raise _BrokenOle(f"sector sizes 2^{shift}, 2^{mini_shift}")
        self.size = 1 << shift
        self.sectors = (len(data) + self.size - 1) // self.size  # an upper bound on chains
        (fat_count, first_dir, _, self.cutoff, first_mini_fat, _, first_difat,
         difat_count) = struct.unpack_from("<IIIIIIII", data, 0x2C)
        fat_sectors = list(struct.unpack_from("<109I", data, 0x4C))
        sector, hops = first_difat, 0
        while sector <= _MAX_REGULAR and hops <= difat_count:
            block = self._sector(sector)
            entries = struct.unpack_from(f"<{self.size // 4}I", block)
            fat_sectors.extend(entries[:-1])
            sector, hops = entries[-1], hops + 1
        # LibreOffice reads files whose header miscounts the table's sectors: so does this.
        fat_sectors = [s for s in fat_sectors[:max(fat_count, 1)] if s <= _MAX_REGULAR]
        if not fat_sectors:
            raise _BrokenOle("no sector allocation table")
        self.fat: list[int] = []
        for s in fat_sectors:
            self.fat.extend(struct.unpack_from(f"<{self.size // 4}I", self._sector(s)))
        self.first_mini_fat = first_mini_fat
        directory = b"".join(self._sector(s) for s in self._chain(first_dir))
        self.entries: dict[str, tuple[int, int]] = {}  # name -> (start sector, size)
        self.root: tuple[int, int] | None = None
        for offset in range(0, len(directory) - 127, 128):
            name_len, kind = struct.unpack_from("<HB", directory, offset + 0x40)
            start, size = struct.unpack_from("<IQ", directory, offset + 0x74)
            if shift == 9:
                size &= 0xFFFFFFFF  # version 3 files leave the high half undefined
            if kind == 5:
                self.root = (start, size)
            elif kind == 2 and 2 <= name_len <= 64:
                name = directory[offset:offset + name_len - 2].decode("utf-16-le", "replace")
                self.entries.setdefault(name, (start, size))
        if self.root is None:
            raise _BrokenOle("no root entry")

    def _sector(self, number: int) -> bytes:
        offset = (number + 1) * self.size
        if number > _MAX_REGULAR or offset >= len(self.data):
            raise _BrokenOle(f"sector {number} beyond the end of the file")
        return self.data[offset:offset + self.size]

    def _chain(self, start: int, fat: list[int] | None = None, limit: int | None = None
               ) -> list[int]:
        """The sectors of the chain from ``start`` (at most ``limit`` of them)."""
        table = self.fat if fat is None else fat
        chain: list[int] = []
        sector = start
        while sector != _END and (limit is None or len(chain) < limit):
            if sector >= len(table) or sector > _MAX_REGULAR or len(chain) > len(table):
                raise _BrokenOle(f"broken chain at sector {sector}")
            chain.append(sector)
            sector = table[sector]
        return chain

    def head(self, name: str, count: int) -> bytes | None:
        """The first ``count`` bytes (fewer when the stream is shorter) of the stream
        ``name``; None when there is no such stream."""
        found = self.entries.get(name)
        if found is None:
            return None
        start, size = found
        count = min(count, size)
        if size >= self.cutoff:
            sectors = self._chain(start, limit=count // self.size + 1)
            return b"".join(self._sector(s) for s in sectors)[:count]
        # A small stream lives in the mini stream (the root entry's chain) in 64-byte pieces.
        mini_fat: list[int] = []
        for s in self._chain(self.first_mini_fat):
            mini_fat.extend(struct.unpack_from(f"<{self.size // 4}I", self._sector(s)))
        assert self.root is not None
        container = self._chain(self.root[0])
        out = b""
        for mini in self._chain(start, mini_fat, limit=count // 64 + 1):
            position = mini * 64
            index = position // self.size
            if index >= len(container):
                raise _BrokenOle(f"mini sector {mini} beyond the mini stream")
            within = position % self.size
            out += self._sector(container[index])[within:within + 64]
        return out[:count]


def _size(count: int) -> str:
    return f"{count / (1024 * 1024):.1f} MB" if count >= 1024 * 1024 else f"{count / 1024:.0f} KB"


def _password(kind: str) -> UnreadableFile:
    return UnreadableFile(
        Msg(f"tệp .{kind} được bảo vệ bằng mật khẩu: docgen không mở được",
            f"the .{kind} file is password-protected: docgen cannot open it"),
        hint=_HINT_PASSWORD)


def _damaged(kind: str, detail: str) -> UnreadableFile:
    return UnreadableFile(
        Msg(f"tệp .{kind} bị hỏng: không đọc được cấu trúc của tệp ({detail})",
            f"the .{kind} file is damaged: its structure cannot be read ({detail})"),
        hint=_HINT_DAMAGED)


def office_problem(data: bytes, kind: OfficeKind, structure: bool = False
                   ) -> UnreadableFile | None:
    """Why the file cannot be read, found without LibreOffice: a password-protected .doc
    (FIB fEncrypted, or an encrypted Word 2007+ package in an OLE container) or .odt
    (encrypted parts in its manifest); with ``structure``, also an OLE file whose structure
    cannot be followed. None when nothing is found (LibreOffice may still fail)."""
    if data.startswith(OLE_MAGIC):
        try:
            ole = _Ole(data)
            if "EncryptedPackage" in ole.entries:
                return _password(kind)
            fib = ole.head("WordDocument", 12)
        except (_BrokenOle, struct.error) as exc:
            return _damaged(kind, f"OLE: {exc}") if structure else None
        if fib is None:
            return None  # not Word (Works, a spreadsheet named .doc): LibreOffice decides
        if len(fib) < 12:
            return _damaged(kind, "WordDocument stream too short") if structure else None
        ident, = struct.unpack_from("<H", fib, 0)
        flags, = struct.unpack_from("<H", fib, 0x0A)
        if ident in _WORD_IDENTS and flags & _F_ENCRYPTED:
            return _password(kind)
        return None
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "META-INF/manifest.xml" not in archive.namelist():
                    return None
                with archive.open("META-INF/manifest.xml") as stream:
                    manifest = stream.read(4 * 1024 * 1024)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            return None  # LibreOffice reports the damage
        if b"encryption-data" in manifest:
            return _password(kind)
    return None


def read_office(data: bytes, suffix: str, options: ReadOptions, converter: Converter | None,
                settings: Settings) -> Recovered:
    """Read a .doc, .odt or .rtf (``suffix``, its content type as sniffed): LibreOffice
    converts it to .docx (with ``converter``, a warm one when the caller has it, else a
    converter started for this file and closed afterwards), then ``read_docx`` reads it.

    UnreadableFile when the file is password-protected, damaged, empty, too large or
    LibreOffice cannot open it. PrintError (from the converter) when LibreOffice is not
    installed or cannot start. Everything written goes to a private temporary folder,
    removed before returning.
    """
    kind = _KINDS.get(suffix.lower() if suffix.startswith(".") else f".{suffix.lower()}")
    if kind is None:
        raise ValueError(f"read_office reads .doc, .odt and .rtf, not {suffix!r}")
    if not data:
        raise UnreadableFile(Msg(f"tệp .{kind} rỗng (0 byte)",
                                 f"the .{kind} file is empty (0 bytes)"),
                             hint=Msg("lấy lại tệp từ bản sao lưu",
                                      "get the file again from a backup"))
    if len(data) > options.max_bytes:
        raise UnreadableFile(
            Msg(f"tệp .{kind} quá lớn ({_size(len(data))}, tối đa {_size(options.max_bytes)})",
                f"the .{kind} file is too large ({_size(len(data))}, at most "
                f"{_size(options.max_bytes)})"),
            hint=Msg("tách tệp thành nhiều văn bản nhỏ hơn rồi nhập lại",
                     "split the file into smaller documents and import them"))
    problem = office_problem(data, kind)
    if problem is not None:
        raise problem
    active = Converter(settings) if converter is None else converter  # starts nothing yet
    try:
        if active.mode == "cli":
            problem = office_problem(data, kind, structure=True)
            if problem is not None:
                raise problem
        docx = _convert(data, kind, active, options)
    finally:
        if converter is None:
            active.close()
    return read_docx(docx, options, source=kind)


def _convert(data: bytes, kind: OfficeKind, converter: Converter, options: ReadOptions
             ) -> bytes:
    """The .docx LibreOffice makes of ``data``, converted in a private work folder (its
    name ends in WORK_SUFFIX: the converter works in it without a copy), removed after."""
    work = Path(tempfile.mkdtemp(prefix="docgen-office-", suffix=WORK_SUFFIX))
    try:
        source = work / f"document.{kind}"
        target = work / "converted.docx"
        source.write_bytes(data)
        try:
            converter.to_docx(source, target, timeout=options.timeout)
        except ConversionFailed as exc:
            raise UnreadableFile(exc.message, hint=_HINT_DAMAGED) from exc
        return target.read_bytes()
    finally:
        shutil.rmtree(work, ignore_errors=True)
