"""Writing screens (issue 12: 2, 3, 4): a new paper, its draft's form with the live figures
and the model's messages, the preview, filing, amending a filed paper, deleting a draft.

- ``GET /new``: the kinds for the user's writable cells; ``POST /new`` makes a draft,
  prefilled as ``docgen form`` prefills (the profile, the cell's previous paper of the kind).
- ``/draft/<cell>/<id>``: the form (``docgen.authoring.webform``: fields, roster on the
  meeting date, figures, messages). ``POST …/save`` is the autosave of papers.js (JSON: the
  figures, the messages by posted name, the roster on the date); without JavaScript the
  form's buttons post to the form itself (save, check, preview, add or remove a row).
- ``…/preview``: the real document rendered (``writing.render_document``) and converted
  by the warm LibreOffice worker, shown as page images; ``…/file`` files it
  (``writing.file_paper`` / ``amend_paper``: the number is given then) and deletes the draft.
- ``GET /doc/<id>/amend``: a draft prefilled from the filed input, filed as a new version.

Every route checks that the user writes the draft's cell (``require_writer``): another
cell's draft is 403, a draft that does not exist 404; its content is never shown.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)

from docgen.archive.filters import DocFilter
from docgen.authoring.webform import (
    Choice,
    Figures,
    FormCheck,
    FormField,
    check_form,
    data_from_form,
    flat_values,
    form_fields,
    form_pairs,
    initial_values,
    live_figures,
    roster_choices,
)
from docgen.cells import CellEntry
from docgen.config import Settings
from docgen.errors import DocgenError, PrintError
from docgen.fsio import sha256_bytes
from docgen.i18n import Msg
from docgen.kinds import KINDS
from docgen.model.files import read_mapping
from docgen.model.labels import path_text, split_path
from docgen.model.profile import Profile
from docgen.vn.dates import DateError, parse_user_date, vn_date, vn_local_time
from docgen.web.app import T, current_user, reader, require_writer, say
from docgen.web.drafts import DRAFT_ID, Draft, Drafts, DraftTooLarge, now_text
from docgen.web.writing import (
    CachedPreview,
    DraftBusy,
    Filed,
    Previews,
    amend_paper,
    cell_settings,
    content_key,
    draft_lock,
    file_paper,
    filed_as,
    remember_filed,
    render_document,
)

bp = Blueprint("papers", __name__)

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Pages drawn with the preview; the others are drawn when the browser asks for them.
FIRST_PREVIEW_PAGES = 1
MAX_TITLE = 160
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_HHMM = re.compile(r"^\d{2}:\d{2}$")
_INTEGER = re.compile(r"^[+-]?\d+$")
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
NO_CELL = Msg("chỉ bí thư, chi ủy viên được giao một chi bộ mới soạn được văn bản",
              "only a secretary assigned to a cell can write papers")
NO_CELL_HINT = Msg("người quản trị giao chi bộ cho tài khoản ở trang Quản trị",
                   "the administrator assigns cells to accounts on the Administration page")


# ------------------------------------------------------------------ small helpers
def _root() -> Path:
    root: Path = g.settings.archive_root
    return root


def _drafts() -> Drafts:
    return Drafts(_root())


def _previews() -> Previews:
    return Previews(_root())


def _label(kind: str) -> str:
    return say(KINDS[kind].label) if kind in KINDS else kind


def _paper_url(doc_id: str) -> str:
    """The paper's page."""
    return url_for("browse.paper", doc_id=doc_id)




def _refused(status: int, message: Msg, hint: Msg | None = None) -> tuple[str, int]:
    return render_template("error.html", status=status, message=say(message),
                           hint=say(hint) if hint else ""), status


def _entry(cell_id: str) -> CellEntry:
    """A cell the user writes (403 for another cell, 404 for none of that id)."""
    require_writer(cell_id)
    for entry in reader().writable_cells():
        if entry.id == cell_id:
            return entry
    abort(404)


def _day_of(data: Mapping[str, Any]) -> dt.date | None:
    value = data.get("date")
    if isinstance(value, str) and value.strip():
        try:
            return parse_user_date(value)
        except DateError:
            return None
    return None


def _title(kind: str, data: Mapping[str, Any]) -> str:
    summary = data.get("summary")
    day = _day_of(data)
    text = f"{_label(kind)} {vn_date(day)}" if day else _label(kind)
    if isinstance(summary, str) and summary.strip():
        text = f"{_label(kind)}: {' '.join(summary.split())}"
    return text[:MAX_TITLE]


