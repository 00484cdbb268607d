"""Read an old .docx (or a .doc/.odt/.rtf that LibreOffice turned into one): its text in
reading order, the legacy encodings of its runs decoded, and a Unicode reading copy.

Old commune papers were typed in TCVN3 (``.VnTime``, ``.VnTimeH``) or VNI-Windows
(``VNI-Times``) fonts: the .docx holds each legacy byte as the character of the same
value and names the font of the run. Which encoding a run is in comes from its font,
found the way Word finds the font that draws Vietnamese letters (bytes 0x80–0xFF are
drawn with the ``w:hAnsi`` font): ``hAnsi`` from the run's ``w:rFonts``, its character
style, its paragraph style, its table style, the document defaults, each attribute
inherited on its own (a run naming only ``ascii="Times New Roman"`` over a ``.VnTime``
style is still drawn in ``.VnTime``); ``ascii`` along the same chain only when nothing
names ``hAnsi``; theme fonts resolve through ``word/theme/theme1.xml``. A run in a known
non-legacy font is never decoded (Unicode "á" read as TCVN3 would become "ỏ"); runs
with no font at all are decided per paragraph by letter statistics (``guess_encoding``).
One exception, for the .docx LibreOffice makes of a .doc, .odt or .rtf: its .doc
import drops the character style of the first paragraph after a table, so there a run
whose font comes only from its paragraph style or the defaults, and is not a legacy
one, is read by letter statistics in a legacy encoding the document names elsewhere.

TCVN3 stores ư (byte 0xAD, the soft-hyphen code) as a ``w:softHyphen`` element, which
python-docx's text drops: this reader reads the XML itself (lxml, no entity expansion,
no DTD) so the letter survives. The package is checked for zip bombs before anything is
unpacked, and members are read in chunks that stop at the declared size.

The reading copy (``Recovered.unicode_docx``) is the same package with every decoded
run's text replaced by Unicode and the legacy font names replaced (Times-like → Times
New Roman, sans → Arial); every other member is byte-identical and in the same order.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

from docgen.i18n import Msg
from docgen.importing.recovered import (
    Block,
    Encoding,
    Paragraph,
    ReadOptions,
    Recovered,
    Source,
    Table,
    UnreadableFile,
)
from docgen.vn.legacy import LegacyFont, decode_tcvn3, decode_vni, font_encoding, guess_encoding

__all__ = ["read_docx", "replacement_font"]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

W_P, W_R, W_T, W_TBL, W_TR, W_TC = (_W + t for t in ("p", "r", "t", "tbl", "tr", "tc"))
W_SDT, W_SDTCONTENT, W_CUSTOMXML = _W + "sdt", _W + "sdtContent", _W + "customXml"
W_DEL, W_MOVEFROM, W_DELTEXT = _W + "del", _W + "moveFrom", _W + "delText"
W_SOFTHYPHEN, W_TXBX = _W + "softHyphen", _W + "txbxContent"
W_RPR, W_PPR, W_RFONTS = _W + "rPr", _W + "pPr", _W + "rFonts"
MC_AC, MC_CHOICE, MC_FALLBACK = _MC + "AlternateContent", _MC + "Choice", _MC + "Fallback"

# paragraph-level containers whose runs are part of the text
_INLINE_CONTAINERS = frozenset(
    _W + t for t in ("ins", "moveTo", "hyperlink", "smartTag", "fldSimple", "customXml",
                     "dir", "bdo")
)
# run content that stands for one character (python-docx's text does the same)
_STRUCTURAL = {_W + "tab": "\t", _W + "ptab": "\t", _W + "br": "\n", _W + "cr": "\n",
               _W + "noBreakHyphen": "-"}
# run content that may hold a text box
_DRAWINGS = frozenset((_W + "drawing", _W + "pict", _W + "object", MC_AC))

_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_MAX_MEMBERS = 10_000
_BOMB_RATIO = 100
_BOMB_MEMBER = 20 * 1024 * 1024
_CHUNK = 64 * 1024
# a second encoding makes a text "mixed" when it carries at least this many non-ASCII
# letters and at least this share of all of them (one stray letter is not a mix), or
# at least _MIN_MIXED_LINE letters whatever the share (a Unicode header over a long
# TCVN3 body is a mix)
_MIN_MIXED, _MIN_MIXED_SHARE, _MIN_MIXED_LINE = 5, 0.01, 10

# Word keeps the text of a font with the symbol charset as U+F000 + byte
_SYMBOL_BYTES = {0xF000 + byte: byte for byte in range(0x20, 0x100)}

_THEME_PART = "word/theme/theme1.xml"
_PRINTED_PART = re.compile(r"word/(header|footer)\d*\.xml|word/(footnotes|endnotes)\.xml")
_FONT_PARTS = ("word/styles.xml", "word/stylesWithEffects.xml", "word/numbering.xml",
               _THEME_PART)
_SANS = ("arial", "helv", "univer", "avant", "swiss", "verdana", "tahoma", "sans")


def _parser() -> Any:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                           load_dtd=False)


# --------------------------------------------------------------------------- errors

_HINT_RESAVE = Msg("mở tệp bằng Word hoặc LibreOffice, lưu lại dưới dạng .docx rồi nhập lại",
                   "open the file in Word or LibreOffice, save it again as .docx and "
                   "import it again")


def _not_docx(detail_vi: str = "", detail_en: str = "") -> UnreadableFile:
    return UnreadableFile(
        Msg("tệp không phải tệp Word (.docx) hợp lệ" + detail_vi,
            "the file is not a valid Word (.docx) file" + detail_en),
        hint=_HINT_RESAVE)


def _bomb(detail_vi: str, detail_en: str) -> UnreadableFile:
    return UnreadableFile(
        Msg(f"tệp .docx có dấu hiệu bom nén ({detail_vi}): docgen không giải nén",
            f"the .docx file looks like a zip bomb ({detail_en}): docgen does not unpack it"),
        hint=Msg("tệp có thể bị hỏng hoặc độc hại; nếu là văn bản thật, mở bằng Word, "
                 "lưu lại dưới dạng .docx rồi nhập lại",
                 "the file may be damaged or malicious; if it is a real paper, open it in "
                 "Word, save it again as .docx and import it again"))


def _corrupt(part: str, exc: BaseException) -> UnreadableFile:
    return UnreadableFile(
        Msg(f"tệp .docx bị hỏng: không đọc được phần {part} ({exc})",
            f"the .docx file is damaged: cannot read its part {part} ({exc})"),
        hint=_HINT_RESAVE)


def _ole_error(data: bytes) -> UnreadableFile:
    """The error for an OLE compound file given as .docx: encrypted .docx or old .doc."""
    if "EncryptionInfo".encode("utf-16-le") in data:
        return UnreadableFile(
            Msg("tệp .docx được bảo vệ bằng mật khẩu: docgen không mở được",
                "the .docx file is password-protected: docgen cannot open it"),
            hint=Msg("mở tệp bằng Word với mật khẩu, gỡ mật khẩu (Tệp → Thông tin → Bảo vệ "
                     "tài liệu → Mã hóa bằng mật khẩu, xóa trống), lưu lại rồi nhập lại",
                     "open the file in Word with its password, remove the password (File → "
                     "Info → Protect Document → Encrypt with Password, clear it), save and "
                     "import it again"))
    if "WordDocument".encode("utf-16-le") in data:
        return UnreadableFile(
            Msg("tệp này là tệp .doc (Word 97–2003) mang đuôi .docx",
                "this file is a .doc (Word 97–2003) file named .docx"),
            hint=Msg("đổi đuôi tệp thành .doc rồi nhập lại (docgen tự chuyển .doc bằng "
                     "LibreOffice), hoặc mở bằng Word và lưu thành .docx",
                     "rename the file to .doc and import it again (docgen converts .doc with "
                     "LibreOffice), or open it in Word and save it as .docx"))
    return _not_docx(": đây là tệp Office 97–2003 khác (không phải văn bản Word)",
                     ": it is another Office 97–2003 file (not a Word document)")


# --------------------------------------------------------------------------- unpacking

class _Package:
    """The zip, checked for bombs, with its members read on demand under a byte budget."""

    def __init__(self, data: bytes, options: ReadOptions) -> None:
        if len(data) > options.max_bytes:
            raise UnreadableFile(
                Msg(f"tệp quá lớn ({len(data) // 2**20} MB, tối đa "
                    f"{options.max_bytes // 2**20} MB)",
                    f"the file is too large ({len(data) // 2**20} MB, at most "
                    f"{options.max_bytes // 2**20} MB)"),
                hint=Msg("tách văn bản thành các tệp nhỏ hơn hoặc bỏ bớt hình ảnh",
                         "split the paper into smaller files or remove some pictures"))
        if not data.startswith(b"PK"):
            if data.startswith(_OLE_MAGIC):
                raise _ole_error(data)
            raise _not_docx()
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, zlib.error, ValueError, EOFError, OSError) as exc:
            raise _not_docx(f" ({exc})", f" ({exc})") from exc
        self.infos = infos
        if len(infos) > _MAX_MEMBERS:
            raise _bomb(f"{len(infos)} phần, tối đa {_MAX_MEMBERS}",
                        f"{len(infos)} members, at most {_MAX_MEMBERS}")
        total = sum(info.file_size for info in infos)
        if total > options.max_unpacked:
            raise _bomb(f"giải nén ra {total // 2**20} MB, tối đa "
                        f"{options.max_unpacked // 2**20} MB",
                        f"it unpacks to {total // 2**20} MB, at most "
                        f"{options.max_unpacked // 2**20} MB")
        for info in infos:
            if (info.file_size > _BOMB_MEMBER
                    and info.file_size > _BOMB_RATIO * max(info.compress_size, 1)):
                raise _bomb(f"phần {info.filename} nén {info.file_size // max(info.compress_size, 1)}:1",
                            f"member {info.filename} compressed "
                            f"{info.file_size // max(info.compress_size, 1)}:1")
        self.by_name = {info.filename.lower(): info for info in infos}
        self.budget = options.max_unpacked
        self.cache: dict[str, bytes] = {}

    def has(self, name: str) -> bool:
        return name.lower() in self.by_name

    def read(self, info: zipfile.ZipInfo) -> bytes:
        """A member's bytes, read in chunks; more bytes than declared (a lying header) or
        than the whole budget is a bomb."""
        cached = self.cache.get(info.filename)
        if cached is not None:
            return cached
        chunks: list[bytes] = []
        size = 0
        try:
            with self.zip.open(info) as stream:
                while chunk := stream.read(_CHUNK):
                    size += len(chunk)
                    if size > info.file_size or size > self.budget:
                        raise _bomb(f"phần {info.filename} lớn hơn kích thước khai báo",
                                    f"member {info.filename} is larger than declared")
                    chunks.append(chunk)
        except UnreadableFile:
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError,
                NotImplementedError, RuntimeError) as exc:
            raise _corrupt(info.filename, exc) from exc
        self.budget -= size
        data = b"".join(chunks)
        self.cache[info.filename] = data
        return data

    def member(self, name: str) -> bytes | None:
        info = self.by_name.get(name.lower())
        return None if info is None else self.read(info)

    def xml(self, name: str) -> Any:
        data = self.member(name)
        return None if data is None else _parse(name, data)


def _parse(name: str, data: bytes) -> Any:
    """A part's root element; a DTD (which Word never writes, and which could declare
    entities) is refused."""
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise _corrupt(name, exc) from exc
    if root.getroottree().docinfo.internalDTD is not None:
        raise UnreadableFile(
            Msg(f"phần {name} của tệp .docx có khai báo DTD (Word không bao giờ ghi; có thể "
                "là tệp độc hại): docgen không đọc",
                f"the part {name} of the .docx file declares a DTD (Word never writes one; "
                "the file may be malicious): docgen does not read it"),
            hint=_HINT_RESAVE)
    return root


# --------------------------------------------------------------------------- styles

def _on(elem: Any) -> bool:
    """A toggle property (w:b, w:caps): on unless val is 0/false/off."""
    return elem.get(_W + "val", "true").lower() not in ("0", "false", "off", "none")


@dataclass(frozen=True)
class _Props:
    """Run and paragraph properties of one level (run, style, defaults). Each font
    attribute is inherited on its own, as Word does: a run that sets only
    ``w:ascii="Times New Roman"`` over a ``.VnTime`` style still has the style's
    ``w:hAnsi``, which draws bytes 0x80–0xFF."""

    hansi: str | None = None
    ascii: str | None = None
    bold: bool | None = None
    caps: bool | None = None
    jc: str | None = None

    @property
    def font(self) -> str | None:
        """The font that draws Vietnamese letters: hAnsi, else ascii."""
        return self.hansi if self.hansi is not None else self.ascii

    def over(self, base: _Props) -> _Props:
        """These properties, the missing ones taken from ``base``."""
        return _Props(
            self.hansi if self.hansi is not None else base.hansi,
            self.ascii if self.ascii is not None else base.ascii,
            self.bold if self.bold is not None else base.bold,
            self.caps if self.caps is not None else base.caps,
            self.jc if self.jc is not None else base.jc,
        )


_EMPTY = _Props()


class _Fonts:
    """Theme fonts: the typeface behind ``minorHAnsi``, ``majorAscii`` …"""

    def __init__(self, theme: Any) -> None:
        self.faces: dict[str, str] = {}
        if theme is None:
            return
        for kind in ("major", "minor"):
            scheme = next(theme.iter(f"{_A}{kind}Font"), None)
            if scheme is None:
                continue
            for script, child in (("Ascii", "latin"), ("HAnsi", "latin"),
                                  ("EastAsia", "ea"), ("Bidi", "cs")):
                elem = scheme.find(_A + child)
                face = (elem.get("typeface") or "").strip() if elem is not None else ""
                if face:
                    self.faces[kind + script] = face

    def rpr_fonts(self, rpr: Any) -> tuple[str | None, str | None]:
        """(hAnsi, ascii) of ``rpr``'s w:rFonts, each None when not set (a theme
        attribute wins over the plain one of the same script, as in Word)."""
        if rpr is None:
            return None, None
        fonts = rpr.find(W_RFONTS)
        if fonts is None:
            return None, None
        found: list[str | None] = []
        for script in ("hAnsi", "ascii"):
            face: str | None = None
            theme = fonts.get(f"{_W}{script}Theme")
            if theme:
                face = self.faces.get(theme)
            if not face:
                face = (fonts.get(_W + script) or "").strip() or None
            found.append(face)
        return found[0], found[1]

    def rpr_font(self, rpr: Any) -> str | None:
        """The font of ``rpr`` alone that draws Vietnamese letters: hAnsi, then ascii."""
        hansi, ascii_ = self.rpr_fonts(rpr)
        return hansi if hansi is not None else ascii_


class _Styles:
    """styles.xml: each style's properties resolved along its basedOn chain."""

    def __init__(self, styles: Any, fonts: _Fonts) -> None:
        self.fonts = fonts
        self.raw: dict[str, tuple[_Props, str | None]] = {}
        self.resolved: dict[str, _Props] = {}
        self.default_para: str | None = None
        self.default_char: str | None = None
        self.defaults = _EMPTY
        if styles is None:
            return
        for style in styles.iter(_W + "style"):
            style_id = style.get(_W + "styleId")
            if style_id is None:
                continue
            based = style.find(_W + "basedOn")
            based_id = based.get(_W + "val") if based is not None else None
            self.raw[style_id] = (self.own(style.find(W_RPR), style.find(W_PPR)), based_id)
            if _on_default(style):
                if style.get(_W + "type") == "paragraph":
                    self.default_para = style_id
                elif style.get(_W + "type") == "character":
                    self.default_char = style_id
        defaults = styles.find(_W + "docDefaults")
        if defaults is not None:
            self.defaults = self.own(defaults.find(f"{_W}rPrDefault/{W_RPR}"),
                                      defaults.find(f"{_W}pPrDefault/{W_PPR}"))

    def own(self, rpr: Any, ppr: Any) -> _Props:
        bold = caps = None
        if rpr is not None:
            b = rpr.find(_W + "b")
            bold = _on(b) if b is not None else None
            c = rpr.find(_W + "caps")
            caps = _on(c) if c is not None else None
        hansi, ascii_ = self.fonts.rpr_fonts(rpr)
        return _Props(hansi, ascii_, bold, caps, _jc(ppr))

    def props(self, style_id: str | None) -> _Props:
        """A style's properties with those of its basedOn chain (cycle-safe)."""
        if style_id is None:
            return _EMPTY
        done = self.resolved.get(style_id)
        if done is not None:
            return done
        chain: list[_Props] = []
        seen: set[str] = set()
        current: str | None = style_id
        while current is not None and current not in seen and current in self.raw:
            seen.add(current)
            own, current = self.raw[current]
            chain.append(own)
        result = _EMPTY
        for own in reversed(chain):
            result = own.over(result)
        self.resolved[style_id] = result
        return result


