"""Editing the roster of profile.yaml for a web form: add a member, edit one, show the
history of one. No web framework here: the roster screen calls these functions.

How profile.yaml is changed:

- Everything outside the members that change stays byte for byte: the cell, the officers,
  their history, the comments there and around the other members. Only the lines of an
  edited member are written anew (a comment inside those lines is lost), and a new member
  is written after the last one, in the style of the file (a one-line ``- {id: …}`` when
  the last member is written so, else the writer's block layout, ``docgen init``). When
  the members list is not a block list that can be spliced that way (a flow list, a JSON
  profile), the whole file is written anew in the writer's layout and its comments are lost.
- Before anything is written the new text is read back with the profile loader (YAML 1.2,
  schema, roster and history checks) and must give exactly the data intended; the file is
  then replaced atomically (a temporary file beside it, one rename): a failure at any step
  leaves the file as it was, byte for byte.
- Two people editing at once never silently lose an edit: writers take a lock beside the
  file (``.profile.yaml.lock``), the caller may pass the sha256 of the file its form was
  built from (``RosterSnapshot.sha256``; a mismatch is ``ProfileChangedError``), and the
  file is hashed again just before the rename, so a change made meanwhile by hand (an
  editor takes no lock) is not overwritten either.

Field values come as a web form gives them: strings, dates written the Vietnamese way
(10/3/2026, 10.3.2026, 2026-03-10; ``docgen.vn.dates.parse_user_date``), an empty string
for an empty field. Problems are ``InputError`` (exit 3) listing one ``InputError`` per
field in ``problems``, each naming the field (``field``: "admitted", "exempt[0].to") and
the fix, Vietnamese by default (``Msg``).
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen.authoring.profile_writer import member_id, visitor_id
from docgen.errors import ConfigError, DocgenError, InputError, os_reason
from docgen.fsio import replace_via_temp, sha256_bytes
from docgen.i18n import Msg
from docgen.model.files import MAX_FILE_BYTES, LineMap, parse_text_lines, read_text, reads_as_text
from docgen.model.labels import PROFILE_LABELS
from docgen.model.problems import ProfileError
from docgen.model.profile import Member, Period, Profile, parse_profile
from docgen.model.roster import member_label, name_key
from docgen.model.validation import ID_PATTERN
from docgen.vn.dates import DateError, date_error_msg, parse_user_date, strip_quotes, vn_date
from docgen.vn.text import clean

# --------------------------------------------------------------------------- fields

MEMBER_FIELDS = ("id", "name", "admitted", "official", "official_decided", "left", "home_cell")
"""The single-value fields a form may give (``id`` only when adding)."""
DATE_FIELDS = ("admitted", "official", "official_decided", "left")
PERIOD_FIELDS: dict[str, str] = {
    "exempt": "reason", "temporary_out": "where", "temporary_in": "note", "suspended": "reason",
}
"""The period lists and the key of each one's note (``note`` is accepted for any of them)."""
MEMBER_KEY_ORDER = ("id", "name", "admitted", "official", "official_decided", "left", "exempt",
                    "temporary_out", "home_cell", "temporary_in", "suspended")
"""The order a member's keys are written in (the schema's and ``docgen init``'s)."""

MAX_NAME_CHARS = 120
MAX_NOTE_CHARS = 300
MAX_PERIODS = 50
"""At most 50 periods of one kind for one member."""
MAX_ID_CHARS = 40
PARTY_FOUNDED = dt.date(1930, 2, 3)
"""No one was admitted to the Party before it was founded (3/2/1930)."""
LOCK_TIMEOUT = 10.0
"""Seconds a writer waits for another one to finish before giving up."""

_ID = re.compile(ID_PATTERN)
_MEMBER_NUMBER = re.compile(r"m(\d+)")
_VISITOR_NUMBER = re.compile(r"t(\d+)")


@dataclass(frozen=True)
class FieldIssue:
    """One problem of one form field: ``field`` is its path in the member ("admitted",
    "exempt[0].to"), ``message`` starts with its label, ``hint`` says how to fix it."""

    field: str
    message: Msg
    hint: Msg

    def error(self, file: str | None = None) -> InputError:
        return InputError(self.message, hint=self.hint, file=file, field=self.field)


def issues_error(issues: Sequence[FieldIssue], file: str | None = None) -> InputError:
    """An InputError listing ``issues`` (each an InputError in ``problems``)."""
    count = len(issues)
    return InputError(
        Msg(f"thông tin đảng viên có {count} lỗi", f"the member's details have {count} problem(s)"),
        file=file, field=issues[0].field if issues else None,
        hint=issues[0].hint if count == 1 else None,
        problems=[issue.error(file) for issue in issues],
    )


def field_label(key: str) -> Msg:
    """The readable name of a member field: "admitted" → "Ngày kết nạp", "exempt[0].to" →
    "Đến ngày (thời kỳ miễn sinh hoạt thứ 1)"."""
    match = re.fullmatch(r"(\w+)\[(\d+)\](?:\.(\w+))?", key)
    if match is None:
        label = PROFILE_LABELS.get(f"members[].{key}")
        return label.name if label else Msg(f"\"{key}\"", f"\"{key}\"")
    kind, index, sub = match.group(1), int(match.group(2)) + 1, match.group(3)
    item = PROFILE_LABELS.get(f"members[].{kind}[]")
    item_vi, item_en = (item.vi, item.en) if item else (kind, kind)
    if sub is None:
        return Msg(f"{item_vi} thứ {index}", f"{item_en} {index}")
    sub_label = PROFILE_LABELS.get(f"members[].{kind}[].{sub}")
    sub_vi, sub_en = (sub_label.vi, sub_label.en) if sub_label else (sub, sub)
    return Msg(f"{sub_vi} ({item_vi.lower()} thứ {index})", f"{sub_en} ({item_en.lower()} {index})")


