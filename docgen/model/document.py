"""A validated document input: schema + Party rules, figures, warnings, meta, context."""

from __future__ import annotations

import copy
import datetime as dt
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from docgen.config import Settings
from docgen.i18n import Msg
from docgen.model.arithmetic import (
    Absence,
    Issue,
    MeetingFigures,
    attendance_issues,
    duration_minutes,
    duration_warning,
    meeting_figures,
    missing_quarters,
    vote_issues,
    vote_result,
    vote_warning,
)
from docgen.model.context import build_context, default_summary, header_context
from docgen.model.files import LineMap, read_mapping_lines
from docgen.model.kinds import KINDS, KindSpec
from docgen.model.meta import DocMeta
from docgen.model.problems import Problems
from docgen.model.profile import Profile, load_profile
from docgen.model.resolve import resolve_input, resolve_kind, topic_hint
from docgen.model.roster import member_hint, status_on
from docgen.model.text import line, paragraphs
from docgen.model.validation import ID_PATTERN, add_problem, check_dates, check_schema, short_repr
from docgen.topics import topic_ids
from docgen.vn.dates import vn_date
from docgen.vn.numbers import roman

# The .docx (a zip) carries the document date as its timestamp: zip dates run from 1980
# to 2107, so "date: 2200-01-01" was a traceback (struct.error) in the renderer.
FIRST_DATE = dt.date(1980, 1, 1)
LAST_DATE = dt.date(2099, 12, 31)
MEETING_KINDS = frozenset({"bien-ban-thuong-ky", "bien-ban-chuyen-de", "nghi-quyet"})
_ID = re.compile(ID_PATTERN)
_ROMAN = {roman(q): q for q in range(1, 5)}


@dataclass(frozen=True)
class DocumentInput:
    """One validated input; ``data`` is the normalised (NFC) input as filed."""

    kind: str
    data: dict[str, Any]
    profile: Profile
    settings: Settings
    source: str
    figures: MeetingFigures | None
    warnings: tuple[Msg, ...] = ()
    _meta: DocMeta | None = field(default=None, repr=False)

    @property
    def spec(self) -> KindSpec:
        return KINDS[self.kind]

    @property
    def meta(self) -> DocMeta:
        if self._meta is None:  # pragma: no cover - parse_input always sets it
            return _meta(self.spec, self.data, self.profile)
        return self._meta

    def with_number(self, number: int) -> DocumentInput:
        """The same document carrying ``number`` (unchanged for never-numbered kinds)."""
        if not self.spec.numbered:
            return self
        data = {**copy.deepcopy(self.data), "number": number}
        return replace(self, data=data, _meta=_meta(self.spec, data, self.profile))

    def context(self, settings: Settings | None = None) -> dict[str, Any]:
        """The values the kind's template sees (see KindSpec.context_keys).

        ``settings`` (default: those the input was loaded with) supply the labels.
        """
        spec = self.spec
        summary = _summary(self.kind, self.data)
        draft = bool(self.data.get("draft")) or (self.kind == "de-cuong-chuyen-de" and not self.data.get("approved"))
        header = header_context(self.data, self.profile, self.meta.number_text, spec.type_symbol, spec.numbered,
                                spec.type_name, summary, "DỰ THẢO" if draft else "")
        return build_context(self.kind, header, self.data, self.profile, settings or self.settings, self.figures)


def _summary(kind: str, data: dict[str, Any]) -> str:
    return line(data.get("summary")) or default_summary(kind, data)


def _meta(spec: KindSpec, data: dict[str, Any], profile: Profile) -> DocMeta:
    number = data.get("number") if spec.numbered and not data.get("draft") else None
    return DocMeta(
        kind=spec.name, cell=profile.cell.name, superior=profile.cell.superior,
        issuer_symbol=profile.cell.symbol, type_symbol=spec.type_symbol, number=number,
        date=dt.date.fromisoformat(data["date"]), title=f"{spec.type_name} {_summary(spec.name, data)}",
        topics=tuple(data.get("topics") or ()), draft=bool(data.get("draft")) or (
            spec.name == "de-cuong-chuyen-de" and not data.get("approved")),
        term_start=profile.cell.term_start, numbered=spec.numbered,
    )


def _add(problems: Problems, issues: list[Issue]) -> None:
    for issue in issues:
        if not add_problem(problems, issue.field, issue.message, issue.hint):
            break


def _unknown_member(path: str, ref: str, profile: Profile) -> Issue:
    return Issue(path, Msg(f"không có đảng viên mã \"{ref}\" trong danh sách", f"no member with id \"{ref}\" on the roster"),
                 member_hint(profile, ref))


