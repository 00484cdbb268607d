"""What ``docgen form bao-cao`` reads from the archive (``Kind.prefill`` of the report kind).

The archive is only read (``Archive.matching``, the rule of ``docgen list``; each filed
paper's ``input.yaml``). Only the current version of a paper counts, never a withdrawn one
nor a draft, and only the papers of this cell (its name today or in ``cell.history``).

Which report the form is for follows from its date (there is no option for the type):

1. a topical session (minutes ``bien-ban-chuyen-de``, or a regular sitting combined with a
   topical session) held in the 7 days up to the date and not reported yet (no filed
   ``bao-cao`` of type ``chuyen-de`` names its date) → ``chuyen-de`` for that session;
2. otherwise June or July → ``6-thang`` of that year; November or December → ``nam`` of
   that year; January → ``nam`` of the year before;
3. otherwise ``chuyen-de`` for the quarter of the date: the newest unreported topical
   session of that quarter, or a session left to fill in.

A topical report gets the session (title, date, place, presenter, attendance present /
summoned, who was absent) and the texts of its minutes to edit (presentation, discussion,
tasks as commitments, conclusion and self-assessment). A six-month or year-end report gets
``archive_figures`` for its period up to the date: the regular, extraordinary and topical
sittings held (filed minutes), the average attendance (members present / members
summoned over every sitting, each sitting's figures computed from its filed input with the
profile, as ``percent_vi``), the topics of the minutes and resolutions, and the resolutions
issued (number, date, trích yếu). The user may correct every value: the filed report
prints what its input says, nothing is recomputed when it is rendered.

Without an archive, or with nothing filed, the values are empty or zero; a problem with one
filed paper leaves that paper out; nothing here raises.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docgen.errors import DocgenError
from docgen.kinds._bao_cao_period import HALF, TOPICAL, YEAR, ReportPeriod, quarter_of, step
from docgen.model.text import line, lower_first, paragraphs

if TYPE_CHECKING:
    from docgen.archive.store import Archive
    from docgen.config import Settings
    from docgen.model.arithmetic import MeetingFigures
    from docgen.model.profile import Profile

NAME = "bao-cao"
REGULAR_MINUTES = "bien-ban-thuong-ky"
TOPICAL_MINUTES = "bien-ban-chuyen-de"
TOPICAL_PLAN = "ke-hoach-chuyen-de"
MINUTES_KINDS = (REGULAR_MINUTES, TOPICAL_MINUTES)
RECENT_DAYS = 7  # a topical session this recent, not yet reported, is the one to report
_READ_ERRORS = (DocgenError, OSError, sqlite3.Error, ValueError, KeyError, TypeError, AttributeError)


@dataclass
class Filed:
    """One filed paper (its current version) as the prefill reads it."""

    kind: str
    date: dt.date
    folder: Path
    number_text: str
    title: str
    topics: tuple[str, ...]
    _data: dict[str, Any] | None = field(default=None, repr=False)
    _read: bool = field(default=False, repr=False)

    @property
    def data(self) -> dict[str, Any]:
        """The input as filed ({} when it cannot be read)."""
        if not self._read:
            self._read = True
            from docgen.archive.records import INPUT_FILE
            from docgen.model.files import read_mapping

            try:
                self._data = read_mapping(self.folder / INPUT_FILE)
            except _READ_ERRORS:
                self._data = None
        return self._data or {}


class Reader:
    """The archive of ``settings``, read only, for the papers of the profile's cell."""

    def __init__(self, settings: Settings, profile: Profile) -> None:
        from docgen.cells import names_of

        self.settings = settings
        self.profile = profile
        self._archive: Archive | None = None
        self._names = set(names_of(profile))
        self._reported: set[dt.date] | None = None

    def _open(self) -> Archive | None:
        if self._archive is None:
            root = Path(self.settings.archive_root)
            if not root.is_dir():
                return None
            from docgen.archive import Archive

            self._archive = Archive(root)
        return self._archive

    def close(self) -> None:
        if self._archive is not None:
            self._archive.close()
            self._archive = None

    def docs(self, kinds: tuple[str, ...], start: dt.date, end: dt.date) -> list[Filed]:
        """The current, issued (not draft) papers of ``kinds`` dated ``start``..``end``,
        oldest first; [] when the archive cannot be read."""
        from docgen.archive.filters import DocFilter, words_key

        if not kinds or end < start:
            return []
        try:
            archive = self._open()
            if archive is None:
                return []
            rows = archive.matching(DocFilter(kinds=kinds, date_from=start, date_to=end))
        except _READ_ERRORS:
            return []
        out: list[Filed] = []
        for relpath, record in rows:
            try:
                if record.get("draft") or words_key(str(record.get("cell", ""))) not in self._names:
                    continue
                out.append(Filed(str(record["kind"]), dt.date.fromisoformat(str(record["date"])),
                                 archive.root / relpath, str(record.get("number_text") or ""),
                                 str(record.get("title") or ""), tuple(record.get("topics") or ())))
            except _READ_ERRORS:
                continue
        return sorted(out, key=lambda d: d.date)

    def figures(self, doc: Filed) -> MeetingFigures | None:
        """The sitting's attendance figures, computed from its filed input with the profile."""
        from docgen.model.document import parse_input

        try:
            return parse_input(doc.data, self.settings, self.profile, str(doc.folder)).figures
        except _READ_ERRORS:
            return None

    def reported(self) -> set[dt.date]:
        """The session dates the filed topical reports name."""
        if self._reported is None:
            self._reported = set()
            for doc in self.docs((NAME,), dt.date(1900, 1, 1), dt.date(2200, 12, 31)):
                session = doc.data.get("session")
                if doc.data.get("report_type", TOPICAL) == TOPICAL and isinstance(session, dict):
                    try:
                        self._reported.add(dt.date.fromisoformat(str(session.get("date"))))
                    except ValueError:
                        continue
        return self._reported

    def sessions(self, start: dt.date, end: dt.date) -> list[Filed]:
        """Topical sessions held ``start``..``end``: topical minutes and regular sittings
        combined with a topical session, oldest first."""
        return [d for d in self.docs(MINUTES_KINDS, start, end)
                if d.kind == TOPICAL_MINUTES or (d.data.get("combined_with_topical") and d.data.get("topical"))]


