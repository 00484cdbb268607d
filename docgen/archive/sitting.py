"""Same sitting, same facts: the papers of one meeting must agree (issue 11, defect 9).

The minutes (biên bản) and the resolution (nghị quyết) of one meeting, and any other
paper of that sitting (an admission resolution, …), record the same attendance and the
same vote: a clerk checks that the same people are absent with the same reasons and that
the vote adopting the resolution is the one the minutes record (domain reference §2.6,
§3.1). Papers of the same sitting are the filed, current, non-draft papers of meeting
kinds (``Kind.meeting``) of the same cell (``cell_key``) and the same meeting date; the
minutes (``Kind.minutes``) are compared with every other paper of their sitting.

``sitting_differences`` is the pure comparison of two validated inputs; the rest reads
the archive: ``SittingCheck`` (one per batch: the profile is loaded once, every archived
input is re-read once, a pair is reported once), ``same_sitting_warnings`` for one filed
document, and ``sitting_check`` for ``Archive.verify``. A difference is a warning: the
filing stands (the clerk corrects the wrong paper with ``docgen amend``). A paper whose
archived input cannot be read with the current profile is not compared.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeGuard, TypeVar

from docgen.archive.filters import DocFilter, cell_key, words_key
from docgen.archive.records import INPUT_FILE
from docgen.errors import DocgenError
from docgen.i18n import Msg
from docgen.model.text import upper_first
from docgen.vn.dates import vn_date

if TYPE_CHECKING:
    from docgen.archive.store import Archive
    from docgen.archive.verify import Problem
    from docgen.config import Settings
    from docgen.model.arithmetic import MeetingFigures
    from docgen.model.meta import ArchivedDoc, DocMeta
    from docgen.model.profile import Profile
    from docgen.model.votes import MeetingVote

K = TypeVar("K", bound=Hashable)
Row = tuple[str, dict[str, Any]]  # (relpath, meta.json dict) of a catalog row

PROBLEM_CODE = "same-sitting"
"""The code of ``docgen verify``'s warning (``Problem.code``)."""
MAX_PAPERS = 50
"""At most this many other papers of one sitting are read (a sitting has a handful)."""

MEMBERS = Msg("đồng chí", "members")
NONE = Msg("không có", "none")
NOT_RECORDED = Msg("không ghi", "not recorded")


class SittingPaper(Protocol):
    """What the comparison reads of a paper (``docgen.model.DocumentInput`` has it)."""

    @property
    def kind(self) -> str: ...

    @property
    def figures(self) -> MeetingFigures | None: ...

    @property
    def votes(self) -> tuple[MeetingVote, ...]: ...


def is_paper(value: object) -> TypeGuard[SittingPaper]:
    """True for a validated input the comparison can read (``DocumentInput``)."""
    return all(hasattr(value, name) for name in ("kind", "figures", "votes"))


@dataclass(frozen=True)
class SittingDifference:
    """One fact two papers of a sitting record differently: ``first`` is what the first
    paper compared says, ``second`` what the other says."""

    field: str  # "present", "absent_with_reason", "absentees", "denominator", "vote", …
    label: Msg  # "có mặt" / "present"
    first: Msg
    second: Msg
    unit: Msg | None = None  # "đồng chí" / "members", after both values
    listing: bool = False  # the values are lists of people: "người vắng mặt: …"

    @property
    def message(self) -> Msg:
        """"có mặt 19 / 18 đồng chí" / "present 19 / 18 members"; "người vắng mặt: đồng chí
        A (ốm) / đồng chí B (không có lý do)"."""
        unit = self.unit or Msg("", "")
        sep = ": " if self.listing else " "
        return Msg(f"{self.label.vi}{sep}{self.first.vi} / {self.second.vi}"
                   + (f" {unit.vi}" if unit.vi else ""),
                   f"{self.label.en}{sep}{self.first.en} / {self.second.en}"
                   + (f" {unit.en}" if unit.en else ""))