def _issue(key: str, message: Msg, hint: Msg) -> FieldIssue:
    label = field_label(key)
    return FieldIssue(key, Msg(f"{label.vi}: {message.vi}", f"{label.en}: {message.en}"), hint)


def one_line(value: str) -> str:
    """Form text as it is stored: NFC, invisible characters removed, every run of spaces,
    tabs and line breaks one space, no space at either end."""
    return " ".join(clean(value).split())


def _bad_char(text: str) -> str | None:
    for char in text:
        if unicodedata.category(char) in ("Cc", "Cs") or char in "\ufffe\uffff":
            return f"U+{ord(char):04X}"
    return None


def text_value(key: str, value: object, limit: int, issues: list[FieldIssue]) -> str:
    """A one-line text field ("" when empty); a problem is added to ``issues``."""
    if value is None:
        return ""
    if not isinstance(value, str | int) or isinstance(value, bool):
        issues.append(_issue(key, Msg("không phải chữ", "not text"), Msg("ghi chữ", "write text")))
        return ""
    text = one_line(str(value))
    bad = _bad_char(text)
    if bad is not None:
        issues.append(_issue(key, Msg(f"có ký tự điều khiển hoặc ký tự hỏng ({bad})",
                                      f"contains a control or broken character ({bad})"),
                             Msg("xóa ký tự đó (thường do sao chép từ nơi khác) rồi gõ lại",
                                 "delete that character (usually pasted from elsewhere) and type it again")))
        return ""
    if len(text) > limit:
        issues.append(_issue(key, Msg(f"dài quá {limit} ký tự ({len(text)} ký tự)",
                                      f"longer than {limit} characters ({len(text)})"),
                             Msg("rút gọn lại; kiểm tra xem có dán nhầm cả đoạn văn không",
                                 "shorten it; check that a whole paragraph was not pasted by mistake")))
        return ""
    return text