# --------------------------------------------------------------------------- the choice

@dataclass(frozen=True)
class Choice:
    period: ReportPeriod
    session: Filed | None = None


def _quarter_start(day: dt.date) -> dt.date:
    return dt.date(day.year, 3 * quarter_of(day.month) - 2, 1)


def choose(reader: Reader, day: dt.date) -> Choice:
    """The report the form is for on ``day`` (the module's rules 1–3)."""
    reported = reader.reported()
    recent = [s for s in reader.sessions(day - dt.timedelta(days=RECENT_DAYS), day) if s.date not in reported]
    if recent:
        session = recent[-1]
        return Choice(ReportPeriod(TOPICAL, session.date.year, quarter_of(session.date.month)), session)
    if day.month in (6, 7):
        return Choice(ReportPeriod(HALF, day.year))
    if day.month in (11, 12):
        return Choice(ReportPeriod(YEAR, day.year))
    if day.month == 1:
        return Choice(ReportPeriod(YEAR, day.year - 1))
    waiting = [s for s in reader.sessions(_quarter_start(day), day) if s.date not in reported]
    return Choice(ReportPeriod(TOPICAL, day.year, quarter_of(day.month)), waiting[-1] if waiting else None)


def next_day(settings: Settings, profile: Profile | None = None) -> dt.date | None:
    """The date ``docgen form`` gives the report after the newest archived one of the
    profile's cell (None: none)."""
    from docgen.authoring.form import add_months, latest_archived

    try:
        found = latest_archived(settings, NAME, profile)
        if found is None:
            return None
        return add_months(dt.date.fromisoformat(str(found[0]["date"])), step(found[0]))
    except _READ_ERRORS:
        return None


