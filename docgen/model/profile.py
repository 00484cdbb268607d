"""The chi bộ profile: cell identity, officers and the member roster (profile.yaml)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from docgen.errors import ConfigError
from docgen.i18n import Msg
from docgen.model.files import LineMap, read_mapping_lines
from docgen.model.labels import PROFILE
from docgen.model.problems import Problems, profile_error, profile_problems
from docgen.model.schemas import labelled
from docgen.model.validation import DATE_PATTERN, ID_PATTERN, check_dates, check_schema
from docgen.vn.dates import vn_date


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@dataclass(frozen=True)
class Period:
    """A status period; ``end`` None means still open. Both ends inclusive."""

    start: dt.date
    end: dt.date | None = None
    note: str = ""  # reason (exempt) or where (temporarily out)

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Member:
    id: str
    name: str
    admitted: dt.date
    official: dt.date | None = None
    # The date of the superior committee's decision recognising the member as official
    # (the official date itself is the end of probation, Điều lệ Điều 5, so it falls before
    # the conversion meeting): until this date the member is still probationary in the cell.
    official_decided: dt.date | None = None
    left: dt.date | None = None
    exempt: tuple[Period, ...] = ()
    temporary_out: tuple[Period, ...] = ()
    home_cell: str | None = None
    temporary_in: tuple[Period, ...] = ()
    suspended: tuple[Period, ...] = ()  # đình chỉ sinh hoạt đảng (note: the reason)


@dataclass(frozen=True)
class Cell:
    name: str
    superior: str
    superior_committee: str
    place: str
    symbol: str
    term_start: dt.date | None
    meeting_place: str


@dataclass(frozen=True)
class Officers:
    bi_thu: str
    pho_bi_thu: str | None = None
    chi_uy_vien: tuple[str, ...] = ()


_T = TypeVar("_T")


def _in_force(history: tuple[tuple[dt.date | None, _T], ...], day: dt.date, default: _T) -> _T:
    """The value of the first era (oldest first) whose ``until`` is on or after ``day``."""
    for until, value in history:
        if until is None or day <= until:
            return value
    return default


@dataclass(frozen=True)
class Profile:
    """The profile as written: ``cell`` and ``officers`` are today's (the ones in force after
    every ``history`` entry); ``at(day)`` gives the ones in force on a document's date.

    ``cell_history`` / ``officers_history`` are empty without a ``history:`` in the file,
    else every era oldest first, ``(until, Cell)``, the last one today's with until None.
    """

    cell: Cell
    officers: Officers
    members: tuple[Member, ...]
    source: str = ""
    cell_history: tuple[tuple[dt.date | None, Cell], ...] = ()
    officers_history: tuple[tuple[dt.date | None, Officers], ...] = ()

    def at(self, day: dt.date) -> Profile:
        """This profile with the cell's names (name, superior, superior_committee, place,
        symbol, meeting_place) and the officers in force on ``day``; the same members and
        histories, so ``profile.at(d1).at(d2) == profile.at(d2)``."""
        cell = _in_force(self.cell_history, day, self.cell)
        officers = _in_force(self.officers_history, day, self.officers)
        if cell == self.cell and officers == self.officers:
            return self
        return replace(self, cell=cell, officers=officers)

    def member(self, member_id: str) -> Member | None:
        for m in self.members:
            if m.id == member_id:
                return m
        return None

    def name_of(self, member_id: str) -> str:
        found = self.member(member_id)
        return found.name if found else member_id

    def position_of(self, member_id: str) -> str:
        """"Bí thư Chi bộ", "Phó Bí thư Chi bộ", "Chi ủy viên" or ""."""
        if member_id == self.officers.bi_thu:
            return "Bí thư Chi bộ"
        if member_id == self.officers.pho_bi_thu:
            return "Phó Bí thư Chi bộ"
        if member_id in self.officers.chi_uy_vien:
            return "Chi ủy viên"
        return ""


def _period_schema(note_key: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["from"],
        "additionalProperties": False,
        "properties": {
            "from": {"type": "string", "pattern": DATE_PATTERN},
            "to": {"type": ["string", "null"], "pattern": DATE_PATTERN},
            note_key: {"type": ["string", "null"]},
        },
    }


def _date_schema(nullable: bool = False) -> dict[str, Any]:
    return {"type": ["string", "null"] if nullable else "string", "pattern": DATE_PATTERN}


def _id_schema(nullable: bool = False) -> dict[str, Any]:
    return {"type": ["string", "null"] if nullable else "string", "pattern": ID_PATTERN}


CELL_HISTORY_KEYS = ("name", "superior", "superior_committee", "place", "symbol", "meeting_place")
"""What a ``cell.history`` entry may give besides ``until``."""
OFFICER_KEYS = ("bi_thu", "pho_bi_thu", "chi_uy_vien")


def _history_schema(properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": ["array", "null"],
        "items": {
            "type": "object",
            "required": ["until"],
            "additionalProperties": False,
            "properties": {"until": _date_schema(), **properties},
        },
    }


def _cell_names_schema() -> dict[str, Any]:
    return {
        "name": {"type": "string", "minLength": 1},
        "superior": {"type": "string", "minLength": 1},
        "superior_committee": {"type": "string"},
        "place": {"type": "string", "minLength": 1},
        "symbol": {"type": "string", "minLength": 1},
        "meeting_place": {"type": "string"},
    }


def _officers_schema() -> dict[str, Any]:
    return {
        "bi_thu": _id_schema(),
        "pho_bi_thu": _id_schema(nullable=True),
        "chi_uy_vien": {"type": "array", "items": _id_schema()},
    }


def _profile_schema() -> dict[str, Any]:
    """The schema without titles and descriptions: the labels add them (``labelled``)."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "profile.yaml",
        "description": "Hồ sơ chi bộ: tên, cấp trên, địa danh, ký hiệu, cấp ủy và danh sách đảng viên",
        "type": "object",
        "required": ["cell", "officers", "members"],
        "additionalProperties": False,
        "properties": {
            "cell": {
                "type": "object",
                "required": ["name", "superior", "place", "symbol"],
                "additionalProperties": False,
                "properties": {
                    "name": {"type": "string", "minLength": 1},
                    "superior": {"type": "string", "minLength": 1},
                    "superior_committee": {"type": "string"},
                    "place": {"type": "string", "minLength": 1},
                    "symbol": {"type": "string", "minLength": 1, "default": "CB"},
                    "term_start": _date_schema(nullable=True),
                    "meeting_place": {"type": "string"},
                    "history": _history_schema(_cell_names_schema()),
                },
            },
            "officers": {
                "type": "object",
                "required": ["bi_thu"],
                "additionalProperties": False,
                "properties": {
                    **_officers_schema(),
                    "history": _history_schema(_officers_schema()),
                },
            },
            "members": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["id", "name", "admitted"],
                    "additionalProperties": False,
                    "properties": {
                        "id": _id_schema(),
                        "name": {"type": "string", "minLength": 1},
                        "admitted": _date_schema(),
                        "official": _date_schema(nullable=True),
                        "official_decided": _date_schema(nullable=True),
                        "left": _date_schema(nullable=True),
                        "exempt": {"type": ["array", "null"], "items": _period_schema("reason")},
                        "temporary_out": {"type": ["array", "null"], "items": _period_schema("where")},
                        "home_cell": {"type": ["string", "null"]},
                        "temporary_in": {"type": ["array", "null"], "items": _period_schema("note")},
                        "suspended": {"type": ["array", "null"], "items": _period_schema("reason")},
                    },
                },
            },
        },
    }


