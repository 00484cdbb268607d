"""The roster of a cell: its members with their status on a day, a member's details and
status history, adding and editing members, importing them from an Excel sheet or a CSV.

Only the roster library is called (docgen.authoring.roster_view, roster_edit,
roster_import): it checks every field, writes profile.yaml atomically under its lock and
refuses to overwrite a version the form was not built from (the sha256 of the file the
page was made from travels in a hidden field). The library does not log: after each
successful write this screen appends a line to the archive's audit log with the user's
login (``roster-add``, ``roster-edit``, ``roster-import``; not filing ops, verify ignores
them).

Who may: every reader of the cell views it (``reader().cell``: another cell's secretary
gets 404, as for a cell that does not exist); those who write the cell
(``require_writer``: its secretaries, the admin when assigned it) add, edit and import.

An import is two requests: the upload gives a preview (one row per row of the sheet, with
the action and a message for each bad row); the uploaded bytes wait in a private file under
``<archive>/.docgen/web/roster-imports/``, named by a random token and the sha256 of the
profile the preview was made from; the confirmation reads them again, previews again and
writes the good rows. A stored upload is removed after its confirmation, or after an hour.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import secrets
import time
from collections import defaultdict
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from docgen.archive import audit
from docgen.archive.fsutil import archive_lock
from docgen.authoring.roster_edit import (
    PERIOD_FIELDS,
    ProfileChangedError,
    RosterSnapshot,
    add_member,
    edit_member,
    member_history,
    read_roster,
)
from docgen.authoring.roster_import import (
    ADD,
    ERROR,
    MAX_IMPORT_BYTES,
    MAX_IMPORT_ROWS,
    UNCHANGED,
    UPDATE,
    ImportPreview,
    apply_import,
    preview_import,
    read_sheet,
)
from docgen.authoring.roster_view import RosterView, roster_view
from docgen.cells import CellEntry
from docgen.errors import DocgenError, InputError
from docgen.i18n import Msg
from docgen.model.labels import PROFILE_LABELS
from docgen.model.profile import Member, Period
from docgen.vn.dates import DateError, date_error_msg, parse_user_date, vn_date
from docgen.web.app import T, current_user, reader, require_writer, say
from docgen.web.receive import explain

bp = Blueprint("roster", __name__)

SINGLE_FIELDS = ("name", "admitted", "official", "official_decided", "left", "home_cell")
"""The one-value fields of the member form (``id`` too when adding)."""
DATE_FIELDS = ("admitted", "official", "official_decided", "left")
PERIOD_KINDS = tuple(PERIOD_FIELDS)  # exempt, temporary_out, temporary_in, suspended
EMPTY_PERIOD_ROWS = 1  # empty rows of each kind on the form (roster.js adds more)
MAX_FORM_ROWS = 200  # period rows read from one form, all kinds together
IMPORT_DIR = Path(".docgen") / "web" / "roster-imports"
IMPORT_TTL = 3600.0  # seconds a stored upload waits for its confirmation
MAX_FILENAME = 200

_PERIOD_KEY = re.compile(r"(exempt|temporary_out|temporary_in|suspended)-(\d{1,4})-(from|to|note|remove)")
_ISSUE_PATH = re.compile(r"(\w+)\[(\d+)\](?:\.(\w+))?")
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
_SHA = re.compile(r"[0-9a-f]{64}")

CONFLICT = Msg("Danh sách vừa được người khác sửa trong lúc bạn đang sửa, nên thay đổi của bạn chưa được lưu. "
               "Dưới đây là bản mới nhất: xem lại rồi làm lại thay đổi của bạn.",
               "Someone else changed the roster while you were editing it, so your change was not saved. "
               "Below is the latest version: check it, then make your change again.")
IMPORT_CONFLICT = Msg("Danh sách vừa được người khác sửa sau khi bạn xem trước, nên chưa nhập gì. "
                      "Dưới đây là bản xem trước mới theo danh sách hiện nay: xem lại rồi xác nhận.",
                      "Someone else changed the roster after your preview, so nothing was imported. "
                      "Below is a new preview against the roster as it is now: check it, then confirm.")
EXPIRED = Msg("Bản xem trước này đã hết hạn (quá một giờ) hoặc đã được nhập. Hãy chọn lại tệp.",
              "This preview has expired (after an hour) or was already imported. Choose the file again.")
ACTIONS = {ADD: Msg("thêm mới", "new"), UPDATE: Msg("cập nhật", "update"),
           UNCHANGED: Msg("không đổi", "unchanged"), ERROR: Msg("lỗi, không nhập", "error, skipped")}


def _today() -> dt.date:
    """Today (tests replace it)."""
    return dt.date.today()


# ------------------------------------------------------------------ the cell
def _cell(cell_id: str) -> CellEntry:
    """A cell the user reads (404 otherwise)."""
    return reader().cell(cell_id)


def _writable(cell_id: str) -> CellEntry:
    """A cell the user writes: 404 when it does not see it, 403 when it only reads it."""
    entry = _cell(cell_id)
    require_writer(entry.id)
    return entry


def _writes(entry: CellEntry) -> bool:
    return current_user().writes(entry.id)


def _audit(op: str, cell_id: str, **extra: Any) -> None:
    """One line of the archive's audit log for a roster change, with the user's login."""
    root: Path = g.settings.archive_root
    with archive_lock(root):
        audit.append(root, {"at": audit.utc_now(), "user": current_user().login, "op": op,
                            "cell": cell_id, **extra})


def _label(key: str) -> Msg:
    label = PROFILE_LABELS.get(f"members[].{key}")
    return label.name if label is not None else Msg(key, key)


def _help(key: str) -> str:
    label = PROFILE_LABELS.get(f"members[].{key}")
    if label is None:
        return ""
    parts = [say(label.note)] if label.note is not None else []
    if label.example and key in DATE_FIELDS and not (label.note and "ví dụ" in label.note.vi):
        parts.append(T("ví dụ", "e.g.") + " " + label.example)
    elif key == "id":
        parts.append(T("để trống: docgen tự đặt (m23…; t02… cho người chi bộ khác); không đổi được về sau",
                       "empty: docgen chooses (m23…; t02… for another cell's member); it cannot be changed later"))
    return "; ".join(parts)


def _problem_text(problem: DocgenError) -> str:
    text = say(problem.message)
    if problem.hint is not None:
        text += " — " + T("cách sửa", "how to fix") + ": " + say(problem.hint)
    return text


# ------------------------------------------------------------------ the form
@dataclass
class PeriodRow:
    """One period row of the form; ``index`` is its number in the form's field names."""

    index: int | str
    start: str = ""
    end: str = ""
    note: str = ""
    errors: dict[str, list[str]] = field(default_factory=dict)  # "from", "to", "note", "row"

    def blank(self) -> bool:
        return not (self.start.strip() or self.end.strip() or self.note.strip())


