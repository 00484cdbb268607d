"""One filter for `list`, `search`, `print` and `export`, and the one rule that matches it.

A ``DocFilter`` names the documents a command works on. Every condition given must hold;
each is compared the same way by the catalog (SQL over precomputed keys,
docgen.archive.catalog), by the search index (docgen.search.evaluate), by printing's
selection (docgen.printing.select) and by bundle export (docgen.archive.bundle), all from
the key functions of this module:

``ids``
    the document is one of these (a document named by its id is taken whatever its
    status: withdrawn too).
``kind`` / ``kinds``
    the document is of this kind, or of any of these: by id ("nghi-quyet") or by name
    ("Nghị quyết"); compared as folded words joined by "-" (``kind_key``). The commands
    check what a person typed first with ``kind_id`` (the id, the name as input files
    write it, or the type symbol NQ/KH/DC of one kind): an unknown kind is a usage error
    there, never an empty listing.
``cell``
    **the words of the value, accents, case and spacing ignored, appear in a row in the
    document's cell name** (``cell_key``): "An Thành", "an thanh" and "thôn An Thành" all
    find "CHI BỘ THÔN AN THÀNH"; whole words, so "An Thành" does not find "Tân Thành".
    With an alias list (``aliases``: aliases.yaml, current name → old names) a name of a
    group also finds the documents filed under the group's other names.
``topic``
    one of the document's topics, named by id ("vsmt"), abbreviation ("VSMT") or label
    ("vệ sinh môi trường"), as input files name them (docgen.topics.find_topics); an
    unknown topic is an error naming the closest ones. *Which* topics a document has
    depends on who answers: the catalog (list, print, export; ``matches``) knows the
    topics declared in its input; the search index also knows the topics it suggests
    from the text (docgen.search.topicmatch), and answers ``topic`` by declared **or
    suggested** topics, as its facets count them and as ``topic:`` in a query finds them
    (docs/search.md, "Chủ đề"). So a search can find more documents of a topic than
    ``list`` does; a query given to ``print`` narrows the search's hits by this module's
    ``matches`` (declared topics), like every other condition.
``date_from`` / ``date_to`` / ``year``
    the document's date, bounds included.
``number``
    5 or "5": number 5 of any series; "05-NQ/CB": the number as written on paper,
    accents, case, spaces and leading zeros ignored ("5-nq/cb" is the same).
``include_withdrawn``
    withdrawn documents too (`list --all`; `export` takes every document). The search
    index holds current documents only.
``query``
    a full-text query (docgen.search.query): only the search index answers it; the other
    conditions then narrow its hits exactly as they narrow a listing.

``matches`` is the rule in Python, for documents at hand (printing by ids).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docgen.errors import ArchiveError, SearchError
from docgen.i18n import Msg
from docgen.vn.text import clean, fold, words

if TYPE_CHECKING:
    from docgen.config import Settings
    from docgen.model.meta import ArchivedDoc

AliasGroups = tuple[tuple[str, ...], ...]  # each group: folded names, current first
"""Cell names over time: each group holds one cell's names as ``words_key`` gives them."""

_LEADING_NUMBER = re.compile(r"^0*(\d+)")


# --------------------------------------------------------------------- the keys
def words_key(text: str) -> str:
    """The folded words of ``text`` joined by one space: "Chi bộ  Thôn\u00a0An Thành" →
    "chi bo thon an thanh"."""
    return " ".join(words(fold(text)))


@lru_cache(maxsize=4096)
def cell_key(cell: str) -> str:
    """A cell name as the cell rule compares it: its folded words with a space on each
    side (" chi bo thon an thanh "), so that a contained name is a contained string."""
    return f" {words_key(cell)} "


def kind_key(kind: str) -> str:
    """"Nghị quyết" → "nghi-quyet"; an id stays as it is."""
    return "-".join(words(fold(kind)))


def kind_code(kind: str) -> str:
    """The short code of a kind, as file names show it (docgen.archive.ids): its type
    symbol ("NQ", "BB", "KH"), or for a kind without one the initials of its first two
    words ("de-cuong-chuyen-de" → "DC")."""
    from docgen.archive.ids import kind_code as code_of
    from docgen.model.kinds import KINDS

    spec = KINDS.get(kind)
    return code_of(kind, spec.type_symbol if spec is not None else "")


def kinds_text() -> str:
    """Every kind with its code: "…, nghi-quyet (NQ), …, de-cuong-chuyen-de (DC)"."""
    from docgen.model.kinds import KINDS

    return ", ".join(f"{name} ({kind_code(name)})" for name in KINDS)


