"""``docgen extract``: the input of a Trích biên bản made from a filed minutes.

The minutes are found in the archive (an id, an id prefix or a number as on paper, as every
command taking an ID: ``Archive.resolve``), their archived ``input.yaml`` is read again
with the model (``docgen.model.load_input``) and the extract copies what the minutes'
context prints: the number, date and summary, the time, place, chair and secretary, the
attendance figures, and the parts chosen (agenda items, speeches, the chair's conclusion,
votes with their counts and denominator; by default every vote). Nothing is recomputed
for the extract: the kind ``trich-bien-ban`` prints the figures it is given.

The result is a commented YAML input (Vietnamese comments, from the labels, as ``docgen
form`` writes them) for a person to review before ``docgen new`` files it; or it is filed
at once. It is validated before anything is written: an unknown ID, a paper that is not a
minutes, a withdrawn or draft minutes, a part number out of range are errors and nothing
is written.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen.config import Settings
from docgen.errors import ArchiveError, DocgenError, ExitStatus, InputError
from docgen.i18n import Msg
from docgen.model.meta import ArchivedDoc, IndexHook
from docgen.model.validation import DATE_PATTERN
from docgen.vn.dates import vn_date
from docgen.vn.text import clean, fold

EXTRACT_KIND = "trich-bien-ban"

# The headings of the parts an extract takes from the minutes (their printed sections).
AGENDA_HEADING = "Nội dung sinh hoạt"
SPEECHES_HEADING = "Diễn biến buổi sinh hoạt"
CONCLUSION_HEADING = "Kết luận"
VOTES_HEADING = "Biểu quyết"
BOTH_HEADING = "Kết luận, biểu quyết"
# An extract of an admission or conversion vote is tagged with the topic "phát triển đảng viên".
MEMBERSHIP_VOTES = frozenset({"admission", "conversion"})
MEMBERSHIP_TOPIC = "ptdv"


class SelectionError(DocgenError):
    """A part asked for (``--item``, ``--speech``, ``--vote``, ``--conclusion``) that the
    minutes do not have: a command-line usage error (exit 2), nothing written."""

    exit_code = ExitStatus.USAGE


@dataclass(frozen=True)
class Selection:
    """The parts of the minutes to extract, numbered as the minutes print them (from 1).

    ``items``: agenda items (I. NỘI DUNG SINH HOẠT); ``speeches``: speeches of II. DIỄN
    BIẾN, in order; ``conclusion``: the chair's conclusion; ``votes``: the votes in the
    order the minutes list them, ``None`` for every vote."""

    items: tuple[int, ...] = ()
    speeches: tuple[int, ...] = ()
    conclusion: bool = False
    votes: tuple[int, ...] | None = None


@dataclass(frozen=True)
class Extract:
    """A Trích biên bản input made from the minutes ``source_id``."""

    source_id: str
    source_number: str  # "07-BB/CB"; "" for minutes without a number
    source_date: dt.date
    source_title: str  # "sinh hoạt chi bộ thường kỳ tháng 3 năm 2026"
    data: dict[str, Any]  # the extract's input, as the YAML writes it
    text: str  # the commented YAML
    name: str  # the default file name, "trich-BB-07-2026-03-10-an-thanh.yaml"
    votes: int  # how many votes it carries
    warnings: tuple[Msg, ...] = field(default=())  # the extract input's warnings

    @property
    def source_text(self) -> Msg:
        return source_text(self.source_number, self.source_date)


def source_text(number: str, day: dt.date) -> Msg:
    """"Biên bản số 07-BB/CB ngày 10/3/2026" / "the minutes 07-BB/CB of 10/3/2026"."""
    number_vi = f" số {number}" if number else ""
    number_en = f" {number}" if number else ""
    return Msg(f"Biên bản{number_vi} ngày {vn_date(day)}", f"the minutes{number_en} of {vn_date(day)}")


# --------------------------------------------------------------------------- the source

def _minutes_kinds() -> list[str]:
    from docgen.kinds import KINDS

    return [name for name, spec in KINDS.items() if spec.minutes]


def _not_minutes(doc_id: str, record: dict[str, Any]) -> ArchiveError:
    from docgen.kinds import get_kind

    spec = get_kind(str(record.get("kind")))
    what = spec.label if spec is not None else Msg(str(record.get("kind")), str(record.get("kind")))
    number = record.get("number_text") or doc_id
    lists = "; ".join(f"docgen list --kind {name}" for name in _minutes_kinds())
    return ArchiveError(
        Msg(f"văn bản {number} (mã {doc_id}) là {what.vi.lower()}, không phải biên bản: chỉ trích "
            "được biên bản", f"document {number} (id {doc_id}) is a {what.en.lower()}, not minutes: only "
            "minutes can be extracted"),
        field="ID", hint=Msg(f"ghi số hoặc mã của một biên bản (xem: {lists})",
                             f"give the number or id of minutes (see: {lists})"))


def _check_record(doc_id: str, record: dict[str, Any]) -> None:
    """The paper ``doc_id`` is current, final minutes (ArchiveError otherwise)."""
    from docgen.kinds import get_kind

    spec = get_kind(str(record.get("kind")))
    if spec is None or not spec.minutes:
        raise _not_minutes(doc_id, record)
    number = record.get("number_text") or doc_id
    if record.get("status") == "withdrawn":
        reason = f" (lý do: {record['reason']})" if record.get("reason") else ""
        reason_en = f" (reason: {record['reason']})" if record.get("reason") else ""
        raise ArchiveError(
            Msg(f"biên bản {number} (mã {doc_id}) đã bị thu hồi{reason}: không trích từ văn bản đã thu hồi",
                f"minutes {number} (id {doc_id}) were withdrawn{reason_en}: a withdrawn paper is not "
                "extracted"),
            field="ID", hint=Msg("trích từ biên bản đang hiện hành (docgen list)",
                                 "extract from current minutes (docgen list)"))
    if record.get("draft"):
        raise ArchiveError(
            Msg(f"biên bản mã {doc_id} còn là dự thảo, chưa có số: chưa trích được",
                f"minutes {doc_id} are still a draft without a number: nothing to extract yet"),
            field="ID", hint=Msg(f"hoàn thiện biên bản trước: docgen finalize {doc_id}",
                                 f"finalise the minutes first: docgen finalize {doc_id}"))


@dataclass(frozen=True)
class _Source:
    doc: ArchivedDoc
    record: dict[str, Any]
    context: dict[str, Any]
    data: dict[str, Any]


def _load_source(settings: Settings, ref: str, cell: str | None) -> _Source:
    from docgen.app import archive_of
    from docgen.archive.records import INPUT_FILE
    from docgen.model import load_input
    from docgen.model.profile import load_profile

    archive = archive_of(settings)
    try:
        doc_id = archive.resolve(ref, cell)
        record = archive.record(doc_id)
        doc = archive.get(doc_id)
    finally:
        archive.close()
    _check_record(doc_id, record)
    path = doc.folder / INPUT_FILE
    if not path.is_file():
        raise ArchiveError(Msg(f"thiếu tệp {INPUT_FILE} của biên bản mã {doc_id}",
                               f"the {INPUT_FILE} of minutes {doc_id} is missing"),
                           file=str(path), hint=Msg("kiểm tra kho bằng docgen verify", "check the archive with docgen verify"))
    profile = load_profile(settings.profile_path)
    met = doc.meta.date
    here = profile.at(met).cell.name
    if fold(" ".join(doc.meta.cell.split())) not in {fold(here), fold(profile.cell.name)}:
        raise ArchiveError(
            Msg(f"biên bản mã {doc_id} là của {doc.meta.cell}, không phải của chi bộ trong hồ sơ ({here})",
                f"minutes {doc_id} belong to {doc.meta.cell}, not to the profile's cell ({here})"),
            field="ID", hint=Msg("trích biên bản của chi bộ mình, hoặc dùng hồ sơ của chi bộ đó (--config)",
                                 "extract minutes of your own cell, or use that cell's profile (--config)"))
    try:
        source = load_input(path, settings, profile)
    except InputError as exc:
        first = exc.problems[0] if exc.problems else exc
        raise InputError(
            Msg(f"không đọc lại được biên bản mã {doc_id} với hồ sơ chi bộ hiện tại: {first.message.vi}",
                f"minutes {doc_id} cannot be read again with the current profile: {first.message.en}"),
            file=str(path), field=first.field,
            hint=Msg("hồ sơ chi bộ (profile.yaml) đã đổi từ khi lưu biên bản; sửa hồ sơ, hoặc chép bản trích "
                     "bằng tay (docgen form trich-bien-ban)",
                     "the profile changed since the minutes were filed; fix it, or copy the extract by "
                     "hand (docgen form trich-bien-ban)")) from exc
    return _Source(doc, record, source.context(), dict(source.data))


# --------------------------------------------------------------------------- choosing parts

def _listing(entries: Sequence[str]) -> str:
    shown = [f"{i}. {textwrap.shorten(text, 50, placeholder=' …')}" for i, text in enumerate(entries, 1)]
    return "; ".join(shown)


def _chosen(numbers: Sequence[int], entries: Sequence[Any], option: str, what: Msg, number: str,
            names: Sequence[str]) -> list[int]:
    """The 1-based ``numbers`` as sorted 0-based indexes; SelectionError naming ``option``."""
    count = len(entries)
    for n in numbers:
        if 1 <= n <= count:
            continue
        if not count:
            raise SelectionError(Msg(f"{option} {n}: biên bản {number} không có {what.vi}",
                                     f"{option} {n}: the minutes {number} have no {what.en}"),
                                 field=option, hint=Msg(f"bỏ {option}", f"leave out {option}"))
        raise SelectionError(
            Msg(f"{option} {n}: biên bản {number} chỉ có {count} {what.vi} (từ 1 đến {count})",
                f"{option} {n}: the minutes {number} have {count} {what.en} (1 to {count})"),
            field=option, hint=Msg(f"chọn {option} từ 1 đến {count}: {_listing(names)}",
                                   f"choose {option} from 1 to {count}: {_listing(names)}"))
    return sorted({n - 1 for n in numbers})


def _speech_lines(speech: dict[str, Any]) -> list[str]:
    return [f"- {speech['speaker']}: {speech['first']}".rstrip(), *speech.get("rest", [])]


_COUNTS = ("votes_for", "against", "abstain", "denominator")


def _vote(v: dict[str, Any]) -> dict[str, Any] | None:
    """A vote of the minutes' context with its counts (docgen.model.votes.vote_context);
    None for a kind whose votes carry only their printed sentence."""
    if not all(isinstance(v.get(key), int) for key in _COUNTS) or not v.get("subject") or not v["denominator"]:
        return None
    return {"subject": v["subject"], "type": v.get("type") or "other", "for": v["votes_for"],
            "against": v["against"], "abstain": v["abstain"], "denominator": v["denominator"]}


def _items(src: _Source, selection: Selection, number: str) -> tuple[list[dict[str, Any]], int]:
    """The extract's parts and the number of votes they copy."""
    ctx = src.context
    agenda = ctx.get("agenda") or []
    speeches = ctx.get("proceedings") or []
    conclusion = ctx.get("conclusion") or []
    votes = ctx.get("votes") or []
    picked_agenda = _chosen(selection.items, agenda, "--item", Msg("nội dung sinh hoạt", "agenda items"), number,
                            [a["text"] for a in agenda])
    picked_speeches = _chosen(selection.speeches, speeches, "--speech",
                              Msg("ý kiến phát biểu trong phần diễn biến", "speeches in the proceedings"), number,
                              [s["speaker"] for s in speeches])
    if selection.conclusion and not conclusion:
        raise SelectionError(Msg(f"--conclusion: biên bản {number} không ghi kết luận của chủ trì",
                                 f"--conclusion: the minutes {number} record no conclusion of the chair"),
                             field="--conclusion", hint=Msg("bỏ --conclusion", "leave out --conclusion"))
    if selection.votes is None:
        picked_votes = list(range(len(votes)))
    else:
        picked_votes = _chosen(selection.votes, votes, "--vote", Msg("biểu quyết", "votes"), number,
                               [v["subject"] for v in votes])
    nothing = not (picked_agenda or picked_speeches or selection.conclusion or picked_votes)
    if nothing:
        raise SelectionError(
            Msg(f"biên bản {number} không có biểu quyết nào để trích", f"the minutes {number} record no vote to extract"),
            field="--vote", hint=Msg("chọn nội dung cần trích: --item N (nội dung sinh hoạt), --speech N (ý kiến "
                                     "phát biểu), --conclusion (kết luận)",
                                     "choose what to extract: --item N (agenda item), --speech N (speech), "
                                     "--conclusion (the chair's conclusion)"))
    items: list[dict[str, Any]] = []
    if picked_agenda:
        items.append({"heading": AGENDA_HEADING,
                      "text": "\n".join(f"{agenda[i]['label']} {agenda[i]['text']}" for i in picked_agenda)})
    if picked_speeches:
        items.append({"heading": SPEECHES_HEADING,
                      "text": "\n".join(line for i in picked_speeches for line in _speech_lines(speeches[i]))})
    if selection.conclusion or picked_votes:
        heading = (BOTH_HEADING if selection.conclusion and picked_votes
                   else CONCLUSION_HEADING if selection.conclusion else VOTES_HEADING)
        item: dict[str, Any] = {"heading": heading}
        lines = [f"Đồng chí {ctx['chair_name']} (chủ trì) kết luận:", *conclusion] if selection.conclusion else []
        counted = [(i, _vote(votes[i])) for i in picked_votes]
        # a vote without its counts in the context is copied as the sentence the minutes print
        lines += [f"- {votes[i].get('sentence', '')}".rstrip() for i, vote in counted if vote is None]
        if lines:
            item["text"] = "\n".join(lines)
        if any(vote is not None for _i, vote in counted):
            item["votes"] = [vote for _i, vote in counted if vote is not None]
        items.append(item)
    return items, len(picked_votes)


