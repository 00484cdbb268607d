"""The HD 36 header of an old paper: who issued it, its number, place and date, its type
name and trích yếu, and the docgen kind it files under.

A Party paper opens with a two-column block (domain reference §1.3–1.6)::

    ĐẢNG BỘ XÃ QUANG KIM                 ĐẢNG CỘNG SẢN VIỆT NAM
    CHI BỘ THÔN AN THÀNH                 ──────────────────────
            *                       Quang Kim, ngày 10 tháng 3 năm 2026
    Số 05-NQ/CB

                           NGHỊ QUYẾT
           lãnh đạo thực hiện nhiệm vụ tháng 3 năm 2026
                              -----

The readers (docgen.importing.recovered) give it in three shapes: a Table (Word files;
PDFs and scans rebuilt from word positions, one row or a row per printed line), or plain
lines where OCR merged the two columns ("ĐẢNG BỘ XÃ QUANG KIM ĐẢNG CỘNG SẢN VIỆT NAM",
"* Quang Kim, ngày …"). Every piece is looked for by pattern, accent- and case-folded
(``docgen.vn.fold``) with a map back to the printed text, so unaccented, lowercase and
OCR-damaged headers ("S6 O5 - NQ / CB") read too, and old forms ("Số: 05/NQ-CB") as
well as HD 36's. Each field gets a confidence; what a reviewer should check is said in
``notes``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Literal

from docgen.i18n import Msg
from docgen.importing.recovered import Paragraph, Recovered, Table
from docgen.kinds import KINDS, OTHER_KIND, Kind
from docgen.search.topicmatch import suggest_topics
from docgen.vn import clean, fold

# OTHER_KIND (docgen.kinds): a paper whose type docgen does not write (thông báo, công
# văn, quyết định, tờ trình, a plan that is not a topical-session plan…), filed under it
# with its type symbol.
__all__ = ["OTHER_KIND", "Header", "choose_kind", "header_fields_match", "parse_header",
           "valid_date"]

FIRST_YEAR = 1930  # the Party's founding: no paper is older

# HD 36 §1.4: the Party's type symbols and the type names printed above the trích yếu.
# The registry's kinds (docgen/kinds) add theirs. "" : a type never numbered.
PARTY_TYPES: tuple[tuple[str, str], ...] = (
    ("NQ", "NGHỊ QUYẾT"), ("BB", "BIÊN BẢN"), ("TrBB", "TRÍCH BIÊN BẢN"), ("KH", "KẾ HOẠCH"),
    ("BC", "BÁO CÁO"), ("TB", "THÔNG BÁO"), ("CTr", "CHƯƠNG TRÌNH"), ("TTr", "TỜ TRÌNH"),
    ("QĐ", "QUYẾT ĐỊNH"), ("QĐi", "QUY ĐỊNH"), ("CV", "CÔNG VĂN"), ("KL", "KẾT LUẬN"),
    ("HD", "HƯỚNG DẪN"), ("QC", "QUY CHẾ"), ("ĐA", "ĐỀ ÁN"), ("PA", "PHƯƠNG ÁN"),
    ("CT", "CHỈ THỊ"), ("TT", "THÔNG TRI"), ("", "ĐỀ CƯƠNG"), ("", "GIẤY GIỚI THIỆU"),
)
# Issuer symbols as printed (OCR and unaccented text lose the Đ).
ISSUER_SYMBOLS = ("CB", "ĐU", "ĐUK", "HU", "TU", "QU", "TW", "ĐB", "BTV")

# The kind a type name files under when its trích yếu names no other kind of that type is
# the registry's ``Kind.general`` one; a type with none among its kinds (KẾ HOẠCH: docgen
# only writes the topical-session plan) files under OTHER_KIND unless a cue matches; cues
# beyond a kind's labels and aliases are its ``Kind.header_cues``.

FIELDS = ("superior", "cell", "number", "type_symbol", "issuer_symbol", "place", "date", "type_name",
          "summary", "kind")
KEY_FIELDS = ("number", "type", "date", "cell")

_ORG_PREFIXES = ("chi bo", "dang bo", "dang uy", "chi uy", "huyen uy", "tinh uy", "thanh uy", "quan uy",
                 "thi uy", "ban chap hanh", "ban thuong vu", "uy ban kiem tra", "ban to chuc", "ban tuyen giao",
                 "dang doan", "ban can su", "van phong")
_COMMUNE_WORDS = ("xa", "phuong", "thi tran", "dac khu")

# --- patterns over folded text (lowercase ASCII letters, đ → d) -------------------------

_TITLE = re.compile(r"dang\s*cong\s*san\s*viet\s*nam")
_RULE = re.compile(r"[-_=~\u2012-\u2015\u2500\u2501]{3,}|(?:-\s){3,}-?")
_NUMBER = re.compile(
    r"(?<![a-z0-9])s\s?[o06ð](?![a-z])"  # Số; OCR: S6, Sô, Sỗ, S0, Sð
    r"\s*[:;.]?\s*"
    r"(?P<num>[0-9oli|]{1,4})?"
    r"(?P<blank>[\s.…_]*)"
    r"(?P<sep1>[-\u2013\u2014/])\s*"
    r"(?P<type>[a-z]{1,5}|[a-z](?:\s[a-z]){1,3}(?![a-z]))"
    r"\s*(?P<sep2>[-\u2013\u2014/])\s*"
    r"(?P<iss>[a-z](?:\s[a-z]){1,4}(?![a-z])|[a-z]{1,8})(?![a-z])"
)
_D = r"(?:\d\s?\d|\d[oli]|[oli]\d|\d)"
_Y = r"(?:[12](?:\s?[0-9oli]){3})"
_SEP = r"[\s,.:;\-]*"  # OCR turns spaces into dots, colons, hyphens
_DATE_WORDS = re.compile(
    rf"(?:(?<![a-z0-9])ngay\s*|(?<![0-9a-z]))(?P<d>{_D}){_SEP}thang{_SEP}(?P<m>{_D}){_SEP}nam{_SEP}(?P<y>{_Y})(?![0-9])")
_DATE_NUMERIC = re.compile(
    r"(?:(?<![a-z0-9])ngay\s*|(?<![0-9]))(?P<d>\d{1,2})\s*(?P<s>[/.\-])\s*(?P<m>\d{1,2})\s*(?P=s)\s*(?P<y>\d{4})(?![0-9])")
_DRAFT = re.compile(r"^\W*(?:du\s*thao)\W*$")
_BODY_START = re.compile(
    r"^\W*(?:can\s*cu|hom\s*nay|thoi\s*gian|vao\s*luc|vao\s*hoi|thuc\s*hien|dia\s*diem|thanh\s*phan|kinh\s*gui"
    r"|chu\s*de\s*:|chuyen\s*de\s*:|nguoi\s*chuan\s*bi|trich\s*bien\s*ban\s*so|sau\s*khi|quyet\s*nghi)"
    r"|^\s*(?:[ivx]{1,4}|\d{1,2}|[a-d])\s*[.)\-]\s"
    r"|^\s*[-+\u2022]\s")
_DIGIT_FIX = str.maketrans({"o": "0", "l": "1", "i": "1", "|": "1"})
_STAR = "*\u2605\u2736\u2731\u2022\u00b7"
_SUMMARY_LINES = 3
_TEXT_HEADER_LINES = 14  # lines of a paper without a table looked at for the header
_BODY_DATE_LINES = 8  # body lines looked at for the meeting date


@dataclass(frozen=True)
class Header:
    """What the HD 36 header of one old paper says (None: not found)."""

    superior: str | None = None  # "ĐẢNG BỘ XÃ QUANG KIM"
    cell: str | None = None  # issuing cell as printed, or the known cell's spelling
    cell_known: bool = False  # the cell is one of the archive's (``cells``)
    number: int | None = None  # 5 for "Số 05-NQ/CB"; None when blank or not found
    type_symbol: str | None = None  # "NQ"
    issuer_symbol: str | None = None  # "CB"
    number_raw: str | None = None  # "Số 05-NQ/CB" as found
    place: str | None = None  # "Quang Kim"
    date: dt.date | None = None
    date_source: Literal["header", "body", ""] = ""  # where the date was read
    type_name: str | None = None  # "NGHỊ QUYẾT" (the Party's spelling, whatever was printed)
    summary: str | None = None  # trích yếu as printed, lines joined
    title: str | None = None  # type name + " " + summary, as docgen titles its papers
    kind: str | None = None  # a registry kind, OTHER_KIND, or None (no type found)
    topics: tuple[str, ...] = ()
    confidence: dict[str, float] = field(default_factory=dict)  # per field of FIELDS, 0..1
    overall: float = 0.0
    missing: tuple[str, ...] = KEY_FIELDS  # among number/type/date/cell
    has_header: bool = False  # something HD 36-like was found
    notes: tuple[Msg, ...] = ()


# --- folded text with a map back to the printed characters -----------------------------


class _Folded:
    """``fold`` of a text, character by character, remembering where each folded
    character came from (fold drops marks, so positions differ)."""

    def __init__(self, text: str) -> None:
        self.text = text
        parts: list[str] = []
        origin: list[int] = []
        for i, ch in enumerate(text):
            folded = fold(ch) if ord(ch) > 127 else ch.lower()
            parts.append(folded)
            origin.extend([i] * len(folded))
        self.folded = "".join(parts)
        self.origin = origin

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The printed span of folded ``[start, end)``."""
        if start >= len(self.origin):
            return len(self.text), len(self.text)
        if end <= start:
            return self.origin[start], self.origin[start]
        return self.origin[start], self.origin[end - 1] + 1

    def original(self, start: int, end: int) -> str:
        a, b = self.span(start, end)
        return self.text[a:b]