PROFILE_SCHEMA: dict[str, Any] = labelled(_profile_schema(), PROFILE)
"""The JSON Schema of profile.yaml: every field titled and described by its label
(docgen.model.labels), examples written the Vietnamese way (20/8/2025)."""


def _periods(raw: list[dict[str, Any]] | None, note_key: str) -> tuple[Period, ...]:
    out = []
    for item in raw or []:
        start = _date(item["from"])
        assert start is not None
        out.append(Period(start, _date(item.get("to")), str(item.get(note_key) or "")))
    return tuple(out)


def _check_roster(data: dict[str, Any], problems: Problems) -> None:
    ids: dict[str, int] = {}
    for i, m in enumerate(data["members"]):
        if m["id"] in ids:
            problems.add(f"members[{i}].id", Msg(f"mã {m['id']} bị trùng với members[{ids[m['id']]}]",
                                                 f"id {m['id']} duplicates members[{ids[m['id']]}]"),
                         Msg("mỗi đảng viên một mã riêng", "give every member their own id"))
        ids.setdefault(m["id"], i)
        if m.get("official_decided") and not m.get("official"):
            problems.add(f"members[{i}].official_decided",
                         Msg("có ngày quyết định công nhận chính thức nhưng chưa ghi ngày chính thức (official)",
                             "a recognition decision date without the official date (official)"),
                         Msg("ghi official: ngày hết 12 tháng dự bị, official_decided: ngày quyết định",
                             "write official: the end of probation and official_decided: the decision date"))
        elif m.get("official_decided") and m["official_decided"] < m["official"]:
            decided, official = _shown(m["official_decided"]), _shown(m["official"])
            problems.add(f"members[{i}].official_decided",
                         Msg(f"ngày quyết định công nhận {decided} trước ngày chính thức {official}",
                             f"the recognition decision {decided} is before the official date {official}"),
                         Msg("sửa một trong hai ngày", "fix either date"))
        if m.get("official") and m["official"] < m["admitted"]:
            official, admitted = _shown(m["official"]), _shown(m["admitted"])
            problems.add(f"members[{i}].official",
                         Msg(f"ngày chính thức {official} trước ngày kết nạp {admitted}",
                             f"official date {official} before the admission date {admitted}"),
                         Msg("sửa ngày kết nạp hoặc ngày chuyển chính thức", "fix either date"))
        for key in ("exempt", "temporary_out", "temporary_in", "suspended"):
            for j, p in enumerate(m.get(key) or []):
                if p.get("to") and p["to"] < p["from"]:
                    end, start = _shown(p["to"]), _shown(p["from"])
                    problems.add(f"members[{i}].{key}[{j}].to",
                                 Msg(f"ngày kết thúc {end} trước ngày bắt đầu {start}",
                                     f"end date {end} before start date {start}"),
                                 Msg("sửa from/to", "fix from/to"))
    officers = data["officers"]
    refs = _officer_refs("officers", officers)
    for k, entry in enumerate(officers.get("history") or []):
        refs += _officer_refs(f"officers.history[{k}]", entry)
    for path, ref in refs:
        if ref and ref not in ids:
            problems.add(path, Msg(f"không có đảng viên mã {ref} trong danh sách",
                                   f"no member with id {ref} on the roster"),
                         Msg("dùng mã có trong members", "use an id listed under members"))