# ------------------------------------------------------------------- comparison
# (field of MeetingFigures or a count, Vietnamese, English), in the order a warning names them
_COUNTS: tuple[tuple[str, str, str], ...] = (
    ("total", "tổng số đảng viên", "total"),
    ("official", "đảng viên chính thức", "official"),
    ("probationary", "đảng viên dự bị", "probationary"),
    ("present", "có mặt", "present"),
    ("present_official", "có mặt chính thức", "official present"),
    ("present_probationary", "có mặt dự bị", "probationary present"),
    ("absent_with_reason", "vắng mặt có lý do", "absent with a reason"),
    ("absent_without_reason", "vắng mặt không có lý do", "absent without a reason"),
)


def _number(value: int) -> Msg:
    return Msg(str(value), str(value))


def _count(figures: MeetingFigures, name: str) -> int:
    value = getattr(figures, name)
    return len(value) if isinstance(value, tuple) else int(value)


def _reason_key(reason: str | None) -> str:
    return " ".join((reason or "").split()).casefold()


def _absentees(figures: MeetingFigures) -> dict[tuple[str, str], Msg]:
    """(name, reason as compared: case and spacing ignored) → how a warning shows them."""
    out: dict[tuple[str, str], Msg] = {}
    for name, reason in figures.absent_with_reason:
        shown = " ".join(reason.split())
        out[(name, _reason_key(reason))] = Msg(f"đồng chí {name} ({shown})", f"{name} ({shown})")
    for name in figures.absent_without_reason:
        out[(name, "")] = Msg(f"đồng chí {name} (không có lý do)", f"{name} (no reason)")
    return out


def _listed(items: Sequence[Msg]) -> Msg:
    if not items:
        return NONE
    return Msg(", ".join(m.vi for m in items), ", ".join(m.en for m in items))


def _only(field: str, label: Msg, first: Mapping[K, Msg], second: Mapping[K, Msg]
          ) -> list[SittingDifference]:
    """The entries of ``first`` missing from ``second`` / those of ``second`` missing from
    ``first`` (none when both hold the same)."""
    only_a = [shown for key, shown in first.items() if key not in second]
    only_b = [shown for key, shown in second.items() if key not in first]
    if not only_a and not only_b:
        return []
    return [SittingDifference(field, label, _listed(only_a), _listed(only_b), listing=True)]


def _names(names: Iterable[str]) -> dict[str, Msg]:
    return {name: Msg(f"đồng chí {name}", name) for name in names}


def attendance_differences(a: MeetingFigures, b: MeetingFigures) -> list[SittingDifference]:
    """The attendance figures of two papers of one sitting that differ (``a`` first)."""
    out = [SittingDifference(name, Msg(vi, en), _number(_count(a, name)),
                             _number(_count(b, name)), MEMBERS)
           for name, vi, en in _COUNTS if _count(a, name) != _count(b, name)]
    out += _only("absentees", Msg("người vắng mặt", "absentees"), _absentees(a), _absentees(b))
    out += _only("exempt_present", Msg("đảng viên miễn sinh hoạt có mặt", "exempt members present"),
                 _names(a.exempt_present), _names(b.exempt_present))
    out += _only("temp_in_present", Msg("đảng viên nơi khác sinh hoạt tạm thời có mặt",
                                        "members of other cells present"),
                 _names(a.temp_in_present), _names(b.temp_in_present))
    if a.denominator != b.denominator:
        out.append(SittingDifference(
            "denominator", Msg("tỷ lệ biểu quyết tính trên", "vote rates on"),
            _number(a.denominator), _number(b.denominator),
            Msg("đảng viên chính thức", "official members")))
    return out


def _subject_key(subject: str) -> str:
    key = words_key(subject)
    return key[len("thong qua "):] if key.startswith("thong qua ") else key


def _counts(vote: MeetingVote) -> tuple[int, int, int, int]:
    r = vote.result
    return r.votes_for, r.against, r.abstain, r.denominator


def _pick(main: MeetingVote, candidates: Sequence[MeetingVote]) -> MeetingVote:
    """The minutes' vote that adopted the paper ``main`` is the vote of: one with the same
    figures, else one with the same subject, else the first (the main ``vote``)."""
    for vote in candidates:
        if _counts(vote) == _counts(main):
            return vote
    subject = _subject_key(main.subject)
    for vote in candidates:
        if subject and _subject_key(vote.subject) == subject:
            return vote
    return candidates[0]


