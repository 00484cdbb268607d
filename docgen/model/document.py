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
    attendance_warnings,
    duration_minutes,
    duration_warning,
    meeting_figures,
    vote_issues,
)
from docgen.model.context import build_context, header_context
from docgen.model.files import LineMap, read_mapping_lines
from docgen.model.kinds import KINDS, KindSpec
from docgen.model.meta import DocMeta
from docgen.model.problems import Problems
from docgen.model.profile import Profile, load_profile
from docgen.model.resolve import resolve_input, resolve_kind, topic_hint
from docgen.model.roster import member_hint, status_on
from docgen.model.text import line, paragraphs
from docgen.model.validation import ID_PATTERN, add_problem, check_dates, check_schema, short_repr
from docgen.model.votes import MeetingVote, meeting_votes
from docgen.topics import topic_ids
from docgen.vn.dates import vn_date

# The .docx (a zip) carries the document date as its timestamp: zip dates run from 1980
# to 2107, so "date: 2200-01-01" was a traceback (struct.error) in the renderer.
FIRST_DATE = dt.date(1980, 1, 1)
LAST_DATE = dt.date(2099, 12, 31)
_ID = re.compile(ID_PATTERN)


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
        summary = _summary(spec, self.data, self.profile)
        header = header_context(self.data, self.profile, self.meta.number_text, spec.type_symbol, spec.numbered,
                                spec.type_name, summary, "DỰ THẢO" if spec.is_draft(self.data) else "")
        body = spec.context_builder(self.data, self.profile, settings or self.settings, self.figures)
        return build_context(header, body)

    @property
    def votes(self) -> tuple[MeetingVote, ...]:
        """The sitting's votes (empty for a paper that is not a meeting, and for a draft)."""
        if self.figures is None or self.spec.is_draft(self.data):
            return ()
        return tuple(meeting_votes(self.data, self.figures, "", self.spec.vote_type))


def _summary(spec: KindSpec, data: dict[str, Any], profile: Profile | None = None) -> str:
    return line(data.get("summary")) or spec.summary(data, profile)


def _meta(spec: KindSpec, data: dict[str, Any], profile: Profile) -> DocMeta:
    number = data.get("number") if spec.numbered and not data.get("draft") else None
    return DocMeta(
        kind=spec.name, cell=profile.cell.name, superior=profile.cell.superior,
        issuer_symbol=profile.cell.symbol, type_symbol=spec.type_symbol, number=number,
        date=dt.date.fromisoformat(data["date"]), title=f"{spec.type_name} {_summary(spec, data, profile)}",
        topics=tuple(data.get("topics") or ()), draft=spec.is_draft(data),
        term_start=profile.cell.term_start, numbered=spec.numbered,
    )


def _add(problems: Problems, issues: list[Issue]) -> None:
    for issue in issues:
        if not add_problem(problems, issue.field, issue.message, issue.hint):
            break


def _unknown_member(path: str, ref: str, profile: Profile) -> Issue:
    return Issue(path, Msg(f"không có đảng viên mã \"{ref}\" trong danh sách", f"no member with id \"{ref}\" on the roster"),
                 member_hint(profile, ref))


def _at(data: Any, parts: list[str], prefix: str) -> list[tuple[str, Any]]:
    """The values at a path pattern ("tasks[].owner") with their concrete paths."""
    if not parts:
        return [(prefix, data)]
    head, rest = parts[0], parts[1:]
    many = head.endswith("[]")
    key = head[:-2] if many else head
    if not isinstance(data, dict) or data.get(key) is None:
        return []
    value = data[key]
    where = f"{prefix}.{key}" if prefix else key
    if not many:
        return _at(value, rest, where)
    if not isinstance(value, list):
        return []
    return [found for i, item in enumerate(value) for found in _at(item, rest, f"{where}[{i}]")]


def _member_refs(spec: KindSpec, data: dict[str, Any]) -> list[tuple[str, Any, bool]]:
    """(path, value, strict): strict refs must be ids; loose ones may be names."""
    refs: list[tuple[str, Any, bool]] = []
    for patterns, strict in ((spec.strict_refs, True), (spec.loose_refs, False)):
        for pattern in patterns:
            refs += [(path, value, strict) for path, value in _at(data, pattern.split("."), "") if value]
    return refs