def _officer_refs(path: str, officers: dict[str, Any]) -> list[tuple[str, Any]]:
    refs = [(f"{path}.bi_thu", officers.get("bi_thu")), (f"{path}.pho_bi_thu", officers.get("pho_bi_thu"))]
    return refs + [(f"{path}.chi_uy_vien[{k}]", v) for k, v in enumerate(officers.get("chi_uy_vien") or [])]


_HISTORY_WORDS = {  # section → (what an entry gives, today's values), vi and en
    "cell": (Msg("tên cũ", "earlier names"),
             Msg("tên chi bộ, cấp trên, địa danh ghi ở cell (cell.name, cell.superior…)",
                 "the names under cell (cell.name, cell.superior…)")),
    "officers": (Msg("cấp ủy cũ", "earlier officers"),
                 Msg("bí thư, phó bí thư, chi ủy viên ghi ở officers (officers.bi_thu…)",
                     "the officers under officers (officers.bi_thu…)")),
}


def _check_history(data: dict[str, Any], problems: Problems, today: dt.date) -> None:
    """``cell.history`` and ``officers.history``: oldest first, ``until`` strictly increasing
    and before ``today`` (the values written above the history are today's), each entry
    giving something besides ``until``."""
    for section, keys in (("cell", CELL_HISTORY_KEYS), ("officers", OFFICER_KEYS)):
        what, current = _HISTORY_WORDS[section]
        previous: tuple[int, str] | None = None
        for k, entry in enumerate(data[section].get("history") or []):
            path, until = f"{section}.history[{k}]", entry["until"]
            shown = _shown(until)
            if not any(key in entry for key in keys):
                names = ", ".join(keys)
                problems.add(path, Msg(f"{path} chỉ có ngày until, không ghi {what.vi} nào ({names})",
                                       f"{path} gives only until and no {what.en} ({names})"),
                             Msg(f"ghi {what.vi} đã dùng đến ngày {shown}, hoặc xóa mục này",
                                 f"write the {what.en} in force until {shown}, or remove the entry"))
            if previous is not None and until <= previous[1]:
                before = f"{section}.history[{previous[0]}]"
                problems.add(f"{path}.until",
                             Msg(f"ngày {shown} không sau ngày until của mục trước ({before}: {_shown(previous[1])})",
                                 f"{shown} is not after the until of the entry before ({before}: "
                                 f"{_shown(previous[1])})"),
                             Msg(f"ghi {section}.history theo thứ tự thời gian, cũ nhất trước, ngày until "
                                 "tăng dần (mỗi mục một ngày khác nhau)",
                                 f"list {section}.history oldest first, with increasing until dates "
                                 "(a different date per entry)"))
            if dt.date.fromisoformat(until) >= today:
                problems.add(f"{path}.until",
                             Msg(f"ngày {shown} chưa qua (hôm nay là {vn_date(today)}): {current.vi} là những gì "
                                 f"đang dùng hôm nay, {section}.history chỉ ghi {what.vi} đã thôi dùng",
                                 f"{shown} has not passed yet (today is {vn_date(today)}): {current.en} are "
                                 f"today's, {section}.history lists only {what.en} no longer in force"),
                             Msg(f"ghi until là ngày cuối cùng dùng {what.vi}, trước hôm nay; chưa thay đổi "
                                 f"thì giữ nguyên {section} và chỉ ghi history khi đã thay đổi",
                                 f"make until the last day of the {what.en}, before today; until the change "
                                 f"happens keep {section} as it is and add history afterwards"))
            previous = (k, until)