# --------------------------------------------------------------------------- the values

def _absent_text(figures: MeetingFigures) -> str:
    parts = [f"đồng chí {name} ({reason})" for name, reason in figures.absent_with_reason]
    parts += [f"đồng chí {name} (không có lý do)" for name in figures.absent_without_reason]
    return "; ".join(parts)


def _topical_part(doc: Filed) -> dict[str, Any]:
    """The topical content of a session's paper (the minutes, or a combined sitting's part)."""
    data = doc.data
    if doc.kind == TOPICAL_MINUTES:
        return {"title": data.get("topic_title"), "presenter": data.get("presenter"),
                "presentation": data.get("presentation"), "discussion": data.get("discussion") or [],
                "conclusion": data.get("conclusion"), "tasks": data.get("tasks") or []}
    part = data.get("topical") or {}
    return {"title": part.get("title"), "presenter": part.get("presenter"),
            "presentation": part.get("presentation"), "discussion": part.get("discussion") or [],
            "conclusion": part.get("conclusion"), "tasks": []}


def _commitments(profile: Profile, tasks: list[dict[str, Any]]) -> list[str]:
    from docgen.model.context import deadline_text, person

    out = []
    for task in tasks:
        content = line(task.get("content"))
        if not content:
            continue
        owner, deadline = line(task.get("owner")), deadline_text(task.get("deadline"))
        who = ""
        if owner:
            who = f"Đồng chí {person(profile, owner)}: " if profile.member(owner) else f"{owner}: "
        text = f"{who}{lower_first(content) if who else content}"
        out.append(f"{text} (thời hạn {deadline})" if deadline else text)
    return out


def session_values(reader: Reader, doc: Filed) -> dict[str, Any]:
    """The topical report's values from its session's filed paper."""
    from docgen.model.context import self_score_context, speeches

    profile, data = reader.profile, doc.data
    part = _topical_part(doc)
    figures = reader.figures(doc)
    session: dict[str, Any] = {
        "title": line(part["title"]) or None, "date": doc.date,
        "place": line(data.get("place")) or reader.profile.cell.meeting_place or None,
        "presenter": part["presenter"] or None,
        "present": figures.present_summoned if figures else None,
        "summoned": figures.summoned if figures else None,
        "absent": (_absent_text(figures) or None) if figures else None,
    }
    discussion = [f"{s['speaker']}: {' '.join([s['first'], *s['rest']])}"
                  for s in speeches(profile, data.get("guests") or [], part["discussion"])]
    evaluation = paragraphs(part["conclusion"])
    score = self_score_context(data.get("self_score"))
    if score:
        evaluation.append(score["sentence"])
    return {"session": session, "presentation": "\n".join(paragraphs(part["presentation"])) or None,
            "discussion": "\n".join(discussion) or None,
            "commitments": _commitments(profile, part["tasks"]),
            "evaluation": "\n".join(evaluation) or None}


def plan_bases(reader: Reader, held: dt.date) -> list[str]:
    """"Kế hoạch số 01-KH/CB, ngày 12/1/2026 của Chi bộ về sinh hoạt chuyên đề năm 2026": the
    newest filed topical plan of the session's year, dated up to the session."""
    from docgen.kinds import KINDS
    from docgen.vn.dates import short_date

    spec = KINDS.get(TOPICAL_PLAN)
    plans = [d for d in reader.docs((TOPICAL_PLAN,), dt.date(held.year, 1, 1), held) if d.number_text]
    if spec is None or not plans:
        return []
    plan = plans[-1]
    summary = _resolution_summary(plan, spec.type_name)
    about = "" if not summary else (f" {summary}" if summary.casefold().startswith("về ") else f" về {summary}")
    return [f"Kế hoạch số {plan.number_text}, ngày {short_date(plan.date)} của Chi bộ{about}"]