def _at(data: Any, name: str) -> Any:
    """The value at the posted name ``name`` ("tasks[2].done") of an input dict, or None."""
    node = data
    for part in split_path(name):
        if isinstance(part, int):
            node = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
        else:
            node = node.get(part) if isinstance(node, dict) else None
        if node is None:
            return None
    return node


# ------------------------------------------------------------------ a draft and its data
@dataclass
class _State:
    """A draft as the form and the preview use it."""

    entry: CellEntry
    draft: Draft
    data: dict[str, Any]
    profile: Profile
    settings: Settings  # the server's, with the cell's profile

    @property
    def kind(self) -> str:
        return self.draft.kind

    @property
    def day(self) -> dt.date:
        """The day whose roster the member fields offer: the paper's date, else today."""
        return _day_of(self.data) or dt.date.today()

    def check(self) -> FormCheck:
        return check_form(self.kind, self.data, self.profile, self.settings, g.lang)

    def figures(self) -> Figures | None:
        return live_figures(self.kind, self.data, self.profile, self.settings, g.lang)

    @property
    def key(self) -> str:
        return content_key(self.data)


def _state(entry: CellEntry, draft: Draft) -> _State:
    return _State(entry, draft, data_from_form(draft.kind, draft.fields), entry.profile(),
                  cell_settings(g.settings, entry))


def _find(cell_id: str, draft_id: str) -> tuple[CellEntry, Draft | None]:
    entry = _entry(cell_id)
    draft = _drafts().get(cell_id, draft_id)
    if draft is not None and (draft.cell != cell_id or draft.kind not in KINDS):
        draft = None
    return entry, draft


def _gone(cell_id: str, draft_id: str) -> Any:
    """The answer for a draft that is not there: its paper when it was filed, else 404."""
    doc_id = filed_as(_root(), cell_id, draft_id)
    if doc_id is None:
        abort(404)
    flash(T(f"Bản nháp này đã được lưu vào kho thành văn bản {doc_id}.",
            f"This draft was already filed as the paper {doc_id}."))
    return redirect(_paper_url(doc_id), 303)


def _loaded(cell_id: str, draft_id: str) -> _State | Any:
    entry, draft = _find(cell_id, draft_id)
    if draft is None:
        return _gone(cell_id, draft_id)
    return _state(entry, draft)


class DraftConflict(Exception):
    """The draft was saved from another page (another tab, another writer of the cell)
    since this page loaded it: saving would lose that work."""

    def __init__(self, current: Draft) -> None:
        super().__init__(current.id)
        self.current = current


def revision(draft: Draft) -> int:
    """How many times the draft was saved (the form posts the one it was loaded at)."""
    value = draft.extra.get("rev", 0)
    return value if isinstance(value, int) else 0


def _store(state: _State, pairs: Iterable[tuple[str, str]]) -> _State | None:
    """Save the posted fields as the draft, under its lock; None when the draft went
    meanwhile (filed or deleted: an autosave must not bring it back). DraftConflict when
    the page was loaded at an older revision than the stored one."""
    pairs = list(pairs)
    based_on = next((v for k, v in pairs if k == REV_FIELD), None)
    page = next((v for k, v in pairs if k == PAGE_FIELD), "")[:32]
    data = data_from_form(state.kind, pairs)
    kept = form_pairs(state.kind, data)
    title = _title(state.kind, data)
    if state.draft.amends:
        title = T("Sửa: ", "Amend: ") + title
    with draft_lock(_root(), state.entry.id, state.draft.id) as held:
        stored = _drafts().get(state.entry.id, state.draft.id)
        if stored is None:
            held.gone = True
            return None
        # saved since this page loaded it, and by another page (this page's own autosave
        # may still be on its way when a button posts the form)
        if (based_on is not None and based_on != str(revision(stored))
                and stored.extra.get("page") != page):
            raise DraftConflict(stored)
        draft = replace(stored, fields=kept, saved_at=now_text(), saved_by=current_user().login,
                        title=title[:MAX_TITLE],
                        extra={**stored.extra, "rev": revision(stored) + 1, "page": page})
        _drafts().save(draft)
    return replace(state, draft=draft, data=data)


REV_FIELD = "draft_rev"  # the revision the page loaded
PAGE_FIELD = "draft_page"  # which page (a random id a page) saves
CONFLICT = Msg("Bản nháp vừa được lưu từ một trang khác (thẻ khác, hoặc đồng chí khác của chi bộ): "
               "tải lại trang để xem bản mới nhất; những gì vừa gõ ở đây chưa được lưu.",
               "The draft was just saved from another page (another tab or another writer of "
               "the cell): reload the page to see the newest; what was typed here is not saved.")


# ------------------------------------------------------------------ the form's widgets
@dataclass
class Opt:
    value: str
    label: str
    selected: bool = False
    note: str = ""