def _squash(text: str) -> str:
    return " ".join(text.split())


def _compact(text: str) -> str:
    """Folded letters and digits only: "CHI BỘ THÔN AN THÀNH" → "chibothonanthanh"."""
    return re.sub(r"[^a-z0-9]", "", fold(text))


def _fold_words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", fold(text)))


def _org_words(text: str) -> str:
    """Folded words with OCR's zero inside a word read as o ("CHI B0" → "chi bo")."""
    return re.sub(r"(?<=[a-z])0|0(?=[a-z])", "o", _fold_words(text))


def _is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


_ORG_COMPACT = tuple(p.replace(" ", "") for p in _ORG_PREFIXES)


def _org_like(text: str) -> bool:
    """The name of a Party organisation ("CHI BỘ …", "ĐẢNG BỘ XÃ …"; OCR: "CHIBỘ …")."""
    return _org_words(text).replace(" ", "").startswith(_ORG_COMPACT)


def _cell_like(text: str) -> bool:
    return _org_words(text).replace(" ", "").startswith(("chibo", "chiuy"))


def _strip_marks(text: str) -> str:
    """A fragment without the asterisk under the issuer, commas and stray punctuation."""
    return _squash(text.strip(_STAR + " ,;:.-\u2013\u2014_()[]|`'\"~\t\n"))


# --- the type names and kinds of the registry -------------------------------------------


