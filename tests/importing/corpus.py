"""The import test set (issue 13, "Figures"): old papers made from papers docgen renders.

Every sample starts as a Unicode paper docgen itself renders: one of the kinds of
``examples/*.yaml`` with ``examples/profile.yaml``, its dates moved back by whole years
(to 2005–2025: an old paper is never dated ahead of today) and a few days, a new number (1–99), optionally another village's cell, and,
when ``../shared/corpus/vn-news-6k.jsonl.gz`` is there, a few paragraphs of news read
from it at run time (never copied into the repository). Its expected text is
``docgen.docxtext.docx_text`` of that Unicode .docx; its header truth is the rendered
paper's ``DocMeta``. Each sample is then written out in one format (FORMATS):

- ``tcvn3-docx``: every run encoded with ``encode_tcvn3`` in ``.VnTime``; all-capital runs
  as the lowercase codes in ``.VnTimeH``; a toned capital in mixed-case text ("Ủy") its own
  one-letter ``.VnTimeH`` run, as typists did; every ư (0xAD) a ``w:softHyphen`` as Word
  stores it; characters TCVN3 cannot hold (m²) in a Times New Roman run. Where the
  ``.VnTime`` font sits varies (STYLES): on the runs, in the document defaults, in a
  paragraph style reached through ``basedOn``, or in a character style.
- ``vni-docx``: the same with ``encode_vni`` and ``VNI-Times``.
- ``mixed-docx``: the Unicode header table (Times New Roman) over a TCVN3 body.
- ``tcvn3-doc``, ``vni-doc``: those .docx saved as Word 97 by LibreOffice.
- ``unicode-odt``, ``tcvn3-odt``, ``unicode-rtf``, ``tcvn3-rtf``: LibreOffice's copies.
- ``tcvn3-txt``: the TCVN3 bytes as a .txt (cp1252), CRLF lines. A text file has no
  font, so what the H fonts drew as capitals is lowercase there, and so is its expected
  text.
- ``pdf``: the Unicode .docx printed by LibreOffice (text layer Unicode).
- ``scan``: that PDF rasterised at 200 dpi (pdftoppm, grey) and put back together by
  Pillow as an image-only PDF; ``png`` a single page, ``tif`` a multi-page TIFF. The
  papers behind images are cut to ``scan_pages`` pages (png: one, tif: two) so that a
  scan's expected text is the whole of what is on its pages.

Every sample is a different paper (a paper imported in two formats would be a
duplicate), and no two share cell and date, or type, number, cell and year.

``cached_corpus`` keeps built sets under ``.pytest_cache/docgen-import-corpus/<key>``
(``DOCGEN_IMPORT_CORPUS`` overrides the folder), the key a hash of the parameters, of
this file and of what rendering reads (examples, kinds, templates); a set is built in a
temporary folder and renamed into place, so two processes building at once are safe.

    .venv/bin/python tests/importing/corpus.py OUT --count 3 --formats tcvn3-docx,scan
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import datetime as dt
import gzip
import hashlib
import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from lxml import etree

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
if str(REPO) not in sys.path:  # run as a script or from the bench
    sys.path.insert(0, str(REPO))

from docgen.config import Settings, load_settings  # noqa: E402
from docgen.docxtext import docx_text  # noqa: E402
from docgen.errors import DocgenError  # noqa: E402
from docgen.model import parse_input  # noqa: E402
from docgen.model.files import read_mapping_lines  # noqa: E402
from docgen.model.kinds import KINDS  # noqa: E402
from docgen.model.profile import Profile, parse_profile  # noqa: E402
from docgen.render import Renderer  # noqa: E402
from docgen.vn.legacy import encode_tcvn3, encode_vni  # noqa: E402

EXAMPLES = REPO / "examples"
CONFIG = EXAMPLES / "docgen.toml"
NEWS = REPO.parent / "shared" / "corpus" / "vn-news-6k.jsonl.gz"
CACHE = REPO / ".pytest_cache" / "docgen-import-corpus"
PROFILE_VILLAGE = "An Thành"  # the village of examples/profile.yaml
VILLAGES = ("An Thành", "Bình Minh", "Đông Hòa", "Tân Lập", "Phú Xuân", "Yên Thịnh",
            "Thượng Đức", "Ngọc Lâm", "Đồng Tâm", "Thủy Lợi", "Ấp Bắc", "Ủy Lăng")
KIND_NAMES = tuple(sorted(p.stem for p in EXAMPLES.glob("*.yaml") if p.stem != "profile"))

# format → (encoding an importer should find, file suffix)
FORMATS: dict[str, tuple[str, str]] = {
    "unicode-docx": ("unicode", ".docx"),
    "tcvn3-docx": ("tcvn3", ".docx"),
    "vni-docx": ("vni", ".docx"),
    "mixed-docx": ("mixed", ".docx"),
    "tcvn3-doc": ("tcvn3", ".doc"),
    "vni-doc": ("vni", ".doc"),
    "unicode-odt": ("unicode", ".odt"),
    "tcvn3-odt": ("tcvn3", ".odt"),
    "unicode-rtf": ("unicode", ".rtf"),
    "tcvn3-rtf": ("tcvn3", ".rtf"),
    "tcvn3-txt": ("tcvn3", ".txt"),
    "pdf": ("unicode", ".pdf"),
    "scan": ("unicode", ".pdf"),
    "png": ("unicode", ".png"),
    "tif": ("unicode", ".tif"),
}
IMAGE_FORMATS = ("scan", "png", "tif")
SOFFICE_FORMATS = {"tcvn3-doc": ("tcvn3-docx", "doc"), "vni-doc": ("vni-docx", "doc"),
                   "unicode-odt": ("unicode-docx", "odt"), "tcvn3-odt": ("tcvn3-docx", "odt"),
                   "unicode-rtf": ("unicode-docx", "rtf"), "tcvn3-rtf": ("tcvn3-docx", "rtf"),
                   "pdf": ("unicode-docx", "pdf")}
FILTERS = {"doc": "doc:MS Word 97", "odt": "odt", "rtf": "rtf", "pdf": "pdf"}
# where the legacy font is set in a legacy .docx
STYLES = ("runs", "defaults", "paragraph-style", "character-style")
DPI = 200

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
TCVN3_FONT, TCVN3_CAPS_FONT, VNI_FONT = ".VnTime", ".VnTimeH", "VNI-Times"
UNICODE_FONT = "Times New Roman"
PARA_STYLE, CHAR_STYLE = "VanBanCu", "ChuVnTime"  # the styles added to carry the fonts


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def collapse(text: str) -> str:
    """NFC, every run of whitespace one space, trimmed: the form accuracy compares."""
    return " ".join(unicodedata.normalize("NFC", text).split())


# ------------------------------------------------------------------------- samples
@dataclasses.dataclass(frozen=True)
class Header:
    """What the paper's header says (the rendered paper's DocMeta)."""

    kind: str
    number: int | None
    type_symbol: str  # "NQ", "BB"…; "" for kinds never numbered
    date: dt.date
    cell: str  # "CHI BỘ THÔN AN THÀNH"
    number_text: str  # "05-NQ/CB"; ""
    title: str  # type name + trích yếu

    def to_json(self) -> dict[str, Any]:
        return {**dataclasses.asdict(self), "date": self.date.isoformat()}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Header:
        return cls(**{**data, "date": dt.date.fromisoformat(data["date"])})


@dataclasses.dataclass(frozen=True)
class Sample:
    """One file of the test set and what a perfect import recovers from it."""

    path: Path
    format: str  # a key of FORMATS
    text: str  # the expected text: NFC, one paragraph a line (compare with collapse())
    header: Header
    paper: int  # index of the paper it was made from (unique in a set)
    encoding: str  # "unicode", "tcvn3", "vni" or "mixed"
    style: str = ""  # legacy .docx and their copies: where the font is set (STYLES)
    pages: int | None = None  # PDFs and images: pages
    news: int = 0  # paragraphs of news in its body

    def to_json(self, root: Path) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data.update(path=self.path.relative_to(root).as_posix(), header=self.header.to_json())
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any], root: Path) -> Sample:
        return cls(**{**data, "path": root / data["path"], "header": Header.from_json(data["header"])})


# --------------------------------------------------------------- Unicode papers
@dataclasses.dataclass(frozen=True)
class Paper:
    index: int
    docx: bytes  # the Unicode .docx docgen rendered
    text: str  # docx_text of it, NFC
    header: Header
    news: int


_YEAR = re.compile(r"(?<!\d)(19[4-9]\d|20\d\d)(?!\d)")
_DMY_LEAP = re.compile(r"(?<!\d)29/0?2/(\d{4})(?!\d)")
_ISO_LEAP = re.compile(r"(?<!\d)(\d{4})-02-29(?!\d)")


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _shift(value: Any, years: int, key: str | None = None) -> Any:
    """``value`` (an input or profile mapping) with every date ``years`` years earlier
    or later: date objects, ISO and d/m/yyyy strings, years inside text, ``year:``."""
    if isinstance(value, dict):
        return {k: _shift(v, years, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_shift(v, years) for v in value]
    if isinstance(value, dt.date):
        year = value.year + years
        return value.replace(year=year, day=28 if (value.month, value.day) == (2, 29) and not _leap(year)
                             else value.day)
    if isinstance(value, int) and not isinstance(value, bool) and key == "year":
        return value + years
    if isinstance(value, str):
        text = _YEAR.sub(lambda m: str(int(m.group()) + years), value)
        text = _DMY_LEAP.sub(lambda m: f"{29 if _leap(int(m[1])) else 28}/2/{m[1]}", text)
        return _ISO_LEAP.sub(lambda m: f"{m[1]}-02-{29 if _leap(int(m[1])) else 28}", text)
    return value


def _rename(value: Any, village: str) -> Any:
    """``value`` with the profile's village replaced by ``village`` in every string."""
    if village == PROFILE_VILLAGE:
        return value
    if isinstance(value, dict):
        return {k: _rename(v, village) for k, v in value.items()}
    if isinstance(value, list):
        return [_rename(v, village) for v in value]
    if isinstance(value, str):
        return (value.replace(PROFILE_VILLAGE, village)
                .replace(PROFILE_VILLAGE.upper(), village.upper()))
    return value