@dataclass
class Row:
    prefix: str  # "tasks[2]"; the field's pattern "tasks[]" in the blank row papers.js copies
    number: int  # shown, from 1 (0 in the blank row)
    views: list[View]


@dataclass
class View:
    """One input of the form as the template shows it."""

    field: FormField
    name: str  # the posted name ("tasks[2].content"); the pattern in a blank row
    pattern: str  # "tasks[].content": papers.js numbers the [] from the rows around it
    widget: str  # a FormField widget, or "line" (one text of a lines field)
    input_type: str = "text"
    value: str = ""
    checked: bool = False
    readonly: bool = False
    help: str = ""
    options: list[Opt] = dataclasses.field(default_factory=list)
    children: list[View] = dataclasses.field(default_factory=list)
    rows: list[Row] = dataclasses.field(default_factory=list)
    blank: Row | None = None
    messages: list[str] = dataclasses.field(default_factory=list)

    @property
    def chosen(self) -> list[Opt]:
        return [o for o in self.options if o.selected]


def member_text(choice: Choice) -> str:
    """"m01 — Nguyễn Văn An · Bí thư Chi bộ (chính thức)"."""
    text = choice.label
    if choice.position:
        text += f" · {choice.position}"
    if choice.status:
        text += f" ({choice.status})"
    return text


def _help(f: FormField) -> str:
    """The label's note, less what concerns typing the value in a file: a select offers
    the members ("a member id or the name…"), a checkbox is ticked ("true: …")."""
    text = f.help
    if f.widget == "member":
        text = text.split("; ", 1)[1] if "; " in text else ""
    elif f.widget == "checkbox" and text.startswith("true: "):
        text = text.removeprefix("true: ")
    return text


def _off_roster() -> str:
    return T("không có trong danh sách ngày này", "not on the roster that day")


class _Form:
    """The views of a kind's form showing ``data``."""

    def __init__(self, kind: str, data: Mapping[str, Any], roster: Sequence[Choice],
                 messages: Mapping[str, list[str]], grow: str = "", amending: bool = False) -> None:
        self.kind = kind
        self.data = data
        self.values = flat_values(kind, data)
        self.roster = roster
        self.messages = messages
        self.grow = grow  # the list ("tasks") that gets one more empty row (no JavaScript)
        self.amending = amending
        self.shown: set[str] = set()

    def views(self) -> list[View]:
        return [self.view(f, ()) for f in form_fields(self.kind, g.lang)]

    def general(self) -> list[str]:
        """The messages no input of the form shows (the paper as a whole, …)."""
        return [m for name, found in self.messages.items() if name not in self.shown for m in found]

    def _value(self, name: str) -> str:
        found = self.values.get(name) or []
        return found[-1] if found else ""

    def _count(self, name: str, required: bool) -> int:
        items = _at(self.data, name)
        count = len(items) if isinstance(items, list) else 0
        if name == self.grow or (required and count == 0):
            count += 1
        return count

    def view(self, f: FormField, rows: tuple[int, ...] | None) -> View:
        blank = rows is None
        name = f.name if rows is None else f.html_name(*rows)
        v = View(f, name, f.name, f.widget, help=_help(f))
        if not blank:
            self.shown.add(name)
            v.messages = list(self.messages.get(name, []))
        widget = f.widget
        if widget == "group":
            v.children = [self.view(c, rows) for c in f.fields]
        elif widget in ("rows", "absent"):
            count = 0 if rows is None else self._count(name, f.required)
            if rows is not None:
                v.rows = [Row(f"{name}[{i}]", i + 1, [self.view(c, (*rows, i)) for c in f.fields])
                          for i in range(count)]
            v.blank = Row(f"{f.name}[]", 0, [self.view(c, None) for c in f.fields])
        elif widget == "lines":
            count = 0 if rows is None else self._count(name, f.required)
            v.rows = [Row(f"{name}[{i}]", i + 1, [self._line(f, f"{name}[{i}]")]) for i in range(count)]
            v.blank = Row(f"{f.name}[]", 0, [self._line(f, None)])
        elif widget in ("members", "topics"):
            chosen = [] if blank else list(self.values.get(name) or [])
            choices = [(c.value, member_text(c) if widget == "members" else c.label, c.status)
                       for c in (self.roster if widget == "members" else f.choices)]
            known = {value for value, _, _ in choices}
            v.options = [Opt(value, text, value in chosen, note) for value, text, note in choices]
            v.options += [Opt(value, f"{value} ({_off_roster()})" if widget == "members" else value, True)
                          for value in dict.fromkeys(chosen) if value not in known]
        else:
            self._scalar(v, "" if blank else self._value(name), blank)
        return v

    def _line(self, f: FormField, name: str | None) -> View:
        v = View(f, name or f"{f.name}[]", f"{f.name}[]", "line")
        if name is not None:
            self.shown.add(name)
            v.value = self._value(name)
            v.messages = list(self.messages.get(name, []))
        return v

    def _scalar(self, v: View, value: str, blank: bool) -> None:
        f, widget = v.field, v.widget
        v.value = value
        if widget == "checkbox":
            found = None if blank else _at(self.data, v.name)
            v.checked = found is True or (found is None and f.default == "on")
        elif widget == "date":
            v.input_type = "date" if not value or _ISO_DATE.match(value) else "text"
        elif widget == "time":
            v.input_type = "time" if not value or _HHMM.match(value) else "text"
        elif widget == "integer":
            v.input_type = "number" if not value or _INTEGER.match(value) else "text"
        elif widget == "number":
            v.input_type = "number" if not value or _NUMBER.match(value) else "text"
        elif widget == "member":
            v.options = [Opt(c.value, member_text(c), c.value == value) for c in self.roster]
            if value and not any(o.selected for o in v.options):
                v.options.append(Opt(value, f"{value} ({_off_roster()})", True))
        elif widget == "select":
            chosen = value or f.default
            v.options = [Opt(c.value, c.label, c.value == chosen) for c in f.choices]
            if value and not any(o.selected for o in v.options):
                v.options.append(Opt(value, value, True))
        v.readonly = self.amending and f.name == "number"