@dataclass(frozen=True)
class _Types:
    by_symbol: dict[str, tuple[str, str]]  # folded symbol → (symbol as printed, type name)
    names: tuple[tuple[str, str], ...]  # (folded words, type name), longest first
    by_compact: dict[str, str]  # folded letters without spaces → type name ("decuong")
    pattern: re.Pattern[str]  # a type name at the start of a folded line
    kinds: dict[str, tuple[Kind, ...]]  # type name → the registry's kinds of it
    cues: dict[str, tuple[tuple[str, ...], ...]]  # kind name → folded word sequences


@lru_cache(maxsize=1)
def _types() -> _Types:
    pairs: dict[str, str] = {}
    by_symbol: dict[str, tuple[str, str]] = {}
    for symbol, name in PARTY_TYPES:
        pairs.setdefault(_fold_words(name), name)
        if symbol:
            by_symbol[fold(symbol)] = (symbol, name)
    kinds: dict[str, list[Kind]] = {}
    cues: dict[str, tuple[tuple[str, ...], ...]] = {}
    for kind in KINDS.values():
        name = kind.type_name
        pairs.setdefault(_fold_words(name), name)
        if kind.type_symbol:
            by_symbol.setdefault(fold(kind.type_symbol), (kind.type_symbol, name))
        if kind.code:
            by_symbol.setdefault(fold(kind.code), (kind.code, name))
        kinds.setdefault(name, []).append(kind)
        cues[kind.name] = _cues_of(kind)
    names = tuple(sorted(pairs.items(), key=lambda item: -len(item[0])))
    alternatives = "|".join(r"\s*".join(map(re.escape, folded.split())) for folded, _ in names)
    pattern = re.compile(rf"^[\W_]*(?P<t>{alternatives})(?![a-z0-9])")
    by_compact = {folded.replace(" ", ""): name for folded, name in names}
    return _Types(by_symbol, names, by_compact, pattern, {k: tuple(v) for k, v in kinds.items()}, cues)


def _cues_of(kind: Kind) -> tuple[tuple[str, ...], ...]:
    """The word sequences of a trích yếu that name ``kind``: its label and aliases
    without the type name ("Biên bản họp chi ủy" → "họp chi ủy"), and its header_cues."""
    type_words = _fold_words(kind.type_name).split()
    found: dict[tuple[str, ...], None] = {}
    for phrase in (kind.label.vi, *kind.aliases, *kind.header_cues):
        words = _fold_words(phrase).split()
        if words[:len(type_words)] == type_words:
            words = words[len(type_words):]
        if len(words) >= 2:  # one word ("tháng") names no kind
            found.setdefault(tuple(words), None)
    return tuple(found)


def _contains(words: Sequence[str], cue: Sequence[str]) -> bool:
    n = len(cue)
    return any(tuple(words[i:i + n]) == tuple(cue) for i in range(len(words) - n + 1))


def choose_kind(type_name: str | None, summary: str | None) -> tuple[str | None, float]:
    """The registry kind of a paper of ``type_name`` with trích yếu ``summary``, and how
    sure that is: the kind of that type whose label or alias the summary names (the
    longest one found), else the type's general kind, else OTHER_KIND; None without a
    type."""
    if type_name is None:
        return None, 0.0
    types = _types()
    candidates = types.kinds.get(type_name, ())
    if not candidates:
        return OTHER_KIND, 0.85
    words = _fold_words(summary or "").split()
    best: tuple[int, Kind] | None = None
    for kind in candidates:
        for cue in types.cues.get(kind.name, ()):
            if _contains(words, cue) and (best is None or len(cue) > best[0]):
                best = (len(cue), kind)
    if best is not None:
        return best[1].name, 0.9
    general = [k for k in candidates if k.general]
    if general:
        return general[0].name, 0.8 if summary else 0.6
    return OTHER_KIND, 0.7


# --- lines of the paper ------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    text: str
    bold: bool = False
    centered: bool = False
    upper: bool = False


def _paragraph_lines(block: Paragraph) -> list[_Line]:
    return [_Line(clean(part).strip(), block.bold, block.centered, block.upper or _is_upper(part))
            for part in (block.text.split("\n") or [""])]


def _table_lines(table: Table) -> list[_Line]:
    out: list[_Line] = []
    for row in table.rows:
        for cell in row:
            out.extend(_Line(clean(part).strip()) for part in cell.split("\n"))
    return out


def _header_table(table: Table) -> bool:
    text = "\n".join("\n".join(row) for row in table.rows)
    f = _Folded(clean(text)).folded
    return bool(_TITLE.search(f) or _NUMBER.search(f) or any(_org_like(line) for line in text.split("\n")))


def _header_line(text: str) -> bool:
    """A line only a header has: the Party's title, a number, a short organisation name."""
    f = _Folded(text).folded
    return bool(_TITLE.search(f) or _NUMBER.search(f) or (len(text) < 90 and _org_like(text)))


def _columns(table: Table) -> tuple[str, str]:
    """The left column's text and the right column's (a row per printed line or one row)."""
    left: list[str] = []
    right: list[str] = []
    for row in table.rows:
        cells = [clean(c) for c in row]
        if not cells:
            continue
        left.append(cells[0])
        right.extend(cells[1:])
    return "\n".join(left), "\n".join(right)


def _type_line(line: _Line, after_header: bool) -> tuple[str, str] | None:
    """(type name, rest of the line) when ``line`` starts with a Party type name printed
    as one: alone on its line, or in capitals, bold or centred."""
    f = _Folded(line.text)
    match = _types().pattern.match(f.folded)
    if match is None:
        return None
    name = _types().by_compact.get(re.sub(r"\s+", "", match.group("t")))
    if name is None:
        return None
    rest = _strip_marks(line.text[f.span(match.end(), len(f.folded))[0]:]) if match.end() < len(f.folded) else ""
    printed = f.original(match.start("t"), match.end("t"))
    if rest and not (line.bold or line.centered or _is_upper(printed) or (after_header and len(rest.split()) <= 16)):
        return None
    if len(rest.split()) > 30:  # a body paragraph that starts with the word
        return None
    return name, rest


