"""``docgen form``: a ready-to-edit, commented YAML input for a document kind.

Every field of the kind's JSON Schema is written with its label (docgen.model.labels) as
a comment, prefilled from the profile (chair = bí thư, secretary = a chi ủy viên, meeting
place) and, where natural, from the previous document of the same kind (next period, same
topics, agenda, guests, next number). Dates are written day first and quoted
(``date: "10/3/2026"``), times quoted (``start: "19:30"``); the header says the quotes are
optional there (the YAML 1.2 loader reads ``start: 19:30`` as text). Required values nobody can
guess are left as ``""`` and marked ``# <- ĐIỀN Giờ bắt đầu, ví dụ "19:30"``; left so, the
file is refused with "Chưa điền Giờ bắt đầu (dòng N)"; ``FormResult.blanks`` lists them.
"""

from __future__ import annotations

import calendar
import copy
import datetime as dt
import json
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from docgen.authoring.form_text import LABELS
from docgen.authoring.roster_view import roster_view
from docgen.config import Settings
from docgen.errors import DocgenError, InputError
from docgen.fsio import write_text_atomic
from docgen.i18n import Msg
from docgen.model.files import parse_text_lines, read_mapping, reads_as_text
from docgen.model.kinds import KINDS
from docgen.model.labels import Label, label_of, labels_for, split_path
from docgen.model.problems import where
from docgen.model.profile import Profile
from docgen.vn.dates import DateError, parse_user_date, vn_date
from docgen.vn.numbers import roman
from docgen.vn.text import clean

Schema = dict[str, Any]


class _Blank:
    """A required value the user must fill in."""

    def __repr__(self) -> str:
        return "BLANK"


BLANK: Any = _Blank()



@dataclass(frozen=True)
class FormResult:
    kind: str
    text: str
    blanks: tuple[str, ...]  # dotted paths of required values left to fill ("vote.for")
    previous: str | None  # where the prefill came from
    blank_lines: tuple[int | None, ...] = ()  # the line of each blank in ``text``

    def blanks_text(self) -> Msg:
        """The blanks by label and line: "Giờ bắt đầu (dòng 52), Số đồng chí tán thành
        (dòng 89)" / "Start time (line 52), …"; "-" when there is none."""
        if not self.blanks:
            return Msg("-", "-")
        lines = self.blank_lines or (None,) * len(self.blanks)
        named = [(label_of(path, self.kind), where(line)) for path, line in zip(self.blanks, lines, strict=True)]
        return Msg(", ".join(f"{label.vi}{at.vi}" for label, at in named),
                   ", ".join(f"{label.en}{at.en}" for label, at in named))


# --------------------------------------------------------------------------- dates and periods

def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by ``months`` (day clamped to the month's length)."""
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(day.day, last))


def _as_date(value: Any) -> dt.date | None:
    """A date of a previous document, however it was written (10/3/2026, 2026-03-10)."""
    if isinstance(value, dt.date):
        return value
    try:
        return parse_user_date(str(value)) if value else None
    except DateError:
        return None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _number_of(value: Any) -> int | None:
    """A previous document's number: 5, or as written on paper ("05-NQ/CB", "Số 05")."""
    if isinstance(value, str):
        match = re.match(r"^\s*(?:số\s*:?\s*)?(\d{1,4})\b", value, re.IGNORECASE)
        return int(match.group(1)) if match else None
    return _int(value)


def _step(kind: str, previous: dict[str, Any]) -> int:
    """How far the next paper of ``kind`` is from ``previous`` (its kind's period), in months."""
    return KINDS[kind].step_months(previous)