def _vote_text(vote: MeetingVote, full: bool) -> Msg:
    r = vote.result
    vi = en = f"{r.votes_for}/{r.denominator}"
    if full:
        vi += f" ({r.against} không tán thành, {r.abstain} ý kiến khác)"
        en += f" ({r.against} against, {r.abstain} abstaining)"
    return Msg(vi, en)


def _vote_label(vote_type: str) -> Msg:
    from docgen.model.votes import VOTE_TYPES

    _two_thirds, vi, en = VOTE_TYPES.get(vote_type, (False, vote_type, vote_type))
    return Msg(f"biểu quyết {vi}", f"vote {en}")


def vote_differences(paper: SittingPaper, minutes: SittingPaper,
                     paper_first: bool = True) -> list[SittingDifference]:
    """The vote that adopts ``paper`` (its ``vote``) against the minutes' vote of that
    type (type "resolution" for a resolution, "admission" for an admission …): none when
    they agree or ``paper`` records no vote; "không ghi" when the minutes record none."""
    main = next((v for v in paper.votes if v.path == "vote"), None)
    if main is None:
        return []
    label = _vote_label(main.type)
    candidates = [v for v in minutes.votes if v.type == main.type]
    if not candidates:
        values = (_vote_text(main, False), NOT_RECORDED)
    else:
        other = _pick(main, candidates)
        if _counts(other) == _counts(main):
            return []
        full = _counts(other)[1:3] != _counts(main)[1:3]
        values = (_vote_text(main, full), _vote_text(other, full))
    first, second = values if paper_first else values[::-1]
    return [SittingDifference("vote", label, first, second)]


def _separate(kind: str) -> bool:
    from docgen.kinds import get_kind

    spec = get_kind(kind)
    return spec is not None and spec.separate_sitting


def _is_minutes(kind: str) -> bool:
    from docgen.kinds import get_kind

    spec = get_kind(kind)
    return spec is not None and spec.minutes


def sitting_differences(a: SittingPaper, b: SittingPaper) -> list[SittingDifference]:
    """Every fact two papers of one sitting record differently, ``a``'s value first:
    total, official, probationary, present (official, probationary), absent with and
    without a reason (how many, and who, with which reason), exempt and temporarily
    attending members present, the vote denominator; and, between the minutes and
    another paper, the vote adopting that paper. Empty when they agree (or a paper is
    not a meeting)."""
    if a.figures is None or b.figures is None:
        return []
    out = attendance_differences(a.figures, b.figures)
    if not (_separate(a.kind) or _separate(b.kind)):  # a topical session scores itself
        out += score_differences(a, b)
    minutes_a, minutes_b = _is_minutes(a.kind), _is_minutes(b.kind)
    if minutes_b and not minutes_a:
        out += vote_differences(a, b, paper_first=True)
    elif minutes_a and not minutes_b:
        out += vote_differences(b, a, paper_first=False)
    return out


def _score(paper: SittingPaper) -> str | None:
    """The sitting's self-assessment as a paper records it ("90 điểm, Tốt"), or None."""
    data = getattr(paper, "data", None)
    score = data.get("self_score") if isinstance(data, dict) else None
    if not isinstance(score, dict) or score.get("points") is None:
        return None
    from docgen.model.context import self_score_context

    ctx = self_score_context(score)
    return f"{ctx['points']} điểm, {ctx['rating']}" if ctx else None


def score_differences(a: SittingPaper, b: SittingPaper) -> list[SittingDifference]:
    """One sitting has one self-assessment (HD 42 sheet): both papers that record it agree."""
    first, second = _score(a), _score(b)
    if first is None or second is None or first == second:
        return []
    return [SittingDifference("self_score", Msg("tự đánh giá chất lượng buổi sinh hoạt", "the meeting's self-score"),
                              Msg(first, first), Msg(second, second))]