def _on_default(style: Any) -> bool:
    return style.get(_W + "default") in ("1", "true", "on")


def _jc(ppr: Any) -> str | None:
    if ppr is None:
        return None
    jc = ppr.find(_W + "jc")
    return jc.get(_W + "val") if jc is not None else None


def _val(parent: Any, tag: str) -> str | None:
    if parent is None:
        return None
    elem = parent.find(_W + tag)
    return elem.get(_W + "val") if elem is not None else None


# --------------------------------------------------------------------------- runs

@dataclass
class _Group:
    """Consecutive w:t / w:delText / w:softHyphen elements of a run: one piece of text."""

    elems: list[Any] = field(default_factory=list)
    pieces: list[str | None] = field(default_factory=list)  # None: a w:softHyphen
    skip: int = 0  # leading characters given to the run before (a split VNI letter)
    suffix: str = ""  # characters taken from the run after
    decoded: str = ""

    def raw(self, encoding: str) -> str:
        """The stored characters: a soft hyphen is TCVN3's ư (0xAD), else nothing; in a
        legacy run, a byte kept as U+F0xx (a font of the symbol charset) is the byte."""
        hyphen = "\xad" if encoding == "tcvn3" else ""
        text = "".join(hyphen if piece is None else piece for piece in self.pieces)
        if encoding != "unicode":
            text = text.translate(_SYMBOL_BYTES)
        return text[self.skip:] + self.suffix