# ------------------------------------------------------------------ messages by posted name
def _row_map(kind: str, pairs: Sequence[tuple[str, str]]) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    """Rows as the model numbers them → rows as they were posted. ``data_from_form``
    renumbers rows from 0 and drops empty ones; the page keeps its own numbers, so the
    messages of the model are moved back to the inputs that were posted."""
    parsed = [(split_path(n), n, v) for n, v in pairs]
    parsed = [(p, n, v) for p, n, v in parsed if p and path_text(p) == n]
    empty = data_from_form(kind, [])
    out: dict[tuple[Any, ...], tuple[Any, ...]] = {}

    def walk(posted: tuple[Any, ...], numbered: tuple[Any, ...]) -> None:
        lists: dict[tuple[Any, ...], set[int]] = {}
        for parts, _, _ in parsed:
            if parts[:len(posted)] != posted:
                continue
            rest = parts[len(posted):]
            for j, part in enumerate(rest):
                if isinstance(part, int):
                    lists.setdefault(tuple(rest[:j]), set()).add(part)
                    break
        for keys, indices in lists.items():
            kept = 0
            for index in sorted(indices):
                row = (*posted, *keys, index)
                inside = [(n, v) for p, n, v in parsed if p[:len(row)] == row]
                if data_from_form(kind, inside) != empty:
                    target = (*numbered, *keys, kept)
                    out[target] = row
                    walk(row, target)
                    kept += 1

    walk((), ())
    return out


def _posted_name(name: str, rows: Mapping[tuple[Any, ...], tuple[Any, ...]]) -> str:
    parts = split_path(name)
    if not parts or path_text(parts) != name:
        return name
    out: list[Any] = []
    for j, part in enumerate(parts):
        if isinstance(part, int):
            out = list(rows.get(tuple(parts[:j + 1]), (*out, part)))
        else:
            out.append(part)
    return path_text(out)


def _messages(check: FormCheck | None, rows: Mapping[tuple[Any, ...], tuple[Any, ...]] | None = None
              ) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for problem in check.problems if check is not None else ():
        name = _posted_name(problem.field, rows) if rows is not None else problem.field
        out.setdefault(name, []).append(problem.cli)
    return out


# ------------------------------------------------------------------ the pages
def _form_page(state: _State, check: FormCheck | None = None, grow: str = "", error: str = "",
               status: int = 200) -> tuple[str, int]:
    roster = roster_choices(state.profile, state.day, g.lang)
    form = _Form(state.kind, state.data, roster, _messages(check), grow, bool(state.draft.amends))
    views = form.views()
    figures = state.figures()
    spec = KINDS[state.kind]
    page = render_template(
        "papers/form.html", state=state, draft=state.draft, entry=state.entry, spec=spec, revision=revision,
        page_id=secrets.token_hex(8),
        label=_label(state.kind), views=views, general=form.general(), check=check, error=error,
        warnings=check.warnings if check is not None and check.ok else (), figures=figures,
        figures_html=_figures_html(state.kind, figures), roster=roster, roster_day=state.day.isoformat(),
        saved=vn_local_time(state.draft.saved_at), amends_url=_paper_url(state.draft.amends)
        if state.draft.amends else None)
    return page, status