# --------------------------------------------------------------------- wording
def paper_name(meta: DocMeta, doc_id: str = "") -> Msg:
    """"nghị quyết 05-NQ/CB" / "resolution 05-NQ/CB"; an unnumbered paper by its id."""
    from docgen.kinds import get_kind

    spec = get_kind(meta.kind)
    vi = spec.type_name.lower() if spec is not None and spec.type_name else meta.kind
    if spec is not None and spec.minutes:
        en = "minutes"
    elif spec is not None and spec.resolution:
        en = "resolution"
    else:
        en = spec.label.en.lower() if spec is not None else meta.kind
    number = meta.number_text
    if number:
        return Msg(f"{vi} {number}", f"{en} {number}")
    return Msg(f"{vi} mã {doc_id}", f"{en} with id {doc_id}") if doc_id else Msg(vi, en)


def sitting_warning(first: Msg, second: Msg, day: dt.date,
                    differences: Sequence[SittingDifference]) -> Msg:
    """"Nghị quyết 05-NQ/CB và biên bản 07-BB/CB cùng buổi họp ngày 10/3/2026 ghi khác
    nhau: có mặt 19 / 18 đồng chí; biểu quyết thông qua nghị quyết 14/18 / 15/18; …"."""
    when = vn_date(day)
    vi = "; ".join(d.message.vi for d in differences)
    en = "; ".join(d.message.en for d in differences)
    return Msg(f"{upper_first(first.vi)} và {second.vi} cùng buổi họp ngày {when} ghi khác nhau: "
               f"{vi}. Kiểm tra lại, sửa văn bản ghi sai bằng `docgen amend`",
               f"{upper_first(first.en)} and {second.en} of the same meeting on {when} differ: "
               f"{en}. Check them and correct the wrong one with `docgen amend`")


# ------------------------------------------------------------------ the archive
@dataclass(frozen=True)
class _Paper:
    id: str
    meta: DocMeta
    folder: Path
    doc: SittingPaper
    minutes: bool


