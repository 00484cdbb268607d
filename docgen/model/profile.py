"""The chi bộ profile: cell identity, officers and the member roster (profile.yaml)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
    left: dt.date | None = None
    exempt: tuple[Period, ...] = ()
    temporary_out: tuple[Period, ...] = ()
    home_cell: str | None = None
    temporary_in: tuple[Period, ...] = ()


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


@dataclass(frozen=True)
class Profile:
    cell: Cell
    officers: Officers
    members: tuple[Member, ...]
    source: str = ""

    def member(self, member_id: str) -> Member | None:
        for m in self.members:
            if m.id == member_id:
                return m
        return None

    def name_of(self, member_id: str) -> str:
        found = self.member(member_id)
        return found.name if found else member_id

    def position_of(self, member_id: str) -> str:
        """"Bí thư chi bộ", "Phó Bí thư chi bộ", "Chi ủy viên" or ""."""
        if member_id == self.officers.bi_thu:
            return "Bí thư chi bộ"
        if member_id == self.officers.pho_bi_thu:
            return "Phó Bí thư chi bộ"
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
                },
            },
            "officers": {
                "type": "object",
                "required": ["bi_thu"],
                "additionalProperties": False,
                "properties": {
                    "bi_thu": _id_schema(),
                    "pho_bi_thu": _id_schema(nullable=True),
                    "chi_uy_vien": {"type": "array", "items": _id_schema()},
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
                        "left": _date_schema(nullable=True),
                        "exempt": {"type": ["array", "null"], "items": _period_schema("reason")},
                        "temporary_out": {"type": ["array", "null"], "items": _period_schema("where")},
                        "home_cell": {"type": ["string", "null"]},
                        "temporary_in": {"type": ["array", "null"], "items": _period_schema("note")},
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
        if m.get("official") and m["official"] < m["admitted"]:
            official, admitted = _shown(m["official"]), _shown(m["admitted"])
            problems.add(f"members[{i}].official",
                         Msg(f"ngày chính thức {official} trước ngày kết nạp {admitted}",
                             f"official date {official} before the admission date {admitted}"),
                         Msg("sửa ngày kết nạp hoặc ngày chuyển chính thức", "fix either date"))
        for key in ("exempt", "temporary_out", "temporary_in"):
            for j, p in enumerate(m.get(key) or []):
                if p.get("to") and p["to"] < p["from"]:
                    end, start = _shown(p["to"]), _shown(p["from"])
                    problems.add(f"members[{i}].{key}[{j}].to",
                                 Msg(f"ngày kết thúc {end} trước ngày bắt đầu {start}",
                                     f"end date {end} before start date {start}"),
                                 Msg("sửa from/to", "fix from/to"))
    officers = data["officers"]
    refs = [("officers.bi_thu", officers.get("bi_thu"))]
    refs.append(("officers.pho_bi_thu", officers.get("pho_bi_thu")))
    refs += [(f"officers.chi_uy_vien[{k}]", v) for k, v in enumerate(officers.get("chi_uy_vien") or [])]
    for path, ref in refs:
        if ref and ref not in ids:
            problems.add(path, Msg(f"không có đảng viên mã {ref} trong danh sách",
                                   f"no member with id {ref} on the roster"),
                         Msg("dùng mã có trong members", "use an id listed under members"))


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
            official=_date(m.get("official")), left=_date(m.get("left")),
            exempt=_periods(m.get("exempt"), "reason"),
            temporary_out=_periods(m.get("temporary_out"), "where"),
            home_cell=m.get("home_cell") or None,
            temporary_in=_periods(m.get("temporary_in"), "note"),
        )
        for m in data["members"]
    )
    return Profile(cell, officers, members, source)


def _shown(iso: str) -> str:
    """An ISO date of the (checked) profile as a message writes it: "1/10/2025"."""
    return vn_date(dt.date.fromisoformat(iso))


def parse_profile(data: dict[str, Any], source: str = "profile.yaml", lines: LineMap | None = None) -> Profile:
    """Validate a profile mapping (already NFC-cleaned) and build the Profile.

    Dates may be written as people write them (20/8/2025, 20.8.2025, 2025-08-20): they are
    read into ISO form before the schema check (``docgen.model.resolve``).
    """
    from docgen.model.resolve import resolve_dates  # resolve imports this module

    problems = profile_problems(source, lines)
    data = resolve_dates(data, PROFILE_SCHEMA, problems)
    check_schema(data, PROFILE_SCHEMA, problems)
    if not problems:
        check_dates(data, problems)
    if not problems:
        _check_roster(data, problems)
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