def _attendance(ctx: dict[str, Any]) -> dict[str, Any] | None:
    """The attendance figures of the minutes' context (docgen.model.context.figures_context);
    None when the kind has none in that form (a committee's minutes)."""
    f = ctx.get("figures")
    if not isinstance(f, dict) or not all(isinstance(f.get(k), int)
                                          for k in ("total", "official", "probationary", "present", "absent")):
        return None

    def count(key: str) -> int:
        value = f.get(key)
        return value if isinstance(value, int) else 0

    def optional(key: str) -> int | None:
        value = f.get(key)
        return value if isinstance(value, int) else None

    return {"total": f["total"], "official": f["official"], "probationary": f["probationary"],
            "exempt": count("exempt"), "exempt_present": f.get("exempt_present_text") or None,
            "temp_out": count("temp_out"), "temp_in": count("temp_in"), "temp_in_present": count("temp_in_present"),
            "present": f["present"], "present_official": optional("present_official"),
            "present_probationary": optional("present_probationary"), "absent": f["absent"],
            "absent_with_reason": f.get("absent_with_reason_text") or None,
            "absent_without_reason": f.get("absent_without_reason_text") or None}


def extract_data(src: _Source, selection: Selection, day: dt.date) -> tuple[dict[str, Any], int]:
    """The extract's input (dates as ``datetime.date``, as the YAML writes them) and the
    number of votes it copies."""
    ctx, data, record = src.context, src.data, src.record
    number = str(record.get("number_text") or "")
    met = src.doc.meta.date
    guests = "; ".join(g["text"] for g in ctx.get("guests") or [])
    meeting = {"start": data.get("start"), "end": data.get("end"), "place": ctx.get("place") or None,
               "chair": ctx.get("chair_name") or None, "chair_position": ctx.get("chair_position") or None,
               "secretary": ctx.get("secretary_name") or None,
               "secretary_position": ctx.get("secretary_position") or None, "guests": guests or None}
    items, votes = _items(src, selection, number or src.doc.id)
    has_votes = any(item.get("votes") for item in items)
    members = {v["type"] for item in items for v in item.get("votes") or []} & MEMBERSHIP_VOTES
    return ({
        "kind": EXTRACT_KIND, "date": day, "number": None, "draft": False,
        "topics": [MEMBERSHIP_TOPIC] if members else [], "summary": None,
        "source": {"number": number or None, "date": met, "title": ctx.get("summary") or "",
                   "kind": src.doc.meta.kind, "archive_id": src.doc.id},
        "meeting": meeting,
        "attendance": _attendance(ctx),
        "denominator_text": (ctx.get("denominator_text") or None) if has_votes else None,
        "items": items,
        "signer": None,
        "recipients": [],
    }, votes)