class SittingCheck:
    """Compares filed papers with the other papers of their sitting in ``archive``.

    One per batch of filings: the profile is loaded once, each archived input is re-read
    (``docgen.model.load_input`` with the settings' profile) once, and each pair of papers
    is reported once. Nothing here raises: a paper that cannot be read is not compared.
    """

    def __init__(self, archive: Archive, settings: Settings) -> None:
        self.archive = archive
        self.settings = settings
        self._profile: Profile | None = None
        self._no_profile = False
        self._read: dict[Path, SittingPaper | None] = {}
        self._reported: set[frozenset[str]] = set()
        self._days: dict[tuple[str, dt.date], list[Row]] = {}  # (cell key, date) → papers

    def prefetch(self, metas: Iterable[DocMeta]) -> None:
        """Read the catalog once for the sittings of ``metas`` (a batch): one query over
        their dates instead of one per document."""
        wanted = {(cell_key(m.cell), m.date) for m in metas if _meeting(m.kind) and not m.draft}
        missing = wanted - self._days.keys()
        if len(missing) < 2:
            return  # one sitting: ``_same_day`` asks for that day alone
        for key in missing:
            self._days[key] = []
        days = [day for _, day in missing]
        self._fill(self.archive.matching(DocFilter(date_from=min(days), date_to=max(days))),
                   missing)

    def _fill(self, rows: Iterable[Row], keys: set[tuple[str, dt.date]] | None) -> None:
        for relpath, record in rows:
            try:
                key = (cell_key(str(record.get("cell", ""))),
                       dt.date.fromisoformat(str(record.get("date"))))
            except ValueError:
                continue
            if keys is None or key in keys:
                self._days.setdefault(key, []).append((relpath, record))

    def warnings_for(self, doc: ArchivedDoc, source: object = None) -> list[Msg]:
        """The warnings filing ``doc`` gives: one per other paper of its sitting that
        records different facts. ``source``: its validated input when at hand (else its
        archived input is read)."""
        return [msg for _first, msg in self._compare(doc, source)]

    def problems(self) -> list[Problem]:
        """Every disagreeing pair of the archive as a ``docgen verify`` warning."""
        from docgen.archive.verify import Problem

        out: list[Problem] = []
        rows = self.archive.matching(DocFilter())
        self._fill(rows, None)  # every sitting from one listing
        for relpath, record in rows:
            if not self._candidate(record) or not _minutes_record(record):
                continue  # every pair holds one minutes: compared from there
            doc = _archived_view(self.archive.root, relpath, record)
            for first, msg in self._compare(doc, None):
                out.append(Problem(PROBLEM_CODE, msg, first.id, first.folder,
                                   severity="warning"))
        return out

    # ------------------------------------------------------------------ helpers
    def _compare(self, doc: ArchivedDoc, source: object) -> list[tuple[_Paper, Msg]]:
        try:
            return self._compare_unsafe(doc, source)
        except (DocgenError, OSError, ValueError, KeyError, TypeError):
            return []  # never a reason for a filing to fail; verify reports damage

    def _compare_unsafe(self, doc: ArchivedDoc, source: object) -> list[tuple[_Paper, Msg]]:
        from docgen.kinds import get_kind

        spec = get_kind(doc.meta.kind)
        if spec is None or not spec.meeting or doc.meta.draft or doc.status == "withdrawn":
            return []
        others = [(rel, rec) for rel, rec in self._same_day(doc.meta)
                  if rec.get("id") != doc.id and self._candidate(rec)
                  and _minutes_record(rec) != spec.minutes
                  and frozenset((doc.id, str(rec["id"]))) not in self._reported]
        if not others:
            return []
        this_doc = source if is_paper(source) else self._paper_at(doc.folder, doc.meta)
        if this_doc is None or this_doc.figures is None:
            return []
        this = _Paper(doc.id, doc.meta, doc.folder, this_doc, spec.minutes)
        out: list[tuple[_Paper, Msg]] = []
        for relpath, record in others[:MAX_PAPERS]:
            other = self._other(relpath, record)
            if other is None:
                continue
            self._reported.add(frozenset((doc.id, other.id)))
            first, second = (other, this) if this.minutes else (this, other)
            differences = [d for d in sitting_differences(first.doc, second.doc)
                           if not self._recorded_elsewhere(d, first, second, doc.meta)]
            if differences:
                out.append((first, sitting_warning(paper_name(first.meta, first.id),
                                                   paper_name(second.meta, second.id),
                                                   doc.meta.date, differences)))
        return out

    def _recorded_elsewhere(self, difference: SittingDifference, paper: _Paper,
                            minutes: _Paper, meta: DocMeta) -> bool:
        """True for "the minutes do not record the vote adopting ``paper``" when other
        minutes of the sitting do (a December meeting's rating minutes beside its regular
        minutes): that vote is compared with those, not missed here."""
        if difference.field != "vote" or difference.second != NOT_RECORDED:
            return False
        main = next((v for v in paper.doc.votes if v.path == "vote"), None)
        for relpath, record in self._same_day(meta):
            if (main is None or record.get("id") in (minutes.id, paper.id)
                    or not self._candidate(record) or not _minutes_record(record)):
                continue
            other = self._other(relpath, record)
            if other is not None and any(v.type == main.type for v in other.doc.votes):
                return True
        return False

    def _same_day(self, meta: DocMeta) -> list[Row]:
        """The current papers of ``meta``'s cell and date (withdrawn ones left out)."""
        key = (cell_key(meta.cell), meta.date)
        if key not in self._days:
            self._days[key] = []
            self._fill(self.archive.matching(DocFilter(date_from=meta.date, date_to=meta.date)),
                       {key})
        return self._days[key]

    @staticmethod
    def _candidate(record: Mapping[str, Any]) -> bool:
        from docgen.kinds import get_kind

        spec = get_kind(str(record.get("kind")))
        return (spec is not None and spec.meeting and not record.get("draft")
                and record.get("status", "current") != "withdrawn")

    def _other(self, relpath: str, record: dict[str, Any]) -> _Paper | None:
        from docgen.archive.records import meta_of

        meta = meta_of(record)
        folder = self.archive.root / relpath
        doc = self._paper_at(folder, meta)
        if doc is None or doc.figures is None:
            return None
        return _Paper(str(record["id"]), meta, folder, doc, _is_minutes(meta.kind))

    def _paper_at(self, folder: Path, meta: DocMeta) -> SittingPaper | None:
        """The archived input of ``folder`` re-read with the profile (cached); None when
        it cannot be read or reads as another cell's or another day's paper."""
        if folder not in self._read:
            self._read[folder] = self._load(folder / INPUT_FILE, meta)
        return self._read[folder]

    def _load(self, path: Path, meta: DocMeta) -> SittingPaper | None:
        from docgen.model.document import load_input

        profile = self._the_profile()
        if profile is None:
            return None
        try:
            doc = load_input(path, self.settings, profile)
        except (DocgenError, OSError, ValueError):
            return None
        if (cell_key(doc.meta.cell) != cell_key(meta.cell) or doc.meta.date != meta.date
                or doc.kind != meta.kind):
            return None  # filed under another profile: its roster is not this one
        return doc

    def _the_profile(self) -> Profile | None:
        if self._profile is None and not self._no_profile:
            from docgen.model.profile import load_profile

            try:
                self._profile = load_profile(self.settings.profile_path)
            except (DocgenError, OSError, ValueError):
                self._no_profile = True
        return self._profile