def profile_yaml(village: str) -> str:
    """examples/profile.yaml for the cell of ``village`` (to register with `cells add`)."""
    text = (EXAMPLES / "profile.yaml").read_text("utf-8")
    return text.replace(PROFILE_VILLAGE.upper(), village.upper()).replace(PROFILE_VILLAGE, village)


def cell_name(village: str) -> str:
    return f"CHI BỘ THÔN {village.upper()}"


_ENCODABLE: dict[str, bool] = {}


def _encodable(char: str) -> bool:
    """Whether TCVN3 (possibly through an H font) and VNI can both hold ``char``."""
    known = _ENCODABLE.get(char)
    if known is None:
        known = True
        try:
            encode_vni(char)
            try:
                encode_tcvn3(char)
            except ValueError:
                encode_tcvn3(char, capitals=True)
        except ValueError:
            known = False
        _ENCODABLE[char] = known
    return known


def news_paragraphs(path: Path = NEWS, limit: int = 4000) -> list[str]:
    """Paragraphs of the news corpus fit for a paper's body (80–420 characters, every
    character one TCVN3 and VNI can hold); [] when the corpus is absent."""
    if not path.is_file():
        return []
    out: list[str] = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            article = json.loads(line)
            for para in str(article.get("text", "")).split("\n"):
                para = " ".join(unicodedata.normalize("NFC", para).split())
                if 80 <= len(para) <= 420 and all(_encodable(c) for c in para):
                    out.append(para)
            if len(out) >= limit:
                break
    return out