def _has_date(text: str) -> bool:
    return _find_date(_Folded(text)) is not None


def _body_start(text: str) -> bool:
    return bool(_BODY_START.match(_Folded(text).folded)) or len(text) > 160


def _rule_line(text: str) -> bool:
    stripped = text.strip()
    return bool(stripped) and not re.sub(r"[-_=~.*\s\u2012-\u2015\u2500\u2501]", "", stripped) and len(stripped) >= 3


# --- what one stretch of header text holds -----------------------------------------------


@dataclass
class _NumberHit:
    raw: str
    number: int | None
    type_symbol: str
    issuer_symbol: str
    confidence: float
    ocr_fixed: bool


@dataclass
class _DateHit:
    date: dt.date | None
    lead: str  # the printed text before it on its line (the place, maybe after an org name)
    column: str
    confidence: float
    problem: Msg | None
    order: int  # where it was among the fragments


@dataclass
class _Scan:
    title: bool = False
    numbers: list[_NumberHit] = field(default_factory=list)
    dates: list[_DateHit] = field(default_factory=list)
    fragments: list[tuple[str, str]] = field(default_factory=list)  # (text, column), in order
    known_cells: list[tuple[str, int]] = field(default_factory=list)  # (known spelling, order)


def _symbol(printed: str, canonical: Iterable[str]) -> tuple[str, bool]:
    """A type or issuer symbol as printed, spaces gone; a known one in its own spelling
    ("du" → "ĐU"). The flag: it was rewritten (case or Đ)."""
    compact = re.sub(r"\s+", "", printed)
    key = fold(compact)
    for known in canonical:
        if fold(known) == key:
            return known, known != compact
    return compact.upper() if compact.islower() else compact, False


def _number_hit(f: _Folded, match: re.Match[str]) -> _NumberHit:
    raw = f.original(match.start(), match.end()).strip()
    digits = match.group("num")
    number: int | None = None
    ocr = False
    if digits:
        fixed = digits.translate(_DIGIT_FIX)
        ocr = fixed != digits
        number = int(fixed) if fixed.isdigit() and int(fixed) > 0 else None
    word = f.original(match.start(), match.start() + (3 if match.group(0)[1] == " " else 2))
    misread = word.replace(" ", "").lower() not in ("số", "so")
    types = _types()
    type_symbol, type_fixed = _symbol(f.original(match.start("type"), match.end("type")),
                                      [s for s, _ in types.by_symbol.values()])
    issuer, issuer_fixed = _symbol(f.original(match.start("iss"), match.end("iss")), ISSUER_SYMBOLS)
    confidence = 0.95
    old_form = (":" in match.group(0)[:6] or match.group("sep1") == "/" or
                re.search(r"\s[-\u2013\u2014/]|[-\u2013\u2014/]\s", match.group(0)) is not None)
    if old_form:
        confidence = 0.9
    if word.replace(" ", "").lower() == "so":
        confidence = min(confidence, 0.85)  # unaccented
    if ocr or misread or type_fixed or issuer_fixed:
        confidence = 0.75
    if fold(type_symbol) not in types.by_symbol:
        confidence = min(confidence, 0.6)
    return _NumberHit(raw, number, type_symbol, issuer, confidence, ocr)


def valid_date(day: int, month: int, year: int) -> tuple[dt.date | None, Msg | None]:
    """The date, or None with the reason (no such day; a year no paper can have)."""
    last = dt.date.today().year + 1
    if not FIRST_YEAR <= year <= last:
        return None, Msg(f"năm {year} không thể là năm của văn bản (phải từ {FIRST_YEAR} đến {last}); "
                         "hãy kiểm tra và ghi lại ngày",
                         f"the year {year} cannot be a paper's (it must be {FIRST_YEAR} to {last}); check the date")
    try:
        return dt.date(year, month, day), None
    except ValueError:
        return None, Msg(f"ngày không có thật: ngày {day} tháng {month} năm {year}; hãy xem bản gốc và ghi lại ngày",
                         f"no such date: {day}/{month}/{year}; check the original and enter the date")


def _digits(text: str) -> int:
    return int(re.sub(r"\s", "", text).translate(_DIGIT_FIX))


def _find_date(f: _Folded, start: int = 0) -> tuple[re.Match[str], bool] | None:
    """The first date in words ("ngày 10 tháng 3 năm 2026") or figures ("10/3/2026")
    from ``start``; the flag tells figures."""
    words = _DATE_WORDS.search(f.folded, start)
    numeric = _DATE_NUMERIC.search(f.folded, start)
    if words and (numeric is None or words.start() <= numeric.start()):
        return words, False
    if numeric:
        return numeric, True
    return None


def _date_of(f: _Folded, match: re.Match[str], numeric: bool) -> tuple[dt.date | None, float, Msg | None]:
    date, problem = valid_date(_digits(match.group("d")), _digits(match.group("m")), _digits(match.group("y")))
    printed = f.original(match.start(), match.end())
    confidence = 0.8 if numeric else 0.95
    if printed.isascii() and not numeric:
        confidence = 0.85  # unaccented: typed without Vietnamese, or OCR lost the marks
    if re.search(r"[oli]", match.group("d") + match.group("m") + match.group("y")):
        confidence = 0.7
    return date, confidence, problem