@dataclass
class MemberForm:
    """The values the member form shows (a member's, or what was posted) and its errors."""

    values: dict[str, str]
    periods: dict[str, list[PeriodRow]]
    errors: dict[str, list[str]] = field(default_factory=dict)  # a single field, or a period kind
    general: list[str] = field(default_factory=list)
    summary: str = ""
    allow_same_name: bool = False

    def fields(self) -> dict[str, object]:
        """What the roster library is given: every single field and every period list
        (so that a period left out is removed, and an emptied field is cleared)."""
        out: dict[str, object] = {k: v for k, v in self.values.items() if k in (*SINGLE_FIELDS, "id")}
        for kind in PERIOD_KINDS:
            out[kind] = [{"from": r.start, "to": r.end, "note": r.note} for r in self.periods[kind]]
        return out

    def kinds(self) -> list[dict[str, Any]]:
        """The period fieldsets: existing (or posted) rows, then empty ones."""
        out = []
        for kind in PERIOD_KINDS:
            rows = list(self.periods[kind])
            numbers = [r.index for r in rows if isinstance(r.index, int)]
            start = max(numbers, default=-1) + 1
            rows += [PeriodRow(start + i) for i in range(EMPTY_PERIOD_ROWS)]
            out.append({"kind": kind, "title": say(_label(kind)),
                        "note_label": say(_label(f"{kind}[].{PERIOD_FIELDS[kind]}")),
                        "rows": rows, "count": len(self.periods[kind]), "next": start + EMPTY_PERIOD_ROWS, "blank": PeriodRow("__i__"),
                        "errors": self.errors.get(kind, []),
                        "open": bool(self.periods[kind]) or bool(self.errors.get(kind))
                        or any(r.errors for r in self.periods[kind])})
        return out