def _figures_html(kind: str, figures: Figures | None) -> str:
    if not KINDS[kind].meeting:
        return ""
    return render_template("papers/_figures.html", figures=figures)



# a row list's name as the form's "+" buttons post it ("tasks", "items[1].votes")
ADD_NAME = re.compile(r"^[a-z_][a-z0-9_]*(?:\[\d{1,4}\])?(?:\.[a-z_][a-z0-9_]*(?:\[\d{1,4}\])?)*$")


def _well_formed(draft_id: str) -> None:
    """404 for a draft id that no draft can have (before any lock or file is named)."""
    if not DRAFT_ID.match(draft_id):
        abort(404)

@bp.route("/new")
def new() -> Any:
    cells = reader().writable_cells()
    if not cells:
        return _refused(403, NO_CELL, NO_CELL_HINT)
    wanted = request.args.get("cell", "")
    chosen = next((c for c in cells if c.id == wanted), cells[0] if len(cells) == 1 else None)
    suggested = request.args.get("kind", "")
    kinds = [{"name": name, "label": say(spec.label), "description": say(spec.description),
              "meeting": spec.meeting, "suggested": name == suggested} for name, spec in KINDS.items()]
    kinds.sort(key=lambda k: not k["suggested"])
    drafts = _drafts().of_cell(chosen.id) if chosen is not None else []
    return render_template(
        "papers/new.html", cells=cells, chosen=chosen, kinds=kinds,
        drafts=[{"title": d.title or _label(d.kind), "saved": vn_local_time(d.saved_at), "by": d.saved_by,
                 "url": url_for("papers.draft", cell=d.cell, draft_id=d.id)} for d in drafts if d.kind in KINDS])


def _previous(entry: CellEntry, kind: str) -> dict[str, Any] | None:
    """The filed input of the cell's newest paper of ``kind`` (``docgen form`` takes the
    archive's newest; here only the cell's own: another cell's paper is not the user's)."""
    for doc in reader().list(DocFilter(kind=kind, scope=entry.names), limit=3):
        try:
            data = read_mapping(reader().input_of(doc))
        except DocgenError:
            continue
        if data.get("kind") == kind:
            return data
    return None


@bp.route("/new", methods=["POST"])
def create() -> Any:
    entry = _entry(request.form.get("cell", ""))
    kind = request.form.get("kind", "")
    if kind not in KINDS:
        abort(400)
    settings = cell_settings(g.settings, entry)
    values = initial_values(kind, entry.profile(), None, _previous(entry, kind), settings)
    draft = Draft(Drafts.new_id(), entry.id, kind, form_pairs(kind, values), now_text(),
                  current_user().login, title=_title(kind, values))
    _drafts().save(draft)
    return redirect(url_for("papers.draft", cell=entry.id, draft_id=draft.id), 303)


@bp.route("/draft/<cell>/<draft_id>")
def draft(cell: str, draft_id: str) -> Any:
    state = _loaded(cell, draft_id)
    if not isinstance(state, _State):
        return state
    checked = request.args.get("check") == "1"
    return _form_page(state, state.check() if checked else None, grow=request.args.get("add", ""))


def _without_row(pairs: list[tuple[str, str]], row: str) -> list[tuple[str, str]]:
    """``pairs`` without the row posted as ``row`` ("tasks[2]"): the no-JavaScript Remove."""
    prefix = split_path(row)
    if not prefix or not isinstance(prefix[-1], int):
        return pairs
    return [(n, v) for n, v in pairs if split_path(n)[:len(prefix)] != prefix]