# --------------------------------------------------------------------------- the YAML

class _Writer:
    """Commented YAML in the schema's order: each field's label as a comment (as ``docgen
    form`` writes them), multi-line text as literal blocks, dates day first."""

    WIDTH = 92

    def __init__(self, schema: dict[str, Any], lang: str) -> None:
        from docgen.model.labels import labels_for

        self.schema = schema
        self.lang = "en" if lang == "en" else "vi"
        self.labels = labels_for(EXTRACT_KIND)

    def comment(self, pattern: str, pad: str) -> list[str]:
        label = self.labels.get(pattern)
        if label is None:
            return []
        return [f"{pad}# {text}" for text in textwrap.wrap(label.description.text(self.lang), self.WIDTH - len(pad))]

    def scalar(self, value: Any, schema: dict[str, Any]) -> str:
        from docgen.authoring.form import scalar

        if schema.get("pattern") == DATE_PATTERN and isinstance(value, str):
            value = dt.date.fromisoformat(value)
        return scalar(value, schema)

    def entry(self, key: str, value: Any, schema: dict[str, Any], pattern: str, pad: str,
              comments: bool) -> list[str]:
        lines = self.comment(pattern, pad) if comments else []
        props = schema.get("properties")
        items = schema.get("items") if isinstance(schema.get("items"), dict) else None
        if isinstance(value, dict) and isinstance(props, dict):
            lines.append(f"{pad}{key}:")
            for sub, sub_schema in props.items():
                if sub in value:
                    lines += self.entry(sub, value[sub], sub_schema, f"{pattern}.{sub}", pad + "  ", comments)
            return lines
        if isinstance(value, list) and value and items is not None:
            if comments and isinstance(items.get("properties"), dict):
                lines += self.fields(items, f"{pattern}[]", pad)
            lines.append(f"{pad}{key}:")
            for item in value:
                lines += self.item(item, items, f"{pattern}[]", pad + "  ")
            return lines
        if isinstance(value, str) and "\n" in value.strip():
            return lines + [f"{pad}{key}: |"] + [f"{pad}  {text}" for text in value.strip().split("\n")]
        return lines + [f"{pad}{key}: {self.scalar(value, schema)}".rstrip()]

    def item(self, value: Any, schema: dict[str, Any], pattern: str, pad: str) -> list[str]:
        props = schema.get("properties")
        if not isinstance(value, dict) or not isinstance(props, dict):
            return [f"{pad}- {self.scalar(value, schema)}"]
        lines: list[str] = []
        for sub, sub_schema in props.items():
            if sub in value:
                lines += self.entry(sub, value[sub], sub_schema, f"{pattern}.{sub}", pad + "  ", comments=False)
        if lines:
            lines[0] = f"{pad}- {lines[0][len(pad) + 2:]}"
        return lines

    def fields(self, schema: dict[str, Any], pattern: str, pad: str) -> list[str]:
        """"#   các trường:" and one line per field of a list's items (nested lists too)."""
        title = "fields:" if self.lang == "en" else "các trường:"
        out = [f"{pad}#   {title}"]
        required = set(schema.get("required", ()))

        def walk(node: dict[str, Any], prefix: str, depth: int) -> None:
            for sub, sub_schema in (node.get("properties") or {}).items():
                label = self.labels.get(f"{prefix}.{sub}")
                text = label.description.text(self.lang) if label else ""
                mark = (" (required)" if self.lang == "en" else " (bắt buộc)") if depth == 0 and sub in required else ""
                out.append(f"{pad}#   {'  ' * depth}  {sub}: {text}{mark}")
                inner = sub_schema.get("items")
                if isinstance(inner, dict) and isinstance(inner.get("properties"), dict):
                    walk(inner, f"{prefix}.{sub}[]", depth + 1)

        walk(schema, pattern, 0)
        return out

    def document(self, data: dict[str, Any], head: list[str]) -> str:
        lines = [*head]
        for key, sub in self.schema["properties"].items():
            if key in data:
                lines += self.entry(key, data[key], sub, key, "", comments=True)
        return clean("\n".join(lines) + "\n")