def _date_text(day: dt.date | None) -> str:
    return vn_date(day) if day else ""


def form_of(member: Member | None) -> MemberForm:
    """The form of ``member`` (an empty one to add a member)."""
    if member is None:
        return MemberForm({k: "" for k in ("id", *SINGLE_FIELDS)}, {k: [] for k in PERIOD_KINDS})
    values = {"name": member.name, "home_cell": member.home_cell or ""}
    values |= {k: _date_text(getattr(member, k)) for k in DATE_FIELDS}
    periods: dict[str, list[PeriodRow]] = {}
    for kind in PERIOD_KINDS:
        found: tuple[Period, ...] = getattr(member, kind)
        periods[kind] = [PeriodRow(i, vn_date(p.start), _date_text(p.end), p.note) for i, p in enumerate(found)]
    return MemberForm(values, periods)


def posted_form(form: MultiDict[str, str], adding: bool) -> MemberForm:
    """The member form as posted: the rows ticked "remove" and the empty rows left out."""
    keys = ("id", *SINGLE_FIELDS) if adding else SINGLE_FIELDS
    values = {k: form.get(k, "") for k in keys}
    rows: dict[tuple[str, int], dict[str, str]] = {}
    for key in form:
        match = _PERIOD_KEY.fullmatch(key)
        if match is None:
            continue
        kind, index, part = match.group(1), int(match.group(2)), match.group(3)
        if (kind, index) not in rows and len(rows) >= MAX_FORM_ROWS:
            continue
        rows.setdefault((kind, index), {})[part] = form.get(key, "")
    periods: dict[str, list[PeriodRow]] = {k: [] for k in PERIOD_KINDS}
    for (kind, index), parts in sorted(rows.items(), key=lambda item: (item[0][0], item[0][1])):
        if parts.get("remove"):
            continue
        row = PeriodRow(index, parts.get("from", ""), parts.get("to", ""), parts.get("note", ""))
        if not row.blank():
            periods[kind].append(row)
    return MemberForm(values, periods, allow_same_name=bool(form.get("allow_same_name")))


def explain_fields(form: MemberForm, exc: InputError) -> None:
    """The library's problems under the fields they are about (the others above the form)."""
    problems: list[DocgenError] = list(exc.problems) or [exc]
    said: set[str] = set()
    shown: list[DocgenError] = []
    for problem in problems:  # one message a field: "unreadable" then "missing" says it twice
        if not problem.field or problem.field not in said:
            shown.append(problem)
            said.add(problem.field or "")
    if exc.problems and len(shown) == len(problems):
        form.summary = say(exc.message)
    elif exc.problems:
        count = len(shown)
        form.summary = T(f"thông tin đảng viên có {count} lỗi", f"the member's details have {count} problem(s)")
    by_field: dict[str, list[str]] = defaultdict(list)
    for problem in shown:
        text = _problem_text(problem)
        name = problem.field or ""
        match = _ISSUE_PATH.fullmatch(name)
        if name in form.values or name in PERIOD_KINDS:
            by_field[name].append(text)
        elif match is not None and match.group(1) in PERIOD_KINDS:
            kind, position, part = match.group(1), int(match.group(2)), match.group(3)
            rows = form.periods[kind]
            if position < len(rows):
                slot = part if part in ("from", "to") else ("note" if part else "row")
                rows[position].errors.setdefault(slot, []).append(text)
            else:
                by_field[kind].append(text)
        else:
            form.general.append(text)
    form.errors = dict(by_field)