@dataclass
class _Run:
    elem: Any
    segments: list[_Group | str]  # text groups and one-character elements (tab, break)
    font: str | None
    legacy: LegacyFont | None
    bold: bool
    caps: bool
    visible: bool  # False: deleted, or in the alternate content not taken
    txbx: list[Any]  # text boxes anchored in the run
    weak: bool = False  # the font comes from the paragraph's style or the defaults only
    encoding: str = "unicode"
    capitals: bool = False
    text: str = ""

    def decode(self) -> None:
        parts: list[str] = []
        for segment in self.segments:
            if isinstance(segment, str):
                parts.append(segment)
                continue
            raw = segment.raw(self.encoding)
            if self.encoding == "tcvn3":
                segment.decoded = decode_tcvn3(raw, capitals=self.capitals)
            elif self.encoding == "vni":
                segment.decoded = decode_vni(raw)
            else:
                segment.decoded = raw
            parts.append(segment.decoded)
        self.text = "".join(parts)


@dataclass
class _Para:
    runs: list[_Run]
    centered: bool
    guessed: bool  # some runs had no font and their text was not plain ASCII
    salvaged: bool = False  # runs in a style font were read as legacy (see _Reader)
    text: str = ""
    bold: bool = False
    upper: bool = False
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def txbx(self) -> list[Any]:
        return [box for run in self.runs if run.visible for box in run.txbx]