def _earlier_cell(entry: dict[str, Any], newer: Cell) -> Cell:
    """A ``cell.history`` entry: what it gives, the rest from the newer era. A ``superior``
    without ``superior_committee`` means that superior's committee (as for today's cell)."""
    superior = entry.get("superior")
    committee = entry.get("superior_committee") or superior or newer.superior_committee
    return replace(
        newer,
        name=(entry.get("name") or newer.name).upper(),
        superior=(superior or newer.superior).upper(),
        superior_committee=committee,
        place=entry.get("place") or newer.place,
        symbol=entry.get("symbol") or newer.symbol,
        meeting_place=entry.get("meeting_place", newer.meeting_place),
    )


def _earlier_officers(entry: dict[str, Any], newer: Officers) -> Officers:
    """An ``officers.history`` entry; a key it does not give is the newer era's
    (``pho_bi_thu: null`` and ``chi_uy_vien: []`` say "none")."""
    return Officers(
        entry.get("bi_thu") or newer.bi_thu,
        entry.get("pho_bi_thu", newer.pho_bi_thu),
        tuple(entry.get("chi_uy_vien") or ()) if "chi_uy_vien" in entry else newer.chi_uy_vien,
    )


_Era = TypeVar("_Era", Cell, Officers)


def _eras(current: _Era, history: list[dict[str, Any]] | None,
          earlier: Callable[[dict[str, Any], _Era], _Era]) -> tuple[tuple[dt.date | None, _Era], ...]:
    """Every era oldest first, today's last (until None); empty without a history."""
    if not history:
        return ()
    eras: list[tuple[dt.date | None, _Era]] = [(None, current)]
    for entry in reversed(history):
        eras.append((dt.date.fromisoformat(entry["until"]), earlier(entry, eras[-1][1])))
    return tuple(reversed(eras))