def _hidden_sha(form: MultiDict[str, str]) -> str:
    sha = form.get("sha", "")
    return sha if _SHA.fullmatch(sha) else ""


# ------------------------------------------------------------------ the list
def _day_param() -> tuple[dt.date, str]:
    """The day of ?date= (today when absent) and the error of a bad one."""
    text = (request.args.get("date") or "").strip()
    if not text:
        return _today(), ""
    try:
        return parse_user_date(text), ""
    except DateError as exc:
        message, hint = date_error_msg(exc.text, exc.impossible)
        return _today(), T("Ngày", "Date") + f" “{text[:40]}”: {say(message)} — " + say(hint)


def _totals(view: RosterView) -> list[tuple[str, int]]:
    t = view.totals
    rows = [(T("Tổng số đảng viên", "Members"), t.total), (T("Chính thức", "Official"), t.official),
            (T("Dự bị", "Probationary"), t.probationary), (T("Miễn sinh hoạt", "Exempt"), t.exempt),
            (T("Sinh hoạt tạm thời nơi khác", "Temporarily in another cell"), t.temp_out),
            (T("Nơi khác sinh hoạt tạm thời tại chi bộ", "From other cells, attending here"), t.temp_in)]
    if t.suspended:
        rows.append((T("Đình chỉ sinh hoạt đảng", "Suspended"), t.suspended))
    rows.append((T("Phải có mặt khi họp", "Expected at a meeting"), t.expected))
    return rows


@bp.route("/cell/<cell_id>/roster")
def members(cell_id: str) -> Any:
    entry = _cell(cell_id)
    day, error = _day_param()
    snapshot = read_roster(entry.profile_path)
    view = roster_view(snapshot.profile, day)
    rows = [{"id": r.id, "name": r.name, "position": r.position, "status": r.status_text(g.lang),
             "detail": r.detail, "counted": r.counted,
             "url": url_for("roster.member", cell_id=entry.id, member_id=r.id)} for r in view.rows]
    page = render_template("roster/list.html", entry=entry, view=view, day=day, day_shown=vn_date(day),
                           rows=rows, totals=_totals(view), error=error, writes=_writes(entry))
    return page, 400 if error else 200


# ------------------------------------------------------------------ a member
def _member_page(entry: CellEntry, snapshot: RosterSnapshot, member: Member, form: MemberForm | None = None,
                 conflict: str = "", typed: list[tuple[str, str]] | None = None, status: int = 200,
                 sha: str | None = None) -> Any:
    """A member's page; ``sha``: the version the form stands for (the snapshot's unless the
    form is sent back with its errors: then the version it was first built from)."""
    profile = snapshot.profile
    today = _today()
    now = next((r for r in roster_view(profile, today).rows if r.id == member.id), None)
    details = [(say(_label(k)), _date_text(getattr(member, k))) for k in DATE_FIELDS if getattr(member, k)]
    if member.home_cell:
        details.append((say(_label("home_cell")), member.home_cell))
    writes = _writes(entry)
    page = render_template(
        "roster/member.html", entry=entry, member=member, position=profile.position_of(member.id),
        status=now.status_text(g.lang) if now else "", detail=now.detail if now else "",
        today=vn_date(today), details=details, history=member_history(member, g.lang),
        writes=writes, form=(form or form_of(member)) if writes else None,
        sha=snapshot.sha256 if sha is None else sha,
        labels=_labels(), conflict=conflict, typed=typed or [])
    return page, status