def _scan(text: str, column: str, scan: _Scan, cells: Sequence[str]) -> None:
    """Find the title, rules, number, known cells and date in ``text`` (one column, or the
    merged lines); what is left is fragments: the names of the superior and the cell."""
    f = _Folded(text)
    masked = list(f.folded)

    def mask(start: int, end: int) -> None:
        masked[start:end] = "\x00" * (end - start)

    def current() -> str:
        return "".join(masked)

    for match in list(_TITLE.finditer(current())):
        scan.title = True
        mask(match.start(), match.end())
    for match in list(_NUMBER.finditer(current())):
        scan.numbers.append(_number_hit(f, match))
        mask(match.start(), match.end())
    marks: dict[int, tuple[str, int]] = {}  # folded position → (a known cell found there, its end)
    for cell in sorted(cells, key=len, reverse=True):
        words = re.findall(r"[a-z0-9]+", fold(cell))
        if not words:
            continue
        pattern = re.compile(r"(?<![a-z0-9])" + r"\W*".join(map(re.escape, words)) + r"(?![a-z0-9])")
        for match in list(pattern.finditer(current())):
            marks[match.start()] = (cell, match.end())
            mask(match.start(), match.end())
    dates: dict[int, tuple[re.Match[str], bool]] = {}
    position = 0
    while (found := _find_date(_FoldedView(current(), f), position)) is not None:
        match, numeric = found
        if numeric and "/" not in match.group(0) and column != "right" and "ngay" not in match.group(0):
            position = match.end()  # "05-02-2018" outside the date column: not a date line
            continue
        dates[match.start()] = (match, numeric)
        mask(match.start(), match.end())
        position = match.end()
    for match in list(_RULE.finditer(current())):
        mask(match.start(), match.end())
    # Fragments: runs of unmasked text, cut at line ends; a date takes the run before it.
    folded = current()
    i = 0
    run_start: int | None = None

    def flush(end: int) -> None:
        if run_start is not None:
            a, b = f.span(run_start, end)
            piece = f.text[a:b]
            for part in piece.split("\n"):
                if _strip_marks(part):
                    scan.fragments.append((part, column))

    while i < len(folded):
        if i in marks:
            flush(i)
            run_start = None
            cell, i = marks[i]
            scan.known_cells.append((cell, len(scan.fragments)))
            scan.fragments.append((cell, column))
            continue
        if i in dates:
            match, numeric = dates[i]
            lead = ""
            if run_start is not None:
                a, b = f.span(run_start, i)
                lead = f.text[a:b].split("\n")[-1]
                head = f.text[a:b].rsplit("\n", 1)[0] if "\n" in f.text[a:b] else ""
                for part in head.split("\n"):
                    if _strip_marks(part):
                        scan.fragments.append((part, column))
            date, confidence, problem = _date_of(f, match, numeric)
            scan.dates.append(_DateHit(date, lead, column, confidence, problem, len(scan.fragments)))
            run_start = None
            i = match.end()
            continue
        if folded[i] == "\x00":
            flush(i)
            run_start = None
        elif run_start is None:
            run_start = i
        i += 1
    flush(len(folded))


class _FoldedView(_Folded):
    """A masked copy of a folded text, sharing the printed text's map."""

    def __init__(self, masked: str, base: _Folded) -> None:  # no fold again
        self.text = base.text
        self.folded = masked
        self.origin = base.origin


# --- putting the pieces together ----------------------------------------------------------


def _split_place(lead: str, column: str, superior: str | None) -> tuple[str | None, str | None, float]:
    """(org text, place, place confidence) from the text before a date on its line."""
    words = _strip_marks(lead).split()
    # What OCR made of the asterisk under the cell (": 5", "+", "x"): no letter, or a
    # lone consonant (a Vietnamese one-letter syllable is a vowel: "Ô Môn").
    while len(words) > 1 and (not any(c.isalpha() for c in words[0])
                              or (len(words[0]) == 1 and fold(words[0]) not in "aeiouy")):
        words.pop(0)
    text = _strip_marks(" ".join(words))
    words = text.split()
    if not text:
        return None, None, 0.0
    if column == "right":
        return None, text, 0.9
    commune = _commune(superior)
    if commune and len(words) > len(commune) and [_fold_words(w) for w in words[-len(commune):]] == commune:
        # The place is the commune of the superior ("ĐẢNG BỘ XÃ QUANG KIM" → "Quang Kim"):
        # what comes before it on the line is the cell's name, however damaged.
        n = len(commune)
        return _strip_marks(" ".join(words[:-n])) or None, " ".join(words[-n:]), 0.8
    upper = 0
    while upper < len(words) and (_is_upper(words[upper]) or not any(c.isalpha() for c in words[upper])):
        upper += 1
    if 0 < upper < len(words) and _org_like(" ".join(words[:upper])):
        return " ".join(words[:upper]), " ".join(words[upper:]), 0.85
    if 1 < upper < len(words) and words[upper][:1].isupper():
        # Capitals, then a capitalised place: a damaged cell name ("CHIBỤ THÔN AN NH Quang Kim").
        return " ".join(words[:upper]), " ".join(words[upper:]), 0.7
    if _org_like(text):  # an org name and the place in one case, no commune to cut at
        if len(words) > 4:
            return " ".join(words[:-2]), " ".join(words[-2:]), 0.4
        return text, None, 0.0
    return None, text, 0.85


def _commune(superior: str | None) -> list[str] | None:
    if not superior:
        return None
    words = _fold_words(superior).split()
    for marker in _COMMUNE_WORDS:
        m = marker.split()
        for i in range(len(words) - len(m)):
            if words[i:i + len(m)] == m:
                return words[i + len(m):] or None
    return None


# Words every cell name shares ("CHI BỘ THÔN …"): a close match must be close in the rest.
_GENERIC = frozenset({"chi", "bo", "chibo", "thon", "xom", "lang", "ban", "buon", "ap", "khom", "to", "dan", "pho",
                      "khu", "cu", "so", "tdp"})