def _member_refs(kind: str, data: dict[str, Any]) -> list[tuple[str, Any, bool]]:
    """(path, value, strict): strict refs must be ids; loose ones may be names."""
    refs: list[tuple[str, Any, bool]] = []
    for key in ("chair", "secretary", "presenter", "signer"):
        if data.get(key):
            refs.append((key, data[key], True))
    for key in ("proceedings", "discussion"):
        refs += [(f"{key}[{i}].speaker", s.get("speaker"), False) for i, s in enumerate(data.get(key) or [])]
    for key in ("tasks", "assignments"):
        items = data.get(key)
        if isinstance(items, list):
            refs += [(f"{key}[{i}].owner", t.get("owner"), False) for i, t in enumerate(items)]
    if kind == "ke-hoach-chuyen-de":
        for i, s in enumerate(data.get("schedule") or []):
            refs += [(f"schedule[{i}].preparer", s.get("preparer"), False), (f"schedule[{i}].owner", s.get("owner"), False)]
    return refs


def _reference_issues(kind: str, data: dict[str, Any], profile: Profile) -> list[Issue]:
    issues: list[Issue] = []
    for path, ref, strict in _member_refs(kind, data):
        if not ref or profile.member(str(ref)) is not None:
            continue
        if strict or _ID.fullmatch(str(ref)):  # looks like an id, is not one
            issues.append(_unknown_member(path, str(ref), profile))
    signer = data.get("signer")
    if signer and profile.member(signer) is not None and signer not in (profile.officers.bi_thu,
                                                                        profile.officers.pho_bi_thu):
        issues.append(Issue("signer", Msg(f"đồng chí {profile.name_of(signer)} không phải Bí thư hay Phó Bí thư",
                                          f"{profile.name_of(signer)} is neither the secretary nor the deputy"),
                            Msg("để trống (Bí thư ký) hoặc ghi mã Phó Bí thư trong officers",
                                "leave it empty (the secretary signs) or give the deputy's id from officers")))
    known = topic_ids()
    for i, tid in enumerate(data.get("topics") or []):
        if tid not in known:
            issues.append(Issue(f"topics[{i}]", Msg(f"không có chủ đề mã \"{tid}\"", f"unknown topic id \"{tid}\""),
                                topic_hint(str(tid))))
    return issues


def _meeting_issues(data: dict[str, Any], profile: Profile, day: dt.date) -> list[Issue]:
    issues: list[Issue] = []
    start, end = dt.time.fromisoformat(data["start"]), dt.time.fromisoformat(data["end"])
    if end <= start:
        issues.append(Issue("end", Msg(f"giờ kết thúc ({data['end']}) không sau giờ bắt đầu ({data['start']})",
                                       f"end time ({data['end']}) is not after the start time ({data['start']})"),
                            Msg("sửa start/end (dạng 24 giờ, ví dụ end: 21:30)", "fix start/end (24-hour, e.g. end: 21:30)")))
    absent_ids = {a["member"] for a in data.get("absent") or []}
    for key in ("chair", "secretary", "presenter"):
        ref = data.get(key)
        member = profile.member(ref) if ref else None
        if member is None:
            continue
        status = status_on(member, day)
        if not status.counted and not status.temp_in:
            issues.append(Issue(key, Msg(f"đồng chí {member.name} không thuộc chi bộ vào ngày {vn_date(day)}",
                                         f"{member.name} is not in the cell on {vn_date(day)}"),
                                Msg("chọn đảng viên khác hoặc sửa hồ sơ", "choose another member or fix the profile")))
        elif ref in absent_ids:
            issues.append(Issue(key, Msg(f"đồng chí {member.name} được ghi vắng mặt", f"{member.name} is listed as absent"),
                                Msg("xóa khỏi danh sách vắng hoặc chọn người khác", "remove from absent or choose another")))
    return issues


def _absences(data: dict[str, Any]) -> list[Absence]:
    return [Absence(a["member"], line(a.get("reason")) or None) for a in data.get("absent") or []]