def date_value(key: str, value: object, issues: list[FieldIssue]) -> dt.date | None:
    """A date as a form or a sheet gives it (text day first, a date, empty); None when
    empty or unreadable (then a problem is added to ``issues``)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        text = str(value)
        issues.append(_issue(key, Msg(f"không phải ngày: {text}", f"not a date: {text}"),
                             Msg("ghi ngày/tháng/năm, ví dụ 10/3/2026 (trong Excel: định dạng ô là Ngày)",
                                 "write day/month/year, e.g. 10/3/2026 (in Excel: format the cell as a Date)")))
        return None
    text = one_line(value)
    if not strip_quotes(text):
        return None
    try:
        return parse_user_date(text)
    except DateError as exc:
        message, hint = date_error_msg(strip_quotes(exc.text), exc.impossible)
        issues.append(_issue(key, message, hint))
        return None


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not strip_quotes(one_line(value)))


def _shown(day: dt.date) -> str:
    return vn_date(day)


# --------------------------------------------------------------------------- a member's draft

@dataclass
class MemberDraft:
    """A member being added or edited, as Python values; ``to_dict`` gives the entry of
    profile.yaml (ISO dates, the writer's key order)."""

    id: str
    name: str = ""
    admitted: dt.date | None = None
    official: dt.date | None = None
    official_decided: dt.date | None = None
    left: dt.date | None = None
    home_cell: str = ""
    periods: dict[str, tuple[Period, ...]] = field(default_factory=dict)

    @classmethod
    def from_member(cls, member: Member) -> MemberDraft:
        return cls(member.id, member.name, member.admitted, member.official, member.official_decided,
                   member.left, member.home_cell or "",
                   {key: getattr(member, key) for key in PERIOD_FIELDS if getattr(member, key)})

    def apply(self, fields: Mapping[str, object]) -> list[FieldIssue]:
        """Set the fields a form gives (a key not given keeps its value, an empty one
        clears it); the problems found reading them."""
        issues: list[FieldIssue] = []
        for key, value in fields.items():
            if key == "id":
                continue  # chosen by the caller (add) or fixed (edit)
            if key == "name":
                self.name = text_value(key, value, MAX_NAME_CHARS, issues)
            elif key == "home_cell":
                self.home_cell = text_value(key, value, MAX_NOTE_CHARS, issues)
            elif key in DATE_FIELDS:
                setattr(self, key, date_value(key, value, issues))
            elif key in PERIOD_FIELDS:
                self.periods[key] = _periods(key, value, issues)
                if not self.periods[key]:
                    del self.periods[key]
            else:
                known = ", ".join((*MEMBER_FIELDS, *PERIOD_FIELDS))
                issues.append(FieldIssue(str(key), Msg(f"không có trường \"{key}\"", f"no field \"{key}\""),
                                         Msg(f"các trường: {known}", f"the fields are: {known}")))
        return issues

    def check(self) -> list[FieldIssue]:
        """The member's own rules (the profile loader's, said for a form)."""
        issues: list[FieldIssue] = []
        if not self.name:
            issues.append(_issue("name", Msg("chưa ghi", "missing"),
                                 Msg("ghi họ và tên đầy đủ, ví dụ Nguyễn Văn An",
                                     "write the full name, e.g. Nguyễn Văn An")))
        if self.admitted is None:
            issues.append(_issue("admitted", Msg("chưa ghi", "missing"),
                                 Msg("ghi ngày kết nạp vào Đảng, ví dụ 19/5/1998",
                                     "write the date of admission, e.g. 19/5/1998")))
        elif self.admitted < PARTY_FOUNDED:
            issues.append(_issue("admitted", Msg(f"{_shown(self.admitted)} trước ngày thành lập Đảng (3/2/1930)",
                                                 f"{_shown(self.admitted)} is before the Party was founded "
                                                 "(3/2/1930)"),
                                 Msg("kiểm tra năm kết nạp", "check the year of admission")))
        if self.official is not None and self.admitted is not None and self.official < self.admitted:
            issues.append(_issue("official", Msg(f"{_shown(self.official)} trước ngày kết nạp {_shown(self.admitted)}",
                                                 f"{_shown(self.official)} is before the admission date "
                                                 f"{_shown(self.admitted)}"),
                                 Msg("sửa một trong hai ngày (thường chính thức sau ngày kết nạp 12 tháng)",
                                     "fix either date (usually 12 months after admission)")))
        if self.official_decided is not None:
            if self.official is None:
                issues.append(_issue("official_decided",
                                     Msg("có ngày quyết định nhưng chưa ghi ngày chuyển chính thức",
                                         "a decision date without the official date"),
                                     Msg("ghi cả ngày chuyển chính thức (ngày hết 12 tháng dự bị), hoặc để trống "
                                         "ngày quyết định",
                                         "also write the official date (the end of probation), or leave the "
                                         "decision date empty")))
            elif self.official_decided < self.official:
                issues.append(_issue("official_decided",
                                     Msg(f"{_shown(self.official_decided)} trước ngày chuyển chính thức "
                                         f"{_shown(self.official)}",
                                         f"{_shown(self.official_decided)} is before the official date "
                                         f"{_shown(self.official)}"),
                                     Msg("sửa một trong hai ngày", "fix either date")))
        if self.left is not None and self.admitted is not None and self.left < self.admitted:
            issues.append(_issue("left", Msg(f"{_shown(self.left)} trước ngày kết nạp {_shown(self.admitted)}",
                                             f"{_shown(self.left)} is before the admission date "
                                             f"{_shown(self.admitted)}"),
                                 Msg("sửa ngày chuyển đi hoặc ngày kết nạp", "fix either date")))
        if self.periods.get("temporary_in") and not self.home_cell:
            issues.append(_issue("home_cell", Msg("chưa ghi, nhưng có thời kỳ sinh hoạt tạm thời tại chi bộ",
                                                  "missing, but there are periods attending here"),
                                 Msg("ghi chi bộ gốc của đồng chí (ví dụ Chi bộ thôn Đông)",
                                     "write the member's home cell (e.g. Chi bộ thôn Đông)")))
        for key, periods in self.periods.items():
            for j, period in enumerate(periods):
                if period.end is not None and period.end < period.start:
                    issues.append(_issue(f"{key}[{j}].to",
                                         Msg(f"{_shown(period.end)} trước ngày bắt đầu {_shown(period.start)}",
                                             f"{_shown(period.end)} is before the start {_shown(period.start)}"),
                                         Msg("sửa Từ ngày hoặc Đến ngày (để trống Đến ngày: chưa kết thúc)",
                                             "fix From or To (an empty To: still open)")))
        return issues

    def to_dict(self) -> dict[str, Any]:
        """The profile.yaml entry: ISO dates, ``official`` always (null: probationary), the
        other optional keys only when set, in the writer's order."""
        values: dict[str, Any] = {
            "id": self.id, "name": self.name,
            "admitted": self.admitted.isoformat() if self.admitted else None,
            "official": self.official.isoformat() if self.official else None,
            "official_decided": self.official_decided.isoformat() if self.official_decided else None,
            "left": self.left.isoformat() if self.left else None,
            "home_cell": self.home_cell or None,
        }
        for key, note_key in PERIOD_FIELDS.items():
            if self.periods.get(key):
                values[key] = [_period_dict(p, note_key) for p in self.periods[key]]
        always = ("id", "name", "admitted", "official")
        return {key: values[key] for key in MEMBER_KEY_ORDER
                if key in always or values.get(key) is not None}


def _period_dict(period: Period, note_key: str) -> dict[str, Any]:
    item: dict[str, Any] = {"from": period.start.isoformat(),
                            "to": period.end.isoformat() if period.end else None}
    if period.note:
        item[note_key] = period.note
    return item


def _periods(key: str, value: object, issues: list[FieldIssue]) -> tuple[Period, ...]:
    """A period list as a form gives it: mappings with from, to and the note."""
    if value is None or value == "":
        return ()
    if not isinstance(value, list | tuple):
        issues.append(_issue(key, Msg("phải là một danh sách thời kỳ", "must be a list of periods"),
                             Msg("mỗi thời kỳ có Từ ngày, Đến ngày và ghi chú", "each period has From, To and a note")))
        return ()
    if len(value) > MAX_PERIODS:
        issues.append(_issue(key, Msg(f"hơn {MAX_PERIODS} thời kỳ", f"more than {MAX_PERIODS} periods"),
                             Msg("chỉ ghi các thời kỳ thật", "list the real periods only")))
        return ()
    note_key = PERIOD_FIELDS[key]
    out: list[Period] = []
    for j, item in enumerate(value):
        path = f"{key}[{j}]"
        if isinstance(item, Period):
            out.append(item)
            continue
        if not isinstance(item, Mapping):
            issues.append(_issue(path, Msg("không phải một thời kỳ", "not a period"),
                                 Msg("ghi Từ ngày, Đến ngày và ghi chú", "give From, To and a note")))
            continue
        unknown = [k for k in item if k not in ("from", "to", note_key, "note")]
        if unknown:
            issues.append(_issue(path, Msg(f"không có trường \"{unknown[0]}\"", f"no field \"{unknown[0]}\""),
                                 Msg(f"các trường: from, to, {note_key}", f"the fields are: from, to, {note_key}")))
            continue
        raw_from, raw_to = item.get("from"), item.get("to")
        note = text_value(f"{path}.{note_key}", item.get(note_key, item.get("note")), MAX_NOTE_CHARS, issues)
        if _blank(raw_from) and _blank(raw_to) and not note:
            continue  # an empty row of the form
        start = date_value(f"{path}.from", raw_from, issues)
        end = date_value(f"{path}.to", raw_to, issues)
        if start is None:
            if _blank(raw_from):
                issues.append(_issue(f"{path}.from", Msg("chưa ghi", "missing"),
                                     Msg("ghi ngày bắt đầu, ví dụ 1/1/2026", "write the start date, e.g. 1/1/2026")))
            continue
        out.append(Period(start, end, note))
    return tuple(out)


# --------------------------------------------------------------------------- ids

def _numbers(profile: Profile, pattern: re.Pattern[str], taken: Sequence[str]) -> list[int]:
    ids = [m.id for m in profile.members] + list(taken)
    return [int(match.group(1)) for i in ids if (match := pattern.fullmatch(i))]


def next_member_id(profile: Profile, *, visitor: bool = False, taken: Sequence[str] = ()) -> str:
    """The id of a new roster entry: "m23" after m01…m22 (``docgen init``'s scheme), "t02"
    for a member of another cell after t01. One more than the highest number in use (also
    in ``taken``), so an id is never reused, not even one freed by a gap."""
    pattern, make = (_VISITOR_NUMBER, visitor_id) if visitor else (_MEMBER_NUMBER, member_id)
    highest = max(_numbers(profile, pattern, taken), default=0)
    candidate = make(highest)
    used = {m.id for m in profile.members} | set(taken)
    while candidate in used:  # only when "m023" and "m23" both exist: step past it
        highest += 1
        candidate = make(highest)
    return candidate


def check_new_id(profile: Profile, value: object, taken: Sequence[str] = ()) -> tuple[str, list[FieldIssue]]:
    """A member id chosen by the user: well formed and not in use."""
    issues: list[FieldIssue] = []
    text = text_value("id", value, MAX_ID_CHARS, issues).lower()
    if issues:
        return "", issues
    if not _ID.fullmatch(text):
        issues.append(_issue("id", Msg(f"\"{text}\" không đúng dạng mã", f"\"{text}\" is not a valid id"),
                             Msg("chữ thường không dấu, số và dấu gạch nối, ví dụ m23; để trống để docgen tự đặt",
                                 "lowercase ASCII letters, digits and hyphens, e.g. m23; leave it empty for "
                                 "docgen to choose")))
        return "", issues
    existing = profile.member(text)
    if existing is not None or text in taken:
        who = member_label(existing) if existing else text
        issues.append(_issue("id", Msg(f"mã {text} đã có ({who})", f"id {text} is taken ({who})"),
                             Msg(f"chọn mã khác, ví dụ {next_member_id(profile, taken=taken)}, hoặc để trống",
                                 f"choose another, e.g. {next_member_id(profile, taken=taken)}, or leave it empty")))
    return text, issues


# --------------------------------------------------------------------------- history

@dataclass(frozen=True)
class HistoryEvent:
    """One dated change of a member's status: ``message`` in both languages, ``text`` in
    the language asked for, ``kind`` a stable name ("admitted", "exempt_start", …)."""

    date: dt.date
    kind: str
    message: Msg
    text: str


_PERIOD_WORDS: dict[str, tuple[Msg, Msg]] = {  # kind → (start, end); {note} is the period's note
    "exempt": (Msg("Bắt đầu miễn công tác và sinh hoạt đảng", "Exempted from Party work and meetings"),
               Msg("Hết thời gian miễn công tác và sinh hoạt đảng (ngày cuối)",
                   "End of the exemption (last day)")),
    "temporary_out": (Msg("Đi sinh hoạt tạm thời nơi khác", "Started attending another cell temporarily"),
                      Msg("Hết thời gian sinh hoạt tạm thời nơi khác (ngày cuối)",
                          "End of attending elsewhere (last day)")),
    "temporary_in": (Msg("Đến sinh hoạt tạm thời tại chi bộ", "Started attending this cell temporarily"),
                     Msg("Hết thời gian sinh hoạt tạm thời tại chi bộ (ngày cuối)",
                         "End of attending this cell (last day)")),
    "suspended": (Msg("Bị đình chỉ sinh hoạt đảng", "Suspended from Party activities"),
                  Msg("Hết thời gian đình chỉ sinh hoạt đảng (ngày cuối)", "End of the suspension (last day)")),
}
_NOTE_WORDS = {"reason": Msg("lý do", "reason"), "where": Msg("nơi sinh hoạt", "where"),
               "note": Msg("ghi chú", "note")}
_KIND_ORDER = ("admitted", "official", "official_decided", "exempt_start", "temporary_out_start",
               "temporary_in_start", "suspended_start", "exempt_end", "temporary_out_end",
               "temporary_in_end", "suspended_end", "left")


def member_history(member: Member, lang: str = "vi") -> list[HistoryEvent]:
    """The member's changes of status in date order: admitted, made official (and the
    recognition decision), the start and last day of each exemption, period elsewhere,
    period here and suspension, left the cell. A period still open has no end."""
    raw: list[tuple[dt.date, str, Msg]] = []
    home = f" (chi bộ gốc: {member.home_cell})" if member.home_cell else ""
    home_en = f" (home cell: {member.home_cell})" if member.home_cell else ""
    raw.append((member.admitted, "admitted", Msg(f"Kết nạp vào Đảng (đảng viên dự bị){home}",
                                                 f"Admitted to the Party (probationary){home_en}")))
    if member.official is not None:
        if member.official_decided is not None:
            decided = _shown(member.official_decided)
            raw.append((member.official, "official",
                        Msg(f"Chuyển đảng viên chính thức (hết 12 tháng dự bị; quyết định công nhận ngày {decided})",
                            f"Made an official member (end of probation; recognised on {decided})")))
            raw.append((member.official_decided, "official_decided",
                        Msg("Cấp ủy cấp trên quyết định công nhận đảng viên chính thức",
                            "The superior committee's decision recognising the member as official")))
        else:
            raw.append((member.official, "official", Msg("Chuyển đảng viên chính thức", "Made an official member")))
    for key, note_key in PERIOD_FIELDS.items():
        start_words, end_words = _PERIOD_WORDS[key]
        note_words = _NOTE_WORDS[note_key]
        for period in getattr(member, key):
            note_vi = f" ({note_words.vi}: {period.note})" if period.note else ""
            note_en = f" ({note_words.en}: {period.note})" if period.note else ""
            open_vi = "" if period.end else ", chưa kết thúc"
            open_en = "" if period.end else ", still open"
            raw.append((period.start, f"{key}_start",
                        Msg(f"{start_words.vi}{note_vi}{open_vi}", f"{start_words.en}{note_en}{open_en}")))
            if period.end is not None:
                raw.append((period.end, f"{key}_end", end_words))
    if member.left is not None:
        raw.append((member.left, "left", Msg("Chuyển đi / thôi sinh hoạt tại chi bộ", "Left the cell")))
    ordered = sorted(enumerate(raw), key=lambda item: (item[1][0], _KIND_ORDER.index(item[1][1]), item[0]))
    return [HistoryEvent(day, kind, message, message.text(lang)) for _, (day, kind, message) in ordered]


# --------------------------------------------------------------------------- reading, locking

class ProfileChangedError(ConfigError):
    """profile.yaml changed since the caller read it: nothing was written."""


def _changed_error(path: Path) -> ProfileChangedError:
    return ProfileChangedError(
        Msg("hồ sơ chi bộ vừa được sửa ở nơi khác (có người khác đã lưu sau khi bạn mở), "
            "thay đổi của bạn chưa được lưu",
            "the chi bộ profile was changed elsewhere after you opened it (someone else saved); "
            "your change was not saved"),
        file=str(path),
        hint=Msg("tải lại trang để xem bản mới nhất rồi làm lại thay đổi của bạn",
                 "reload the page to see the latest version, then make your change again"))


@dataclass(frozen=True)
class RosterSnapshot:
    """The profile as read: ``sha256`` of its bytes identifies this version (give it back to
    ``add_member`` / ``edit_member`` as ``expected_sha256``)."""

    path: Path
    sha256: str
    profile: Profile
    text: str = field(repr=False, default="")
    data: dict[str, Any] = field(repr=False, default_factory=dict)
    lines: LineMap = field(repr=False, default_factory=dict)


def _target(path: Path) -> Path:
    """The file to change: a symbolic link's target (the link stays a link)."""
    return Path(os.path.realpath(path))


def _read_bytes(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError as exc:
        raise ConfigError(Msg(f"không tìm thấy hồ sơ chi bộ {path}", f"chi bộ profile {path} not found"),
                          file=str(path),
                          hint=Msg("tạo hồ sơ bằng \"docgen init\"", "create one with \"docgen init\"")) from exc
    except OSError as exc:
        reason = os_reason(exc)
        raise ConfigError(Msg(f"không đọc được hồ sơ chi bộ: {reason.vi}", f"cannot read the profile: {reason.en}"),
                          file=str(path), hint=Msg("kiểm tra quyền đọc tệp", "check the file's permissions")) from exc


def read_roster(profile_path: Path) -> RosterSnapshot:
    """Read and validate profile.yaml (the profile loader's checks and errors: a
    ProfileError, exit 5, when the file itself is wrong) with the sha256 of its bytes."""
    path = _target(profile_path)
    raw = _read_bytes(path)
    try:
        if len(raw) > MAX_FILE_BYTES:
            raise UnicodeError("too large")  # read_text says so
        text = raw.decode("utf-8-sig")
    except UnicodeError:
        text = read_text(path, ConfigError)  # explains the size or the encoding (raises), or UTF-16
    data, lines = parse_text_lines(text, str(path), ConfigError)
    profile = parse_profile(data, str(path), lines)
    return RosterSnapshot(path, sha256_bytes(raw), profile, text, data, lines)


def _current_sha(path: Path) -> str | None:
    try:
        return sha256_bytes(path.read_bytes())
    except OSError:
        return None


@contextmanager
def profile_lock(profile_path: Path, timeout: float | None = None) -> Iterator[None]:
    """The writers' lock of a profile (``.profile.yaml.lock`` beside it, an OS file lock
    released when a process dies). ConfigError when it cannot be taken in ``timeout``
    seconds (default ``LOCK_TIMEOUT``) or the folder cannot be written."""
    from filelock import FileLock, Timeout

    path = _target(profile_path)
    wait = LOCK_TIMEOUT if timeout is None else timeout
    lock = FileLock(str(path.with_name(f".{path.name}.lock")), timeout=wait)
    try:
        lock.acquire()
    except Timeout as exc:
        raise ConfigError(Msg("hồ sơ chi bộ đang được người khác lưu", "someone else is saving the profile"),
                          file=str(path), hint=Msg("đợi một lát rồi thử lại", "wait a moment and try again")) from exc
    except OSError as exc:
        reason = os_reason(exc)
        raise ConfigError(Msg(f"không ghi được vào thư mục của hồ sơ chi bộ: {reason.vi}",
                              f"cannot write in the profile's folder: {reason.en}"),
                          file=str(path),
                          hint=Msg("cần quyền ghi vào thư mục chứa profile.yaml",
                                   "write access to the folder of profile.yaml is needed")) from exc
    try:
        yield
    finally:
        lock.release()


# --------------------------------------------------------------------------- writing YAML

_PLAIN = re.compile(r"[^\W_][\w .()/'-]*(?<! )")
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_YAML_BREAKS = "\x85\u2028\u2029"


def scalar(value: object) -> str:
    """One YAML value that docgen (YAML 1.2) reads back as ``value``, safe in block and in
    flow context: plain text when it is only letters, digits, spaces and . ( ) / ' -,
    else in double quotes (JSON escapes)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if _PLAIN.fullmatch(text) and reads_as_text(text):
        return text
    quoted = json.dumps(text, ensure_ascii=False)
    for char in _YAML_BREAKS:  # line breaks for YAML, not for JSON
        quoted = quoted.replace(char, f"\\u{ord(char):04x}")
    return quoted


def _key(key: object) -> str:
    text = str(key)
    return text if _KEY.fullmatch(text) else scalar(text)


def _flow(mapping: Mapping[str, Any]) -> str:
    return "{" + ", ".join(f"{_key(k)}: {_flow_value(v)}" for k, v in mapping.items()) + "}"


def _flow_value(value: object) -> str:
    if isinstance(value, Mapping):
        return _flow(value)
    if isinstance(value, list):
        return "[" + ", ".join(_flow_value(v) for v in value) + "]"
    return scalar(value)


def _simple(value: object) -> bool:
    return not isinstance(value, Mapping | list)


def _block(mapping: Mapping[str, Any], indent: int) -> list[str]:
    """A mapping in block style: scalars and lists of scalars on the key's line, lists of
    flat mappings one ``- {…}`` line per item (the periods, the history)."""
    pad = " " * indent
    out: list[str] = []
    for key, value in mapping.items():
        head = f"{pad}{_key(key)}:"
        if isinstance(value, Mapping):
            out += [f"{head} {{}}"] if not value else [head, *_block(value, indent + 2)]
        elif isinstance(value, list):
            if all(_simple(v) for v in value):
                out.append(f"{head} {_flow_value(value)}")
            else:
                out.append(head)
                out += _items(value, indent + 2)
        else:
            out.append(f"{head} {scalar(value)}")
    return out


def _items(items: list[Any], indent: int) -> list[str]:
    pad = " " * indent
    out: list[str] = []
    for item in items:
        if isinstance(item, Mapping) and item and not all(_simple(v) for v in item.values()):
            inner = _block(item, indent + 2)
            out.append(f"{pad}- {inner[0].lstrip()}")
            out += inner[1:]
        else:
            out.append(f"{pad}- {_flow_value(item)}")
    return out


def member_lines(entry: Mapping[str, Any], indent: int = 2, flow: bool = False) -> list[str]:
    """One member of the list: ``- {id: …}`` on one line (``flow``, when it has no periods)
    or the writer's block layout, the dash at ``indent``."""
    if flow and all(_simple(v) for v in entry.values()):
        return [f"{' ' * indent}- {_flow(entry)}"]
    inner = _block(entry, indent + 2)
    return [f"{' ' * indent}- {inner[0].lstrip()}", *inner[1:]]


_DUMP_HEAD = """\
# Hồ sơ chi bộ cho docgen (ghi lại toàn bộ khi sửa danh sách đảng viên; định dạng: docs/input-format.md).
# Ngày viết ngày/tháng/năm (20/8/2025) hoặc năm-tháng-ngày (2025-08-20).
"""


def profile_text(data: Mapping[str, Any]) -> str:
    """A whole profile in the writer's layout (no comments but the head)."""
    lines = _DUMP_HEAD.splitlines()
    for key in ("cell", "officers", *[k for k in data if k not in ("cell", "officers", "members")]):
        if key in data:
            lines += _block({key: data[key]}, 0)
    members = data.get("members") or []
    lines.append("members:" if members else "members: []")
    for entry in members:
        lines += member_lines(entry, 2, flow=True)
    return "\n".join(lines) + "\n"


_MEMBERS_KEY = re.compile(r"members:[ \t]*(?:#.*)?")
_ITEM = re.compile(r"( *)- ")


def _is_filler(line: str, indent: int) -> bool:
    """A blank line, or a comment no deeper than the list's dashes (a deeper "#" line may be
    the text of a block scalar): what follows a member without being part of it."""
    stripped = line.strip()
    return not stripped or (stripped.startswith("#") and len(line) - len(line.lstrip(" ")) <= indent)


def _spliced(snapshot: RosterSnapshot, replace: Mapping[int, dict[str, Any]],
             add: Sequence[dict[str, Any]]) -> str | None:
    """The file's text with the members at ``replace``'s indexes rewritten and ``add``
    appended, every other line as it was; None when the members are not a block list
    whose items can be told apart by their lines."""
    lines, text = snapshot.lines, snapshot.text
    count = len(snapshot.data.get("members") or [])
    key_line = lines.get(("members",))
    physical = text.splitlines(keepends=True)
    if key_line is None or count == 0 or key_line > len(physical):
        return None
    if not _MEMBERS_KEY.fullmatch(physical[key_line - 1].rstrip("\r\n")):
        return None
    starts = [lines.get(("members", i)) for i in range(count)]
    if any(s is None for s in starts):
        return None
    first = [s for s in starts if s is not None]
    if any(b <= a for a, b in zip([key_line, *first], first, strict=False)):
        return None
    indents = set()
    for s in first:
        match = _ITEM.match(physical[s - 1])
        if match is None:
            return None
        indents.add(len(match.group(1)))
    if len(indents) != 1:
        return None
    indent = indents.pop()
    after = [line for path, line in lines.items() if len(path) == 1 and line > key_line]
    section_end = min(after, default=len(physical) + 1) - 1  # 0-based index of the first line after the list
    spans: list[tuple[int, int]] = []
    for i, start in enumerate(first):
        end = first[i + 1] - 1 if i + 1 < count else section_end
        begin = start - 1
        while end > begin + 1 and _is_filler(physical[end - 1], indent):
            end -= 1
        spans.append((begin, end))
    newline = "\r\n" if physical[0].endswith("\r\n") else "\n"

    def written(entry: dict[str, Any], flow: bool) -> list[str]:
        return [line + newline for line in member_lines(entry, indent, flow)]

    def one_line_flow(i: int) -> bool:
        begin, end = spans[i]
        return end - begin == 1 and physical[begin].lstrip().startswith("- {")

    out = list(physical)
    last_end = spans[-1][1]
    if out and not out[last_end - 1].endswith(("\n", "\r")):
        out[last_end - 1] += newline
    new_lines = [line for entry in add for line in written(entry, one_line_flow(count - 1))]
    out[last_end:last_end] = new_lines
    for i in sorted(replace, reverse=True):
        begin, end = spans[i]
        out[begin:end] = written(replace[i], one_line_flow(i))
    return "".join(out)


def _intended(data: dict[str, Any], replace: Mapping[int, dict[str, Any]],
              add: Sequence[dict[str, Any]]) -> dict[str, Any]:
    members = [replace.get(i, entry) for i, entry in enumerate(data.get("members") or [])]
    return {**data, "members": [*members, *add]}


def _validated(path: Path, text: str, intended: dict[str, Any]) -> Profile | None:
    """The profile ``text`` holds when it reads back as ``intended``; None when it reads back
    as something else (the splice went wrong: the caller writes the whole file instead).
    An InputError listing the loader's problems when the intended profile is not valid."""
    try:
        data, _ = parse_text_lines(text, str(path), ConfigError)
    except ConfigError:
        return None
    if data != intended:
        return None
    try:
        return parse_profile(data, str(path))  # no line numbers: the text is not on disk yet
    except ProfileError as exc:
        raise InputError(Msg("hồ sơ chi bộ sau khi sửa sẽ không hợp lệ, chưa lưu gì",
                             "the profile would not be valid after this change; nothing was saved"),
                         file=str(path), problems=list(exc.problems) or [exc]) from exc


def _write(snapshot: RosterSnapshot, text: str) -> None:
    """Replace the file by ``text`` (temp + rename, the file's permissions kept) unless it
    changed since ``snapshot`` was read."""
    path = snapshot.path
    encoded = text.encode("utf-8")

    def fill(tmp: Path) -> None:
        tmp.write_bytes(encoded)
        with suppress(OSError):  # a file system without modes (FAT): the umask's
            os.chmod(tmp, stat.S_IMODE(path.stat().st_mode))
        if _current_sha(path) != snapshot.sha256:
            raise _changed_error(path)

    try:
        replace_via_temp(path, fill)
    except DocgenError:
        raise
    except OSError as exc:
        reason = os_reason(exc)
        full = exc.errno in (errno.ENOSPC, errno.EDQUOT)
        raise ConfigError(Msg(f"không lưu được hồ sơ chi bộ: {reason.vi}; tệp vẫn như cũ",
                              f"cannot save the profile: {reason.en}; the file is unchanged"),
                          file=str(path),
                          hint=Msg("giải phóng dung lượng đĩa rồi thử lại" if full else
                                   "kiểm tra quyền ghi vào thư mục chứa profile.yaml rồi thử lại",
                                   "free some disk space and try again" if full else
                                   "check write access to the folder of profile.yaml and try again")) from exc


Plan = Callable[[RosterSnapshot], Sequence[MemberDraft]]


def change_members(profile_path: Path, plan: Plan, *, expected_sha256: str | None = None) -> RosterSnapshot:
    """Under the profile's lock: read it, check it is still the version ``expected_sha256``
    names (when given), let ``plan`` say which members to write (a draft whose id is on the
    roster replaces that member, any other is added at the end), validate and write.

    Returns the profile as written (the same snapshot when nothing changed). Raises
    ProfileChangedError, InputError (``plan``'s, or the loader's problems with the new
    profile), ConfigError (the file cannot be read, locked or written); the file is
    unchanged on any error.
    """
    path = _target(profile_path)
    with profile_lock(path):
        snapshot = read_roster(path)
        if expected_sha256 is not None and expected_sha256 != snapshot.sha256:
            raise _changed_error(path)
        drafts = plan(snapshot)
        index = {m.id: i for i, m in enumerate(snapshot.profile.members)}
        members = snapshot.data.get("members") or []
        replace: dict[int, dict[str, Any]] = {}
        add: list[dict[str, Any]] = []
        for draft in drafts:
            entry = draft.to_dict()
            i = index.get(draft.id)
            if i is None:
                add.append(entry)
            elif entry not in (members[i], MemberDraft.from_member(snapshot.profile.members[i]).to_dict()):
                replace[i] = entry  # not when only the form of the entry would change
        if not replace and not add:
            return snapshot
        intended = _intended(snapshot.data, replace, add)
        text = _spliced(snapshot, replace, add)
        profile = _validated(path, text, intended) if text is not None else None
        if profile is None:
            text = profile_text(intended)
            profile = _validated(path, text, intended)
            if profile is None:
                raise ConfigError(Msg("không ghi được hồ sơ chi bộ đúng như đã sửa (lỗi của docgen), chưa lưu gì",
                                      "the profile cannot be written exactly as edited (a docgen bug); "
                                      "nothing was saved"), file=str(path),
                                  hint=Msg("báo lỗi này kèm tệp profile.yaml", "report this with the profile.yaml"))
        assert text is not None
        _write(snapshot, text)
        data, lines = parse_text_lines(text, str(path), ConfigError)
        return RosterSnapshot(path, sha256_bytes(text.encode("utf-8")), profile, text, data, lines)


# --------------------------------------------------------------------------- add, edit

def _same_name(profile: Profile, draft: MemberDraft) -> list[Member]:
    key = name_key(draft.name)
    return [m for m in profile.members if m.id != draft.id and key and name_key(m.name) == key]


def add_member(profile_path: Path, fields: Mapping[str, object], *, expected_sha256: str | None = None,
               allow_same_name: bool = False) -> str:
    """Add a member from a form's fields; returns the new id (``fields["id"]`` when given,
    else the next one of the scheme: m23, or t02 for a member of another cell, one with a
    home_cell). A name already on the roster (accents and case ignored) is refused unless
    ``allow_same_name`` (two people may share a name; a form sent twice should not add one
    twice)."""
    chosen: list[str] = []

    def plan(snapshot: RosterSnapshot) -> list[MemberDraft]:
        profile = snapshot.profile
        issues: list[FieldIssue] = []
        if fields.get("id") not in (None, ""):
            new_id, issues = check_new_id(profile, fields["id"])
        else:
            visitor = bool(one_line(str(fields.get("home_cell") or "")))
            new_id = next_member_id(profile, visitor=visitor)
        draft = MemberDraft(new_id)
        issues += draft.apply(fields)
        issues += draft.check()
        same = _same_name(profile, draft) if not allow_same_name else []
        if same:
            shown = "; ".join(member_label(m) for m in same)
            issues.append(_issue("name", Msg(f"đã có đảng viên cùng họ tên: {shown}",
                                             f"a member with this name is on the roster already: {shown}"),
                                 Msg("nếu đúng là người khác cùng họ tên, chọn \"vẫn thêm\"; nếu là người đó, "
                                     "sửa đảng viên đã có",
                                     "if it really is another person with the same name, choose \"add anyway\"; "
                                     "if it is the same person, edit the existing member")))
        if issues:
            raise issues_error(issues, str(snapshot.path))
        chosen.append(draft.id)
        return [draft]

    change_members(profile_path, plan, expected_sha256=expected_sha256)
    return chosen[-1]


def edit_member(profile_path: Path, member_id: str, fields: Mapping[str, object], *,
                expected_sha256: str | None = None) -> Member:
    """Change a member from a form's fields (a key not given keeps its value; an empty
    value clears an optional field; a period list replaces the member's list of that
    kind); returns the member as saved. The id cannot be changed (documents refer to it)."""
    def plan(snapshot: RosterSnapshot) -> list[MemberDraft]:
        member = snapshot.profile.member(member_id)
        if member is None:
            raise InputError(Msg(f"không có đảng viên mã {member_id} trong danh sách",
                                 f"no member with id {member_id} on the roster"),
                             file=str(snapshot.path), field="id",
                             hint=Msg("tải lại danh sách đảng viên (có thể người khác vừa sửa)",
                                      "reload the roster (someone may have just changed it)"))
        issues: list[FieldIssue] = []
        given = fields.get("id")
        if given not in (None, "") and one_line(str(given)) != member_id:
            issues.append(_issue("id", Msg(f"không đổi được mã đảng viên ({member_id})",
                                           f"a member's id cannot be changed ({member_id})"),
                                 Msg("các văn bản đã lưu ghi mã này; giữ nguyên mã", "filed documents use this id; "
                                     "keep it")))
        draft = MemberDraft.from_member(member)
        issues += draft.apply(fields)
        issues += draft.check()
        if issues:
            raise issues_error(issues, str(snapshot.path))
        return [draft]

    written = change_members(profile_path, plan, expected_sha256=expected_sha256)
    saved = written.profile.member(member_id)
    assert saved is not None
    return saved