def _distinctive(text: str) -> str:
    """The part of a cell's name that tells it from the others: "CHI BỘ THÔN AN THÀNH" →
    "anthanh". OCR's misreadings of "CHI BỘ" at the start ("GHI", "CHIBỤ", "EBIBO") go too."""
    words = _org_words(text).split()
    for _ in range(2):
        if words and words[0] not in _GENERIC and len(words[0]) <= 6 and max(
                SequenceMatcher(None, words[0], generic).ratio() for generic in ("chi", "bo", "chibo")) >= 0.6:
            words = words[1:]
    return "".join(w for w in words if w not in _GENERIC)


def _close_cell(text: str, cells: Sequence[str]) -> tuple[str, float] | None:
    """The known cell ``text`` is a misread spelling of, with the confidence of that:
    the same name once the words every cell has are left out ("CHI B0 THÔN AN THÀNH"),
    or a name whose letters all appear in order in one known cell's, clearly more than
    in any other ("CHIBỤ THÔN AN NH" → "CHI BỘ THÔN AN THÀNH"). A different name in the
    same village ("CHI BỘ THÔN AN LẠC") is not close."""
    words = _org_words(text).split()
    numbers = [w for w in words if w.isdigit()]
    own = _distinctive(text)
    if not own:
        return None
    scored: list[tuple[float, float, str]] = []
    for cell in cells:
        if [w for w in _org_words(cell).split() if w.isdigit()] != numbers:  # "SỐ 5" is not "SỐ 12"
            continue
        theirs = _distinctive(cell)
        matcher = SequenceMatcher(None, own, theirs)
        covered = sum(block.size for block in matcher.get_matching_blocks()) / len(own)
        scored.append((matcher.ratio(), covered, cell))
    scored.sort(reverse=True)
    if not scored:
        return None
    ratio, covered, cell = scored[0]
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    if ratio >= 0.85 and ratio - runner_up >= 0.05:
        return cell, 0.75
    if covered >= 0.8 and ratio >= 0.6 and ratio - runner_up >= 0.15:
        return cell, 0.55
    return None


def _match_cell(text: str, cells: Sequence[str]) -> tuple[str, bool, float, Msg | None]:
    """(cell spelling, known, confidence, note) for an issuer name found as printed."""
    compact = _compact(text)
    for cell in cells:
        if _compact(cell) == compact:
            return cell, True, 1.0, None
    found = _close_cell(text, cells)
    if found is not None:
        close, confidence = found
        return close, True, confidence, Msg(
            f"tên chi bộ in là \"{text}\", gần giống \"{close}\" nên đã lấy \"{close}\"; hãy kiểm tra",
            f"the cell is printed \"{text}\", close to \"{close}\", so \"{close}\" was taken; check it")
    confidence = 0.8 if _cell_like(text) else 0.55
    note = None
    if cells:
        confidence -= 0.1
        note = Msg(f"chi bộ \"{text}\" không có trong danh sách chi bộ của kho lưu trữ; hãy kiểm tra tên "
                   "hoặc thêm tên cũ của chi bộ vào hồ sơ",
                   f"the cell \"{text}\" is not among the archive's cells; check the name or add it as a "
                   "former name of the cell")
    return text, False, confidence, note


def _texts_of(pairs: list[tuple[int, str]]) -> dict[int, str]:
    return dict(pairs)


def _organisations(fragments: list[tuple[str, str]], known: list[tuple[str, int]], cells: Sequence[str]
                   ) -> tuple[str | None, str | None, int | None]:
    """(superior, cell as printed, the cell's fragment index) from the left column's
    fragments: the cell is a known cell, else the first "CHI BỘ …", else the last name of
    an organisation; the superior is the name above it."""
    left = [(i, _strip_marks(t)) for i, (t, column) in enumerate(fragments) if column != "right"]
    left = [(i, t) for i, t in left if re.search(r"\w\w", t)]
    if not left:
        return None, None, None
    cell_at: int | None = None
    if known:
        cell_at = known[0][1]
    else:
        for i, t in left:
            if _cell_like(t) or _close_cell(t, cells) is not None:
                cell_at = i
                break
        if cell_at is None:
            orgs = [i for i, t in left if _org_like(t)]
            if len(orgs) > 1:
                cell_at = orgs[-1]
            elif orgs:  # one name alone, not a cell's: the superior (the cell's line is lost)
                return _texts_of(left)[orgs[0]], None, None
    if cell_at is None:
        return None, None, None
    texts = dict(left)
    cell = texts.get(cell_at, _strip_marks(fragments[cell_at][0]))
    following = [(i, t) for i, t in left if i > cell_at]
    if not known and following:  # a cell name wrapped over two lines ("CHI BỘ TỔ DÂN PHỐ" / "SỐ 5")
        i, t = following[0]
        if i == cell_at + 1 and _is_upper(t) and not _org_like(t) and len(t.split()) <= 3 and _is_upper(cell):
            cell = f"{cell} {t}"
    before = [t for i, t in left if i < cell_at and (_org_like(t) or _is_upper(t))]
    superior = before[-1] if before else None
    if superior is None and not _cell_like(cell):
        return None, cell, cell_at
    return superior, cell, cell_at


def _ocr_factor(rec: Recovered) -> float:
    if rec.ocr is None:
        return 1.0
    return 0.6 + 0.4 * max(0.0, min(1.0, rec.ocr.confidence))