def _figures(data: dict[str, Any], profile: Profile, day: dt.date, problems: Problems) -> MeetingFigures:
    absences = _absences(data)
    exempt_present = list(data.get("exempt_present") or [])
    temp_in = list(data.get("temporary_in_present") or [])
    issues = attendance_issues(profile, day, absences, exempt_present, temp_in)
    _add(problems, issues)
    if issues:  # keep checking the vote against the entries that are valid
        bad = {i.field for i in issues}
        absences = [a for n, a in enumerate(absences) if f"absent[{n}].member" not in bad]
        absences = list({a.member: a for a in absences}.values())
        exempt_present = [m for n, m in enumerate(exempt_present) if f"exempt_present[{n}]" not in bad]
        temp_in = [m for n, m in enumerate(temp_in) if f"temporary_in_present[{n}]" not in bad]
    return meeting_figures(profile, day, absences, exempt_present, temp_in)


def _quarter_of_period(entry: dict[str, Any]) -> int | None:
    if entry.get("quarter"):
        return int(entry["quarter"])
    text = line(entry.get("period")).upper()
    match = re.search(r"QUÝ\s+([IV]+|[1-4])\b", text)
    if match:
        token = match.group(1)
        return int(token) if token.isdigit() else _ROMAN.get(token)
    match = re.search(r"THÁNG\s+(\d{1,2})\b", text)
    if match and 1 <= int(match.group(1)) <= 12:
        return (int(match.group(1)) - 1) // 3 + 1
    return None


def _filled(value: Any) -> bool:
    """A section with something in it: text with a paragraph, a non-empty list."""
    if isinstance(value, str):
        return bool(paragraphs(value))
    return bool(value)


# Sections a document needs (domain reference §3–4), per kind: a warning names each group
# of which nothing at all is filled in. Conservative: one filled part of a group is enough.
_NEEDED: dict[str, tuple[tuple[tuple[str, ...], Msg], ...]] = {
    "nghi-quyet": (
        (("assessment",), Msg("nghị quyết chưa có phần I. Đánh giá kết quả (assessment)",
                              "the resolution has no part I, assessment of results (assessment)")),
        (("directions", "assignments"), Msg(
            "nghị quyết chưa có nhiệm vụ: phần II. Phương hướng, nhiệm vụ (directions) và "
            "III. Phân công nhiệm vụ (assignments) đều trống",
            "the resolution has no tasks: part II, directions (directions) and part III, "
            "assignments (assignments) are both empty")),
    ),
    "bien-ban-thuong-ky": (
        (("agenda", "proceedings", "conclusion"), Msg(
            "biên bản chưa ghi nội dung buổi sinh hoạt: chương trình (agenda), diễn biến "
            "(proceedings) và kết luận (conclusion) đều trống",
            "the minutes record nothing of the meeting: agenda, proceedings and conclusion are "
            "all empty")),
    ),
    "bien-ban-chuyen-de": (
        (("presentation", "discussion"), Msg(
            "biên bản chưa ghi nội dung chuyên đề: tóm tắt chuyên đề (presentation) và ý kiến "
            "thảo luận (discussion) đều trống",
            "the minutes record nothing of the topic: presentation and discussion are both empty")),
    ),
    "ke-hoach-chuyen-de": (
        (("schedule",), Msg("kế hoạch chưa có buổi sinh hoạt chuyên đề nào (phần II, schedule)",
                            "the plan lists no topical session (part II, schedule)")),
    ),
    "de-cuong-chuyen-de": (
        (("content",), Msg("đề cương chưa có phần II. Nội dung chính (content)",
                           "the outline has no part II, main content (content)")),
    ),
}


def _empty_sections(kind: str, data: dict[str, Any]) -> list[Msg]:
    return [msg for keys, msg in _NEEDED.get(kind, ()) if not any(_filled(data.get(k)) for k in keys)]


def _term_warning(day: dt.date, profile: Profile) -> Msg | None:
    term = profile.cell.term_start
    if term is None or day >= term:
        return None
    return Msg(f"ngày văn bản {vn_date(day)} trước ngày bắt đầu nhiệm kỳ {vn_date(term)} trong hồ sơ",
               f"the document date {vn_date(day)} is before the start of the committee term "
               f"{vn_date(term)} in the profile")