def _label(topic_id: str) -> str:
    from docgen.topics import topic_by_id

    topic = topic_by_id(topic_id)
    text = (topic.label_parts or (topic.label,))[0] if topic else topic_id
    return lower_first(text)


def _topic_order(docs: list[Filed]) -> list[str]:
    """The topics of ``docs``, the most frequent first (then in the topic list's order)."""
    from docgen.topics import load_topics

    counts = Counter(t for d in docs for t in dict.fromkeys(d.topics))
    rank = {t.id: i for i, t in enumerate(load_topics())}
    return sorted(counts, key=lambda t: (-counts[t], rank.get(t, len(rank)), t))


def _resolution_summary(doc: Filed, type_name: str) -> str:
    title = line(doc.title)
    return title[len(type_name):].strip() if title.startswith(type_name + " ") else title


def archive_figures(reader: Reader, period: ReportPeriod, day: dt.date) -> tuple[dict[str, Any], list[str]]:
    """(archive_figures, topic ids) of ``period`` up to ``day``."""
    from docgen.kinds import KINDS
    from docgen.vn.numbers import percent_vi

    start, end = period.start, min(period.end, day)
    minutes = reader.docs(MINUTES_KINDS, start, end)
    regular = extraordinary = topical = present = summoned = 0
    for doc in minutes:
        data = doc.data
        if doc.kind == TOPICAL_MINUTES:
            topical += 1
        else:
            if data.get("extraordinary"):
                extraordinary += 1
            else:
                regular += 1
            if data.get("combined_with_topical") and data.get("topical"):
                topical += 1
        figures = reader.figures(doc)
        if figures is not None:
            present += figures.present_summoned
            summoned += figures.summoned
    resolution_kinds = {name: spec.type_name for name, spec in KINDS.items() if spec.resolution}
    resolutions = [d for d in reader.docs(tuple(resolution_kinds), start, end) if d.number_text]
    topics = _topic_order(minutes + resolutions)
    values = {
        "from": start, "to": end,
        "meetings_regular": regular, "meetings_extraordinary": extraordinary, "meetings_topical": topical,
        "average_attendance_percent": percent_vi(present, summoned) if summoned else None,
        "topics": [_label(t) for t in topics],
        "resolutions": [{"number": d.number_text, "date": d.date,
                         "summary": _resolution_summary(d, resolution_kinds[d.kind]) or None}
                        for d in resolutions],
    }
    return values, topics


def _blank_session(profile: Profile) -> dict[str, Any]:
    from docgen.authoring.form import BLANK  # the form's "fill in" mark

    return {"title": BLANK, "date": BLANK, "place": profile.cell.meeting_place or None, "presenter": BLANK,
            "present": None, "summoned": None, "absent": None}


def prefill(settings: Settings, profile: Profile, day: dt.date | None) -> dict[str, Any]:
    """The report's form values read from the archive (see the module's docstring)."""
    reader = Reader(settings, profile)
    try:
        if day is None:
            day = next_day(settings, profile) or dt.date.today()
        choice = choose(reader, day)
        period = choice.period
        values: dict[str, Any] = {"report_type": period.report_type, "year": period.year,
                                  "quarter": period.quarter}
        if period.report_type == TOPICAL:
            if choice.session is None:
                values["session"] = _blank_session(profile)
                values["bases"] = plan_bases(reader, day)
            else:
                values.update(session_values(reader, choice.session))
                values["topics"] = list(choice.session.topics)
                values["bases"] = plan_bases(reader, choice.session.date)
        else:
            values["session"] = None
            figures, topics = archive_figures(reader, period, day)
            values["archive_figures"] = figures
            values["topics"] = topics
        return values
    finally:
        reader.close()