def _branches(alternate: Any) -> tuple[Any, list[Any]]:
    """The branch of an mc:AlternateContent taken (the first mc:Choice, else the
    mc:Fallback) and the others."""
    options = [child for child in alternate if child.tag in (MC_CHOICE, MC_FALLBACK)]
    choices = [child for child in options if child.tag == MC_CHOICE]
    chosen = choices[0] if choices else (options[0] if options else None)
    return chosen, [child for child in options if child is not chosen]


def _find_txbx(elem: Any, out: list[Any]) -> None:
    for child in elem:
        if child.tag == W_TXBX:
            out.append(child)
        elif child.tag == MC_AC:
            chosen, _ = _branches(child)
            if chosen is not None:
                _find_txbx(chosen, out)
        elif isinstance(child.tag, str):
            _find_txbx(child, out)


def _letters(text: str) -> int:
    """Non-ASCII letters: what tells one encoding from another."""
    return sum(1 for char in text if char > "\x7f" and char.isalpha())


def _forced(encoding: str) -> str | None:
    """The encoding forced for runs without a font, or None for statistics."""
    if encoding == "auto":
        return None
    return encoding if encoding in ("tcvn3", "vni") else "unicode"  # viqr is not ours


class _Reader:
    """Walks one package's parts: paragraphs (with their runs' encodings), tables.

    ``salvage``: the legacy encodings (→ capitals: every font of it the document names
    is an "H" font) a run whose font comes only from its paragraph's style or the
    document defaults may be read in, by letter statistics, when that font is not a
    legacy one. Empty for a .docx (Word draws such a run in that font); for a
    .docx LibreOffice made of a .doc, .odt or .rtf, the encodings of the legacy fonts the
    document names: LibreOffice's .doc import drops the character style of the first
    paragraph after a table (the .doc's sprmCIstd is there, Word draws the legacy font),
    leaving its legacy bytes in the paragraph style's Unicode font.
    """

    def __init__(self, styles: _Styles, options: ReadOptions,
                 salvage: dict[str, bool] | None = None) -> None:
        self.styles = styles
        self.forced = _forced(options.encoding)
        self.salvage = salvage or {}
        self.paras: dict[Any, _Para] = {}
        self.counts: Counter[str] = Counter()
        self.guessed = 0
        self.salvaged = 0

    # ---- paragraphs

    def para(self, p: Any) -> _Para:
        para = self.paras.get(p)
        if para is None:
            para = self._analyze(p)
            self.paras[p] = para
        return para

    def _analyze(self, p: Any) -> _Para:
        ppr = p.find(W_PPR)
        pstyle = self.styles.props(_val(ppr, "pStyle") or self.styles.default_para)
        tstyle = self.styles.props(_table_style(p))
        context = pstyle.over(tstyle).over(self.styles.defaults)
        jc = _jc(ppr) or context.jc
        runs: list[_Run] = []
        self._collect(p, context, True, runs)
        guessed = self._decide(runs)
        salvaged = self._salvage(runs)
        para = _Para(runs, centered=jc in ("center", "centre"), guessed=guessed,
                     salvaged=salvaged)
        visible = [run for run in runs if run.visible]
        _join_vni(visible)
        for run in runs:
            run.decode()
        para.text = unicodedata.normalize("NFC", "".join(run.text for run in visible))
        carrying = [run for run in visible if any(char.isalpha() for char in run.text)]
        para.bold = bool(carrying) and all(run.bold for run in carrying)
        para.upper = bool(carrying) and all(
            run.capitals or run.caps
            or not any(char.isalpha() and not char.isupper() for char in run.text)
            for run in carrying)
        for run in visible:
            para.counts[run.encoding] += _letters(unicodedata.normalize("NFC", run.text))
        return para

    def _collect(self, container: Any, context: _Props, visible: bool,
                 runs: list[_Run]) -> None:
        for child in container:
            tag = child.tag
            if tag == W_R:
                runs.append(self._run(child, context, visible))
            elif tag in _INLINE_CONTAINERS:
                self._collect(child, context, visible, runs)
            elif tag in (W_DEL, W_MOVEFROM):
                self._collect(child, context, False, runs)
            elif tag == W_SDT:
                content = child.find(W_SDTCONTENT)
                if content is not None:
                    self._collect(content, context, visible, runs)
            elif tag == MC_AC:
                chosen, others = _branches(child)
                if chosen is not None:
                    self._collect(chosen, context, visible, runs)
                for other in others:
                    self._collect(other, context, False, runs)

    def _run(self, r: Any, context: _Props, visible: bool) -> _Run:
        rpr = r.find(W_RPR)
        own = self.styles.own(rpr, None)
        rstyle = self.styles.props(_val(rpr, "rStyle") or self.styles.default_char)
        props = own.over(rstyle).over(context)
        segments: list[_Group | str] = []
        txbx: list[Any] = []
        group: _Group | None = None
        for child in r:
            tag = child.tag
            if tag in (W_T, W_DELTEXT, W_SOFTHYPHEN):
                if group is None:
                    group = _Group()
                    segments.append(group)
                group.elems.append(child)
                group.pieces.append(None if tag == W_SOFTHYPHEN else (child.text or ""))
            elif tag in _STRUCTURAL:
                group = None
                segments.append(_STRUCTURAL[tag])
            elif tag in _DRAWINGS:
                if tag == MC_AC:
                    chosen, _ = _branches(child)
                    if chosen is not None:
                        _find_txbx(chosen, txbx)
                else:
                    _find_txbx(child, txbx)
            # w:rPr, w:sym, w:instrText, w:fldChar, w:lastRenderedPageBreak…: no text
        weak = own.over(rstyle).font is None and props.font is not None
        return _Run(r, segments, props.font, font_encoding(props.font), bool(props.bold),
                    bool(props.caps), visible, txbx, weak)

    def _decide(self, runs: list[_Run]) -> bool:
        """Each run's encoding: its font's, else (no font anywhere) the forced one or the
        guess over the paragraph's font-less text. True when the guess mattered."""
        fontless = [run for run in runs if run.font is None]
        guessed = False
        decision = "unicode"
        if fontless:
            if self.forced is not None:
                decision = self.forced
            else:
                text = "".join(group.raw("tcvn3") for run in fontless if run.visible
                               for group in run.segments if isinstance(group, _Group))
                if not text.strip():
                    text = "".join(group.raw("tcvn3") for run in fontless
                                   for group in run.segments if isinstance(group, _Group))
                decision = guess_encoding(text)
                guessed = any(char > "\x7f" for char in text)
        for run in runs:
            if run.legacy is not None:
                run.encoding, run.capitals = run.legacy.encoding, run.legacy.capitals
            elif run.font is None:
                run.encoding = decision
        return guessed

    def _salvage(self, runs: list[_Run]) -> bool:
        """Runs in a Unicode font of the paragraph's style or the defaults (``weak``)
        read in one of ``salvage``'s encodings when the letter statistics of their text
        in this paragraph say so. True when some were."""
        if not self.salvage:
            return False
        weak = [run for run in runs if run.weak and run.legacy is None]
        text = "".join(group.raw("tcvn3") for run in weak if run.visible
                       for group in run.segments if isinstance(group, _Group))
        if not any(char > "\x7f" for char in text):
            return False
        guess = guess_encoding(text)
        if guess not in self.salvage:
            return False
        for run in weak:
            run.encoding, run.capitals = guess, self.salvage[guess]
        return True

    def count(self, para: _Para) -> None:
        """Count a paragraph that is part of the text (once)."""
        self.counts.update(para.counts)
        self.guessed += para.guessed
        self.salvaged += para.salvaged

    # ---- blocks

    def blocks(self, container: Any, out: list[Block]) -> None:
        for child in container:
            tag = child.tag
            if tag == W_P:
                para = self.para(child)
                self.count(para)
                out.append(Paragraph(para.text, bold=para.bold, centered=para.centered,
                                     upper=para.upper))
                for box in para.txbx:
                    self.blocks(box, out)
            elif tag == W_TBL:
                out.append(self.table(child))
            elif tag == W_SDT:
                content = child.find(W_SDTCONTENT)
                if content is not None:
                    self.blocks(content, out)
            elif tag == W_CUSTOMXML:
                self.blocks(child, out)
            elif tag == MC_AC:
                chosen, _ = _branches(child)
                if chosen is not None:
                    self.blocks(chosen, out)

    def table(self, tbl: Any) -> Table:
        rows: list[tuple[str, ...]] = []
        for tr in _children(tbl, W_TR):
            cells: list[str] = []
            for tc in _children(tr, W_TC):
                vmerge = tc.find(f"{_W}tcPr/{_W}vMerge")
                if vmerge is not None and vmerge.get(_W + "val", "continue") == "continue":
                    cells.append("")  # the cell above holds the text
                    continue
                lines: list[str] = []
                self.cell_lines(tc, lines)
                cells.append(unicodedata.normalize("NFC", "\n".join(lines)))
            rows.append(tuple(cells))
        return Table(tuple(rows))

    def cell_lines(self, container: Any, lines: list[str]) -> None:
        """A cell's paragraphs, its nested tables flattened in reading order."""
        for child in container:
            tag = child.tag
            if tag == W_P:
                para = self.para(child)
                self.count(para)
                lines.append(para.text)
                for box in para.txbx:
                    self.cell_lines(box, lines)
            elif tag == W_TBL:
                for row in self.table(child).rows:
                    for cell in row:
                        lines.extend(cell.split("\n") if cell else [])
            elif tag == W_SDT:
                content = child.find(W_SDTCONTENT)
                if content is not None:
                    self.cell_lines(content, lines)
            elif tag == W_CUSTOMXML:
                self.cell_lines(child, lines)
            elif tag == MC_AC:
                chosen, _ = _branches(child)
                if chosen is not None:
                    self.cell_lines(chosen, lines)