def _warnings(kind: str, data: dict[str, Any], settings: Settings, figures: MeetingFigures | None,
              profile: Profile | None = None) -> list[Msg]:
    out: list[Msg] = []
    day = dt.date.fromisoformat(data["date"])
    term = _term_warning(day, profile) if profile is not None else None
    if term is not None:
        out.append(term)
    out += _empty_sections(kind, data)
    if kind in MEETING_KINDS:
        combined = bool(data.get("combined_with_topical"))
        minimum = settings.min_combined_meeting_minutes if combined else settings.min_meeting_minutes
        minutes = duration_minutes(dt.time.fromisoformat(data["start"]), dt.time.fromisoformat(data["end"]))
        warning = duration_warning(minutes, minimum, combined)
        if warning:
            out.append(warning)
        vote = data.get("vote")
        if vote and figures is not None:
            result = vote_result(int(vote["for"]), int(vote.get("against") or 0), int(vote.get("abstain") or 0),
                                 figures.denominator, bool(vote.get("special")))
            vw = vote_warning(result)
            if vw:
                out.append(vw)
    if kind == "ke-hoach-chuyen-de" and data.get("schedule"):  # an empty plan is warned about once, above
        quarters = [_quarter_of_period(s) for s in data.get("schedule") or []]
        for q in missing_quarters(quarters, data.get("quarter")):
            out.append(Msg(f"kế hoạch không có buổi sinh hoạt chuyên đề nào trong quý {roman(q)} (HD 12: ít nhất mỗi quý một lần)",
                           f"the plan has no topical session in quarter {q} (HD 12: at least once a quarter)"))
    return out


def _kind_of(data: dict[str, Any], problems: Problems) -> str | None:
    kind = data.get("kind")
    if isinstance(kind, str) and kind in KINDS:  # kind: [a] is unhashable: no "in" before the type check
        return kind
    kinds, shown = ", ".join(KINDS), short_repr(kind)
    problems.add("kind", Msg(f"loại văn bản không hợp lệ: {shown}", f"invalid document kind: {shown}"),
                 Msg(f"ghi kind là một trong: {kinds}", f"set kind to one of: {kinds}"))
    return None


def parse_input(data: dict[str, Any], settings: Settings, profile: Profile, source: str,
                lines: LineMap | None = None) -> DocumentInput:
    """Validate a cleaned (NFC) input mapping; InputError listing every problem.

    What people write is first turned into the canonical values (``docgen.model.resolve``:
    10/3/2026, 19h30, member names, topic labels, "05-NQ/CB"); ``data`` of the result holds
    those. ``lines`` (field path → line in the file) lets problems name their line.
    """
    problems = Problems(source, lines)
    data = {**data, "kind": resolve_kind(data.get("kind"))} if "kind" in data else data
    kind = _kind_of(data, problems)
    problems.raise_if_any()
    assert kind is not None
    problems.kind = kind  # labels of this kind for the problems the resolve step finds
    data = resolve_input(data, kind, profile, problems)
    check_schema(data, KINDS[kind].schema, problems)
    if not problems:
        check_dates(data, problems)
    problems.raise_if_any()
    day = dt.date.fromisoformat(data["date"])
    if not FIRST_DATE <= day <= LAST_DATE:
        problems.add("date", Msg(f"ngày văn bản ngoài phạm vi: {vn_date(day)}", f"document date out of range: {vn_date(day)}"),
                     Msg(f"ngày phải từ {vn_date(FIRST_DATE)} đến {vn_date(LAST_DATE)}",
                         f"the date must be from {vn_date(FIRST_DATE)} to {vn_date(LAST_DATE)}"))
        problems.raise_if_any()
    _add(problems, _reference_issues(kind, data, profile))
    figures = None
    if kind in MEETING_KINDS:
        _add(problems, _meeting_issues(data, profile, day))
        figures = _figures(data, profile, day, problems)
        agree = (data.get("read_back") or {}).get("agree")
        if agree is not None and agree > figures.present:
            problems.add("read_back.agree", Msg(
                f"số đồng chí nhất trí thông qua biên bản ({agree}) lớn hơn số có mặt ({figures.present})",
                f"members approving the minutes ({agree}) exceed those present ({figures.present})"),
                Msg("sửa read_back.agree hoặc để trống (mặc định: tất cả có mặt)",
                    "fix read_back.agree or leave it empty (default: everyone present)"))
        vote = data.get("vote")
        if vote:
            _add(problems, vote_issues(figures, profile, day, int(vote["for"]), int(vote.get("against") or 0),
                                       int(vote.get("abstain") or 0), vote.get("voters")))
    problems.raise_if_any()
    warnings = tuple(_warnings(kind, data, settings, figures, profile))
    return DocumentInput(kind, data, profile, settings, source, figures, warnings, _meta(KINDS[kind], data, profile))


def load_input(path: Path, settings: Settings, profile: Profile | None = None) -> DocumentInput:
    """Read a YAML/JSON input (UTF-8), normalise to NFC and validate it."""
    data, lines = read_mapping_lines(path)
    if profile is None:
        profile = load_profile(settings.profile_path)
    return parse_input(data, settings, profile, str(path), lines)