def _reference_issues(spec: KindSpec, data: dict[str, Any], profile: Profile) -> list[Issue]:
    issues: list[Issue] = []
    for path, ref, strict in _member_refs(spec, data):
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


def _figures(data: dict[str, Any], profile: Profile, settings: Settings, day: dt.date,
             problems: Problems) -> MeetingFigures:
    absences = _absences(data)
    exempt_present = list(data.get("exempt_present") or [])
    silent = list(data.get("exempt_not_voting") or [])
    temp_in = list(data.get("temporary_in_present") or [])
    issues = attendance_issues(profile, day, absences, exempt_present, temp_in, exempt_not_voting=silent)
    _add(problems, issues)
    if issues:  # keep checking the vote against the entries that are valid
        bad = {i.field for i in issues}
        absences = [a for n, a in enumerate(absences) if f"absent[{n}].member" not in bad]
        absences = list({a.member: a for a in absences}.values())
        exempt_present = [m for n, m in enumerate(exempt_present) if f"exempt_present[{n}]" not in bad]
        silent = [m for n, m in enumerate(silent) if f"exempt_not_voting[{n}]" not in bad]
        temp_in = [m for n, m in enumerate(temp_in) if f"temporary_in_present[{n}]" not in bad]
    return meeting_figures(profile, day, absences, exempt_present, temp_in, exempt_not_voting=silent,
                           suspended_in_denominator=settings.suspended_in_denominator)


def _filled(value: Any) -> bool:
    """A section with something in it: text with a paragraph, a non-empty list."""
    if isinstance(value, str):
        return bool(paragraphs(value))
    return bool(value)


def _empty_sections(spec: KindSpec, data: dict[str, Any]) -> list[Msg]:
    """Sections a document needs (domain reference §3–4): a warning names each group of which
    nothing at all is filled in. Conservative: one filled part of a group is enough."""
    return [msg for keys, msg in spec.needed if not any(_filled(data.get(k)) for k in keys)]


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
    spec = KINDS[kind]
    out += _empty_sections(spec, data)
    if spec.meeting:
        combined = bool(data.get("combined_with_topical"))
        minimum = settings.min_combined_meeting_minutes if combined else settings.min_meeting_minutes
        minutes = duration_minutes(dt.time.fromisoformat(data["start"]), dt.time.fromisoformat(data["end"]))
        warning = duration_warning(minutes, minimum, combined)
        if warning:
            out.append(warning)
        if figures is not None:
            out += attendance_warnings(figures, settings)
    for warner in spec.warnings:
        out += warner(data, profile, settings, figures) if profile is not None else []
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
    spec = KINDS[kind]
    profile = profile.at(day)  # names, superior and officers in force on the paper's date
    _add(problems, _reference_issues(spec, data, profile))
    figures = None
    if spec.meeting:
        _add(problems, _meeting_issues(data, profile, day))
        figures = _figures(data, profile, settings, day, problems)
        agree = (data.get("read_back") or {}).get("agree")
        if agree is not None and agree > figures.present:
            problems.add("read_back.agree", Msg(
                f"số đồng chí nhất trí thông qua biên bản ({agree}) lớn hơn số có mặt ({figures.present})",
                f"members approving the minutes ({agree}) exceed those present ({figures.present})"),
                Msg("sửa read_back.agree hoặc để trống (mặc định: tất cả có mặt)",
                    "fix read_back.agree or leave it empty (default: everyone present)"))
        votes = [("vote", data.get("vote"))] + [(f"votes[{i}]", v) for i, v in enumerate(data.get("votes") or [])]
        for path, vote in votes:
            if vote:
                _add(problems, vote_issues(figures, profile, day, int(vote["for"]), int(vote.get("against") or 0),
                                           int(vote.get("abstain") or 0), vote.get("voters"), path))
    if not problems:
        for check in spec.checks:
            _add(problems, check(data, profile, settings, figures))
    problems.raise_if_any()
    warnings = tuple(_warnings(kind, data, settings, figures, profile))
    return DocumentInput(kind, data, profile, settings, source, figures, warnings, _meta(spec, data, profile))


def load_input(path: Path, settings: Settings, profile: Profile | None = None) -> DocumentInput:
    """Read a YAML/JSON input (UTF-8), normalise to NFC and validate it."""
    data, lines = read_mapping_lines(path)
    if profile is None:
        profile = load_profile(settings.profile_path)
    return parse_input(data, settings, profile, str(path), lines)