def _children(parent: Any, tag: str) -> list[Any]:
    """``tag`` children of ``parent``, looking through w:sdt and w:customXml wrappers."""
    found: list[Any] = []
    for child in parent:
        if child.tag == tag:
            found.append(child)
        elif child.tag == W_SDT:
            content = child.find(W_SDTCONTENT)
            if content is not None:
                found.extend(_children(content, tag))
        elif child.tag == W_CUSTOMXML:
            found.extend(_children(child, tag))
    return found


def _table_style(p: Any) -> str | None:
    """The style of the table a paragraph sits in (not across a text box)."""
    node = p.getparent()
    while node is not None and node.tag != W_TXBX:
        if node.tag == W_TBL:
            return _val(node.find(_W + "tblPr"), "tblStyle")
        node = node.getparent()
    return None


def _join_vni(runs: list[_Run]) -> None:
    """A VNI letter split across two runs (base in one, mark byte at the start of the
    next: Word splits runs at every revision) is put whole in the first run."""
    for first, second in zip(runs, runs[1:], strict=False):
        if first.encoding != "vni" or second.encoding != "vni":
            continue
        if not first.segments or not second.segments:
            continue
        tail, head = first.segments[-1], second.segments[0]
        if not isinstance(tail, _Group) or not isinstance(head, _Group):
            continue
        before, after = tail.raw("vni"), head.raw("vni")
        if before and after and len(decode_vni(before[-1] + after[0])) == 1:
            tail.suffix += after[0]
            head.skip += 1