def _next_period(kind: str, previous: dict[str, Any], day: dt.date | None) -> dict[str, Any]:
    """date, month, year, quarter and number of the document after ``previous``."""
    step = _step(kind, previous)
    prev_date = _as_date(previous.get("date"))
    out: dict[str, Any] = {}
    if day is None and prev_date is not None:
        day = add_months(prev_date, step)
    out["date"] = day
    base_year = _int(previous.get("year")) or (prev_date.year if prev_date else None)
    month = _int(previous.get("month"))
    if month and base_year:
        year, month0 = divmod(base_year * 12 + month - 1 + step, 12)
        out["month"], out["year"] = month0 + 1, year
    quarter = _int(previous.get("quarter"))
    if quarter and base_year:
        year, quarter0 = divmod(base_year * 4 + quarter - 1 + max(step // 3, 1), 4)
        out["quarter"], out["year"] = quarter0 + 1, year
    elif step == 12 and _int(previous.get("year")):
        out["year"] = _int(previous.get("year")) + 1  # type: ignore[operator]
    number = _number_of(previous.get("number"))
    spec = KINDS[kind]
    shared = any(k.type_symbol == spec.type_symbol for name, k in KINDS.items() if name != kind)
    if number and spec.numbered and not shared:  # a shared series (BB, NQ): the archive numbers it
        out["number"] = number + 1
    return out


# --------------------------------------------------------------------------- values

def _default(schema: Schema, required: bool) -> Any:
    if "default" in schema:
        return copy.deepcopy(schema["default"])
    if "const" in schema:
        return schema["const"]
    if schema.get("type") == "object" and "properties" in schema:
        inner = set(schema.get("required", ()))
        return {k: _default(v, k in inner) for k, v in schema["properties"].items()}
    return BLANK if required else None


def _asked(schema: Schema) -> Any:
    """A field the form asks for though the schema lets it be empty (the vote of a
    resolution, empty only in a draft): its object with blanks, or a blank."""
    if "properties" in schema:
        inner = set(schema.get("required", ()))
        return {k: _default(v, k in inner) for k, v in schema["properties"].items()}
    return BLANK


def _secretary_of(profile: Profile) -> str | None:
    officers = profile.officers
    for member_id in (*officers.chi_uy_vien, officers.pho_bi_thu):
        if member_id and member_id != officers.bi_thu:
            return member_id
    return None


def _from_profile(props: Schema, profile: Profile) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "place" in props and profile.cell.meeting_place:
        out["place"] = profile.cell.meeting_place
    if "chair" in props:
        out["chair"] = profile.officers.bi_thu
    if "secretary" in props:
        out["secretary"] = _secretary_of(profile) or BLANK
    return out


def _headings(items: Any, with_items: bool) -> list[dict[str, Any]]:
    if not isinstance(items, list):
        return []
    heads = [i.get("heading") for i in items if isinstance(i, dict) and i.get("heading")]
    return [{"heading": h, "items": []} if with_items else {"heading": h, "text": BLANK}
            for h in heads]


def _from_previous(kind: str, props: Schema, previous: dict[str, Any],
                   day: dt.date | None) -> dict[str, Any]:
    out = {k: copy.deepcopy(previous[k]) for k in KINDS[kind].copied if k in props and previous.get(k)}
    if "assessment" in props:
        out["assessment"] = _headings(previous.get("assessment"), with_items=False)
    if "directions" in props:
        out["directions"] = _headings(previous.get("directions"), with_items=True)
    out.update({k: v for k, v in _next_period(kind, previous, day).items() if k in props})
    return out


def form_values(kind: str, profile: Profile, day: dt.date | None,
                previous: dict[str, Any] | None) -> dict[str, Any]:
    """The prefilled top-level values of a form (BLANK where the user must fill in)."""
    schema = KINDS[kind].schema
    props: Schema = schema["properties"]
    asked = set(KINDS[kind].asked)
    required = set(schema.get("required", ())) | asked
    values = {name: _asked(sub) if name in asked else _default(sub, name in required) for name, sub in props.items()}
    values.update(_from_profile(props, profile))
    values["date"] = day or BLANK
    if previous:
        values.update(_from_previous(kind, props, previous, day))
        if values["date"] is None:
            values["date"] = BLANK
    if "schedule" in props and not values.get("schedule"):
        values["schedule"] = _quarter_rows(_int(values.get("quarter")))
    values["kind"] = kind
    return values


def _quarter_rows(quarter: int | None) -> list[dict[str, Any]]:
    """One schedule row per quarter of an annual plan (or the plan's one quarter)."""
    quarters = [quarter] if quarter else [1, 2, 3, 4]
    return [{"period": f"Quý {roman(q)}", "title": BLANK, "preparer": None, "owner": None,
             "note": None} for q in quarters]


# --------------------------------------------------------------------------- YAML with comments

_NEEDS_QUOTES = re.compile(r"^\d{1,2}[:.hg]\d{0,2}$|^\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}$")


def scalar(value: Any, schema: Schema | None = None) -> str:
    """One YAML value on one line: dates day first and quoted ("10/3/2026"), times quoted
    ("19:30"), other strings in double quotes when YAML needs quotes. BLANK is ``""`` for
    a text (dates and times too: the quotes are where to write) and nothing for a number."""
    if value is BLANK:
        types = (schema or {}).get("type", "string")
        return '""' if "string" in (types if isinstance(types, list) else [types]) else ""
    if value is None:
        return "null"
    if isinstance(value, dt.date):
        return f'"{vn_date(value)}"'
    if isinstance(value, str) and ("\n" in value or "\r" in value or _NEEDS_QUOTES.match(value)):
        return json.dumps(value, ensure_ascii=False)
    dumped = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=100_000)
    dumped = dumped.removesuffix("\n...\n").removesuffix("\n")
    if isinstance(value, str) and dumped.startswith("'"):  # "…" reads the same and is what people type
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and not dumped.startswith('"') and not reads_as_text(dumped):
        return json.dumps(value, ensure_ascii=False)  # an id like 503750e460 is a number in YAML 1.2
    return dumped


@dataclass(frozen=True)
class _Writer:
    kind: str
    lang: str

    def label(self, key: str) -> str:
        return LABELS["en" if self.lang == "en" else "vi"][key]

    def entry(self, pattern: str) -> Label | None:
        return labels_for(self.kind).get(pattern)

    def name(self, pattern: str) -> str:
        """The field's label ("Giờ bắt đầu"); its key when it has none."""
        entry = self.entry(pattern)
        return entry.name.text(self.lang) if entry else pattern.rsplit(".", 1)[-1]

    def describe(self, pattern: str) -> str:
        """Label and note: "Giờ bắt đầu — giờ:phút theo 24 giờ; viết 19h30 cũng được"."""
        entry = self.entry(pattern)
        return entry.description.text(self.lang) if entry else ""

    def fill(self, pattern: str) -> str:
        """'# <- ĐIỀN Giờ bắt đầu, ví dụ "19:30"'."""
        entry = self.entry(pattern)
        text = f"{self.label('fill')} {self.name(pattern)}"
        if entry and entry.example:
            text += f", {self.label('eg')} {entry.example}"
        return "   # " + text

    def comment(self, pattern: str, schema: Schema, required: bool, pad: str) -> list[str]:
        text = self.describe(pattern)
        if required:
            text += f" ({self.label('required')})"
        if "enum" in schema:
            text += f"; {self.label('choices')}: " + " | ".join(str(v) for v in schema["enum"] if v is not None)
        return [pad + "# " + line for line in textwrap.wrap(text, 92 - len(pad))] or []


def _item_schema(schema: Schema) -> Schema:
    items = schema.get("items")
    return items if isinstance(items, dict) else {}


def _object_items(schema: Schema) -> bool:
    return _item_schema(schema).get("type") == "object"


def _example_item(item_schema: Schema) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, sub in item_schema.get("properties", {}).items():
        if sub.get("examples"):
            out[key] = sub["examples"][0]
        elif key in item_schema.get("required", ()):
            out[key] = "..."
    return out


class FormBuilder:
    """Writes the commented YAML for one kind."""

    def __init__(self, kind: str, lang: str) -> None:
        self.w = _Writer(kind, lang)
        self.blanks: list[str] = []

    def field(self, name: str, schema: Schema, value: Any, required: bool, pad: str,
              parent: str = "", parent_pattern: str = "") -> list[str]:
        path = f"{parent}.{name}" if parent else name
        pattern = f"{parent_pattern}.{name}" if parent_pattern else name
        lines = self.w.comment(pattern, schema, required, pad)
        if isinstance(value, dict) and "properties" in schema:
            return lines + [f"{pad}{name}:"] + self._object(schema, value, pad + "  ", path, pattern)
        if isinstance(value, list) and value:
            return lines + self._list(name, schema, value, pad, path, pattern)
        if isinstance(value, list):
            return lines + self._example(name, schema, pad, pattern) + [f"{pad}{name}: []"]
        if value is None and "properties" in schema:  # an optional group left out: name its fields
            lines += self._fields(schema, pad, pattern)
        mark = ""
        if value is BLANK:
            self.blanks.append(path)
            mark = self.w.fill(pattern)
        return lines + [f"{pad}{name}: {scalar(value, schema)}".rstrip() + mark]

    def _object(self, schema: Schema, value: dict[str, Any], pad: str, path: str, pattern: str) -> list[str]:
        required = set(schema.get("required", ()))
        lines: list[str] = []
        for key, sub in schema["properties"].items():
            lines += self.field(key, sub, value.get(key), key in required, pad, path, pattern)
        return lines

    def _list(self, name: str, schema: Schema, value: list[Any], pad: str, path: str,
              pattern: str) -> list[str]:
        if not _object_items(schema):
            return [f"{pad}{name}:"] + [f"{pad}  - {scalar(v)}" for v in value]
        lines = self._item_fields(schema, pad, pattern) + [f"{pad}{name}:"]
        props = _item_schema(schema).get("properties", {})
        for index, item in enumerate(value):
            lines += self._item_lines(item, props, pad + "  ", f"{path}[{index}]", f"{pattern}[]")
        return lines

    def _item_lines(self, item: dict[str, Any], props: Schema, pad: str, path: str,
                    pattern: str) -> list[str]:
        lines = []
        for i, (key, value) in enumerate(item.items()):
            lead = pad + ("- " if i == 0 else "  ")
            mark = ""
            if value is BLANK:
                self.blanks.append(f"{path}.{key}")
                mark = self.w.fill(f"{pattern}.{key}")
            lines.append(f"{lead}{key}: {scalar(value, props.get(key))}".rstrip() + mark)
        return lines

    def _item_fields(self, schema: Schema, pad: str, pattern: str) -> list[str]:
        return self._fields(_item_schema(schema), pad, f"{pattern}[]")

    def _fields(self, schema: Schema, pad: str, pattern: str) -> list[str]:
        """"#   các trường:" and one comment line per field of an object schema."""
        required = set(schema.get("required", ()))
        out = [f"{pad}#   {self.w.label('fields')}"]
        for key in schema.get("properties", {}):
            req = f" ({self.w.label('required')})" if key in required else ""
            out.append(f"{pad}#     {key}: {self.w.describe(f'{pattern}.{key}')}{req}")
        return out

    def _example(self, name: str, schema: Schema, pad: str, pattern: str) -> list[str]:
        if _object_items(schema):
            sample: Any = [_example_item(_item_schema(schema))]
            lines = self._item_fields(schema, pad, pattern)
        else:
            sample = (schema.get("examples") or [None])[0]
            lines = []
        if not sample or sample == [{}]:
            return lines
        dumped = yaml.safe_dump({name: sample}, allow_unicode=True, sort_keys=False, width=88)
        return lines + [f"{pad}#   {self.w.label('example')}"] + \
            [f"{pad}#     {line}" for line in dumped.splitlines()]


def _roster_comment(profile: Profile, day: dt.date, lang: str) -> list[str]:
    view = roster_view(profile, day)
    lines = ["# " + LABELS["en" if lang == "en" else "vi"]["roster"].format(day=vn_date(day))]
    for row in view.rows:
        position = f" ({row.position})" if row.position else ""
        lines.append(f"#   {row.id}: {row.name}, {row.status_text(lang)}{position}")
    return lines


def _head(kind: str, lang: str, out_name: str, previous: str | None) -> list[str]:
    labels = LABELS["en" if lang == "en" else "vi"]
    spec = KINDS[kind]
    stem = Path(out_name).stem or "van-ban"
    lines = ["# " + labels["head"].format(desc=spec.description.text(lang), kind=kind),
             *("# " + line for line in labels["how"].split("\n")),
             f"#   docgen render {out_name} -o {stem}.docx"]
    if previous:
        lines.append("# " + labels["previous"].format(path=previous))
    return lines + ["#"]


def build_form(kind: str, profile: Profile, *, day: dt.date | None, lang: str = "vi",
               previous: dict[str, Any] | None = None, previous_source: str | None = None,
               out_name: str = "form.yaml", roster_day: dt.date | None = None,
               prefill: dict[str, Any] | None = None) -> FormResult:
    """The commented YAML form of ``kind`` (NFC text) and the blanks left to fill;
    ``prefill`` (what the kind reads from the archive, e.g. a report's figures) wins."""
    values = form_values(kind, profile, day, previous)
    values.update({k: v for k, v in (prefill or {}).items() if k in KINDS[kind].schema["properties"]})
    schema = KINDS[kind].schema
    required = set(schema.get("required", ())) | set(KINDS[kind].asked)
    builder = FormBuilder(kind, lang)
    body: list[str] = []
    for name, sub in schema["properties"].items():
        body += builder.field(name, sub, values.get(name), name in required, "")
    reference = _as_date(values.get("date")) or roster_day or dt.date.today()
    lines = [*_head(kind, lang, out_name, previous_source), *_roster_comment(profile, reference, lang),
             "", *body]
    text = clean("\n".join(lines) + "\n")
    return FormResult(kind, text, tuple(builder.blanks), previous_source, _lines_of(text, builder.blanks))


def _lines_of(text: str, paths: list[str]) -> tuple[int | None, ...]:
    """The line of each path in the form's text (None for all when it cannot be read)."""
    try:
        _, lines = parse_text_lines(text, "form")
    except DocgenError:
        return (None,) * len(paths)
    return tuple(lines.get(split_path(path)) for path in paths)


# --------------------------------------------------------------------------- previous document

def read_previous(path: Path, kind: str) -> dict[str, Any]:
    """A previous input given with --from (it must be of the same kind)."""
    from docgen.model.resolve import resolve_kind  # "Nghị quyết" names the kind too

    data = read_mapping(path)
    if resolve_kind(data.get("kind")) != kind:
        raise InputError(
            Msg(f"văn bản trước là loại '{data.get('kind')}', không phải '{kind}'",
                f"the previous document is of kind '{data.get('kind')}', not '{kind}'"),
            file=str(path), field="kind",
            hint=Msg("chọn một văn bản cùng loại với --from", "give a document of the same kind with --from"))
    return data


def latest_archived(settings: Settings, kind: str, profile: Profile | None = None
                    ) -> tuple[dict[str, Any], str] | None:
    """The newest archived input of ``kind`` — of ``profile``'s cell when given (an archive
    of many cells holds the others' too) — None when there is no archive or no such paper."""
    try:
        from docgen.archive import Archive
        from docgen.archive.filters import DocFilter
        from docgen.archive.records import INPUT_FILE, archived
        from docgen.cells import names_of
    except ImportError:  # pragma: no cover - the archive package ships with docgen
        return None
    scope = names_of(profile) if profile is not None else None
    try:
        archive = Archive(settings.archive_root)
        try:
            rows = archive.matching(DocFilter(kind=kind, scope=scope))
        finally:
            archive.close()
        docs = [archived(settings.archive_root, rel, rec) for rel, rec in rows]
        for doc in docs:
            path = doc.folder / INPUT_FILE
            if path.is_file():
                return read_mapping(path), str(path)
    except DocgenError:
        return None
    return None


# --------------------------------------------------------------------------- writing

def check_form_target(path: Path, force: bool) -> None:
    """Raise when ``path`` exists and ``force`` is not set (checked before any work)."""
    if path.exists() and not force:
        raise InputError(
            Msg(f"tệp {path} đã có, không ghi đè", f"{path} already exists, not overwritten"),
            file=str(path),
            hint=Msg("dùng --force để ghi đè hoặc chọn tên khác với -o",
                     "use --force to overwrite or choose another name with -o"))


def write_form(path: Path, result: FormResult, force: bool = False) -> Path:
    """Write the form; refuses to replace an existing file unless ``force``."""
    check_form_target(path, force)
    write_text_atomic(path, result.text)
    return path

