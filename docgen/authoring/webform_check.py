"""A posted form checked by the model, and the live attendance and vote figures.

Part of ``docgen.authoring.webform`` (import the public names from there). ``check_form``
runs ``parse_input``, the validation ``docgen render``/``new`` run, and returns its
problems by field with the CLI's words; ``live_figures`` computes a sitting's figures with
the model's own functions (``document._figures``: the attendance checks and
``meeting_figures``; ``meeting_votes``, ``vote_issues``, ``denominator_text``,
``attendance_text``) on a form that may be half filled: what cannot be counted yet is left
out and named in a field message.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any

from docgen.authoring.webform_fields import MULTI, tree
from docgen.config import Settings
from docgen.errors import DocgenError, InputError
from docgen.model.arithmetic import Issue, MeetingFigures, vote_issues
from docgen.model.context import attendance_text, guests_context
from docgen.model.document import DocumentInput, _figures, parse_input
from docgen.model.kinds import KINDS
from docgen.model.labels import path_text, split_path
from docgen.model.problems import Problems
from docgen.model.profile import Profile
from docgen.model.resolve import ABSENT_KEY, resolve_input
from docgen.model.validation import DATE_PATTERN, check_dates, check_schema
from docgen.model.votes import MeetingVote, denominator_text, meeting_votes, vote_context
from docgen.vn.text import clean_tree

SOURCE = "biểu mẫu"  # the "file" of a form's problems (never shown: no file, no line)

# The fields the figures are computed from (what parse_input hands to _figures and vote_issues).
FIGURE_FIELDS = ("date", ABSENT_KEY, "exempt_present", "exempt_not_voting", "temporary_in_present", "vote", "votes")
_LISTS = ("exempt_present", "exempt_not_voting", "temporary_in_present")


@dataclass(frozen=True)
class FieldMessage:
    """One problem of a form: ``path`` is the model's field path ("absent[1].member", ""
    for the paper as a whole), ``field`` the posted name of the input that shows it
    ("exempt_present" for "exempt_present[0]"), ``text`` and ``hint`` the problem and its
    fix in the chosen language, ``cli`` both as the CLI prints them ("Lỗi: …\\n  Cách sửa: …")."""

    path: str
    field: str
    text: str
    hint: str
    cli: str


@dataclass(frozen=True)
class FormCheck:
    """What the model says of a form: ``ok`` when it validates (``document`` is then the
    validated input), else its problems; ``warnings`` of a valid one."""

    ok: bool
    problems: tuple[FieldMessage, ...] = ()
    warnings: tuple[str, ...] = ()
    document: DocumentInput | None = None

    @property
    def messages(self) -> dict[str, list[str]]:
        """Field path → the CLI's message of each of its problems ("" for the paper)."""
        out: dict[str, list[str]] = {}
        for problem in self.problems:
            out.setdefault(problem.path, []).append(problem.cli)
        return out

    def for_field(self, name: str) -> list[str]:
        """The messages the input posted as ``name`` shows."""
        return [p.cli for p in self.problems if p.field == name]


@dataclass(frozen=True)
class VoteFigures:
    """One vote of the sitting, as the model counts it."""

    path: str  # "vote", "votes[1]"
    subject: str
    type: str  # a key of docgen.model.votes.VOTE_TYPES
    votes_for: int
    against: int
    abstain: int
    denominator: int
    percent_text: str  # "93,8%", as the documents print it
    rate_text: str  # "15/16 đồng chí tán thành, đạt 93,8%"
    threshold_text: str  # "hơn một nửa" / "ít nhất hai phần ba"
    passed: bool
    result_text: str  # "thông qua" / "không thông qua"
    outcome_text: str  # "thông qua" / "không thông qua (cần hơn một nửa số đảng viên chính thức tán thành)"
    sentence: str  # "Biểu quyết …: 15/16 đồng chí tán thành, đạt 93,8%; …. Kết quả: thông qua."