# --------------------------------------------------------------------------- encoding

def _encoding(counts: Counter[str]) -> Encoding:
    """The text's encoding from the non-ASCII letters each encoding carries: "mixed"
    when the second largest carries at least _MIN_MIXED letters and _MIN_MIXED_SHARE of
    all; else the largest ("unicode" for none)."""
    total = sum(counts.values())
    if not total:
        return "unicode"
    ranked = sorted(counts.items(), key=lambda item: item[1], reverse=True)
    if len(ranked) >= 2:
        second = ranked[1][1]
        if second >= _MIN_MIXED and (second >= _MIN_MIXED_SHARE * total
                                     or second >= _MIN_MIXED_LINE):
            return "mixed"
    best = ranked[0][0]
    if best == "tcvn3":
        return "tcvn3"
    if best == "vni":
        return "vni"
    return "unicode"


# --------------------------------------------------------------------------- the copy

def replacement_font(name: str) -> str:
    """The Unicode font that stands in for a legacy one in the reading copy: sans faces
    (.VnArial, .VnArialH, VNI-Helve, …Univer, …Avant) → Arial, every other → Times New
    Roman."""
    lower = name.lower()
    return "Arial" if any(word in lower for word in _SANS) else "Times New Roman"


_RFONT_ATTRS = tuple(_W + name for name in ("ascii", "hAnsi", "eastAsia", "cs"))