def _meeting(kind: str) -> bool:
    from docgen.kinds import get_kind

    spec = get_kind(kind)
    return spec is not None and spec.meeting


def _minutes_record(record: Mapping[str, Any]) -> bool:
    return _is_minutes(str(record.get("kind")))


def _archived_view(root: Path, relpath: str, record: dict[str, Any]) -> ArchivedDoc:
    from docgen.archive.records import archived

    return archived(root, relpath, record)


# ------------------------------------------------------------------- entry points
def same_sitting_warnings(archive: Archive, settings: Settings, doc: ArchivedDoc,
                          source: object = None) -> list[Msg]:
    """The warnings of filing ``doc`` (just filed, amended or finalised in ``archive``):
    one for each other current paper of its sitting (same cell, same meeting date; the
    minutes against the others) whose attendance or vote differs. ``source`` is its
    validated input (a ``DocumentInput``) when the caller has it; else its archived input
    is read."""
    return SittingCheck(archive, settings).warnings_for(doc, source)


def filing_warnings(archive: Archive, settings: Settings,
                    filed: Iterable[tuple[K, ArchivedDoc]],
                    inputs: Mapping[K, Any] | None = None) -> list[tuple[K, Msg]]:
    """``same_sitting_warnings`` for a batch: (key, warning) for each filed document
    (key: its input path), in filing order, each disagreeing pair once: under the later
    of its two papers, as if they had been filed one after the other."""
    check = SittingCheck(archive, settings)
    done = list(filed)
    check.prefetch(doc.meta for _, doc in done)
    found: list[tuple[int, K, Msg]] = []
    for index in reversed(range(len(done))):  # a pair goes to the later of its two papers
        key, doc = done[index]
        found += [(index, key, msg) for msg in check.warnings_for(doc, (inputs or {}).get(key))]
    found.sort(key=lambda item: item[0])  # stable: in filing order
    return [(key, msg) for _, key, msg in found]


def imported_warnings(archive: Archive, settings: Settings,
                      relpaths: Iterable[str]) -> list[Msg]:
    """``same_sitting_warnings`` for the documents an import brought (their version
    folders ``relpaths``): the current version of each, each pair once."""
    from docgen.archive.ids import parse_folder

    check = SittingCheck(archive, settings)
    out: list[Msg] = []
    ids = dict.fromkeys(p.id for p in (parse_folder(r.rsplit("/", 1)[-1]) for r in relpaths)
                        if p is not None)
    docs = []
    for doc_id in ids:
        try:
            docs.append(archive.get(doc_id))
        except DocgenError:
            continue
    check.prefetch(doc.meta for doc in docs)
    for doc in docs:
        out += check.warnings_for(doc)
    return out


def sitting_check(settings: Settings) -> Callable[[Archive], list[Problem]]:
    """An extra check for ``Archive.verify``: each disagreeing pair of papers of one
    sitting is a warning (code ``PROBLEM_CODE``) on the first of the two."""
    def check(archive: Archive) -> list[Problem]:
        return SittingCheck(archive, settings).problems()

    return check


__all__ = ["MAX_PAPERS", "PROBLEM_CODE", "SittingCheck", "SittingDifference", "SittingPaper",
           "attendance_differences", "filing_warnings", "imported_warnings", "is_paper", "paper_name",
           "same_sitting_warnings", "sitting_check", "sitting_differences", "sitting_warning",
           "vote_differences"]