@lru_cache(maxsize=256)
def kind_id(value: str) -> str:
    """The kind id that ``value``, as a person typed it, names: the id itself
    ("nghi-quyet"), the name as input files write it ("Nghị quyết", "biên bản thường kỳ";
    docgen.model.resolve.resolve_kind), or the code of exactly one kind ("NQ", "kh",
    "DC"; ``kind_code``). SearchError (field "kind") naming the kinds otherwise; "BB",
    shared by both minutes, names the two."""
    from docgen.model.kinds import KINDS
    from docgen.model.resolve import resolve_kind

    from docgen.kinds import OTHER_KIND, OTHER_LABEL

    text = " ".join(clean(value).split())
    if kind_key(text) in (OTHER_KIND, kind_key(OTHER_LABEL.vi)):  # imported old papers
        return OTHER_KIND
    found = resolve_kind(text)
    if isinstance(found, str) and found in KINDS:
        return found
    code = "".join(words(fold(text))).upper()
    owners = [name for name in KINDS if code and kind_code(name) == code]
    if len(owners) == 1:
        return owners[0]
    if owners:
        names = ", ".join(owners)
        raise SearchError(
            Msg(f"'{text}' là ký hiệu chung của {len(owners)} loại văn bản: {names}",
                f"'{text}' is the symbol of {len(owners)} kinds: {names}"),
            field="kind",
            hint=Msg(f"ghi rõ một loại, vd. {owners[0]}; lệnh print nhận nhiều --kind",
                     f"name one kind, e.g. {owners[0]}; print takes several --kind"))
    raise SearchError(
        Msg(f"không có loại văn bản '{text}'", f"no document kind '{text}'"), field="kind",
        hint=Msg(f"các loại: {kinds_text()}; ghi mã, ký hiệu hoặc tên loại như \"Nghị quyết\"",
                 f"the kinds: {kinds_text()}; write the id, the symbol or a name such as "
                 f"\"Nghị quyết\""))


def no_match(what: Msg) -> ArchiveError:
    """ArchiveError (exit 6) for a command that writes something from the documents a
    filter names when it names none (``what``: "in" / "print"): nothing is written."""
    return ArchiveError(
        Msg(f"không có văn bản nào phù hợp để {what.vi}; chưa ghi gì",
            f"no documents match, nothing to {what.en}; nothing written"),
        hint=Msg("nới điều kiện lọc hoặc kiểm tra mã văn bản; `docgen list` với cùng các "
                 "tùy chọn cho thấy những văn bản phù hợp",
                 "widen the filters or check the ids; `docgen list` with the same options "
                 "shows the documents that match"))


def number_text_key(text: str) -> str:
    """"05-NQ/CB", "5-nq/cb", "05 - NQ / CB" → "5-nq/cb"."""
    folded = "".join(fold(clean(text)).split())
    return _LEADING_NUMBER.sub(lambda m: str(int(m.group(1))), folded, count=1)


MAX_NUMBER = 10 ** 9  # no paper carries a larger number; a larger one asked finds nothing


def number_condition(number: int | str) -> tuple[str, int | str]:
    """("number", 5) for 5 or "5"; ("text", key) for a number as written on paper."""
    if isinstance(number, int):
        return "number", number if 0 <= number <= MAX_NUMBER else -1
    text = clean(str(number)).strip()
    if text.isascii() and text.isdigit():
        return "number", int(text) if len(text) <= 10 and int(text) <= MAX_NUMBER else -1
    return "text", number_text_key(text)


# ------------------------------------------------------------------ cell aliases
def _bad_aliases(path: Path, detail: str) -> SearchError:
    return SearchError(
        Msg(f"danh sách tên cũ/mới không hợp lệ: {detail}", f"invalid alias list: {detail}"),
        file=str(path),
        hint=Msg("mỗi dòng: 'Tên hiện nay: [tên cũ 1, tên cũ 2]' (YAML)",
                 "one entry per current name: 'Current name: [old name 1, old name 2]' (YAML)"),
    )


def load_aliases(path: Path | None) -> AliasGroups:
    """Alias groups from ``path`` (a YAML mapping: current name → list of old names);
    none when the file does not exist."""
    if path is None or not path.is_file():
        return ()
    import yaml

    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise _bad_aliases(path, str(exc).splitlines()[0]) from exc
    if data is None:
        return ()
    if not isinstance(data, dict):
        raise _bad_aliases(path, "cần một bảng (mapping) tên hiện nay → danh sách tên cũ")
    groups = []
    for current, old in data.items():
        olds = [old] if isinstance(old, str) else (old or [])
        if not isinstance(olds, list):
            raise _bad_aliases(path, f"{current}: cần một danh sách tên cũ")
        names = [words_key(str(current)), *(words_key(str(o)) for o in olds)]
        groups.append(tuple(dict.fromkeys(n for n in names if n)))
    return tuple(groups)