def _labels() -> dict[str, dict[str, str]]:
    """Each single field's label, help and example (placeholder) in the request's language."""
    out = {}
    for key in ("id", *SINGLE_FIELDS):
        label = PROFILE_LABELS.get(f"members[].{key}")
        example = label.example if label is not None and key in DATE_FIELDS and label.example else ""
        out[key] = {"label": say(_label(key)), "help": _help(key), "example": example}
    return out


def _member_of(snapshot: RosterSnapshot, member_id: str) -> Member:
    member = snapshot.profile.member(member_id)
    if member is None:
        abort(404)
    return member


def _typed(form: MemberForm) -> list[tuple[str, str]]:
    """What the user typed, shown beside the fresh page after a conflict (nothing is lost)."""
    out = [(say(_label(k)), v) for k, v in form.values.items() if v.strip()]
    for kind in PERIOD_KINDS:
        for row in form.periods[kind]:
            out.append((say(_label(kind)), " – ".join(x for x in (row.start, row.end) if x)
                        + (f" ({row.note})" if row.note else "")))
    return out


@bp.route("/cell/<cell_id>/roster/<member_id>", methods=["GET", "POST"])
def member(cell_id: str, member_id: str) -> Any:
    if request.method == "GET":
        entry = _cell(cell_id)
        snapshot = read_roster(entry.profile_path)
        return _member_page(entry, snapshot, _member_of(snapshot, member_id))
    entry = _writable(cell_id)
    before = read_roster(entry.profile_path)
    old = _member_of(before, member_id)
    form = posted_form(request.form, adding=False)
    try:
        saved = edit_member(entry.profile_path, member_id, form.fields(),
                            expected_sha256=_hidden_sha(request.form))
    except ProfileChangedError:
        fresh = read_roster(entry.profile_path)
        return _member_page(entry, fresh, _member_of(fresh, member_id), conflict=say(CONFLICT),
                            typed=_typed(form), status=409)
    except InputError as exc:
        explain_fields(form, exc)
        return _member_page(entry, before, old, form=form, status=400, sha=_hidden_sha(request.form))
    except DocgenError as exc:
        form.general.append(explain(exc, "profile.yaml"))
        return _member_page(entry, before, old, form=form, status=400, sha=_hidden_sha(request.form))
    if saved == old:
        flash(T("Không có gì thay đổi.", "Nothing changed."))
    else:
        _audit("roster-edit", entry.id, member=member_id)
        flash(T(f"Đã lưu đảng viên {member_id}: {saved.name}.", f"Member {member_id} saved: {saved.name}."))
    return redirect(url_for("roster.member", cell_id=entry.id, member_id=member_id))


# ------------------------------------------------------------------ adding
def _new_page(entry: CellEntry, form: MemberForm, status: int = 200, conflict: str = "") -> Any:
    page = render_template("roster/new.html", entry=entry, form=form, labels=_labels(), conflict=conflict)
    return page, status


@bp.route("/cell/<cell_id>/roster/new", methods=["GET", "POST"])
def new(cell_id: str) -> Any:
    entry = _writable(cell_id)
    if request.method == "GET":
        return _new_page(entry, form_of(None))
    form = posted_form(request.form, adding=True)
    try:
        new_id = add_member(entry.profile_path, form.fields(), allow_same_name=form.allow_same_name)
    except ProfileChangedError:
        return _new_page(entry, form, 409, conflict=say(CONFLICT))
    except InputError as exc:
        explain_fields(form, exc)
        return _new_page(entry, form, 400)
    except DocgenError as exc:
        form.general.append(explain(exc, "profile.yaml"))
        return _new_page(entry, form, 400)
    _audit("roster-add", entry.id, member=new_id)
    flash(T(f"Đã thêm đảng viên {new_id}: {form.values['name'].strip()}.",
            f"Member {new_id} added: {form.values['name'].strip()}."))
    return redirect(url_for("roster.member", cell_id=entry.id, member_id=new_id))