@bp.route("/draft/<cell>/<draft_id>", methods=["POST"])
def submit(cell: str, draft_id: str) -> Any:
    """The form's buttons without JavaScript: save, check, preview, add or remove a row."""
    state = _loaded(cell, draft_id)
    if not isinstance(state, _State):
        return state
    pairs = list(request.form.items(multi=True))
    removed = request.form.get("remove", "")
    if removed:
        pairs = _without_row(pairs, removed)
    try:
        saved = _store(state, pairs)
    except DraftTooLarge:
        return _form_page(state, error=T("Bản nháp quá lớn, không lưu được.", "The draft is too large to save."),
                          status=413)
    except DraftConflict as conflict:  # the newest draft shown, with what happened
        return _form_page(_state(state.entry, conflict.current), error=say(CONFLICT), status=409)
    if saved is None:
        return _gone(cell, draft_id)
    action = request.form.get("action", "save")
    target = url_for("papers.draft", cell=cell, draft_id=draft_id)
    added = request.form.get("add", "")
    if added:
        anchor = "#f-" + added if ADD_NAME.match(added) else ""
        return redirect(url_for("papers.draft", cell=cell, draft_id=draft_id, add=added) + anchor, 303)
    if action == "preview":
        if saved.check().ok:
            return redirect(url_for("papers.preview", cell=cell, draft_id=draft_id), 303)
        flash(T("Chưa xem trước được: còn lỗi, xem thông báo dưới từng mục.",
                "Not previewed: there are problems, see the messages under the fields."))
        return redirect(url_for("papers.draft", cell=cell, draft_id=draft_id, check="1"), 303)
    if action == "check":
        if saved.check().ok:
            flash(T("Không có lỗi: có thể xem trước và lưu vào kho.", "No problems: you can preview and file it."))
        return redirect(url_for("papers.draft", cell=cell, draft_id=draft_id, check="1"), 303)
    flash(T("Đã lưu bản nháp.", "The draft is saved."))
    return redirect(target, 303)


def _gone_json(cell: str, draft_id: str) -> tuple[Response, int]:
    doc_id = filed_as(_root(), cell, draft_id)
    if doc_id is None:
        return jsonify({"saved": False, "gone": True, "paper_url": None,
                        "status": T("Bản nháp không còn (đã bị xóa).", "The draft is gone (deleted).")}), 404
    return jsonify({"saved": False, "gone": True, "paper_url": _paper_url(doc_id),
                    "status": T(f"Bản nháp đã được lưu vào kho thành văn bản {doc_id}.",
                                f"The draft was filed as the paper {doc_id}.")}), 410


@bp.route("/draft/<cell>/<draft_id>/save", methods=["POST"])
def save(cell: str, draft_id: str) -> Any:
    """The autosave of papers.js: the draft saved, its figures and messages (JSON)."""
    entry, found = _find(cell, draft_id)
    if found is None:
        return _gone_json(cell, draft_id)
    pairs = list(request.form.items(multi=True))
    try:
        state = _store(_state(entry, found), pairs)
    except DraftTooLarge:
        return jsonify({"saved": False, "status": T("Bản nháp quá lớn, không lưu được.",
                                                    "The draft is too large to save.")}), 413
    except DraftConflict:
        return jsonify({"saved": False, "conflict": True, "status": say(CONFLICT)}), 409
    if state is None:
        return _gone_json(cell, draft_id)
    check = state.check()
    figures = state.figures()
    rows = _row_map(state.kind, pairs)
    messages: list[dict[str, str]] = []
    for p in (*check.problems, *(figures.messages if figures is not None else ())):
        item = {"field": _posted_name(p.field, rows), "path": p.path, "text": p.text, "hint": p.hint,
                "cli": p.cli}
        if item not in messages:  # the figures' own (a vote not counted yet) after the model's
            messages.append(item)
    roster = roster_choices(state.profile, state.day, g.lang)
    return jsonify({
        "saved": True, "saved_at": state.draft.saved_at, "rev": revision(state.draft),
        "status": T(f"Đã lưu lúc {vn_local_time(state.draft.saved_at)}",
                    f"Saved at {vn_local_time(state.draft.saved_at)}"),
        "valid": check.ok, "messages": messages, "warnings": list(check.warnings),
        "figures": figures.to_json() if figures is not None else None,
        "figures_html": _figures_html(state.kind, figures),
        "roster_day": state.day.isoformat(),
        "roster": [{"value": c.value, "label": member_text(c), "status": c.status} for c in roster],
        "off_roster": _off_roster(),
    })


# ------------------------------------------------------------------ preview
@dataclass
class _Rendered:
    state: _State
    check: FormCheck
    docx: bytes
    name: str  # the file name, without suffix

    @property
    def key(self) -> str:
        return sha256_bytes(self.docx)


def _rendered(cell: str, draft_id: str) -> _Rendered | Any:
    """The draft rendered as it would be filed (not numbered yet); the form with its
    messages when the model refuses it."""
    from docgen.archive.ids import readable_name

    state = _loaded(cell, draft_id)
    if not isinstance(state, _State):
        return state
    check = state.check()
    if not check.ok or check.document is None:
        flash(T("Chưa xem trước được: còn lỗi, xem thông báo dưới từng mục.",
                "Not previewed: there are problems, see the messages under the fields."))
        return redirect(url_for("papers.draft", cell=cell, draft_id=draft_id, check="1"), 303)
    rendered = render_document(check.document, state.settings)
    name = readable_name(check.document.meta, "", "xem-truoc")
    return _Rendered(state, check, rendered.docx, name)


