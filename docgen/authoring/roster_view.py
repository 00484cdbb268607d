"""The roster as a secretary checks it: each member's status on a date, and the totals."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from typing import Any

from docgen.i18n import Msg
from docgen.model.profile import Member, Profile
from docgen.model.roster import (
    MemberStatus,
    RosterTotals,
    exempt_reason,
    roster_on,
    suspended_reason,
    temp_out_where,
    totals_of,
)
from docgen.vn.dates import vn_date

OFFICIAL = Msg("chính thức", "official")
PROBATIONARY = Msg("dự bị", "probationary")
EXEMPT = Msg("miễn sinh hoạt", "exempt")
SUSPENDED = Msg("đình chỉ sinh hoạt đảng", "suspended from Party activities")
TEMP_OUT = Msg("sinh hoạt tạm thời nơi khác", "temporarily in another cell")
TEMP_IN = Msg("sinh hoạt tạm thời tại chi bộ", "temporarily attending here")
NOT_YET = Msg("chưa kết nạp", "not yet admitted")
LEFT = Msg("đã chuyển đi", "left the cell")
NOT_HERE = Msg("không sinh hoạt tại chi bộ", "not attending here")


@dataclass(frozen=True)
class RosterRow:
    id: str
    name: str
    position: str  # "Bí thư Chi bộ", … or ""
    statuses: tuple[Msg, ...]
    detail: str  # exemption reason, where temporarily, home cell
    counted: bool

    def status_text(self, lang: str) -> str:
        return ", ".join(s.text(lang) for s in self.statuses)


@dataclass(frozen=True)
class RosterView:
    day: dt.date
    cell: str
    rows: tuple[RosterRow, ...]
    totals: RosterTotals


def _uncounted_status(member: Member, status: MemberStatus, day: dt.date) -> Msg:
    if status.temp_in:
        return TEMP_IN
    if member.home_cell:
        return NOT_HERE
    return NOT_YET if day < member.admitted else LEFT


def _statuses(status: MemberStatus, day: dt.date) -> tuple[Msg, ...]:
    if not status.counted:
        return (_uncounted_status(status.member, status, day),)
    out = [OFFICIAL if status.official else PROBATIONARY]
    if status.suspended:
        out.append(SUSPENDED)
    if status.exempt:
        out.append(EXEMPT)
    if status.temp_out:
        out.append(TEMP_OUT)
    return tuple(out)


def _detail(status: MemberStatus, day: dt.date) -> str:
    parts = [suspended_reason(status.member, day) if status.suspended else "",
             exempt_reason(status.member, day) if status.exempt else "",
             temp_out_where(status.member, day) if status.temp_out else "",
             status.member.home_cell or ""]
    return "; ".join(p for p in parts if p)


def _row(profile: Profile, status: MemberStatus, day: dt.date) -> RosterRow:
    return RosterRow(status.id, status.member.name, profile.position_of(status.id),
                     _statuses(status, day), _detail(status, day), status.counted)


def roster_view(profile: Profile, day: dt.date) -> RosterView:
    """Every roster entry with its status on ``day``, and the cell's totals; the cell's name
    and officers are those in force on ``day`` (``Profile.at``)."""
    profile = profile.at(day)
    statuses = roster_on(profile, day)
    rows = tuple(_row(profile, s, day) for s in statuses)
    return RosterView(day, profile.cell.name, rows, totals_of(statuses))


# --------------------------------------------------------------------------- formatting

def _width(text: str) -> int:
    return sum(0 if unicodedata.combining(ch) else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - _width(text), 0)


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    def line(cells: list[str]) -> str:
        return "  ".join(_pad(c, w) for c, w in zip(cells, widths, strict=True)).rstrip()
    return [line(header), "  ".join("-" * w for w in widths), *(line(r) for r in rows)]


def totals_lines(totals: RosterTotals, lang: str) -> list[str]:
    """The totals; the suspended (đình chỉ sinh hoạt đảng) only when there are any."""
    if lang == "en":
        suspended = f"; suspended: {totals.suspended}" if totals.suspended else ""
        return [f"Total members: {totals.total} (official {totals.official}, "
                f"probationary {totals.probationary})",
                f"  exempt: {totals.exempt}; temporarily in another cell: {totals.temp_out}; "
                f"temporarily attending here: {totals.temp_in}{suspended}",
                f"  expected at a meeting: {totals.expected}"]
    suspended = f"; đình chỉ sinh hoạt đảng: {totals.suspended}" if totals.suspended else ""
    return [f"Tổng số đảng viên: {totals.total} (chính thức {totals.official}, "
            f"dự bị {totals.probationary})",
            f"  miễn sinh hoạt: {totals.exempt}; sinh hoạt tạm thời nơi khác: {totals.temp_out}; "
            f"sinh hoạt tạm thời tại chi bộ: {totals.temp_in}{suspended}",
            f"  phải có mặt khi họp: {totals.expected}"]


def roster_lines(view: RosterView, lang: str = "vi") -> list[str]:
    """The roster table and totals as text lines in ``lang``."""
    en = lang == "en"
    title = (f"{view.cell}: roster on {vn_date(view.day)}" if en
             else f"{view.cell}: danh sách đảng viên ngày {vn_date(view.day)}")
    header = (["#", "ID", "Name", "Position", "Status", "Note"] if en
              else ["TT", "Mã", "Họ tên", "Chức vụ", "Tình trạng", "Ghi chú"])
    rows = [[str(i), r.id, r.name, r.position, r.status_text(lang), r.detail]
            for i, r in enumerate(view.rows, start=1)]
    return [title, "", *_table(header, rows), "", *totals_lines(view.totals, lang)]


def roster_json(view: RosterView, lang: str = "vi") -> dict[str, Any]:
    t = view.totals
    return {
        "date": view.day.isoformat(), "cell": view.cell,
        "members": [
            {"id": r.id, "name": r.name, "position": r.position, "counted": r.counted,
             "status": r.status_text(lang), "detail": r.detail}
            for r in view.rows
        ],
        "totals": {"total": t.total, "official": t.official, "probationary": t.probationary,
                   "exempt": t.exempt, "temp_out": t.temp_out, "temp_in": t.temp_in,
                   "expected": t.expected, "suspended": t.suspended},
    }