# ------------------------------------------------------------------ importing
@dataclass(frozen=True)
class Stored:
    """An upload waiting for its confirmation."""

    token: str
    sha: str
    filename: str
    data: bytes


def _imports_dir() -> Path:
    folder: Path = g.settings.archive_root / IMPORT_DIR
    folder.mkdir(parents=True, exist_ok=True)
    with suppress(OSError):
        os.chmod(folder, 0o700)
    return folder


def _sweep(folder: Path) -> None:
    """Remove the uploads older than IMPORT_TTL."""
    now = time.time()
    for path in folder.iterdir():
        with suppress(OSError):
            if now - path.stat().st_mtime > IMPORT_TTL:
                path.unlink()


def _paths(token: str, sha: str) -> tuple[Path, Path]:
    folder = _imports_dir()
    return folder / f"{token}.{sha}.sheet", folder / f"{token}.{sha}.json"


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)


def _store(entry: CellEntry, filename: str, data: bytes, sha: str, token: str | None = None) -> Stored:
    token = token or secrets.token_urlsafe(24)
    sheet, meta = _paths(token, sha)
    _write_private(sheet, data)
    _write_private(meta, json.dumps({"cell": entry.id, "user": current_user().login,
                                     "filename": filename}, ensure_ascii=False).encode("utf-8"))
    return Stored(token, sha, filename, data)


def _stored(entry: CellEntry, token: str, sha: str) -> Stored | None:
    """The upload ``token`` of this user and cell, previewed against profile ``sha``."""
    if not _TOKEN.fullmatch(token) or not _SHA.fullmatch(sha):
        return None
    sheet, meta = _paths(token, sha)
    try:
        if time.time() - sheet.stat().st_mtime > IMPORT_TTL:
            _forget(token, sha)
            return None
        info = json.loads(meta.read_text(encoding="utf-8"))
        data = sheet.read_bytes()
    except (OSError, ValueError):
        return None
    if not isinstance(info, dict) or info.get("cell") != entry.id or info.get("user") != current_user().login:
        return None
    return Stored(token, sha, str(info.get("filename") or ""), data)


def _forget(token: str, sha: str) -> None:
    for path in _paths(token, sha):
        with suppress(OSError):
            path.unlink()


def _preview_rows(entry: CellEntry, preview: ImportPreview) -> list[dict[str, Any]]:
    rows = []
    for row in preview.rows:
        if row.action == ERROR:
            lines = say(row.message()).split("\n")
        elif row.action == UPDATE:
            lines = [say(c) for c in row.changes]
        elif row.action == ADD:
            lines = [T(f"thêm mới, mã {row.member_id}", f"added as {row.member_id}")]
        else:
            lines = []
        known = row.action in (UPDATE, UNCHANGED) and row.member_id
        rows.append({"number": row.number, "action": row.action, "action_text": say(ACTIONS[row.action]),
                     "member_id": row.member_id or "", "name": row.name, "admitted": _date_text(row.admitted),
                     "official": _date_text(row.official), "note": row.note, "lines": lines,
                     "url": url_for("roster.member", cell_id=entry.id, member_id=row.member_id) if known else ""})
    return rows