@dataclass(frozen=True)
class Figures:
    """The figures of a sitting as the form stands. ``ready`` is False until the meeting
    date can be read (the counts are then 0); ``messages`` name what was left out."""

    ready: bool
    day: dt.date | None = None
    total: int = 0
    official: int = 0
    probationary: int = 0
    exempt: int = 0
    temp_out: int = 0
    temp_in: int = 0
    suspended: int = 0
    summoned: int = 0  # triệu tập: counted, not exempt, not elsewhere, not suspended
    present: int = 0
    present_official: int = 0
    present_probationary: int = 0
    absent: int = 0
    absent_with_reason: tuple[tuple[str, str], ...] = ()  # (name, reason)
    absent_without_reason: tuple[str, ...] = ()  # names
    attendance_percent: str = ""  # present among those summoned: "84,2%"
    voters_present: int = 0
    denominator: int = 0
    denominator_text: str = ""  # "Tỷ lệ biểu quyết tính trên 18 đảng viên chính thức (…)."
    attendance_text: str = ""  # the resolution's sentence on who was there
    votes: tuple[VoteFigures, ...] = ()
    messages: tuple[FieldMessage, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The figures as JSON values (for the page's live update)."""
        out = asdict(self)
        out["day"] = self.day.isoformat() if self.day else None
        return out


# --------------------------------------------------------------------------- messages

def field_name(kind: str, path: str) -> str:
    """The posted name of the input that shows the field at ``path``: the path itself,
    except that an item of a members' or topics' list is shown by the list's checkboxes."""
    parts = split_path(path)
    nodes = tree(kind)
    for i, part in enumerate(parts):
        if isinstance(part, int):
            continue
        node = next((n for n in nodes if n.key == part), None)
        if node is None:
            return path
        if node.widget in MULTI:
            return path_text(parts[:i + 1])
        nodes = node.children
    return path


def _message(kind: str, path: str, error: DocgenError, lang: str) -> FieldMessage:
    hint = error.hint.text(lang) if error.hint is not None else ""
    cli = DocgenError(error.message, hint=error.hint).render(lang)  # the CLI's lines, without file and field
    return FieldMessage(path, field_name(kind, path), error.message.text(lang), hint, cli)


def _messages(kind: str, errors: Iterable[DocgenError], lang: str) -> list[FieldMessage]:
    return [_message(kind, _path(e), e, lang) for e in errors]


def check_form(kind: str, data: Mapping[str, Any], profile: Profile, settings: Settings,
               lang: str = "vi") -> FormCheck:
    """``data`` (from ``data_from_form``) validated by the model (``parse_input``): every
    problem with its field and the CLI's message, or the warnings of a valid paper. Never
    raises for what a user typed."""
    cleaned = clean_tree({**data, "kind": kind})
    try:
        document = parse_input(cleaned, settings, profile, SOURCE)
    except InputError as exc:
        return FormCheck(False, tuple(_messages(kind, exc.problems or [exc], lang)))
    return FormCheck(True, (), tuple(w.text(lang) for w in document.warnings), document)


# --------------------------------------------------------------------------- live figures

def _concerns(path: str, fields: Iterable[str]) -> bool:
    """Whether ``path`` is one of ``fields`` or inside one."""
    return any(path == f or path.startswith((f"{f}.", f"{f}[")) for f in fields)


def _path(error: DocgenError) -> str:
    return str(getattr(error, "path", None) or error.field or "")


def _related(a: str, b: str) -> bool:
    """Whether two field paths are one field, or one is inside the other."""
    return bool(a and b) and (_concerns(a, [b]) or _concerns(b, [a]))


def _day(value: Any) -> dt.date | None:
    """The meeting date once the resolve step has read it (2026-03-10), else None."""
    if not isinstance(value, str) or re.fullmatch(DATE_PATTERN, value, re.ASCII) is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:  # 2026-02-30: check_dates says so
        return None


def _absentee(item: Any) -> dict[str, Any]:
    """An absentee as ``_figures`` reads it: a member id that is a string (an unknown or
    unread one is reported and left out by the attendance checks), a reason or None."""
    if isinstance(item, Mapping):
        reason = item.get("reason")
        member = item.get("member")
        return {"member": "" if member is None else str(member), "reason": reason if isinstance(reason, str) else None}
    return {"member": "" if item is None else str(item)}


def _countable(data: Mapping[str, Any]) -> dict[str, Any]:
    """``data`` with the attendance lists in the shapes ``_figures`` reads (positions kept,
    so that its messages name the rows of the form)."""
    out = dict(data)
    absent = data.get(ABSENT_KEY)
    out[ABSENT_KEY] = [_absentee(item) for item in absent] if isinstance(absent, list) else []
    for key in _LISTS:
        value = data.get(key)
        out[key] = ["" if v is None else str(v) for v in value] if isinstance(value, list) else []
    return out


def _count(value: Any, default: int | None) -> int | None:
    if value is None:
        return default
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _counts(vote: Any) -> tuple[int, int, int] | None:
    """(for, against, abstain) of a vote typed so far; None until it can be counted."""
    if not isinstance(vote, Mapping):
        return None
    votes_for, against = _count(vote.get("for"), None), _count(vote.get("against"), 0)
    abstain = _count(vote.get("abstain"), 0)
    if votes_for is None or against is None or abstain is None:
        return None
    return votes_for, against, abstain


def _vote_figures(vote: MeetingVote) -> VoteFigures:
    r = vote.result
    context = vote_context(vote)
    return VoteFigures(vote.path, vote.subject, vote.type, r.votes_for, r.against, r.abstain, r.denominator,
                       r.percent_text, r.rate_text, r.threshold_text, r.passed, str(context["result_text"]),
                       str(context["outcome_text"]), vote.sentence)


def _votes(kind: str, data: Mapping[str, Any], figures: MeetingFigures, profile: Profile, day: dt.date,
           found: list[Issue]) -> list[VoteFigures]:
    """The votes typed so far (``vote``, then each of ``votes``), counted on the sitting's
    denominator; ``found`` gets the model's problems of their counts (vote_issues)."""
    entries: list[tuple[str, Any]] = [("vote", data.get("vote"))]
    votes = data.get("votes")
    entries += [(f"votes[{i}]", item) for i, item in enumerate(votes if isinstance(votes, list) else [])]
    out: list[VoteFigures] = []
    for path, vote in entries:
        counts = _counts(vote)
        if counts is None:
            continue  # not typed yet, or not a count: the schema's message says so
        voters = vote.get("voters")
        voters = [str(v) for v in voters] if isinstance(voters, list) else None
        found += vote_issues(figures, profile, day, *counts, voters, path)
        counted = {**vote, "for": counts[0], "against": counts[1], "abstain": counts[2]}
        one = {"vote": counted} if path == "vote" else {"votes": [counted]}
        main = meeting_votes(one, figures, "", KINDS[kind].vote_type)[0]
        out.append(_vote_figures(replace(main, path=path)))
    return out


def live_figures(kind: str, data: Mapping[str, Any], profile: Profile, settings: Settings,
                 lang: str = "vi") -> Figures | None:
    """The attendance and vote figures of ``data`` as the form stands (None for a kind that
    is not a sitting): the roster on the meeting date, absentees, exempt members and
    members of other cells present, each vote typed so far on the denominator the model
    computes. An absentee or vote that cannot be counted (an unknown member, a count not
    yet typed) is left out; ``messages`` name it in the CLI's words. Never raises for what
    a user typed."""
    spec = KINDS[kind]
    if not spec.meeting:
        return None
    cleaned = clean_tree({**data, "kind": kind})
    problems = Problems(SOURCE, kind=kind)
    resolved = resolve_input(cleaned, kind, profile, problems)
    check_schema(resolved, spec.schema, problems)
    check_dates(resolved, problems)
    reported = [p for p in problems.items if _concerns(_path(p), FIGURE_FIELDS)]
    day = _day(resolved.get("date"))
    if day is None:
        return Figures(False, messages=tuple(_messages(kind, reported, lang)))
    dated = profile.at(day)
    counted = Problems(SOURCE, kind=kind)
    figures = _figures(_countable(resolved), dated, settings, day, counted)
    issues: list[Issue] = []
    votes = _votes(kind, resolved, figures, dated, day, issues)
    for issue in issues:
        counted.add(issue.field, issue.message, issue.hint)
    seen = [_path(p) for p in reported]
    fresh = [p for p in counted.items if not any(_related(_path(p), s) for s in seen)]
    guests = data.get("guests")
    named = [g for g in guests if isinstance(g, Mapping) and isinstance(g.get("name"), str) and g["name"].strip()] \
        if isinstance(guests, list) else []
    return Figures(
        True, day, figures.total, figures.official, figures.probationary, figures.exempt, figures.temp_out,
        figures.temp_in, figures.suspended, figures.summoned, figures.present, figures.present_official,
        figures.present_probationary, figures.absent, figures.absent_with_reason, figures.absent_without_reason,
        figures.attendance_percent, figures.voters_present, figures.denominator, denominator_text(figures),
        attendance_text(figures, guests_context({"guests": named})), tuple(votes),
        tuple(_messages(kind, [*reported, *fresh], lang)))