def _convert(found: _Rendered) -> tuple[CachedPreview | None, str]:
    """The cached preview of ``found``, converted now when missing; (None, why) without one."""
    state = found.state
    previews = _previews()
    cached = previews.get(state.entry.id, state.draft.id, found.key)
    if cached is not None:
        return cached, ""
    converter = current_app.config["WEB"].converter
    if converter is None:
        return None, T("Máy chủ này chưa chạy LibreOffice nên chưa xem trước được; vẫn tải .docx và lưu vào kho được.",
                       "This server runs no LibreOffice, so there is no preview; the .docx can still be "
                       "downloaded and the paper filed.")
    try:
        preview = converter.preview(found.docx, max_pages=FIRST_PREVIEW_PAGES)
    except PrintError as exc:
        return None, exc.render(g.lang)
    return previews.put(state.entry.id, state.draft.id, found.key, preview), ""


@bp.route("/draft/<cell>/<draft_id>/preview")
def preview(cell: str, draft_id: str) -> Any:
    found = _rendered(cell, draft_id)
    if not isinstance(found, _Rendered):
        return found
    cached, why = _convert(found)
    state = found.state
    pages = []
    if cached is not None:
        pages = [{"url": url_for("papers.preview_page", cell=cell, draft_id=draft_id, n=i, key=cached.key),
                  "width": cached.size(i)[0], "height": cached.size(i)[1], "number": i}
                 for i in range(1, cached.page_count + 1)]
    page = render_template(
        "papers/preview.html", state=state, draft=state.draft, entry=state.entry, label=_label(state.kind),
        pages=pages, page_count=cached.page_count if cached is not None else 0, why=why,
        warnings=list(found.check.warnings),
        key=found.key, content=state.key, amends_url=_paper_url(state.draft.amends) if state.draft.amends else None,
        docx_url=url_for("papers.preview_docx", cell=cell, draft_id=draft_id),
        pdf_url=url_for("papers.preview_pdf", cell=cell, draft_id=draft_id) if cached is not None else None)
    return page, 200 if cached is not None else 503


@bp.route("/draft/<cell>/<draft_id>/preview/page/<int:n>.png")
def preview_page(cell: str, draft_id: str, n: int) -> Any:
    entry, found = _find(cell, draft_id)
    if found is None:
        abort(404)
    cached = _previews().get(entry.id, found.id, request.args.get("key", ""))
    try:
        path = cached.page(n) if cached is not None else None
    except PrintError as exc:
        return render_template("error.html", status=503, message=exc.render(g.lang), hint=""), 503
    except OSError:  # a newer preview of the draft replaced this one meanwhile
        abort(404)
    try:
        data = path.read_bytes() if path is not None else None
    except OSError:
        data = None
    if data is None:
        abort(404)
    return send_file(io.BytesIO(data), mimetype="image/png", max_age=0)


@bp.route("/draft/<cell>/<draft_id>/preview.docx")
def preview_docx(cell: str, draft_id: str) -> Any:
    found = _rendered(cell, draft_id)
    if not isinstance(found, _Rendered):
        return found
    return send_file(io.BytesIO(found.docx), mimetype=DOCX_MIME, as_attachment=True,
                     download_name=f"{found.name}.docx")


@bp.route("/draft/<cell>/<draft_id>/preview.pdf")
def preview_pdf(cell: str, draft_id: str) -> Any:
    found = _rendered(cell, draft_id)
    if not isinstance(found, _Rendered):
        return found
    cached, why = _convert(found)
    if cached is None:
        return render_template("error.html", status=503, message=why, hint=""), 503
    return send_file(io.BytesIO(cached.pdf.read_bytes()), mimetype="application/pdf", as_attachment=True,
                     download_name=f"{found.name}.pdf", max_age=0)


# ------------------------------------------------------------------ file, delete, amend
def _filed_note(filed: Filed, amended: bool) -> str:
    doc = filed.doc
    number = doc.meta.number_text or T("không số", "no number")
    if amended:
        return T(f"Đã lưu phiên bản {doc.version} của văn bản số {number} vào kho.",
                 f"Filed version {doc.version} of the paper number {number}.")
    return T(f"Đã lưu vào kho: văn bản số {number}.", f"Filed: the paper number {number}.")