def _replace_fonts(root: Any) -> bool:
    """Legacy font names in every w:rFonts (and theme typeface) replaced; True if any."""
    changed = False
    for fonts in root.iter(W_RFONTS):
        for attr in _RFONT_ATTRS:
            name = fonts.get(attr)
            if name and font_encoding(name) is not None:
                fonts.set(attr, replacement_font(name))
                changed = True
    for tag in ("latin", "ea", "cs", "font"):
        for elem in root.iter(_A + tag):
            name = elem.get("typeface")
            if name and font_encoding(name) is not None:
                elem.set("typeface", replacement_font(name))
                changed = True
    return changed


def _rewrite_runs(root: Any, reader: _Reader) -> bool:
    """Every decoded run's text replaced by its Unicode text; True if any."""
    changed = False
    for p in list(root.iter(W_P)):
        for run in reader.para(p).runs:
            if run.encoding == "unicode":
                continue
            for segment in run.segments:
                if isinstance(segment, _Group):
                    _rewrite_group(segment)
                    changed = True
    return changed


def _rewrite_group(group: _Group) -> None:
    """The group's first w:t (or w:delText) holds the Unicode text; its other elements
    (more w:t, the w:softHyphen of ư) go."""
    keep = next((elem for elem in group.elems if elem.tag != W_SOFTHYPHEN), None)
    if keep is None:  # only soft hyphens (ư alone): a w:t takes the first one's place
        first = group.elems[0]
        deleted = any(node.tag in (W_DEL, W_MOVEFROM) for node in first.iterancestors())
        keep = etree.Element(W_DELTEXT if deleted else W_T)
        first.addprevious(keep)
    keep.text = group.decoded
    keep.set(_XML_SPACE, "preserve")
    for elem in group.elems:
        if elem is not keep:
            parent = elem.getparent()
            if parent is not None:
                parent.remove(elem)


def _decode_numbering(root: Any, fonts: _Fonts) -> bool:
    """Numbering labels (w:lvlText) typed in a legacy font, decoded."""
    changed = False
    for lvl in root.iter(_W + "lvl"):
        legacy = font_encoding(fonts.rpr_font(lvl.find(W_RPR)))
        text = lvl.find(_W + "lvlText")
        value = text.get(_W + "val") if text is not None else None
        if legacy is None or not value:
            continue
        decoded = (decode_tcvn3(value, capitals=legacy.capitals) if legacy.encoding == "tcvn3"
                   else decode_vni(value))
        if decoded != value:
            text.set(_W + "val", decoded)
            changed = True
    return changed


def _named_encodings(roots: list[Any], fonts: _Fonts) -> dict[str, bool]:
    """The legacy encodings of the fonts named in ``roots``' w:rFonts (hAnsi, ascii)
    and in the theme, each with True when every such font is a capitals ("H") font."""
    names = set(fonts.faces.values())
    for root in roots:
        for elem in root.iter(W_RFONTS):
            names.update(name for name in (elem.get(_W + "hAnsi"), elem.get(_W + "ascii"))
                         if name)
    found: dict[str, bool] = {}
    for name in names:
        legacy = font_encoding(name)
        if legacy is not None:
            found[legacy.encoding] = found.get(legacy.encoding, True) and legacy.capitals
    return found


