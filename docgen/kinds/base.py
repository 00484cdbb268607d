"""What a document kind is: one declarative entry per kind (docgen/kinds/<kind>.py).

A kind module defines ``KIND = Kind(...)``: its schema, the label of every field, its
context builder, summary wording, whether it is a meeting, how ``form`` steps its period,
its label in a printed book, its draft rule, its numbering symbol, its template builder and
its example. ``docgen.kinds`` finds the modules by themselves (no list to edit), and the
tests iterate the registry, so a new kind touches its module, its template, its example
and the docs.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any

from docgen.i18n import Msg

if TYPE_CHECKING:
    from docgen.config import Settings
    from docgen.model.arithmetic import Issue, MeetingFigures
    from docgen.model.labels import Label
    from docgen.model.profile import Profile

Schema = dict[str, Any]
Context = dict[str, Any]
Data = dict[str, Any]
ContextBuilder = Callable[[Data, "Profile", "Settings", "MeetingFigures | None"], Context]
Checker = Callable[[Data, "Profile", "Settings", "MeetingFigures | None"], list["Issue"]]
Warner = Callable[[Data, "Profile", "Settings", "MeetingFigures | None"], list[Msg]]
Prefill = Callable[["Settings", "Profile", "dt.date | None"], Data]

COMMON_KEYS = frozenset({
    "kind", "superior", "cell", "cell_text", "symbol", "place_name", "number_line", "number_text", "date_line",
    "doc_date_text", "type_name", "summary", "title", "draft_mark", "topics", "topic_labels",
})
MEETING_KEYS = frozenset({
    "month", "year", "quarter", "quarter_roman", "start_text", "end_text", "meeting_date_text",
    "place", "chair_name", "chair_position", "chair_title", "secretary_name", "secretary_position", "figures",
    "guests", "combined_with_topical", "vote", "votes", "denominator_text", "self_score", "duration_minutes",
    "extraordinary", "extraordinary_reason", "meeting_name", "attendance_text",
})
MINUTES_KEYS = frozenset({
    "agenda", "proceedings", "conclusion", "conclusion_heading", "tasks", "read_back", "sign_left_label",
    "sign_right_label", "sign_left_name", "sign_right_name", "topical",
})
SIGNED_KEYS = frozenset({"authority_label", "signer_position", "signer_name", "recipients"})
HEADER_REQUIRED = frozenset({"superior", "cell", "date_line", "type_name", "summary"})
MINUTES_REQUIRED = frozenset({
    "start_text", "end_text", "place", "chair_name", "secretary_name", "figures", "sign_left_label",
    "sign_right_label", "sign_left_name", "sign_right_name",
})

# Fields ``docgen form`` copies from the previous document of the same kind.
DEFAULT_COPIED = ("topics", "place", "start", "end", "chair", "secretary", "guests", "agenda",
                  "combined_with_topical", "bases", "recipients", "signer")


def plain_draft(data: Data) -> bool:
    """The usual draft rule: ``draft: true``."""
    return bool(data.get("draft"))


def date_of(data: Data) -> dt.date:
    return dt.date.fromisoformat(data["date"])


@dataclass(frozen=True)
class Kind:
    """One document kind. ``name`` is its id ("nghi-quyet"), as input files write ``kind:``."""

    name: str
    order: int  # place in listings (docgen kinds, form, facets)
    label: Msg  # short name people read: "Nghị quyết" / "Resolution"
    description: Msg  # one line for docgen kinds
    type_symbol: str  # "BB", "NQ", "KH", "BC"; "" when never numbered
    type_name: str  # printed type name, "NGHỊ QUYẾT"
    schema_builder: Callable[[], Schema]  # the JSON Schema without titles (labels add them)
    labels: Mapping[str, Label]  # every field's label
    context_builder: ContextBuilder  # what the template sees beyond the header
    summary_builder: Callable[..., str]  # the default trích yếu: (data) or (data, profile)
    template_builder: Callable[[], Any]  # a python-docx Document with docxtpl tags (scripts/build_templates.py)
    template_title: str  # the template file's title property
    keys: frozenset[str] = frozenset()  # names a template of this kind may use (besides COMMON_KEYS)
    required: frozenset[str] = frozenset()  # names a template must show (besides the header's)
    meeting: bool = False  # a sitting with attendance figures and votes
    minutes: bool = False  # a biên bản: books of minutes group these
    resolution: bool = False  # issued only when its vote passes; not numbered otherwise
    separate_sitting: bool = False  # a session of its own even on the date of another (a topical session)
    period_months: int = 1  # how ``form`` steps to the next period
    # A cell owes one paper of this kind every "month" or "quarter" (the web app's home
    # lists what is due; HD 12: the monthly meeting with its resolution, a topical session
    # at least once a quarter); "": none is owed.
    due: str = ""
    period_step: Callable[[Data], int] | None = None  # a step that depends on the previous paper
    draft_rule: Callable[[Data], bool] = plain_draft  # whether a paper is a draft (DỰ THẢO, no number)
    needed: tuple[tuple[tuple[str, ...], Msg], ...] = ()  # section groups of which one must be filled
    strict_refs: tuple[str, ...] = ("chair", "secretary", "presenter", "signer")  # member ids
    loose_refs: tuple[str, ...] = ()  # paths that may hold a name of a non-member ("tasks[].owner")
    checks: tuple[Checker, ...] = ()  # Party rules of this kind: errors
    warnings: tuple[Warner, ...] = ()  # advice of this kind: warnings
    copied: tuple[str, ...] = DEFAULT_COPIED  # what ``form`` takes from the previous paper
    asked: tuple[str, ...] = ()  # what ``form`` asks for though the schema allows it empty
    book_label: Msg | None = None  # its label in a printed book (default: ``label``)
    aliases: tuple[str, ...] = ()  # other names people type ("biên bản họp chi ủy")
    code: str = ""  # short code of an unnumbered kind in file names and --kind (default: initials)
    # Reading old papers (docgen.importing.header): the kind a paper of this type name files
    # under when its trích yếu names no other kind of the type, and words of a trích yếu
    # (folded, beyond the label and aliases) that name this kind.
    general: bool = False
    header_cues: tuple[str, ...] = ()
    vote_type: str = "resolution"  # the type of the sitting's main vote (docgen.model.votes.VOTE_TYPES)
    example: str = ""  # examples/<file> (default: <name>.yaml)
    finalize_sets: Mapping[str, Any] = field(default_factory=dict)  # set when ``finalize`` numbers a draft
    prefill: Prefill | None = None  # values ``form`` reads from the archive (a report's figures)
    extra: Mapping[str, Any] = field(default_factory=dict)  # kind-specific settings

    @property
    def numbered(self) -> bool:
        return bool(self.type_symbol)

    @property
    def template_name(self) -> str:
        return f"{self.name}.docx"

    @property
    def example_name(self) -> str:
        return self.example or f"{self.name}.yaml"

    @property
    def book_name(self) -> Msg:
        return self.book_label or self.label

    @cached_property
    def schema(self) -> Schema:
        """The kind's JSON Schema, labelled (a fresh build, cached per process)."""
        from docgen.model.schemas import labelled

        return labelled(self.schema_builder(), self.name, self.labels)

    @property
    def context_keys(self) -> frozenset[str]:
        """Every top-level name a template of this kind may use."""
        return COMMON_KEYS | self.keys

    @property
    def required_keys(self) -> frozenset[str]:
        """The names a template of this kind must show."""
        return HEADER_REQUIRED | self.required | ({"number_line"} if self.numbered else frozenset())

    def step_months(self, previous: Data) -> int:
        return self.period_step(previous) if self.period_step else self.period_months

    def is_draft(self, data: Data) -> bool:
        return self.draft_rule(data)

    def summary(self, data: Data, profile: Profile | None = None) -> str:
        """The default trích yếu; a builder taking two arguments also gets the profile (a
        conversion names the member)."""
        if _arity(self.summary_builder) >= 2:
            return self.summary_builder(data, profile)
        return self.summary_builder(data)


@lru_cache(maxsize=64)
def _arity(function: Callable[..., Any]) -> int:
    return len(inspect.signature(function).parameters)