@bp.route("/draft/<cell>/<draft_id>/file", methods=["POST"])
def file(cell: str, draft_id: str) -> Any:
    entry = _entry(cell)
    _well_formed(draft_id)
    root = _root()
    try:
        with draft_lock(root, cell, draft_id) as held:
            found = _drafts().get(cell, draft_id)
            if found is None or found.cell != cell or found.kind not in KINDS:
                held.gone = found is None
                return _gone(cell, draft_id)
            state = _state(entry, found)
            sent = request.form.get("content", "")
            if sent and sent != state.key:
                flash(T("Bản nháp đã thay đổi sau khi xem trước: hãy xem lại trước khi lưu vào kho.",
                        "The draft changed after it was previewed: look at it again before filing it."))
                return redirect(url_for("papers.preview", cell=cell, draft_id=draft_id), 303)
            check = state.check()
            if not check.ok:
                flash(T("Chưa lưu vào kho: còn lỗi, xem thông báo dưới từng mục.",
                        "Not filed: there are problems, see the messages under the fields."))
                return redirect(url_for("papers.draft", cell=cell, draft_id=draft_id, check="1"), 303)
            amends = found.amends
            if amends:
                doc = reader().get(amends)
                owner = reader().cell_of(doc)
                if not reader().can_write(doc) or owner is None or owner.id != entry.id:
                    abort(403)
            reader().close()  # the write opens the archive on its own
            try:
                filed = amend_paper(entry, amends, state.data) if amends else file_paper(entry, state.data)
            except DocgenError as exc:
                return _form_page(state, check, error=exc.render(g.lang), status=409)
            remember_filed(root, cell, draft_id, filed.doc.id)
            _drafts().delete(cell, draft_id)
            held.gone = True
            _previews().drop(cell, draft_id)
    except DraftBusy as exc:
        return _refused(409, exc.message, exc.hint)
    flash(_filed_note(filed, bool(amends)))
    for warning in filed.warnings:
        flash(T("Cảnh báo: ", "Warning: ") + say(warning))
    return redirect(_paper_url(filed.doc.id), 303)


@bp.route("/draft/<cell>/<draft_id>/delete", methods=["POST"])
def delete(cell: str, draft_id: str) -> Any:
    _entry(cell)
    _well_formed(draft_id)
    try:
        with draft_lock(_root(), cell, draft_id) as held:
            found = _drafts().get(cell, draft_id)
            held.gone = True
            if found is None:
                return _gone(cell, draft_id)
            _drafts().delete(cell, draft_id)
            _previews().drop(cell, draft_id)
    except DraftBusy as exc:
        return _refused(409, exc.message, exc.hint)
    flash(T(f"Đã xóa bản nháp “{found.title or _label(found.kind)}”.",
            f"Deleted the draft “{found.title or _label(found.kind)}”."))
    target = url_for("browse.cell", cell_id=cell)
    return redirect(target, 303)


@bp.route("/doc/<doc_id>/amend", methods=["GET", "POST"])
def amend(doc_id: str) -> Any:
    """A draft amending the paper, prefilled from its filed input (one per paper: an
    amendment already being written is continued). A GET writes nothing: it continues
    the amendment being written, or asks to start one (the POST, with its CSRF token)."""
    doc = reader().get(doc_id)  # 404 outside the user's cells
    entry = reader().cell_of(doc)
    if entry is None or not reader().can_write(doc):
        abort(403)
    if doc.status == "withdrawn":
        return _refused(409, Msg("văn bản đã thu hồi thì không sửa được", "a withdrawn paper cannot be amended"))
    if reader().record(doc).get("imported"):  # the original as imported (docgen import)
        return _refused(409, Msg("giấy tờ cũ đã nhập là bản gốc, không sửa được; nếu thông tin đọc sai, "
                                 "thu hồi rồi nhập lại", "an imported old paper is its original and cannot "
                                 "be amended; if its details were read wrong, withdraw it and import it again"))
    for other in _drafts().of_cell(entry.id):
        if other.amends == doc.id:
            flash(T(f"Đang có bản nháp sửa văn bản này (lưu lúc {vn_local_time(other.saved_at)}): tiếp tục từ đó.",
                    f"An amendment of this paper is being written (saved {vn_local_time(other.saved_at)}): "
                    "carry on with it."))
            return redirect(url_for("papers.draft", cell=entry.id, draft_id=other.id), 303)
    if request.method == "GET":
        return render_template("papers/amend.html", doc=doc, entry=entry, label=_label(doc.meta.kind))
    data = read_mapping(reader().input_of(doc))
    kind = str(data.get("kind") or doc.meta.kind)
    if kind not in KINDS:
        abort(404)
    pairs = form_pairs(kind, data)
    draft = Draft(Drafts.new_id(), entry.id, kind, pairs, now_text(), current_user().login, amends=doc.id,
                  title=T("Sửa: ", "Amend: ") + (doc.meta.title or _label(kind))[:MAX_TITLE])
    _drafts().save(draft)
    return redirect(url_for("papers.draft", cell=entry.id, draft_id=draft.id), 303)