def cell_names(name: str, groups: AliasGroups = ()) -> tuple[str, ...]:
    """``name`` as ``words_key`` gives it, plus every name of the alias groups it
    belongs to (it contains a name of the group or is contained in one), each also with
    the group's other names put in place of the one it contains ("chi bo thon X")."""
    folded = words_key(name)
    names = [folded]
    padded = f" {folded} "
    for group in groups:
        if any(f" {n} " in padded or padded in f" {n} " for n in group):
            for n in group:
                for member in group:
                    if f" {member} " in padded:
                        names.append(padded.replace(f" {member} ", f" {n} ").strip())
                names.append(n)
    return tuple(dict.fromkeys(n for n in names if n))


def cell_matches(cell: str, names: Iterable[str]) -> bool:
    """True when one of ``names`` (``cell_names``) is contained, word by word, in
    ``cell``: the cell rule."""
    key = cell_key(cell)
    return any(f" {n} " in key for n in names)


def cell_reach(cells: Iterable[str], groups: AliasGroups = ()) -> dict[str, tuple[str, ...]]:
    """For each of ``cells`` (cell names as filed), the ones of ``cells`` that the filter
    ``cell=<that name>`` finds (itself among them): ``cell_matches`` for every pair, but
    through the runs of words of each name, so hundreds of cells take milliseconds."""
    cells = list(dict.fromkeys(cells))
    wanted: dict[str, list[str]] = {}  # a name the rule looks for → the cells asking it
    for cell in cells:
        for name in cell_names(cell, groups):
            wanted.setdefault(name, []).append(cell)
    reach: dict[str, dict[str, None]] = {cell: {} for cell in cells}
    for cell in cells:
        found = words_key(cell).split()
        for start in range(len(found)):
            for end in range(start + 1, len(found) + 1):
                for asking in wanted.get(" ".join(found[start:end]), ()):
                    reach[asking].setdefault(cell, None)
    return {cell: tuple(found) for cell, found in reach.items()}


# ------------------------------------------------------------------------ topics
def topic_ids(value: str) -> tuple[str, ...]:
    """The topic ids ``value`` names (id, abbreviation or label, accents and case
    ignored); SearchError naming the closest topics when it names none."""
    from docgen.topics import closest_topics, find_topics, topic_label

    found = tuple(t.id for t in find_topics(value))
    if found:
        return found
    close = closest_topics(value)
    listing = Msg("xem danh sách chủ đề: docgen topics", "see the topic list: docgen topics")
    hint = listing if not close else Msg(
        f"gần giống: {'; '.join(topic_label(t) for t in close)}; {listing.vi}",
        f"closest: {'; '.join(topic_label(t) for t in close)}; {listing.en}")
    raise SearchError(Msg(f"không có chủ đề '{value}'", f"no topic '{value}'"), field="topic",
                      hint=hint)


# ------------------------------------------------------------------------ filter
def _given(value: str | None) -> str | None:
    return value if value is not None and value.strip() else None