def _body_date(lines: Sequence[_Line]) -> tuple[dt.date | None, float, Msg | None]:
    """The meeting date stated in the first lines of the body ("Hôm nay, vào lúc 19 giờ
    30 phút, ngày 10 tháng 3 năm 2026", "- Thời gian: … ngày 10/3/2026")."""
    cue = re.compile(r"^\W*(?:hom\s*nay|vao\s*luc|vao\s*hoi|thoi\s*gian|ngay\s*\d)")
    for line in list(lines)[:_BODY_DATE_LINES]:
        f = _Folded(line.text)
        if not cue.match(f.folded):
            continue
        found = _find_date(f)
        if found is None:
            continue
        date, confidence, problem = _date_of(f, *found)
        return date, min(confidence, 0.6), problem
    return None, 0.0, None


def parse_header(rec: Recovered, cells: Sequence[str] = ()) -> Header:
    """Read the HD 36 header of ``rec``. ``cells``: the archive's cells as printed in
    headers (current and former names): a cell found matching one after folding takes
    its spelling and ``cell_known``."""
    cells = tuple(clean(c).strip() for c in cells if c and c.strip())
    blocks = list(rec.blocks)
    table_at: int | None = None
    for i, block in enumerate(blocks[:4]):
        if isinstance(block, Table) and _header_table(block):
            table_at = i
            break
        if isinstance(block, Paragraph) and block.text.strip() and table_at is None and i >= 2:
            break
    flow: list[_Line] = []
    for i, block in enumerate(blocks):
        if i == table_at:
            continue
        if table_at is not None and i < table_at:
            continue  # a form number or a blank above the header table
        if isinstance(block, Paragraph):
            flow.extend(_paragraph_lines(block))
        else:
            flow.extend(_table_lines(block))
    # The type name: the first line that starts with one, within the header's reach.
    reach = 8 if table_at is not None else _TEXT_HEADER_LINES
    type_at: int | None = None
    type_found: tuple[str, str] | None = None
    seen = 0
    after_header = table_at is not None
    for i, line in enumerate(flow):
        if not line.text:
            continue
        seen += 1
        if seen > reach:
            break
        found = _type_line(line, after_header)
        if found is not None:
            type_at, type_found = i, found
            break
        after_header = after_header or _header_line(line.text)
    # The header's own lines: the table, and lines above the type name.
    if type_at is not None:
        head = [line.text for line in flow[:type_at] if line.text and not _DRAFT.match(fold(line.text))]
    else:
        head = []
        for line in flow:
            if not line.text:
                continue
            if len(head) >= (3 if table_at is not None else 10) or len(line.text) > 100:
                break
            if _body_start(line.text) and not _header_line(line.text) and not _has_date(line.text):
                break
            head.append(line.text)
    scan = _Scan()
    if table_at is not None:
        table = blocks[table_at]
        assert isinstance(table, Table)
        left, right = _columns(table)
        _scan(left, "left", scan, cells)
        _scan(right, "right", scan, cells)
    if head:
        _scan("\n".join(head), "any", scan, cells)

    notes: list[Msg] = []
    confidence: dict[str, float] = dict.fromkeys(FIELDS, 0.0)
    factor = _ocr_factor(rec)

    # Superior and cell.
    superior, cell_printed, cell_index = _organisations(scan.fragments, scan.known_cells, cells)
    date_hit = next((d for d in scan.dates if d.column == "right"), None) or (scan.dates[0] if scan.dates else None)
    place: str | None = None
    if date_hit is not None:
        org, place, confidence["place"] = _split_place(date_hit.lead, date_hit.column, superior)
        # The capitals before the place on a merged line are the cell's name when no
        # better one was found above it (the issuer's line is below the superior's).
        if org and cell_printed is None:
            cell_printed = org
        elif (org and not scan.known_cells and cell_index is not None and cell_index < date_hit.order
              and (_cell_like(org) or not _cell_like(cell_printed or "") or _close_cell(org, cells))):
            if superior is None:
                superior = cell_printed
            cell_printed = org
    cell: str | None = None
    cell_known = False
    if cell_printed is not None:
        cell, cell_known, confidence["cell"], note = _match_cell(cell_printed, cells)
        if note:
            notes.append(note)
    if superior is not None:
        confidence["superior"] = 0.9 if _org_like(superior) else 0.5

    # Number and symbols.
    number_hit = scan.numbers[0] if scan.numbers else None
    number = type_symbol = issuer_symbol = number_raw = None
    if number_hit is not None:
        number, type_symbol, issuer_symbol = number_hit.number, number_hit.type_symbol, number_hit.issuer_symbol
        number_raw = number_hit.raw
        confidence["type_symbol"] = confidence["issuer_symbol"] = number_hit.confidence
        confidence["number"] = number_hit.confidence if number is not None else 0.0
        if number is None:
            notes.append(Msg(f"văn bản không ghi số (\"{number_raw}\"): có thể là bản nháp hoặc bản chưa vào sổ",
                             f"the paper has no number (\"{number_raw}\"): a draft or a paper never registered"))
        elif number_hit.ocr_fixed:
            notes.append(Msg(f"số văn bản đọc được là \"{number_raw}\" (có ký tự nhận dạng nhầm), đã hiểu là số {number}; "
                             "hãy đối chiếu bản gốc",
                             f"the number reads \"{number_raw}\" (misread characters), taken as {number}; check the original"))

    # Date.
    date: dt.date | None = None
    date_source: Literal["header", "body", ""] = ""
    if date_hit is not None:
        date, confidence["date"] = date_hit.date, date_hit.confidence
        date_source = "header"
        if date_hit.problem is not None:
            notes.append(date_hit.problem)
            confidence["date"] = 0.0
            date_source = ""

    # Type name and trích yếu.
    type_name: str | None = None
    summary: str | None = None
    body_from = 0
    if type_found is not None and type_at is not None:
        type_name, rest = type_found
        confidence["type_name"] = 0.95 if flow[type_at].bold or flow[type_at].upper else 0.85
        parts = [rest] if rest else []
        j = type_at + 1
        type_line = flow[type_at]
        while j < len(flow) and len(parts) < _SUMMARY_LINES:
            line = flow[j]
            if not line.text and not parts and j - type_at <= 2:
                j += 1  # OCR leaves a blank line under the large type name
                continue
            if not line.text or _rule_line(line.text) or _body_start(line.text):
                break
            if _type_line(line, True) is not None or _DRAFT.match(fold(line.text)):
                break
            if type_line.centered and not (line.centered or line.bold):
                break
            parts.append(line.text)
            j += 1
        while j < len(flow) and (not flow[j].text or _rule_line(flow[j].text)):
            j += 1
        body_from = j
        if parts:
            summary = _squash(" ".join(parts))
            confidence["summary"] = 0.9 if len(parts) < _SUMMARY_LINES else 0.7
    else:
        body_from = len(head)

    has_header = bool(scan.title or number_hit or cell_printed or type_name
                      or (date_hit is not None and (scan.title or cell_printed)))
    if not has_header:
        return Header(topics=suggest_topics("", rec.text()), confidence=dict.fromkeys(FIELDS, 0.0),
                      notes=(Msg("không thấy phần đầu văn bản theo Hướng dẫn 36-HD/VPTW (tên chi bộ, số, ngày, "
                                 "tên loại); hãy nhập các thông tin này bằng tay",
                                 "no HD 36 header found (cell, number, date, type name); enter them by hand"),))

    if date is None and date_hit is None:
        body_lines = [line for line in flow[body_from:] if line.text]
        date, body_confidence, problem = _body_date(body_lines)
        if problem is not None:
            notes.append(problem)
        elif date is not None:
            confidence["date"] = body_confidence
            date_source = "body"
            notes.append(Msg("phần đầu không ghi ngày; ngày lấy từ thời gian họp ghi trong văn bản",
                             "the header gives no date; it was taken from the meeting time in the text"))

    # The kind: the type name decides; the number's symbol when no type name was found.
    types = _types()
    symbol_entry = types.by_symbol.get(fold(type_symbol)) if type_symbol else None
    symbol_type = symbol_entry[1] if symbol_entry else None
    kind_type = type_name or symbol_type
    cue_text = summary
    if type_name is None:  # the type line lost: a trích yếu-like line of the header may still name the kind
        cue_text = " ".join(t for t, column in scan.fragments
                            if column != "right" and not _org_like(t) and len(t.split()) >= 3) or None
    kind, confidence["kind"] = choose_kind(kind_type, cue_text)
    if type_name is None and symbol_type is not None:
        confidence["kind"] = min(confidence["kind"], 0.6)
    if type_name and symbol_type and not _fold_words(type_name).endswith(_fold_words(symbol_type)):
        confidence["kind"] = min(confidence["kind"], 0.5)
        confidence["type_symbol"] = min(confidence["type_symbol"], 0.5)
        confidence["type_name"] = min(confidence["type_name"], 0.7)
        notes.append(Msg(f"số văn bản \"{number_raw}\" mang ký hiệu {type_symbol} ({symbol_type.lower()}) nhưng tên "
                         f"loại in là {type_name}; đã xếp theo tên loại, hãy kiểm tra",
                         f"the number \"{number_raw}\" has the symbol {type_symbol} ({symbol_type}) but the type name "
                         f"printed is {type_name}; filed by the type name, check it"))
    if kind == OTHER_KIND:
        shown = kind_type or type_symbol or "?"
        notes.append(Msg(f"docgen không soạn loại văn bản {shown}: văn bản được lưu là \"văn bản khác\", giữ ký hiệu "
                         f"{type_symbol or '(không có)'}",
                         f"docgen does not write papers of the type {shown}: filed as \"other paper\", keeping the "
                         f"symbol {type_symbol or '(none)'}"))

    title = f"{type_name} {summary}" if type_name and summary else (type_name or summary)
    topics = suggest_topics(title or "", rec.text())

    if factor < 1.0:
        confidence = {k: round(v * factor, 3) for k, v in confidence.items()}
    missing = tuple(name for name, value in (("number", number), ("type", type_name or type_symbol),
                                             ("date", date), ("cell", cell)) if value is None)
    numbered = KINDS[kind].numbered if kind is not None and kind in KINDS else True
    weights = [confidence["cell"], confidence["date"], max(confidence["kind"], confidence["type_symbol"])]
    if numbered or number is not None:
        weights.append(confidence["number"])
    overall = round(sum(weights) / len(weights), 3)
    return Header(
        superior=superior, cell=cell, cell_known=cell_known, number=number, type_symbol=type_symbol,
        issuer_symbol=issuer_symbol, number_raw=number_raw, place=place, date=date, date_source=date_source,
        type_name=type_name, summary=summary, title=title, kind=kind, topics=topics, confidence=confidence,
        overall=overall, missing=missing, has_header=True, notes=tuple(notes),
    )


def header_fields_match(h: Header, number: int | None, type_symbol: str | None, date: dt.date | None,
                        cell: str | None) -> dict[str, bool]:
    """Which of the four key fields ``h`` got exactly right (for tests and benchmarks):
    number, type symbol, date and cell (the cell compared as printed, spaces squashed)."""
    def same(a: str | None, b: str | None) -> bool:
        return (None if a is None else _squash(clean(a))) == (None if b is None else _squash(clean(b)))

    return {"number": h.number == number, "type_symbol": same(h.type_symbol, type_symbol), "date": h.date == date,
            "cell": same(h.cell, cell)}
