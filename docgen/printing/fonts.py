"""Liberation Serif embedded in pypdf-built pages (cover, contents, page numbers).

A minimal TrueType reader (cmap format 4, hmtx) and a Type0/Identity-H font with a
ToUnicode map, so Vietnamese text drawn by docgen renders with the embedded Liberation
Serif and extracts back as the same Unicode text.
"""

from __future__ import annotations

import struct
import subprocess
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pypdf import PageObject, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

from docgen.errors import PrintError
from docgen.i18n import Msg

FONT_DIRS = (Path("/usr/share/fonts/truetype/liberation2"), Path("/usr/share/fonts/truetype/liberation"))
STYLES = {"regular": "LiberationSerif-Regular.ttf", "bold": "LiberationSerif-Bold.ttf"}


@dataclass(frozen=True)
class TrueType:
    """What docgen needs from a .ttf: glyph ids, advance widths, vertical metrics."""

    path: Path
    ps_name: str
    units: int
    cmap: dict[int, int]
    advances: tuple[int, ...]
    bbox: tuple[int, int, int, int]
    ascent: int
    descent: int

    def glyph(self, char: str) -> int:
        return self.cmap.get(ord(char), 0)

    def width(self, gid: int) -> float:
        """Advance of glyph ``gid`` in 1/1000 em."""
        adv = self.advances[gid] if gid < len(self.advances) else self.advances[-1]
        return adv * 1000.0 / self.units

    def text_width(self, text: str, size: float) -> float:
        return sum(self.width(self.glyph(c)) for c in nfc(text)) * size / 1000.0


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _tables(data: bytes) -> dict[str, bytes]:
    count = struct.unpack(">H", data[4:6])[0]
    tables: dict[str, bytes] = {}
    for i in range(count):
        tag, _sum, offset, length = struct.unpack(">4sIII", data[12 + 16 * i: 28 + 16 * i])
        tables[tag.decode("latin-1")] = data[offset: offset + length]
    return tables


def _cmap4(cmap: bytes) -> dict[int, int]:
    count = struct.unpack(">H", cmap[2:4])[0]
    for i in range(count):
        platform, encoding, offset = struct.unpack(">HHI", cmap[4 + 8 * i: 12 + 8 * i])
        if (platform, encoding) == (3, 1) and struct.unpack(">H", cmap[offset: offset + 2])[0] == 4:
            return _format4(cmap[offset:])
    raise ValueError("no Unicode BMP cmap (format 4)")


def _format4(sub: bytes) -> dict[int, int]:
    segs = struct.unpack(">H", sub[6:8])[0] // 2
    ends = struct.unpack(f">{segs}H", sub[14: 14 + 2 * segs])
    base = 16 + 2 * segs
    starts = struct.unpack(f">{segs}H", sub[base: base + 2 * segs])
    deltas = struct.unpack(f">{segs}h", sub[base + 2 * segs: base + 4 * segs])
    ro_at = base + 4 * segs
    offsets = struct.unpack(f">{segs}H", sub[ro_at: ro_at + 2 * segs])
    mapping: dict[int, int] = {}
    for s, (start, end, delta, ro) in enumerate(zip(starts, ends, deltas, offsets, strict=True)):
        for code in range(start, end + 1):
            if code == 0xFFFF:
                continue
            if ro == 0:
                gid = (code + delta) & 0xFFFF
            else:
                at = ro_at + 2 * s + ro + 2 * (code - start)
                gid = struct.unpack(">H", sub[at: at + 2])[0]
                gid = (gid + delta) & 0xFFFF if gid else 0
            if gid:
                mapping[code] = gid
    return mapping


def read_truetype(path: Path) -> TrueType:
    data = path.read_bytes()
    t = _tables(data)
    units = struct.unpack(">H", t["head"][18:20])[0]
    bbox = struct.unpack(">4h", t["head"][36:44])
    ascent, descent = struct.unpack(">hh", t["hhea"][4:8])
    n_metrics = struct.unpack(">H", t["hhea"][34:36])[0]
    advances = tuple(struct.unpack(">H", t["hmtx"][4 * i: 4 * i + 2])[0] for i in range(n_metrics))
    return TrueType(path=path, ps_name=path.stem.replace("-Regular", ""), units=units,
                    cmap=_cmap4(t["cmap"]), advances=advances,
                    bbox=(bbox[0], bbox[1], bbox[2], bbox[3]), ascent=ascent, descent=descent)