def _build(data: dict[str, Any], source: str) -> Profile:
    c = data["cell"]
    cell = Cell(
        name=c["name"].upper(), superior=c["superior"].upper(),
        superior_committee=c.get("superior_committee") or c["superior"],
        place=c["place"], symbol=c["symbol"], term_start=_date(c.get("term_start")),
        meeting_place=c.get("meeting_place") or "",
    )
    o = data["officers"]
    officers = Officers(o["bi_thu"], o.get("pho_bi_thu"), tuple(o.get("chi_uy_vien") or ()))
    members = tuple(
        Member(
            id=m["id"], name=m["name"], admitted=dt.date.fromisoformat(m["admitted"]),
            official=_date(m.get("official")), official_decided=_date(m.get("official_decided")),
            left=_date(m.get("left")),
            exempt=_periods(m.get("exempt"), "reason"),
            temporary_out=_periods(m.get("temporary_out"), "where"),
            home_cell=m.get("home_cell") or None,
            temporary_in=_periods(m.get("temporary_in"), "note"),
            suspended=_periods(m.get("suspended"), "reason"),
        )
        for m in data["members"]
    )
    return Profile(cell, officers, members, source,
                   _eras(cell, c.get("history"), _earlier_cell),
                   _eras(officers, o.get("history"), _earlier_officers))


def _shown(iso: str) -> str:
    """An ISO date of the (checked) profile as a message writes it: "1/10/2025"."""
    return vn_date(dt.date.fromisoformat(iso))


def parse_profile(data: dict[str, Any], source: str = "profile.yaml", lines: LineMap | None = None,
                  today: dt.date | None = None) -> Profile:
    """Validate a profile mapping (already NFC-cleaned) and build the Profile.

    Dates may be written as people write them (20/8/2025, 20.8.2025, 2025-08-20): they are
    read into ISO form before the schema check (``docgen.model.resolve``). ``today``
    (default: the system date) bounds the ``history`` dates.
    """
    from docgen.model.resolve import resolve_dates  # resolve imports this module

    problems = profile_problems(source, lines)
    data = resolve_dates(data, PROFILE_SCHEMA, problems)
    check_schema(data, PROFILE_SCHEMA, problems)
    if not problems:
        check_dates(data, problems)
    if not problems:
        _check_roster(data, problems)
        _check_history(data, problems, today or dt.date.today())
    if problems:
        raise profile_error(problems)
    return _build(data, source)


def load_profile(path: Path) -> Profile:
    """Read and validate profile.yaml; ConfigError (exit 5) naming file, field and fix."""
    if not path.is_file():
        raise ConfigError(
            Msg(f"không tìm thấy hồ sơ chi bộ {path}", f"chi bộ profile {path} not found"),
            file=str(path),
            hint=Msg("tạo hồ sơ bằng \"docgen init\" hoặc chỉ đường dẫn trong docgen.toml ([docgen] profile = ...)",
                     "create one with \"docgen init\" or set [docgen] profile = ... in docgen.toml"),
        )
    data, lines = read_mapping_lines(path, ConfigError)
    return parse_profile(data, str(path), lines)