def _import_page(entry: CellEntry, *, error: str = "", notice: str = "", stored: Stored | None = None,
                 preview: ImportPreview | None = None, status: int = 200) -> Any:
    page = render_template(
        "roster/import.html", entry=entry, error=error, notice=notice, stored=stored, preview=preview,
        rows=_preview_rows(entry, preview) if preview is not None else [],
        summary=say(preview.summary()) if preview is not None else "",
        columns=[title for _, title in preview.columns] if preview is not None else [],
        writable=(preview.count(ADD) + preview.count(UPDATE)) if preview is not None else 0,
        limit_mb=MAX_IMPORT_BYTES // (1024 * 1024), limit_rows=MAX_IMPORT_ROWS)
    return page, status


def _preview(entry: CellEntry, stored: Stored) -> tuple[ImportPreview, RosterSnapshot]:
    """The preview of ``stored`` against the profile as it is now (InputError: the sheet
    cannot be read, or has no header)."""
    rows = read_sheet(stored.data, stored.filename)
    snapshot = read_roster(entry.profile_path)
    return preview_import(snapshot.profile, rows, profile_sha256=snapshot.sha256), snapshot


def _shown_name(filename: str) -> str:
    name = Path(filename.replace("\\", "/")).name.strip()
    return name[:MAX_FILENAME] or "danh-sach.csv"


@bp.route("/cell/<cell_id>/roster/import", methods=["GET", "POST"])
def import_sheet(cell_id: str) -> Any:
    entry = _writable(cell_id)
    _sweep(_imports_dir())
    if request.method == "GET":
        return _import_page(entry)
    if request.form.get("confirm"):
        return _confirm(entry)
    upload = request.files.get("sheet")
    if upload is None or not upload.filename:
        return _import_page(entry, error=T("Chưa chọn tệp danh sách đảng viên (.xlsx hoặc .csv).",
                                           "No roster file (.xlsx or .csv) was chosen."), status=400)
    filename = _shown_name(upload.filename)
    data = upload.stream.read(MAX_IMPORT_BYTES + 1)
    upload.close()
    try:
        rows = read_sheet(data, filename)
        snapshot = read_roster(entry.profile_path)
        preview = preview_import(snapshot.profile, rows, profile_sha256=snapshot.sha256)
    except DocgenError as exc:
        return _import_page(entry, error=explain(exc, filename), status=400)
    if not preview.count(ADD) + preview.count(UPDATE):
        return _import_page(entry, stored=Stored("", snapshot.sha256, filename, b""), preview=preview)
    return _import_page(entry, stored=_store(entry, filename, data, snapshot.sha256), preview=preview)


def _restart(entry: CellEntry, stored: Stored) -> Any:
    """The profile changed since the preview: a new preview of the same upload against it."""
    try:
        preview, snapshot = _preview(entry, stored)
    except DocgenError as exc:
        _forget(stored.token, stored.sha)
        return _import_page(entry, error=explain(exc, stored.filename), status=409)
    _forget(stored.token, stored.sha)
    fresh = _store(entry, stored.filename, stored.data, snapshot.sha256, token=stored.token)
    return _import_page(entry, notice=say(IMPORT_CONFLICT), stored=fresh, preview=preview, status=409)


def _confirm(entry: CellEntry) -> Any:
    token, sha = request.form.get("upload", ""), request.form.get("sha", "")
    stored = _stored(entry, token, sha)
    if stored is None:
        return _import_page(entry, error=say(EXPIRED), status=410)
    try:
        preview, snapshot = _preview(entry, stored)
    except DocgenError as exc:
        _forget(token, sha)
        return _import_page(entry, error=explain(exc, stored.filename), status=400)
    if snapshot.sha256 != stored.sha:
        return _restart(entry, stored)
    try:
        summary = apply_import(entry.profile_path, preview)
    except ProfileChangedError:
        return _restart(entry, stored)
    except DocgenError as exc:
        return _import_page(entry, error=explain(exc, stored.filename), stored=stored, preview=preview,
                            status=400)
    _forget(token, sha)
    if summary.added or summary.updated:
        _audit("roster-import", entry.id, added=len(summary.added), updated=len(summary.updated),
               unchanged=summary.unchanged, skipped=len(summary.skipped_rows), file=stored.filename)
    flash(say(summary.message()) + ".")
    return redirect(url_for("roster.members", cell_id=entry.id))