def _font_file(style: str) -> Path:
    name = STYLES[style]
    for folder in FONT_DIRS:
        if (folder / name).is_file():
            return folder / name
    try:
        found = subprocess.run(["fc-match", "-f", "%{file}", f"Liberation Serif:style={style}"],
                               capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        found = ""
    if found and Path(found).name == name:
        return Path(found)
    raise PrintError(
        Msg("không tìm thấy phông Liberation Serif", "the Liberation Serif font was not found"),
        hint=Msg("cài phông: sudo apt-get install fonts-liberation2",
                 "install the fonts: sudo apt-get install fonts-liberation2"),
    )


@lru_cache(maxsize=4)
def liberation_serif(style: str = "regular") -> TrueType:
    """Liberation Serif (fonts-liberation2, all Vietnamese letters) as a parsed font."""
    return read_truetype(_font_file(style))


def _stream(data: bytes, extra: dict[str, object] | None = None) -> StreamObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    encoded = stream.flate_encode()
    for key, value in (extra or {}).items():
        encoded[NameObject(key)] = value  # type: ignore[assignment]
    return encoded


def _to_unicode(font: TrueType) -> bytes:
    pairs = sorted({gid: code for code, gid in sorted(font.cmap.items(), reverse=True)}.items())
    lines = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
             "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
             "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
             "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange"]
    for i in range(0, len(pairs), 100):
        chunk = pairs[i: i + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines.extend(f"<{gid:04X}> <{code:04X}>" for gid, code in chunk)
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines).encode("ascii")


def _descriptor(writer: PdfWriter, font: TrueType) -> IndirectObject:
    scale = 1000.0 / font.units
    raw = font.path.read_bytes()
    file2 = _stream(raw, {"/Length1": NumberObject(len(raw))})
    desc = DictionaryObject({
        NameObject("/Type"): NameObject("/FontDescriptor"),
        NameObject("/FontName"): NameObject(f"/{font.ps_name}"),
        NameObject("/Flags"): NumberObject(34),
        NameObject("/FontBBox"): ArrayObject(FloatObject(round(v * scale)) for v in font.bbox),
        NameObject("/ItalicAngle"): NumberObject(0),
        NameObject("/Ascent"): FloatObject(round(font.ascent * scale)),
        NameObject("/Descent"): FloatObject(round(font.descent * scale)),
        NameObject("/CapHeight"): FloatObject(round(font.ascent * scale)),
        NameObject("/StemV"): NumberObject(80),
        NameObject("/FontFile2"): writer._add_object(file2),
    })
    return writer._add_object(desc)


def embed_font(writer: PdfWriter, font: TrueType) -> IndirectObject:
    """Add ``font`` (whole file embedded) to ``writer`` as a Type0 Identity-H font."""
    widths = ArrayObject([NumberObject(0), ArrayObject(
        NumberObject(round(font.width(g))) for g in range(len(font.advances)))])
    cid = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"),
        NameObject("/Subtype"): NameObject("/CIDFontType2"),
        NameObject("/BaseFont"): NameObject(f"/{font.ps_name}"),
        NameObject("/CIDSystemInfo"): DictionaryObject({
            NameObject("/Registry"): TextStringObject("Adobe"),
            NameObject("/Ordering"): TextStringObject("Identity"),
            NameObject("/Supplement"): NumberObject(0)}),
        NameObject("/FontDescriptor"): _descriptor(writer, font),
        NameObject("/W"): widths,
        NameObject("/CIDToGIDMap"): NameObject("/Identity"),
    })
    type0 = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"),
        NameObject("/Subtype"): NameObject("/Type0"),
        NameObject("/BaseFont"): NameObject(f"/{font.ps_name}"),
        NameObject("/Encoding"): NameObject("/Identity-H"),
        NameObject("/DescendantFonts"): ArrayObject([writer._add_object(cid)]),
        NameObject("/ToUnicode"): writer._add_object(_stream(_to_unicode(font))),
    })
    return writer._add_object(type0)


def show_text(font: TrueType, resource: str, text: str, size: float, x: float, y: float) -> str:
    """PDF operators drawing ``text`` at (x, y) in points."""
    glyphs = "".join(f"{font.glyph(c):04X}" for c in nfc(text))
    return f"BT /{resource} {size:g} Tf 1 0 0 1 {x:.2f} {y:.2f} Tm <{glyphs}> Tj ET\n"


def wrap(font: TrueType, text: str, size: float, width: float) -> list[str]:
    """``text`` broken into lines no wider than ``width`` points (at spaces)."""
    lines: list[str] = []
    current = ""
    for word in nfc(text).split():
        candidate = f"{current} {word}".strip()
        if current and font.text_width(candidate, size) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current or not lines:
        lines.append(current)
    return lines


def font_resources(page: PageObject) -> DictionaryObject:
    """The page's /Font resource dictionary (created when missing)."""
    if "/Resources" not in page:
        page[NameObject("/Resources")] = DictionaryObject()
    resources = page["/Resources"].get_object()
    assert isinstance(resources, DictionaryObject)
    if "/Font" not in resources:
        resources[NameObject("/Font")] = DictionaryObject()
    fonts = resources["/Font"].get_object()
    assert isinstance(fonts, DictionaryObject)
    return fonts