def _may_name_legacy(raw: bytes) -> bool:
    """Whether a part may name a legacy font (a quick look before parsing it)."""
    lower = raw.lower()
    return any(mark in lower for mark in (b'".vn', b'"vni', b"'.vn", b"'vni"))


def _serialize(root: Any) -> bytes:
    data: bytes = etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8",
                                 standalone=True)
    return data


def _reading_copy(data: bytes, package: _Package, parsed: dict[str, Any], reader: _Reader,
                  fonts: _Fonts) -> bytes:
    """The package with the decoded text and Unicode fonts; other members untouched."""
    changed: dict[str, bytes] = {}
    doc_name = package.by_name["word/document.xml"].filename
    document = parsed["word/document.xml"]
    if _rewrite_runs(document, reader) | _replace_fonts(document):  # runs first
        changed[doc_name] = _serialize(document)
    for info in package.infos:
        name = info.filename.lower()
        if name == "word/document.xml":
            continue
        printed = _PRINTED_PART.fullmatch(name) is not None
        if not printed and name not in _FONT_PARTS:
            continue
        raw = package.read(info)
        if not printed and not _may_name_legacy(raw):
            continue
        root = parsed.get(name)
        if root is None:
            root = _parse(info.filename, raw)
        touched = _rewrite_runs(root, reader) if printed else False  # before the fonts
        touched = _replace_fonts(root) | touched
        if name == "word/numbering.xml":
            touched = _decode_numbering(root, fonts) | touched
        if touched:
            changed[info.filename] = _serialize(root)
    if not changed:
        return data
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as copy:
        for info in package.infos:
            member = zipfile.ZipInfo(info.filename, info.date_time)
            member.compress_type = info.compress_type
            member.external_attr = info.external_attr
            member.create_system = info.create_system
            member.comment = info.comment
            content = changed.get(info.filename)
            if content is None:
                content = package.read(info)
                if info.compress_size >= 0.9 * info.file_size:
                    # pictures are compressed already: stored, not deflated again
                    member.compress_type = zipfile.ZIP_STORED
            copy.writestr(member, content)
    return out.getvalue()


# --------------------------------------------------------------------------- entry point

def read_docx(data: bytes, options: ReadOptions, source: Source = "docx") -> Recovered:
    """Read a .docx: blocks in reading order (paragraphs, tables; text boxes after their
    paragraph), legacy runs decoded by their fonts, the encoding found and the Unicode
    reading copy. ``source`` names the original's format when LibreOffice made this
    .docx from a .doc, .odt or .rtf. Raises UnreadableFile (not a .docx, encrypted, an
    old .doc renamed, a zip bomb, damaged XML, a DTD)."""
    package = _Package(data, options)
    if not package.has("word/document.xml"):
        raise UnreadableFile(
            Msg("tệp .docx thiếu phần nội dung chính (word/document.xml): không phải văn "
                "bản Word hoặc tệp bị hỏng",
                "the .docx file has no main part (word/document.xml): it is not a Word "
                "document or it is damaged"),
            hint=_HINT_RESAVE)
    try:
        parsed = {name: root for name in ("word/document.xml", _THEME_PART, "word/styles.xml")
                  if (root := package.xml(name)) is not None}
        fonts = _Fonts(parsed.get(_THEME_PART))
        salvage = {} if source == "docx" else _named_encodings(
            [root for name, root in parsed.items() if name != _THEME_PART], fonts)
        reader = _Reader(_Styles(parsed.get("word/styles.xml"), fonts), options, salvage)
        body = parsed["word/document.xml"].find(_W + "body")
        blocks: list[Block] = []
        if body is not None:
            reader.blocks(body, blocks)
        copy = _reading_copy(data, package, parsed, reader, fonts)
    except RecursionError as exc:
        raise _corrupt("word/document.xml", exc) from exc
    notes: list[Msg] = []
    if reader.guessed:
        notes.append(Msg(
            f"{reader.guessed} đoạn văn không ghi phông chữ: đã đoán bảng mã theo thống kê "
            "chữ cái; hãy soát lại chữ của các đoạn đó",
            f"{reader.guessed} paragraph(s) name no font: their encoding was guessed from "
            "letter statistics; check their text"))
    if reader.salvaged:
        notes.append(Msg(
            f"{reader.salvaged} đoạn văn mất phông chữ cũ khi LibreOffice chuyển tệp (chữ "
            "nằm trong phông Unicode của kiểu đoạn): đã nhận bảng mã theo thống kê chữ "
            "cái; hãy soát lại chữ của các đoạn đó",
            f"{reader.salvaged} paragraph(s) lost their legacy font when LibreOffice "
            "converted the file (their text sits in the paragraph style's Unicode font): "
            "their encoding was recognised from letter statistics; check their text"))
    return Recovered(blocks=blocks, encoding=_encoding(reader.counts), source=source,
                     pages=None, unicode_docx=copy, notes=notes)