def _strings(value: Any, path: tuple[Any, ...] = ()) -> Iterable[tuple[tuple[Any, ...], str]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, (*path, i))
    elif isinstance(value, str):
        yield path, value


def _with_news(data: dict[str, Any], paras: list[str]) -> dict[str, Any]:
    """``data`` with ``paras`` appended to its longest multi-line text (lines become
    paragraphs when rendered)."""
    texts = [(p, s) for p, s in _strings(data) if "\n" in s.strip()]
    if not texts or not paras:
        return data
    where, text = max(texts, key=lambda item: len(item[1]))
    out = copy.deepcopy(data)
    node: Any = out
    for step in where[:-1]:
        node = node[step]
    node[where[-1]] = text.rstrip("\n") + "\n" + "\n".join(paras) + "\n"
    return out


def _date_of(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    text = str(value)
    if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", text):
        day, month, year = (int(x) for x in text.split("/"))
        return dt.date(year, month, day)
    return dt.date.fromisoformat(text)


class PaperMaker:
    """Renders the Unicode papers: kinds of examples/, dates, numbers, cells, news."""

    def __init__(self, seed: int, villages: Sequence[str] | None, news: Sequence[str]) -> None:
        self.rng = random.Random(seed)
        self.villages = tuple(villages) if villages else (PROFILE_VILLAGE,)
        self.news = list(news)
        self.settings: Settings = load_settings({"config_path": CONFIG}, environ={})
        self.renderer = Renderer(self.settings)
        self.inputs = {kind: read_mapping_lines(EXAMPLES / f"{kind}.yaml")[0] for kind in KIND_NAMES}
        self.profile_data = read_mapping_lines(EXAMPLES / "profile.yaml")[0]
        self.profiles: dict[tuple[int, str], Profile] = {}
        self.used_dates: set[tuple[str, dt.date]] = set()
        self.used_numbers: set[tuple[str, int, str, int]] = set()

    def profile(self, years: int, village: str) -> Profile:
        key = (years, village)
        if key not in self.profiles:
            data = _rename(_shift(copy.deepcopy(self.profile_data), years), village)
            self.profiles[key] = parse_profile(data, "profile.yaml")
        return self.profiles[key]

    def make(self, index: int, kind: str) -> Paper:
        rng = self.rng
        base = self.inputs[kind]
        spec = KINDS[kind]
        for _attempt in range(40):
            village = rng.choice(self.villages)
            years = -rng.randint(1, 21)  # example papers are dated 2026: 2005–2025, never ahead of today
            offset = rng.randint(-6, 6)
            number = rng.randint(1, 99) if spec.numbered else None
            paras = rng.sample(self.news, rng.randint(1, 3)) if self.news else []
            data = _rename(_shift(copy.deepcopy(base), years), village)
            day = _date_of(data["date"])
            cell = cell_name(village)
            if number is not None:
                data["number"] = number
                if (spec.type_symbol, number, cell, day.year) in self.used_numbers:
                    continue
            profile = self.profile(years, village)
            # a few days off the example's date, else its date; news, else none
            for off, news in ((offset, paras), (0, paras), (offset, []), (0, [])):
                moved = (day + dt.timedelta(days=off))
                if (cell, moved) in self.used_dates:
                    continue
                attempt = _with_news({**data, "date": moved.isoformat()}, news)
                try:
                    doc = parse_input(attempt, self.settings, profile, f"{kind}.yaml")
                except DocgenError:
                    continue
                rendered = self.renderer.render(doc)
                meta = rendered.meta
                self.used_dates.add((meta.cell, meta.date))
                if meta.number is not None:
                    self.used_numbers.add((meta.type_symbol, meta.number, meta.cell, meta.date.year))
                header = Header(kind=meta.kind, number=meta.number if meta.numbered else None,
                                type_symbol=meta.type_symbol, date=meta.date, cell=meta.cell,
                                number_text=meta.number_text, title=meta.title)
                text = unicodedata.normalize("NFC", docx_text(rendered.docx))
                return Paper(index, rendered.docx, text, header,
                             sum(1 for p in news if p in text))
        raise RuntimeError(f"no valid variation of examples/{kind}.yaml")


# ---------------------------------------------------------- legacy .docx writers
Segment = tuple[str, str, str]  # (font, Unicode text, encoded text)


def _merge(segments: list[Segment]) -> list[Segment]:
    out: list[Segment] = []
    for font, text, code in segments:
        if out and out[-1][0] == font:
            last = out[-1]
            out[-1] = (font, last[1] + text, last[2] + code)
        else:
            out.append((font, text, code))
    return out


def tcvn3_segments(text: str) -> list[Segment]:
    """``text`` as a TCVN3 typist wrote it: an all-capital run in .VnTimeH (lowercase
    codes); otherwise .VnTime, a toned capital alone in .VnTimeH, and what TCVN3 cannot
    hold in Times New Roman."""
    letters = [c for c in text if c.isalpha()]
    if letters and not any(c.islower() for c in letters):
        try:
            return [(TCVN3_CAPS_FONT, text, encode_tcvn3(text, capitals=True))]
        except ValueError:
            pass  # a character TCVN3 cannot hold: letter by letter below
    segments: list[Segment] = []
    for char in text:
        try:
            segments.append((TCVN3_FONT, char, encode_tcvn3(char)))
            continue
        except ValueError:
            pass
        try:
            segments.append((TCVN3_CAPS_FONT, char, encode_tcvn3(char, capitals=True)))
        except ValueError:
            segments.append((UNICODE_FONT, char, char))
    return _merge(segments)


def vni_segments(text: str) -> list[Segment]:
    """``text`` in VNI-Times; what VNI cannot hold in Times New Roman."""
    segments: list[Segment] = []
    for char in text:
        try:
            segments.append((VNI_FONT, char, encode_vni(char)))
        except ValueError:
            segments.append((UNICODE_FONT, char, char))
    return _merge(segments)


def _set_fonts(rpr: etree._Element, font: str | None) -> None:
    """Set (``font``) or remove (None) the run's w:rFonts."""
    for old in rpr.findall(w("rFonts")):
        rpr.remove(old)
    if font is None:
        return
    fonts = etree.Element(w("rFonts"))
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(w(attr), font)
    style = rpr.find(w("rStyle"))
    rpr.insert(1 if style is not None else 0, fonts)


def _set_char_style(rpr: etree._Element, style_id: str) -> None:
    for old in rpr.findall(w("rStyle")):
        rpr.remove(old)
    style = etree.Element(w("rStyle"))
    style.set(w("val"), style_id)
    rpr.insert(0, style)


def _text_element(text: str) -> etree._Element:
    node = etree.Element(w("t"))
    node.text = text
    if text != text.strip() or "  " in text:
        node.set(XML_SPACE, "preserve")
    return node


def _rewrite_run(run: etree._Element, segment: Callable[[str], list[Segment]], base_font: str,
                 style: str) -> None:
    """Replace ``run`` by runs of legacy text, one per font; 0xAD as w:softHyphen."""
    rpr = run.find(w("rPr"))
    items: list[tuple[str | None, etree._Element]] = []
    for child in list(run):
        if child.tag == w("rPr"):
            continue
        if child.tag != w("t"):
            items.append((None, child))  # tabs, breaks: whatever font comes before
            continue
        for font, _text, code in segment(child.text or ""):
            for k, part in enumerate(code.split("\xad")):
                if k:
                    items.append((font, etree.Element(w("softHyphen"))))
                if part:
                    items.append((font, _text_element(part)))
    groups: list[tuple[str, list[etree._Element]]] = []
    for item_font, node in items:
        chosen = item_font or (groups[-1][0] if groups else base_font)
        if groups and groups[-1][0] == chosen:
            groups[-1][1].append(node)
        else:
            groups.append((chosen, [node]))
    parent = run.getparent()
    assert parent is not None
    at = parent.index(run)
    parent.remove(run)
    for offset, (font, nodes) in enumerate(groups):
        new = etree.Element(w("r"))
        props = copy.deepcopy(rpr) if rpr is not None else etree.Element(w("rPr"))
        if font == base_font and style != "runs":
            _set_fonts(props, None)  # the font comes from a style or the defaults
            if style == "character-style":
                _set_char_style(props, CHAR_STYLE)
        else:
            _set_fonts(props, font)
        new.append(props)
        new.extend(nodes)
        parent.insert(at + offset, new)


def _xml(root: etree._Element) -> bytes:
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return data


def _rewrite_part(xml: bytes, segment: Callable[[str], list[Segment]], base_font: str, style: str,
                  keep_first_table: bool) -> bytes:
    root = etree.fromstring(xml)
    skip: set[etree._Element] = set()
    body = root.find(w("body"))
    if keep_first_table and body is not None:
        table = body.find(w("tbl"))
        if table is not None:
            skip = set(table.iter(w("r")))
    for run in [r for r in root.iter(w("r")) if r not in skip]:
        if run.find(w("t")) is not None:
            _rewrite_run(run, segment, base_font, style)
    if style == "paragraph-style":
        for para in root.iter(w("p")):
            ppr = para.find(w("pPr"))
            if ppr is None:
                ppr = etree.Element(w("pPr"))
                para.insert(0, ppr)
            if ppr.find(w("pStyle")) is None:
                ref = etree.Element(w("pStyle"))
                ref.set(w("val"), PARA_STYLE)
                ppr.insert(0, ref)
    return _xml(root)


def _style(kind: str, style_id: str, name: str, based_on: str | None, font: str | None) -> etree._Element:
    node = etree.Element(w("style"))
    node.set(w("type"), kind)
    node.set(w("customStyle"), "1")
    node.set(w("styleId"), style_id)
    etree.SubElement(node, w("name")).set(w("val"), name)
    if based_on:
        etree.SubElement(node, w("basedOn")).set(w("val"), based_on)
    rpr = etree.SubElement(node, w("rPr"))
    if font:
        _set_fonts(rpr, font)
    return node


def _rewrite_styles(xml: bytes, base_font: str, style: str) -> bytes:
    """Put ``base_font`` where ``style`` says: the document defaults (no style naming a
    font), the default paragraph style (reached from a new style through basedOn), or a
    new character style."""
    root = etree.fromstring(xml)
    if style == "defaults":
        defaults = root.find(w("docDefaults"))
        if defaults is None:
            defaults = etree.Element(w("docDefaults"))
            root.insert(0, defaults)
        rpr_default = defaults.find(w("rPrDefault"))
        if rpr_default is None:
            rpr_default = etree.SubElement(defaults, w("rPrDefault"))
        rpr = rpr_default.find(w("rPr"))
        if rpr is None:
            rpr = etree.SubElement(rpr_default, w("rPr"))
        _set_fonts(rpr, base_font)
        for node in root.iter(w("style")):
            for props in node.findall(w("rPr")):
                _set_fonts(props, None)
    elif style == "paragraph-style":
        for node in root.iter(w("style")):
            if node.get(w("type")) == "paragraph" and node.get(w("default")) == "1":
                props = node.find(w("rPr"))
                if props is None:
                    props = etree.SubElement(node, w("rPr"))
                _set_fonts(props, base_font)
                root.append(_style("paragraph", PARA_STYLE, "Van ban cu",
                                   node.get(w("styleId")), None))
                break
    elif style == "character-style":
        root.append(_style("character", CHAR_STYLE, "Chu VnTime", None, base_font))
    return _xml(root)


def _is_text_part(name: str) -> bool:
    base = name.rsplit("/", 1)[-1]
    return name.startswith("word/") and base.endswith(".xml") and (
        base == "document.xml" or base.startswith(("header", "footer")))


def legacy_docx(docx: bytes, encoding: str, style: str = "runs", unicode_header: bool = False) -> bytes:
    """The Unicode ``docx`` as a TCVN3 ("tcvn3") or VNI ("vni") typist's .docx.
    ``unicode_header``: the first table (the HD 36 header) stays Unicode."""
    if encoding == "tcvn3":
        segment, base_font = tcvn3_segments, TCVN3_FONT
    elif encoding == "vni":
        segment, base_font = vni_segments, VNI_FONT
    else:
        raise ValueError(encoding)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if _is_text_part(info.filename):
                data = _rewrite_part(data, segment, base_font, style,
                                     unicode_header and info.filename == "word/document.xml")
            elif info.filename == "word/styles.xml" and style != "runs":
                data = _rewrite_styles(data, base_font, style)
            dst.writestr(info, data)
    return out.getvalue()


def tcvn3_text_file(text: str) -> tuple[bytes, str]:
    """(the .txt bytes, its expected text) of ``text`` typed in TCVN3: the H fonts'
    capitals are lowercase codes, and a file keeps no font; what TCVN3 cannot hold
    becomes its compatibility form, else "?"."""
    lines_out: list[str] = []
    expected: list[str] = []
    for line in text.split("\n"):
        coded: list[str] = []
        plain: list[str] = []
        for font, part, code in tcvn3_segments(line):
            if font == UNICODE_FONT:
                folded = "".join(c for c in unicodedata.normalize("NFKD", part) if c.isascii()) or "?"
                coded.append(folded)
                plain.append(folded)
            else:
                coded.append(code)
                plain.append(part.lower() if font == TCVN3_CAPS_FONT else part)
        lines_out.append("".join(coded))
        expected.append("".join(plain))
    return "\r\n".join(lines_out).encode("cp1252") + b"\r\n", "\n".join(expected)


def trim_docx(docx: bytes, keep: int) -> bytes:
    """The .docx with only its first ``keep`` body blocks (paragraphs, tables)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                root = etree.fromstring(data)
                body = root.find(w("body"))
                assert body is not None
                blocks = [b for b in body if b.tag in (w("p"), w("tbl"))]
                for block in blocks[keep:]:
                    body.remove(block)
                data = _xml(root)
            dst.writestr(info, data)
    return out.getvalue()


def body_blocks(docx: bytes) -> list[int]:
    """Characters of text in each body block of the .docx."""
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    body = root.find(w("body"))
    assert body is not None
    return [sum(len(t.text or "") for t in b.iter(w("t"))) for b in body if b.tag in (w("p"), w("tbl"))]


# ------------------------------------------------------------------ the tools
class Soffice:
    """One LibreOffice profile for a build; every conversion a batch of files."""

    def __init__(self, work: Path, program: str = "soffice") -> None:
        self.program = shutil.which(program) or program
        self.profile = work / "lo-profile"

    def convert(self, files: Sequence[Path], target: str, outdir: Path) -> list[Path]:
        if not files:
            return []
        outdir.mkdir(parents=True, exist_ok=True)
        command = [self.program, f"-env:UserInstallation={self.profile.as_uri()}", "--headless",
                   "--norestore", "--convert-to", FILTERS[target], "--outdir", str(outdir),
                   *map(str, files)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120 + 5 * len(files))
        outs = [outdir / f"{f.stem}.{target}" for f in files]
        missing = [p.name for p in outs if not p.is_file() or p.stat().st_size == 0]
        if done.returncode != 0 or missing:
            raise RuntimeError(f"soffice --convert-to {target} failed (exit {done.returncode}; "
                               f"missing {missing[:5]}): {done.stderr[-800:]}")
        return outs


def pdf_pages(pdf: Path) -> int:
    done = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    match = re.search(r"^Pages:\s+(\d+)", done.stdout, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"pdfinfo: no page count for {pdf}")
    return int(match.group(1))


def rasterise(pdf: Path, work: Path, dpi: int = DPI) -> list[Path]:
    """The pages of ``pdf`` as grey PNGs at ``dpi`` (pdftoppm)."""
    work.mkdir(parents=True, exist_ok=True)
    prefix = work / pdf.stem
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(pdf), str(prefix)],
                   check=True, capture_output=True)
    return sorted(work.glob(f"{pdf.stem}-*.png"))


def image_pdf(pages: Sequence[Path], out: Path, dpi: int = DPI) -> None:
    """An image-only PDF of the page images (Pillow: no text layer)."""
    from PIL import Image

    images = [Image.open(p).convert("L") for p in pages]
    try:
        images[0].save(out, "PDF", resolution=float(dpi), save_all=True, append_images=images[1:])
    finally:
        for image in images:
            image.close()


def image_png(page: Path, out: Path, dpi: int = DPI) -> None:
    """One page as an 8-bit grey PNG that states its resolution."""
    from PIL import Image

    with Image.open(page) as image:
        image.convert("L").save(out, "PNG", dpi=(dpi, dpi))


def image_tif(pages: Sequence[Path], out: Path, dpi: int = DPI) -> None:
    """A multi-page grey TIFF (LZW) of the page images."""
    from PIL import Image

    images = [Image.open(p).convert("L") for p in pages]
    try:
        images[0].save(out, "TIFF", save_all=True, append_images=images[1:], compression="tiff_lzw",
                       dpi=(dpi, dpi))
    finally:
        for image in images:
            image.close()


# ------------------------------------------------------------------- building
def _counts(formats: set[str] | Mapping[str, int], count: int) -> dict[str, int]:
    wanted = dict(formats) if isinstance(formats, Mapping) else dict.fromkeys(formats, count)
    unknown = sorted(set(wanted) - set(FORMATS))
    if unknown:
        raise ValueError(f"unknown formats {unknown}; known: {sorted(FORMATS)}")
    return {name: max(0, n) for name in FORMATS if (n := wanted.get(name, 0))}


def build_corpus(out: Path, count: int, kinds: Sequence[str] | None = None, seed: int = 13,
                 formats: set[str] | Mapping[str, int] | None = None, *,
                 villages: Sequence[str] | None = None, news: Path | None = NEWS,
                 scan_pages: int = 1, soffice: str = "soffice") -> list[Sample]:
    """Build the test set into the empty or missing folder ``out``.

    ``formats``: names of FORMATS, each made ``count`` times, or a mapping format →
    how many (default: every format, ``count`` each). ``kinds``: the kinds to cycle
    through (default: all of examples/). ``villages``: the cells' villages to draw from
    (default: only examples/profile.yaml's, An Thành). ``news``: the news corpus (absent
    or None: no news paragraphs). ``scan_pages``: pages of each scanned PDF. Writes
    ``out/manifest.json`` (the samples and the seconds each step took) and returns the
    samples.
    """
    started = time.perf_counter()
    counts = _counts(set(FORMATS) if formats is None else formats, count)
    kinds = tuple(kinds or KIND_NAMES)
    for kind in kinds:
        if kind not in KIND_NAMES:
            raise ValueError(f"unknown kind {kind!r}; known: {KIND_NAMES}")
    out.mkdir(parents=True, exist_ok=True)
    seconds: dict[str, float] = {}

    def timed(step: str, since: float) -> float:
        now = time.perf_counter()
        seconds[step] = seconds.get(step, 0.0) + now - since
        return now

    t = time.perf_counter()
    paragraphs = news_paragraphs(news) if news is not None else []
    t = timed("news", t)
    maker = PaperMaker(seed, villages, paragraphs)
    plan: list[tuple[str, Paper]] = []
    index = 0
    for name, n in counts.items():
        for _ in range(n):
            plan.append((name, maker.make(index, kinds[index % len(kinds)])))
            index += 1
    t = timed("render", t)

    samples: list[Sample] = []
    with tempfile.TemporaryDirectory(prefix="corpus-work-", dir=out) as tmp:
        work = Path(tmp)
        lo = Soffice(work, soffice)
        stems = {paper.index: f"{paper.index:04d}-{name}" for name, paper in plan}
        styles: dict[int, str] = {}
        for name, paper in plan:  # the legacy papers take the font places in turn
            if name.startswith(("tcvn3", "vni", "mixed")) and name != "tcvn3-txt":
                styles[paper.index] = STYLES[len(styles) % len(STYLES)]

        def legacy(paper: Paper, name: str) -> bytes:
            encoding = "tcvn3" if name.startswith(("tcvn3", "mixed")) else "vni"
            return legacy_docx(paper.docx, encoding, styles.get(paper.index, "runs"),
                               unicode_header=name == "mixed-docx")

        def add(name: str, paper: Paper, path: Path, text: str | None = None, pages: int | None = None,
                legacy_style: bool = False) -> None:
            samples.append(Sample(path=path, format=name, text=paper.text if text is None else text,
                                  header=paper.header, paper=paper.index, encoding=FORMATS[name][0],
                                  style=styles.get(paper.index, "") if legacy_style else "", pages=pages,
                                  news=paper.news))

        # Word files written directly, and the sources of LibreOffice's copies
        sources: dict[str, list[tuple[Paper, Path]]] = {}
        for name, paper in plan:
            stem = stems[paper.index]
            if name in ("unicode-docx", "tcvn3-docx", "vni-docx", "mixed-docx"):
                t = time.perf_counter()
                path = out / f"{stem}.docx"
                path.write_bytes(paper.docx if name == "unicode-docx" else legacy(paper, name))
                add(name, paper, path, legacy_style=name != "unicode-docx")
                timed(name, t)
            elif name == "tcvn3-txt":
                t = time.perf_counter()
                data, expected = tcvn3_text_file(paper.text)
                path = out / f"{stem}.txt"
                path.write_bytes(data)
                add(name, paper, path, text=expected)
                timed(name, t)
            elif name in SOFFICE_FORMATS:
                t = time.perf_counter()
                source_format = SOFFICE_FORMATS[name][0]
                source = work / "src" / f"{stem}.docx"
                source.parent.mkdir(exist_ok=True)
                source.write_bytes(paper.docx if source_format == "unicode-docx"
                                   else legacy(paper, source_format))
                sources.setdefault(name, []).append((paper, source))
                timed(name, t)
        # one LibreOffice batch per target format
        by_target: dict[str, list[tuple[str, Paper, Path]]] = {}
        for name, pairs in sources.items():
            target = SOFFICE_FORMATS[name][1]
            by_target.setdefault(target, []).extend((name, paper, src) for paper, src in pairs)
        for target, batch in by_target.items():
            t = time.perf_counter()
            converted = lo.convert([src for _, _, src in batch], target, work / f"out-{target}")
            share = (time.perf_counter() - t) / len(batch)
            for (name, paper, _src), made in zip(batch, converted, strict=True):
                path = out / made.name
                shutil.move(made, path)
                add(name, paper, path, pages=pdf_pages(path) if target == "pdf" else None,
                    legacy_style=name.startswith(("tcvn3", "vni")))
                seconds[name] = seconds.get(name, 0.0) + share
        # images: papers cut to their pages, printed, rasterised
        wanted = {"scan": scan_pages, "png": 1, "tif": 2}
        images = [(name, paper, wanted[name]) for name, paper in plan if name in IMAGE_FORMATS]
        if images:
            t = time.perf_counter()
            cut = _cut_to_pages(images, lo, work)
            share = (time.perf_counter() - t) / len(images)
            for name, _paper, _pages in images:
                seconds[name] = seconds.get(name, 0.0) + share
            for name, paper, _pages in images:
                t = time.perf_counter()
                pdf, text = cut[paper.index]
                pngs = rasterise(pdf, work / "pages")
                stem = stems[paper.index]
                if name == "scan":
                    path = out / f"{stem}.pdf"
                    image_pdf(pngs, path)
                elif name == "png":
                    path = out / f"{stem}.png"
                    pngs = pngs[:1]
                    image_png(pngs[0], path)
                else:
                    path = out / f"{stem}.tif"
                    image_tif(pngs, path)
                add(name, paper, path, text=text, pages=len(pngs))
                timed(name, t)
    seconds["total"] = time.perf_counter() - started
    order = {name: i for i, name in enumerate(FORMATS)}
    samples.sort(key=lambda s: (order[s.format], s.paper))
    manifest = {"count": count, "kinds": list(kinds), "seed": seed, "formats": counts,
                "villages": list(villages or (PROFILE_VILLAGE,)), "scan_pages": scan_pages,
                "news": bool(paragraphs), "seconds": seconds,
                "samples": [s.to_json(out) for s in samples]}
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), "utf-8")
    return samples


def _cut_to_pages(images: list[tuple[str, Paper, int]], lo: Soffice, work: Path
                  ) -> dict[int, tuple[Path, str]]:
    """paper index → (its PDF, its expected text) with the paper cut to at most its
    pages: blocks kept by a budget of characters, then fewer until LibreOffice's PDF
    has no more pages than asked."""
    keep: dict[int, int] = {}
    docs: dict[int, bytes] = {}
    for _name, paper, pages in images:
        sizes = body_blocks(paper.docx)
        budget, total, n = 1500 * pages - 250, 0, 0
        for size in sizes:
            if n and total + size > budget:
                break
            total += size
            n += 1
        keep[paper.index] = n
    todo = {paper.index: (paper, pages) for _n, paper, pages in images}
    done: dict[int, tuple[Path, str]] = {}
    for round_ in range(6):
        batch: list[Path] = []
        folder = work / f"cut-{round_}"
        folder.mkdir(parents=True, exist_ok=True)
        for index, (paper, _pages) in todo.items():
            docs[index] = trim_docx(paper.docx, keep[index])
            src = folder / f"{index:04d}-cut.docx"
            src.write_bytes(docs[index])
            batch.append(src)
        pdfs = lo.convert(batch, "pdf", folder / "pdf")
        again: dict[int, tuple[Paper, int]] = {}
        for (index, (paper, pages)), pdf in zip(todo.items(), pdfs, strict=True):
            if pdf_pages(pdf) > pages and keep[index] > 2 and round_ < 5:
                keep[index] = max(2, keep[index] - max(1, keep[index] // 8))
                again[index] = (paper, pages)
            else:
                done[index] = (pdf, unicodedata.normalize("NFC", docx_text(docs[index])))
        if not again:
            break
        todo = again
    return done


# ---------------------------------------------------------------------- cache
def _source_hash() -> str:
    digest = hashlib.sha256(Path(__file__).read_bytes())
    watched = [*sorted(EXAMPLES.glob("*.yaml")), EXAMPLES / "docgen.toml",
               *sorted((REPO / "templates" / "docx").glob("*.docx")),
               *sorted((REPO / "docgen" / "kinds").glob("*.py")),
               *sorted((REPO / "docgen" / "render").glob("*.py")),
               *sorted((REPO / "docgen" / "model").glob("*.py")),
               REPO / "docgen" / "vn" / "legacy.py", REPO / "docgen" / "docxtext.py"]
    for path in watched:
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def corpus_key(count: int, kinds: Sequence[str] | None, seed: int,
               formats: set[str] | Mapping[str, int] | None, villages: Sequence[str] | None,
               news: Path | None, scan_pages: int) -> str:
    counts = _counts(set(FORMATS) if formats is None else formats, count)
    news_id = None
    if news is not None and news.is_file():
        stat = news.stat()
        news_id = [str(news), stat.st_size, int(stat.st_mtime)]
    params = json.dumps({"count": count, "kinds": list(kinds or KIND_NAMES), "seed": seed,
                         "formats": counts, "villages": list(villages or (PROFILE_VILLAGE,)),
                         "news": news_id, "scan_pages": scan_pages, "source": _source_hash()},
                        sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(params.encode()).hexdigest()[:20]


def load_corpus(folder: Path) -> list[Sample]:
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    return [Sample.from_json(s, folder) for s in manifest["samples"]]


def corpus_seconds(folder: Path) -> dict[str, float]:
    """Seconds each step of the build of ``folder`` took (render, each format, total)."""
    seconds: dict[str, float] = json.loads((folder / "manifest.json").read_text("utf-8"))["seconds"]
    return seconds


def cache_root() -> Path:
    return Path(os.environ.get("DOCGEN_IMPORT_CORPUS") or CACHE)


STALE_DAYS = 7


def _prune(root: Path) -> None:
    """Remove sets of this cache not used for STALE_DAYS days (older parameters or an
    older corpus.py), and temporary folders of builds that died."""
    limit = time.time() - STALE_DAYS * 86400
    for entry in root.iterdir():
        manifest = entry / "manifest.json"
        try:
            stamp = manifest.stat().st_mtime if manifest.is_file() else entry.stat().st_mtime
        except OSError:
            continue
        if entry.is_dir() and stamp < limit:
            shutil.rmtree(entry, ignore_errors=True)


def cached_corpus(count: int, kinds: Sequence[str] | None = None, seed: int = 13,
                  formats: set[str] | Mapping[str, int] | None = None, *,
                  villages: Sequence[str] | None = None, news: Path | None = NEWS,
                  scan_pages: int = 1, root: Path | None = None) -> tuple[Path, list[Sample]]:
    """(the folder, the samples) of the test set with these parameters, built once
    (see build_corpus) and kept under ``root`` (default cache_root())."""
    root = root or cache_root()
    folder = root / corpus_key(count, kinds, seed, formats, villages, news, scan_pages)
    manifest = folder / "manifest.json"
    if manifest.is_file():
        manifest.touch()  # in use: kept by _prune
        return folder, load_corpus(folder)
    root.mkdir(parents=True, exist_ok=True)
    _prune(root)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=root))
    try:
        build_corpus(tmp, count, kinds, seed, formats, villages=villages, news=news,
                     scan_pages=scan_pages)
        try:
            os.rename(tmp, folder)
        except OSError:
            if not (folder / "manifest.json").is_file():  # not a lost race: a real error
                raise
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return folder, load_corpus(folder)


# The set the tests use (test_corpus.py builds and checks it, test_import_accuracy.py
# imports it): 3 of each Word-like format, 3 text PDFs, 3 scanned pages.
SMALL_FORMATS: dict[str, int] = {
    "unicode-docx": 2, "tcvn3-docx": 3, "vni-docx": 3, "mixed-docx": 3, "tcvn3-doc": 3,
    "vni-doc": 3, "unicode-odt": 1, "tcvn3-odt": 1, "unicode-rtf": 1, "tcvn3-rtf": 2,
    "tcvn3-txt": 2, "pdf": 3, "scan": 1, "png": 1, "tif": 1,
}
SMALL_KINDS = ("nghi-quyet", "bien-ban-thuong-ky", "ke-hoach-chuyen-de", "bien-ban-chuyen-de",
               "nghi-quyet-ket-nap", "de-cuong-chuyen-de", "trich-bien-ban", "bao-cao",
               "bien-ban-hop-chi-uy", "nghi-quyet-chuyen-chinh-thuc", "bien-ban-danh-gia-xep-loai")


def small_corpus() -> tuple[Path, list[Sample]]:
    """The tests' set (cached): SMALL_FORMATS of SMALL_KINDS, the profile's cell."""
    return cached_corpus(3, SMALL_KINDS, 13, SMALL_FORMATS)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=3)
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--villages", action="store_true", help="cells of several villages")
    parser.add_argument("--scan-pages", type=int, default=1)
    args = parser.parse_args(argv)
    samples = build_corpus(args.out, args.count, None, args.seed, set(args.formats.split(",")),
                           villages=VILLAGES if args.villages else None, scan_pages=args.scan_pages)
    for name, secs in corpus_seconds(args.out).items():
        print(f"{name:14} {secs:7.2f} s")
    print(f"{len(samples)} samples in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