@dataclass(frozen=True)
class DocFilter:
    """Which documents: every condition given must hold (see the module's docstring)."""

    ids: tuple[str, ...] = ()
    kind: str | None = None
    kinds: tuple[str, ...] = ()  # any of these (print --kind A --kind B)
    cell: str | None = None
    topic: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    year: int | None = None
    number: int | str | None = None
    include_withdrawn: bool = False
    query: str | None = None
    aliases: AliasGroups = dataclasses.field(default=(), repr=False)
    # What the reader may see (docgen.web's permissions): the cells' names as ``words_key``
    # gives them ("chi bo thon an thanh"), compared whole, not by the cell rule; None: every
    # cell. Not a user's filter: ``filtered`` ignores it, every read path applies it.
    scope: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        # tuples whatever the caller passed (a list would make the filter unhashable)
        object.__setattr__(self, "ids", tuple(self.ids))
        object.__setattr__(self, "kinds", tuple(self.kinds))
        if self.scope is not None:
            object.__setattr__(self, "scope", tuple(dict.fromkeys(self.scope)))
        for name in ("date_from", "date_to"):  # a datetime (click.DateTime) is its day
            value = getattr(self, name)
            if isinstance(value, dt.datetime):
                object.__setattr__(self, name, value.date())

    # what is asked ---------------------------------------------------------------
    @property
    def filtered(self) -> bool:
        """True when a condition other than ids and the query is given."""
        return bool(self.kind_keys()) or any(v is not None for v in (
            _given(self.cell), _given(self.topic), self.date_from, self.date_to, self.year,
            self.number))

    @property
    def takes_withdrawn(self) -> bool:
        """True when withdrawn documents pass: asked for, or named by id."""
        return self.include_withdrawn or bool(self.ids)

    @property
    def text_query(self) -> str | None:
        """The full-text query, None when there is none (blank counts as none)."""
        return _given(self.query)

    def kind_keys(self) -> tuple[str, ...]:
        """``kind_key`` of every kind asked for (none: any kind)."""
        given = (self.kind, *self.kinds)
        return tuple(dict.fromkeys(kind_key(k) for k in given if k is not None and k.strip()))

    def cell_names(self) -> tuple[str, ...] | None:
        """The names the cell rule looks for (``cell_names`` with the alias groups);
        None when no cell is asked for; () when the value has no letters or digits (it
        matches nothing)."""
        cell = _given(self.cell)
        return None if cell is None else cell_names(cell, self.aliases)

    def topic_ids(self) -> tuple[str, ...] | None:
        """The topic ids asked for (any of them), None when no topic is asked for."""
        topic = _given(self.topic)
        return None if topic is None else topic_ids(topic)

    def number_condition(self) -> tuple[str, int | str] | None:
        if self.number is None or (isinstance(self.number, str) and not self.number.strip()):
            return None
        return number_condition(self.number)

    def day_range(self) -> tuple[dt.date, dt.date] | None:
        """The first and last day allowed (date_from, date_to and year together), None
        when the date is free."""
        if self.date_from is None and self.date_to is None and self.year is None:
            return None
        lo, hi = self.date_from or dt.date.min, self.date_to or dt.date.max
        if self.year is not None:
            lo = max(lo, dt.date(self.year, 1, 1))
            hi = min(hi, dt.date(self.year, 12, 31))
        return lo, hi

    def in_scope(self, cell: str) -> bool:
        """True when a document of ``cell`` (its name as filed) is within ``scope``."""
        return self.scope is None or words_key(cell) in self.scope

    def scoped(self, scope: tuple[str, ...] | None) -> DocFilter:
        """This filter limited to ``scope`` as well (None: no further limit)."""
        if scope is None:
            return self
        if self.scope is None:
            return dataclasses.replace(self, scope=tuple(scope))
        return dataclasses.replace(self, scope=tuple(n for n in self.scope if n in scope))

    # variants --------------------------------------------------------------------
    def with_aliases(self, groups: AliasGroups) -> DocFilter:
        """This filter, whose cell also finds the other names of its alias group."""
        return dataclasses.replace(self, aliases=tuple(groups))

    def using(self, settings: Settings) -> DocFilter:
        """This filter with the settings' alias list (``Settings.aliases_path``)."""
        return self.with_aliases(load_aliases(settings.aliases_path))

    # the rule ----------------------------------------------------------------------
    def matches(self, doc: ArchivedDoc) -> bool:
        """True when ``doc`` meets every condition but the query (the rule in Python)."""
        return self.matches_fields(doc.id, doc.status, doc.meta.kind, doc.meta.cell,
                                   doc.meta.topics, doc.meta.date, doc.meta.number,
                                   doc.meta.number_text)

    def matches_record(self, record: dict[str, Any]) -> bool:
        """``matches`` for a meta.json dict (a catalog row)."""
        return self.matches_fields(
            str(record.get("id", "")), str(record.get("status", "current")),
            str(record.get("kind", "")), str(record.get("cell", "")),
            tuple(record.get("topics") or ()), dt.date.fromisoformat(str(record["date"])),
            record.get("number"), str(record.get("number_text") or ""))

    def matches_fields(self, doc_id: str, status: str, kind: str, cell: str,
                       topics: Iterable[str], date: dt.date, number: int | None,
                       number_text: str) -> bool:
        if self.ids and doc_id not in self.ids:
            return False
        if not self.takes_withdrawn and status == "withdrawn":
            return False
        if not self.in_scope(cell):
            return False
        kinds = self.kind_keys()
        if kinds and kind_key(kind) not in kinds:
            return False
        names = self.cell_names()
        if names is not None and not cell_matches(cell, names):
            return False
        wanted = self.topic_ids()
        if wanted is not None and not set(wanted) & set(topics):
            return False
        days = self.day_range()
        if days is not None and not days[0] <= date <= days[1]:
            return False
        cond = self.number_condition()
        if cond is not None:
            how, value = cond
            if how == "number" and number != value:
                return False
            if how == "text" and number_text_key(number_text) != value:
                return False
        return True


NO_FILTER = DocFilter()