def _head(src_text: Msg, source_title: str, source_id: str, name: str, lang: str) -> list[str]:
    if lang == "en":
        text = [f"Trích biên bản ({EXTRACT_KIND}): an extract of {src_text.en} ({source_title}, archive id "
                f"{source_id}).",
                "The figures and the text are copied from the minutes, not recomputed. Review it (the "
                "summary, the headings, the recipients, the signer may be changed), then file it:"]
    else:
        text = [f"Trích biên bản ({EXTRACT_KIND}): bản trích {src_text.vi} {source_title} (mã lưu trữ "
                f"{source_id}).",
                "Số liệu và nội dung chép đúng từ biên bản gốc, không tính lại. Xem lại (có thể sửa trích yếu, "
                "tiêu đề mục, nơi nhận, người ký), rồi lưu vào kho:"]
    out = [f"# {wrapped}" for part in text for wrapped in textwrap.wrap(part, 90)]
    return [*out, f"#   docgen new {name}", "#", ""]


def extract_minutes(settings: Settings, ref: str, cell: str | None = None,
                    selection: Selection | None = None, day: dt.date | None = None,
                    lang: str = "vi") -> Extract:
    """The Trích biên bản input of the minutes ``ref`` names, with the parts ``selection``
    chooses (default: every vote), dated ``day`` (default: today), validated."""
    from docgen.archive.ids import readable_name
    from docgen.kinds import KINDS
    from docgen.model.document import parse_input
    from docgen.model.files import parse_text_lines
    from docgen.model.profile import load_profile

    src = _load_source(settings, ref, cell)
    made = day or dt.date.today()
    met = src.doc.meta.date
    if made < met:
        given = (Msg(f"--date {vn_date(made)}", f"--date {vn_date(made)}") if day is not None
                 else Msg(f"hôm nay ({vn_date(made)})", f"today ({vn_date(made)})"))
        raise SelectionError(Msg(f"{given.vi}: bản trích không thể lập trước ngày họp {vn_date(met)}",
                                 f"{given.en}: an extract cannot be made before the meeting ({vn_date(met)})"),
                             field="--date", hint=Msg(f"ghi --date từ {vn_date(met)} trở đi",
                                                      f"give --date {vn_date(met)} or later"))
    data, votes = extract_data(src, selection or Selection(), made)
    name = "trich-" + readable_name(src.doc.meta, ".yaml")
    number = str(src.record.get("number_text") or "")
    title = str(data["source"]["title"])
    head = _head(source_text(number, met), title, src.doc.id, name, lang)
    text = _Writer(KINDS[EXTRACT_KIND].schema, lang).document(data, head)
    parsed, lines = parse_text_lines(text, name)
    checked = parse_input(parsed, settings, load_profile(settings.profile_path), name, lines)
    return Extract(src.doc.id, number, met, title, data, text, name, votes, checked.warnings)


def write_extract(path: Path, extract: Extract, force: bool = False) -> Path:
    """Write the extract's YAML; an existing file is kept unless ``force`` (InputError)."""
    from docgen.authoring.form import check_form_target
    from docgen.fsio import write_text_atomic

    check_form_target(path, force)
    write_text_atomic(path, extract.text)
    return path


@dataclass(frozen=True)
class Filed:
    doc: ArchivedDoc
    warnings: tuple[Msg, ...]


def file_extract(settings: Settings, extract: Extract, path: Path | None = None,
                 index: IndexHook | None = None) -> Filed:
    """File the extract in the archive (``docgen new`` on its YAML: ``path`` when it was
    written there, else a temporary copy; the archive keeps its input either way)."""
    from docgen.app import new_documents

    with tempfile.TemporaryDirectory(prefix="docgen-extract-") as tmp:
        source = path
        if source is None:
            source = Path(tmp) / extract.name
            source.write_text(extract.text, "utf-8")
        report = new_documents(settings, [source], None, index)
    if report.failed:
        raise report.failed[0][1]
    return Filed(report.filed[0], tuple(w for _path, w in report.warnings))
