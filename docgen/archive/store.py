"""The archive: files, numbers, amends, finalises and withdraws documents.

Every operation adds one complete version folder (written in ``<root>/.tmp``, fsynced,
renamed into place) and never changes an existing one. See docs/archive.md.
"""

from __future__ import annotations

import builtins
import contextlib
import dataclasses
import datetime as dt
import re
import shutil
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docgen.archive import audit, numbering
from docgen.archive.catalog import Catalog
from docgen.archive.filters import DocFilter, cell_key, cell_matches, cell_names
from docgen.archive.fsutil import (
    TMP_DIR,
    archive_lock,
    fsync_together,
    publish_folder,
    sha256_bytes,
    temp_path,
    write_files_synced,
)
from docgen.archive.ids import (
    check_id,
    folder_name,
    new_id,
    parse_folder,
    relpath_for,
    series_key,
)
from docgen.archive.records import (
    INPUT_FILE,
    META_FILE,
    TEXT_FILE,
    archived,
    build_record,
    input_yaml,
    meta_json,
    meta_of,
)
from docgen.errors import ArchiveError
from docgen.i18n import Msg
from docgen.model.meta import ArchivedDoc, DocMeta, Fileable, RenderedDocument
from docgen.vn import fold
from docgen.vn.dates import vn_date

if TYPE_CHECKING:
    from docgen.archive.batch import Batch
    from docgen.archive.bundle import ImportReport, Limits
    from docgen.archive.verify import Problem, VerifyReport

Render = Callable[[Fileable], RenderedDocument]
Reload = Callable[[dict[str, Any]], Fileable]
Record = dict[str, Any]

_LIST_HINT = Msg("xem các mã văn bản bằng `docgen list --all`",
                 "see the document ids with `docgen list --all`")

MIN_PREFIX = 4
"""The shortest id prefix ``Archive.resolve`` accepts (shorter all-digit text is a number)."""
# A number as written on paper: "05-NQ/CB", "5-nq/cb", "Số 05-NQ/CB", "05-NQ"; or bare "5".
_PAPER_NUMBER = re.compile(r"^(?:s[oố]\s*:?\s*)?(\d{1,4})\s*-\s*([^\W\d_]+)"
                           r"(?:\s*/\s*([^\W\d_][\w-]*))?$", re.IGNORECASE)
_BARE_NUMBER = re.compile(r"^\d{1,3}$")
_ID_PREFIX = re.compile(r"^[a-z0-9]{1,32}$")
MAX_CANDIDATES = 20


class Archive:
    """A dated, immutable archive rooted at ``root`` (created on the first write)."""

    def __init__(self, root: Path, per_year: bool = False, lock_timeout: float = 120.0) -> None:
        self.root = Path(root)
        self.per_year = per_year
        self.lock_timeout = lock_timeout
        self._cat: Catalog | None = None

    # ----------------------------------------------------------------- catalog
    def _catalog(self) -> Catalog | None:
        """The synced catalog, or None when the archive does not exist yet."""
        if self._cat is None:
            if not self.root.is_dir():
                return None
            self._cat = Catalog(self.root)
        self._cat.sync()
        return self._cat

    def close(self) -> None:
        if self._cat is not None:
            self._cat.close()
            self._cat = None

    @contextmanager
    def _write_lock(self) -> Iterator[None]:
        """The archive lock, taken for a write: an interrupted earlier write is finished
        first (its audit line, see ``audit.recover_pending``). Every writer comes here."""
        with archive_lock(self.root, self.lock_timeout):
            audit.recover_pending(self.root)
            yield

    @contextmanager
    def _locked(self) -> Iterator[Catalog]:
        with self._write_lock():
            cat = self._catalog()
            assert cat is not None  # the lock created the root
            yield cat

    # ------------------------------------------------------------------- reads
    def get(self, doc_id: str) -> ArchivedDoc:
        relpath, record = self._current(doc_id)
        return archived(self.root, relpath, record)

    def _current(self, doc_id: str, cat: Catalog | None = None) -> tuple[str, Record]:
        check_id(doc_id)
        cat = cat or self._catalog()
        found = cat.current_of(doc_id) if cat is not None else None
        if found is None:
            raise ArchiveError(
                Msg(f"không có văn bản mã {doc_id} trong kho {self.root}",
                    f"no document with id {doc_id} in the archive {self.root}"),
                field="id", hint=_LIST_HINT)
        return found

    def record(self, doc_id: str) -> Record:
        """The current version's meta.json as a dict."""
        return self._current(doc_id)[1]

    def history(self, doc_id: str) -> list[ArchivedDoc]:
        """Every version of a document, oldest first."""
        self._current(doc_id)
        cat = self._catalog()
        assert cat is not None
        return [archived(self.root, rel, rec) for rel, rec in cat.history(doc_id)]

    def resolve(self, ref: str, cell: str | None = None) -> str:
        """The id of the one document ``ref`` names, withdrawn ones included.

        ``ref`` is a document id; a unique prefix of one (at least ``MIN_PREFIX``
        characters, case ignored); or the number as written on paper: "05-NQ/CB",
        "5-nq/cb", "05-NQ" (any issuer symbol), or 1–3 digits alone (any kind). ``cell``
        (part of the cell's name, accents optional, as ``list --cell``) keeps only that
        cell's documents, for a number that several cells (or terms) share.
        ArchiveError (exit 6) when ``ref`` is malformed, when nothing matches, and when
        several documents do (they are listed, with what tells them apart).
        """
        text = " ".join(unicodedata.normalize("NFC", ref).split())
        paper = _PAPER_NUMBER.match(text)
        if paper is not None or _BARE_NUMBER.match(text):
            return self._resolve_number(text, paper, cell)
        prefix = text.lower()
        if not _ID_PREFIX.match(prefix):
            check_id(ref)  # the malformed-id error, with its hint
        if len(prefix) < MIN_PREFIX:
            raise ArchiveError(
                Msg(f"mã rút gọn {ref!r} quá ngắn (cần ít nhất {MIN_PREFIX} ký tự)",
                    f"the id prefix {ref!r} is too short (at least {MIN_PREFIX} characters)"),
                field="id", hint=_LIST_HINT)
        cat = self._catalog()
        rows = cat.records("substr(v.id, 1, ?) = ?", (len(prefix), prefix)) if cat else []
        exact = [row for row in rows if row[1]["id"] == prefix]
        rows = _in_cell(exact or rows, cell)
        if len(rows) == 1:
            return str(rows[0][1]["id"])
        where = f" (chi bộ: {cell})" if cell else ""
        where_en = f" (cell: {cell})" if cell else ""
        if not rows:
            raise ArchiveError(
                Msg(f"không có văn bản mã {prefix}{where} trong kho {self.root}",
                    f"no document with id {prefix}{where_en} in the archive {self.root}"),
                field="id", hint=_LIST_HINT)
        raise _ambiguous(Msg(f"mã rút gọn {prefix}", f"the id prefix {prefix}"), rows,
                         Msg("ghi thêm vài ký tự của mã (hoặc đủ mã) của văn bản cần dùng",
                             "type more characters of the id (or all of it)"))

    def _resolve_number(self, text: str, paper: re.Match[str] | None,
                        cell: str | None) -> str:
        number = int(paper.group(1) if paper is not None else text)
        type_symbol = fold(paper.group(2)).upper() if paper is not None else None
        issuer = fold(paper.group(3)).upper() if paper is not None and paper.group(3) else None
        cat = self._catalog()
        rows = cat.records("v.number = ?", (number,)) if cat is not None else []
        rows = [row for row in rows if _number_matches(row[1], type_symbol, issuer)]
        rows = _in_cell(rows, cell)
        if len(rows) == 1:
            return str(rows[0][1]["id"])
        shown = (f"{number:02d}-{type_symbol}" + (f"/{issuer}" if issuer else "")
                 if type_symbol else str(number))
        if not rows:
            where = f" của chi bộ {cell}" if cell else ""
            where_en = f" of the cell {cell}" if cell else ""
            raise ArchiveError(
                Msg(f"không có văn bản số {shown}{where} trong kho {self.root}",
                    f"no document numbered {shown}{where_en} in the archive {self.root}"),
                field="id",
                hint=Msg("xem số và mã văn bản bằng `docgen list --all`; ghi số như trên "
                         "giấy, ví dụ 05-NQ/CB, hoặc ghi mã văn bản",
                         "see the numbers and ids with `docgen list --all`; type the number "
                         "as on paper, e.g. 05-NQ/CB, or the document's id"))
        raise _ambiguous(Msg(f"số {shown}", f"the number {shown}"), rows,
                         _number_hint(rows))

    def list(
        self, kind: str | None = None, cell: str | None = None, topic: str | None = None,
        date_from: dt.date | None = None, date_to: dt.date | None = None,
        number: int | str | None = None, include_withdrawn: bool = False,
    ) -> list[ArchivedDoc]:
        """Current versions matching every given filter, newest first."""
        return [archived(self.root, rel, rec) for rel, rec in self.select(
            kind, cell, topic, date_from, date_to, number, include_withdrawn)]

    def select(
        self, kind: str | None = None, cell: str | None = None, topic: str | None = None,
        date_from: dt.date | None = None, date_to: dt.date | None = None,
        number: int | str | None = None, include_withdrawn: bool = False,
    ) -> builtins.list[tuple[str, Record]]:
        """(relpath, meta.json dict) of the current versions ``list`` would return."""
        return self.matching(DocFilter(kind=kind, cell=cell, topic=topic, date_from=date_from,
                                       date_to=date_to, number=number,
                                       include_withdrawn=include_withdrawn))

    def matching(self, filt: DocFilter, limit: int | None = None) -> builtins.list[tuple[str, Record]]:
        """(relpath, meta.json dict) of the current versions ``filt`` designates (its
        query aside), newest first (the first ``limit``): the one rule of list, search,
        print and export (docgen.archive.filters)."""
        cat = self._catalog()
        return [] if cat is None else cat.select(filt, limit)

    def count(self, filt: DocFilter) -> int:
        """How many current versions ``filt`` designates (its query aside)."""
        cat = self._catalog()
        return 0 if cat is None else cat.count(filt)

    def iter_current(self, with_text: bool = False) -> Iterator[ArchivedDoc]:
        """Every document's current version (withdrawn ones too: check ``status``)."""
        for relpath, record in self.select(include_withdrawn=True):
            text = _text_of(self.root / relpath) if with_text else ""
            yield archived(self.root, relpath, record, text)

    def with_text(self, doc: ArchivedDoc) -> ArchivedDoc:
        """``doc`` with its text, read as ``iter_current(with_text=True)`` reads it."""
        return dataclasses.replace(doc, text=_text_of(doc.folder))

    # change sequence (docgen.archive.catalog; the search index follows it) -----------
    def change_mark(self) -> tuple[str, int]:
        """(catalog instance, last change number): what a derived index has caught up to."""
        cat = self._catalog()
        return ("", 0) if cat is None else (cat.instance(), cat.last_change())

    def changed_count(self, seq: int) -> int:
        """How many documents changed after change ``seq`` (nothing else is read)."""
        cat = self._catalog()
        return 0 if cat is None else len(cat.changed_ids(seq))

    def changes_after(self, seq: int) -> builtins.list[tuple[str, ArchivedDoc | None]]:
        """(id, current version with its text, or None when gone) of every document
        changed after change ``seq``, oldest change first."""
        cat = self._catalog()
        if cat is None:
            return []
        out: builtins.list[tuple[str, ArchivedDoc | None]] = []
        for doc_id in cat.changed_ids(seq):
            found = cat.current_of(doc_id)
            out.append((doc_id, None if found is None else
                        archived(self.root, found[0], found[1], _text_of(self.root / found[0]))))
        return out

    # ------------------------------------------------------------------ writes
    def file(self, doc: Fileable, render: Render, user: str) -> ArchivedDoc:
        """Number (when needed), render and file a new document."""
        with self._locked() as cat:
            doc = self._numbered(cat, doc, own_id=None, keep=None)
            rendered = render(doc)
            self._check_number_free(cat, rendered.meta, own_id=None)
            doc_id = self._fresh_id(cat)
            return self._commit_rendered(cat, doc_id, 1, rendered, user, "new", [])

    def amend(self, doc_id: str, doc: Fileable, render: Render, user: str) -> ArchivedDoc:
        """File a corrected version of the same document: its kind, cell and number stay
        (an input without a number gets the filed one; one of another kind, cell or
        number is refused: ArchiveError, nothing written) and so does its numbering
        series; the registry is never advanced (a draft is numbered by ``finalize``)."""
        with self._locked() as cat:
            _, prev = self._writable(cat, doc_id)
            refuse_imported(prev, "amend")
            check_amendment(prev, doc.meta)
            series: str | None = None
            if _issued(prev):
                if doc.meta.number is None:
                    doc = doc.with_number(int(prev["number"]))
                series = str(prev["series"])
            rendered = render(doc)
            check_amendment(prev, rendered.meta, final=True)
            if series is not None:
                self._check_number_free(cat, rendered.meta, own_id=doc_id, series=series)
            return self._commit_rendered(cat, doc_id, prev["version"] + 1, rendered, user,
                                         "amend", prev["versions"], series=series)

    def finalize(self, doc_id: str, render: Render, user: str, reload: Reload) -> ArchivedDoc:
        """Turn a draft into a numbered document (``reload`` builds it from its input)."""
        with self._locked() as cat:
            relpath, prev = self._writable(cat, doc_id)
            refuse_imported(prev, "finalize")
            if not _is_draft(prev):
                vi, en = ((f"số {prev['number_text']}", f"number {prev['number_text']}")
                          if prev.get("number_text") else ("không đánh số", "not numbered"))
                raise ArchiveError(
                    Msg(f"văn bản {doc_id} không phải dự thảo ({vi})",
                        f"document {doc_id} is not a draft ({en})"),
                    field="id", hint=Msg("chỉ dự thảo mới cần `docgen finalize`",
                                         "only drafts need `docgen finalize`"))
            import yaml  # only finalize reads input.yaml back; a search never needs YAML

            data = yaml.safe_load((self.root / relpath / INPUT_FILE).read_text("utf-8")) or {}
            data.update({"draft": False, "number": None})
            doc = self._numbered(cat, reload(data), own_id=doc_id, keep=None)
            rendered = render(doc)
            self._check_number_free(cat, rendered.meta, own_id=doc_id)
            return self._commit_rendered(cat, doc_id, prev["version"] + 1, rendered, user,
                                         "finalize", prev["versions"])

    def withdraw(self, doc_id: str, reason: str, user: str) -> ArchivedDoc:
        """Mark a document withdrawn: a new version with the same files, hidden by default."""
        if not reason.strip():
            raise ArchiveError(Msg("cần nêu lý do thu hồi", "a reason for withdrawal is needed"),
                               field="reason", hint=Msg("thêm --reason \"...\"",
                                                        "add --reason \"...\""))
        with self._locked() as cat:
            relpath, prev = self._writable(cat, doc_id)
            folder = self.root / relpath
            meta = meta_of(prev)
            docx_name = folder_name(meta, doc_id, prev["version"] + 1) + ".docx"
            # every file of the version, the .docx renamed for the new version (an
            # imported paper's original and print copy keep their names)
            payload = {docx_name if name == prev["docx"] else name: (folder / name).read_bytes()
                       for name in prev["files"]}
            kept = {key: prev[key] for key in CARRIED if key in prev}
            return self._commit(cat, doc_id, prev["version"] + 1, meta, docx_name, payload,
                                user, "withdraw", prev["versions"], prev["template_sha256"],
                                status="withdrawn", reason=reason.strip(),
                                series=str(prev["series"]), extra=kept)

    @contextmanager
    def importing(self) -> Iterator[PaperFiler]:
        """Hold the lock while old papers are checked and filed (docgen.importing):
        duplicates and number conflicts are looked up under the same lock as the write."""
        with self._locked() as cat:
            yield PaperFiler(self, cat)

    def lookup(self) -> PaperFiler | None:
        """The duplicate and number lookups of ``importing`` without the lock, for a dry
        run (None when the archive does not exist yet: nothing to compare with). Its
        ``file`` must not be used."""
        cat = self._catalog()
        return None if cat is None else PaperFiler(self, cat)

    def import_series(self, meta: DocMeta) -> str:
        """The numbering series of an imported paper: the filed papers' own
        (``series``) when its date falls in the profile's term (``meta.term_start`` set) or
        the archive numbers per year; for a paper older than the known term, its
        calendar year (docgen does not know the dates of earlier terms)."""
        if self.per_year or meta.term_start is not None:
            return self.series(meta)
        return series_key(meta, per_year=True)

    @contextmanager
    def batch(self) -> Iterator[Batch]:
        """Hold the lock for many filings; each version is written by a background
        thread, in order, while the next document renders (see docgen.archive.batch)."""
        from docgen.archive.batch import Batch

        with self._locked() as cat:
            batch = Batch(self, cat)
            try:
                yield batch
            finally:
                batch.drain()

    # ------------------------------------------------------------ maintenance
    def verify(self, extra_checks: Sequence[Callable[[Archive], builtins.list[Problem]]] = (),
               wrap: Callable[[builtins.list[Path]], Any] | None = None) -> VerifyReport:
        """Check every document (see docgen.archive.verify); never stops at the first."""
        from docgen.archive.verify import verify_archive

        report = verify_archive(self.root, wrap)
        for check in extra_checks:
            report.problems.extend(check(self))
        return report

    def gc(self, user: str = "") -> builtins.list[Path]:
        """Remove stray temporary files and folders left by interrupted writes (not a
        conversion work folder in use), and the converter leftovers in version folders'
        ``cache/`` (docgen.archive.leftovers)."""
        from docgen.archive.leftovers import in_use, remove_leftovers

        if not self.root.is_dir():
            return []
        tmp = self.root / TMP_DIR
        removed = []
        with self._write_lock():
            for entry in sorted(tmp.iterdir()) if tmp.is_dir() else []:
                if entry.is_dir() and in_use(entry):
                    continue  # a conversion in progress (docgen pdf/print), not a leftover
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry)
                else:
                    entry.unlink()
                removed.append(entry)
            removed += remove_leftovers(self.root)
            if removed:
                names = [p.name if p.parent == tmp else p.relative_to(self.root).as_posix()
                         for p in removed]
                audit.append(self.root, {"at": audit.utc_now(), "user": user, "op": "gc",
                                         "removed": names})
        return removed

    def export(self, out: Path, kind: str | None = None, cell: str | None = None,
               topic: str | None = None, date_from: dt.date | None = None,
               date_to: dt.date | None = None, include_withdrawn: bool = True) -> Path:
        """Write a bundle of the matching documents (every version) to ``out``."""
        from docgen.archive.bundle import export_bundle

        return export_bundle(self, Path(out), DocFilter(
            kind=kind, cell=cell, topic=topic, date_from=date_from, date_to=date_to,
            include_withdrawn=include_withdrawn))

    def import_bundle(self, path: Path, user: str = "", limits: Limits | None = None) -> ImportReport:
        """Merge a bundle: idempotent, checksum-verified, conflicts reported not written."""
        from docgen.archive.bundle import merge_bundle, read_bundle

        bundle = read_bundle(Path(path), limits)
        with self._locked() as cat:
            return merge_bundle(self, cat, bundle, user)

    # ---------------------------------------------------------------- helpers
    def _writable(self, cat: Catalog, doc_id: str) -> tuple[str, Record]:
        relpath, record = self._current(doc_id, cat)
        if record.get("status") == "withdrawn":
            raise ArchiveError(
                Msg(f"văn bản {doc_id} đã bị thu hồi, không thể thay đổi",
                    f"document {doc_id} was withdrawn and cannot be changed"),
                field="id", hint=Msg("lập văn bản mới bằng `docgen new`",
                                     "file a new document with `docgen new`"))
        return relpath, record

    def series(self, meta: DocMeta) -> str:
        return series_key(meta, self.per_year)

    def _numbered(self, cat: Catalog, doc: Fileable, own_id: str | None,
                  keep: int | None) -> Fileable:
        meta = doc.meta
        if meta.draft or not meta.numbered:
            return doc
        if meta.number is None:
            number = keep or self._next_number(cat, self.series(meta))
            return doc.with_number(number)
        self._check_number_free(cat, meta, own_id)
        return doc

    def _next_number(self, cat: Catalog, series: str, after: int = 0) -> int:
        """One more than the highest of: the numbers filed in ``series`` (every version),
        the registry, ``after`` (numbers taken earlier in a batch); then past any number
        a damaged version folder of the same type symbol and period carries (its
        meta.json is unreadable, so its series is unknown): never a number in use."""
        number = max(cat.max_number(series), numbering.load(self.root).get(series, 0),
                     after) + 1
        held = self._damaged(cat, series)
        while number in held:
            number += 1
        return number

    def _damaged(self, cat: Catalog, series: str) -> dict[int, builtins.list[str]]:
        """number → relpaths of damaged folders that may hold that number in ``series``."""
        period = numbering.series_period(series)
        return cat.damaged_numbers(*period) if period is not None else {}

    def _check_number_free(self, cat: Catalog, meta: DocMeta, own_id: str | None,
                           series: str | None = None) -> None:
        """ArchiveError when another document holds (or held, in any version) ``meta``'s
        number in ``series`` (default: ``meta``'s own), or a damaged folder may hold it."""
        if meta.number is None or meta.draft or not meta.numbered:
            return
        series = series or self.series(meta)
        for relpath, holder in cat.holders_of(series, meta.number):
            if holder["id"] != own_id:
                raise number_taken(meta, relpath, holder)
        for relpath in self._damaged(cat, series).get(meta.number, []):
            parsed = parse_folder(relpath.rsplit("/", 1)[-1])
            if parsed is None or parsed.id != own_id:
                raise number_held_by_damaged(meta, relpath)

    def _fresh_id(self, cat: Catalog) -> str:
        while True:
            doc_id = new_id()
            if not cat.has_id(doc_id):
                return doc_id

    def _commit_rendered(self, cat: Catalog, doc_id: str, version: int,
                         rendered: RenderedDocument, user: str, event: str,
                         history: builtins.list[Record], series: str | None = None
                         ) -> ArchivedDoc:
        docx_name, payload = rendered_payload(rendered, doc_id, version)
        return self._commit(cat, doc_id, version, rendered.meta, docx_name, payload, user,
                            event, history, rendered.template_sha256, series=series)

    def _commit(self, cat: Catalog, doc_id: str, version: int, meta: DocMeta, docx_name: str,
                payload: dict[str, bytes], user: str, event: str, history: builtins.list[Record],
                template_sha256: str, status: str = "current",
                reason: str | None = None, series: str | None = None,
                extra: Record | None = None) -> ArchivedDoc:
        relpath, record = self.prepare(doc_id, version, meta, docx_name, payload, user, event,
                                       history, template_sha256, status, reason, series)
        record.update(extra or {})
        self.publish(relpath, payload, record, audit_entry(record, relpath, event))
        cat.add(relpath, record)
        return archived(self.root, relpath, record, payload[TEXT_FILE].decode("utf-8"))

    def prepare(self, doc_id: str, version: int, meta: DocMeta, docx_name: str,
                payload: dict[str, bytes], user: str, event: str,
                history: builtins.list[Record], template_sha256: str,
                status: str = "current", reason: str | None = None,
                series: str | None = None) -> tuple[str, Record]:
        """The relpath and meta.json record of a version about to be written; ``series``
        (default: ``meta``'s) is an earlier version's, which a later one keeps."""
        relpath = relpath_for(meta, doc_id, version)
        files = {name: sha256_bytes(data) for name, data in payload.items()}
        record = build_record(
            doc_id=doc_id, version=version, meta=meta, series=series or self.series(meta),
            docx_name=docx_name, files=files, template_sha256=template_sha256,
            created_at=audit.utc_now(), created_by=user, event=event, status=status,
            reason=reason, history=history, relpath=relpath)
        return relpath, record

    def publish(self, relpath: str, payload: dict[str, bytes], record: Record,
                entry: Record) -> None:
        """Write a version folder in .tmp, fsync, rename into place, then the registry."""
        self.publish_files(relpath, {**payload, META_FILE: meta_json(record)}, record, entry)

    def publish_files(self, relpath: str, files: dict[str, bytes], record: Record,
                      entry: Record) -> None:
        """Like ``publish`` with meta.json given as bytes among ``files``.

        Order (docs/archive.md, "Audit log"): the files written in ``.tmp/<uuid>/`` and
        the intent marker in a temp file, all fsynced together (one journal commit); the
        marker renamed to ``audit.pending``; the folder renamed into place; the audit
        entry appended; the month folder, the audit log and the root fsynced together
        (a second commit); the registry raised (temp file + rename, not fsynced); the
        marker removed. A crash at any point leaves the version complete or absent, and
        a version in place without its audit line (or registry raise) still has its
        marker, which the next write (``_write_lock``) completes.
        """
        root = self.root
        target = root / relpath
        series, number = _registry_number(record)
        tmp = temp_path(root)
        tmp.mkdir()
        marker: Path | None = None
        try:
            marker = audit.stage_pending(root, relpath, entry, series, number)
            write_files_synced(tmp, files, also=[marker])  # one journal commit for both
        except BaseException:  # a full disk, say: leave no half-written temp entries
            shutil.rmtree(tmp, ignore_errors=True)
            if marker is not None:
                marker.unlink(missing_ok=True)
            raise
        audit.set_pending(root, marker)
        try:
            publish_folder(tmp, target)
        except BaseException:
            if tmp.exists():  # not renamed: no folder to audit
                audit.clear_pending(root)
            raise
        audit.append(root, entry, sync=False)
        fsync_together([target.parent, root / audit.AUDIT_FILE, root])
        if series is not None and number is not None:
            with contextlib.suppress(OSError):  # a summary; verify reports it when off
                numbering.record(root, series, number)
        audit.clear_pending(root)


def rendered_payload(rendered: RenderedDocument, doc_id: str, version: int
                     ) -> tuple[str, dict[str, bytes]]:
    """The .docx name and the files of a rendered version (meta.json not included)."""
    docx_name = folder_name(rendered.meta, doc_id, version) + ".docx"
    return docx_name, {docx_name: rendered.docx, INPUT_FILE: input_yaml(rendered.input_data),
                       TEXT_FILE: rendered.text.encode("utf-8")}


CARRIED = ("imported", "print")
"""meta.json keys of an imported paper that its later versions (withdraw) keep."""
IMPORT_EVENT = "import-paper"
"""The event (and audit op) of a paper brought in by ``docgen import`` (docgen.importing);
``import`` is a version merged from a bundle."""


@dataclasses.dataclass(frozen=True)
class OldPaper:
    """An old paper ready to be filed as it is (docgen.importing builds it): never
    rendered, never renumbered."""

    meta: DocMeta
    docx: bytes  # the reading copy: the recovered text as a Unicode .docx
    original_name: str  # the original's name in the version folder ("original.doc")
    original: bytes  # byte for byte
    text: str  # the recovered plain text (content.txt)
    input_data: dict[str, Any]  # what input.yaml holds: the metadata as imported
    imported: dict[str, Any]  # provenance and detection (meta.json "imported")
    print_name: str | None = None  # the file printed instead of converting the .docx
    extra: dict[str, bytes] = dataclasses.field(default_factory=dict)  # "print.pdf"


class PaperFiler:
    """Files old papers while the archive lock is held (``Archive.importing``)."""

    def __init__(self, archive: Archive, cat: Catalog) -> None:
        self.archive = archive
        self.cat = cat
        self._originals: dict[str, str] | None = None

    def originals(self) -> dict[str, str]:
        """sha256 → id of every current imported paper's original."""
        if self._originals is None:
            self._originals = self.cat.imported_originals()
        return self._originals

    def original_of(self, sha256: str) -> str | None:
        """The id of the current imported paper whose original has these bytes."""
        return self.originals().get(sha256)

    def same_paper(self, meta: DocMeta) -> Record | None:
        """A current document of the same cell, number and date (a numbered paper)."""
        if meta.number is None or not meta.numbered:
            return None
        rows = self.cat.same_paper(meta.cell, meta.number, meta.type_symbol,
                                   meta.date.isoformat())
        return rows[0][1] if rows else None

    def number_holder(self, meta: DocMeta) -> Record | None:
        """Another document holding the paper's number in its numbering series."""
        if meta.number is None or not meta.numbered:
            return None
        holders = [record for _, record in
                   self.cat.holders_of(self.archive.import_series(meta), meta.number)
                   if not released(record)]
        return holders[0] if holders else None

    def file(self, paper: OldPaper, user: str) -> ArchivedDoc:
        """Write the paper's version folder (version 1) and raise the registry."""
        meta = paper.meta
        doc_id = self.archive._fresh_id(self.cat)
        docx_name = folder_name(meta, doc_id, 1) + ".docx"
        text = paper.text.encode("utf-8")
        payload = {docx_name: paper.docx, paper.original_name: paper.original,
                   TEXT_FILE: text, INPUT_FILE: input_yaml(paper.input_data), **paper.extra}
        imported = {**paper.imported, "text_sha256": sha256_bytes(text)}
        extra: Record = {"imported": imported}
        if paper.print_name is not None:
            extra["print"] = paper.print_name
        doc = self.archive._commit(self.cat, doc_id, 1, meta, docx_name, payload, user,
                                   IMPORT_EVENT, [], "", series=self.archive.import_series(meta),
                                   extra=extra)
        if self._originals is not None:
            self._originals[str(paper.imported["original"]["sha256"])] = doc_id
        return doc


def released(record: Record) -> bool:
    """A withdrawn imported paper gives its number back: docgen never issued it, and the
    same paper imported again (its details corrected) must be able to carry it."""
    return record.get("status") == "withdrawn" and bool(record.get("imported"))


def refuse_imported(prev: Record, op: str) -> None:
    """``amend`` and ``finalize`` work on docgen's own inputs; an imported paper is the
    scan or file it came from."""
    if not prev.get("imported"):
        return
    doc_id = prev["id"]
    vi_op, en_op = {"amend": ("sửa", "amended"), "finalize": ("hoàn thiện", "finalised")}.get(op, (op, op))
    raise ArchiveError(
        Msg(f"văn bản {doc_id} được nhập từ giấy tờ cũ: không {vi_op} được (nó là bản gốc đã nhập, "
            "không phải văn bản docgen soạn)",
            f"document {doc_id} was imported from an old paper: it cannot be {en_op} (it is "
            "the original as imported, not a document docgen wrote)"),
        field="id",
        hint=Msg(f"nếu thông tin nhận ra bị sai: `docgen withdraw {doc_id} --reason \"...\"`, "
                 "rồi nhập lại tệp gốc với `docgen import TỆP --metadata SỬA.csv`",
                 f"if the detected details are wrong: `docgen withdraw {doc_id} --reason "
                 "\"...\"`, then import the original again with `docgen import FILE "
                 "--metadata FIXES.csv`"))


def audit_entry(record: Record, relpath: str, op: str) -> Record:
    return {"at": record["created_at"], "user": record["created_by"], "op": op,
            "id": record["id"], "version": record["version"], "folder": relpath,
            "number": record.get("number_text") or None, "files": record["files"]}


def _registry_number(record: Record) -> tuple[str | None, int | None]:
    """(series, number) the registry must hold after this version, or (None, None)."""
    if record.get("number") is not None and record.get("numbered", True) \
            and not record.get("draft"):
        return str(record["series"]), int(record["number"])
    return None, None


def number_held_by_damaged(meta: DocMeta, relpath: str) -> ArchiveError:
    text = meta.number_text
    return ArchiveError(
        Msg(f"số {text} có thể đã được dùng: thư mục {relpath} mang số này nhưng meta.json "
            "của nó hỏng, không đọc được",
            f"number {text} may already be in use: the folder {relpath} carries it in its "
            "name but its meta.json is damaged and cannot be read"),
        field="number",
        hint=Msg("chạy `docgen verify` rồi khôi phục thư mục đó từ bản sao lưu; hoặc bỏ trường "
                 "number để kho tự cấp số tiếp theo",
                 "run `docgen verify` and restore that folder from a backup; or drop the "
                 "number field to get the next free number"))


def numbered_into_draft(prev: Record) -> ArchiveError:
    """``amend`` refuses to turn a numbered document back into a draft: its number is
    issued (on paper, in the registry) and a draft carries none."""
    doc_id, number = prev["id"], prev.get("number_text") or prev.get("number")
    return ArchiveError(
        Msg(f"văn bản {doc_id} đã có số {number}: bản sửa không thể là dự thảo "
            "(draft: true)",
            f"document {doc_id} is numbered {number}: a correction cannot be a draft "
            "(draft: true)"),
        field="draft",
        hint=Msg(f"bỏ dòng draft: true trong tệp sửa (bản sửa giữ số {number}); muốn hủy "
                 f"văn bản thì dùng `docgen withdraw {doc_id} --reason \"...\"`; một dự "
                 "thảo mới thì lưu bằng `docgen new`",
                 f"remove draft: true from the corrected input (the correction keeps number "
                 f"{number}); to cancel the document use `docgen withdraw {doc_id} --reason "
                 "\"...\"`; file a new draft with `docgen new`"))


def check_amendment(prev: Record, meta: DocMeta, final: bool = False) -> None:
    """ArchiveError unless ``meta`` (an amendment's input; with ``final``, as rendered)
    is the document ``prev`` (its current version) is: the same kind and cell, and for
    a numbered document its number (an input may leave it out: ``final`` requires it),
    never a draft; a draft stays a draft (``finalize`` numbers it)."""
    if meta.kind != prev.get("kind"):
        raise kind_changed(prev, meta)
    if cell_key(meta.cell) != cell_key(str(prev.get("cell", ""))):
        raise cell_changed(prev, meta)
    if _issued(prev):
        if meta.draft:
            raise numbered_into_draft(prev)
        if (final or meta.number is not None) and meta.number_text != prev.get("number_text"):
            raise number_changed(prev, meta)
    elif prev.get("numbered", True) and meta.numbered and not meta.draft:
        raise draft_numbered_by_amend(prev)


def _kind_name(kind: str) -> Msg:
    from docgen.model.kinds import KINDS  # only for this message

    spec = KINDS.get(kind)
    return spec.description if spec is not None else Msg(kind, kind)


def kind_changed(prev: Record, meta: DocMeta) -> ArchiveError:
    doc_id, old, new = prev["id"], str(prev.get("kind")), meta.kind
    was, now = _kind_name(old), _kind_name(new)
    number = prev.get("number_text") or ""
    shown = f" số {number}" if number else ""
    shown_en = f" number {number}" if number else ""
    return ArchiveError(
        Msg(f"văn bản {doc_id}{shown} là {was.vi.lower()} ({old}), tệp sửa là "
            f"{now.vi.lower()} ({new}): bản sửa phải cùng loại văn bản, không đổi loại",
            f"document {doc_id}{shown_en} is of kind {old} ({was.en}), the corrected "
            f"input of kind {new} ({now.en}): a correction keeps the kind"),
        field="kind",
        hint=Msg(f"sửa văn bản này bằng một tệp {old} (kind: {old}); muốn lập văn bản "
                 f"{new} mới thì dùng `docgen new TỆP`",
                 f"correct this document with a {old} input (kind: {old}); to file a new "
                 f"{new} document use `docgen new FILE`"))


def cell_changed(prev: Record, meta: DocMeta) -> ArchiveError:
    doc_id, old, new = prev["id"], str(prev.get("cell", "")), meta.cell
    return ArchiveError(
        Msg(f"văn bản {doc_id} là của {old}, tệp sửa được soạn cho {new} (theo hồ sơ chi bộ "
            "đang dùng): bản sửa phải cùng chi bộ",
            f"document {doc_id} belongs to {old}, the corrected input was made for {new} "
            "(the cell profile in use): a correction keeps the cell"),
        field="cell",
        hint=Msg(f"chạy lại lệnh với cấu hình (--config) của {old}; muốn lập văn bản mới "
                 f"cho {new} thì dùng `docgen new`",
                 f"run the command again with the configuration (--config) of {old}; to "
                 f"file a new document for {new} use `docgen new`"))


def number_changed(prev: Record, meta: DocMeta) -> ArchiveError:
    doc_id, old = prev["id"], prev.get("number_text")
    new = meta.number_text or "-"
    return ArchiveError(
        Msg(f"văn bản {doc_id} mang số {old}, tệp sửa ghi số {new}: bản sửa phải giữ số "
            f"{old}; muốn văn bản mới thì dùng docgen new",
            f"document {doc_id} is numbered {old}, the corrected input says {new}: a "
            f"correction must keep number {old}; for a new document use docgen new"),
        field="number",
        hint=Msg(f"bỏ dòng number trong tệp sửa (hoặc ghi number: {prev.get('number')}); "
                 "muốn lập văn bản mới (số mới) thì dùng `docgen new TỆP`",
                 f"remove the number line from the corrected input (or write number: "
                 f"{prev.get('number')}); to file a new document (a new number) use "
                 "`docgen new FILE`"))


def draft_numbered_by_amend(prev: Record) -> ArchiveError:
    """``amend`` refuses to number a draft: only ``finalize`` takes the next number."""
    doc_id = prev["id"]
    return ArchiveError(
        Msg(f"văn bản {doc_id} là dự thảo (chưa có số): bản sửa của dự thảo vẫn là dự thảo "
            "(draft: true), amend không cấp số",
            f"document {doc_id} is a draft (not numbered yet): its correction is a draft "
            "too (draft: true); amend assigns no number"),
        field="draft",
        hint=Msg(f"ghi draft: true trong tệp sửa; khi dự thảo đã xong, cấp số bằng "
                 f"`docgen finalize {doc_id}`",
                 f"write draft: true in the corrected input; when the draft is done, number "
                 f"it with `docgen finalize {doc_id}`"))


def _when(record: Record) -> str:
    """A record's document date the Vietnamese way (10/3/2026)."""
    try:
        return vn_date(dt.date.fromisoformat(str(record.get("date"))))
    except ValueError:
        return str(record.get("date", ""))


def _in_cell(rows: builtins.list[tuple[str, Record]], cell: str | None
             ) -> builtins.list[tuple[str, Record]]:
    """The rows of cells whose name contains ``cell`` (folded, as the catalog's filter)."""
    if not cell:
        return rows
    names = cell_names(cell)
    return [row for row in rows if cell_matches(str(row[1].get("cell", "")), names)]


def _number_matches(record: Record, type_symbol: str | None, issuer: str | None) -> bool:
    if record.get("draft") or not record.get("numbered", True):
        return False
    if type_symbol is not None and fold(str(record.get("type_symbol", ""))).upper() != type_symbol:
        return False
    return issuer is None or fold(str(record.get("issuer_symbol", ""))).upper() == issuer


def candidate_line(record: Record, lang: str = "vi") -> str:
    """One line naming a document: id, number, date, cell, title (and withdrawn), in
    ``lang``."""
    en = lang == "en"
    number = record.get("number_text") or (
        ("draft" if en else "dự thảo") if _is_draft(record)
        else ("not numbered" if en else "không đánh số"))
    mark = ("[withdrawn]" if en else "[đã thu hồi]") if record.get("status") == "withdrawn" \
        else ""
    return (f"  {record['id']}  {number}  {_when(record)}  {record.get('cell', '')}  "
            f"{record.get('title', '')}" + (f" {mark}" if mark else ""))


def _ambiguous(what: Msg, rows: builtins.list[tuple[str, Record]], hint: Msg) -> ArchiveError:
    listed = {lang: "\n".join(
        [candidate_line(record, lang) for _, record in rows[:MAX_CANDIDATES]]
        + ([f"  … (+{len(rows) - MAX_CANDIDATES})"] if len(rows) > MAX_CANDIDATES else []))
        for lang in ("vi", "en")}
    return ArchiveError(
        Msg(f"{what.vi} ứng với {len(rows)} văn bản:\n{listed['vi']}",
            f"{what.en} matches {len(rows)} documents:\n{listed['en']}"),
        field="id", hint=hint)


MAX_HINT_NUMBERS = 6


def _number_hint(rows: builtins.list[tuple[str, Record]]) -> Msg:
    """What tells the documents a number matches apart: their full numbers when these
    differ, --cell when they are of different cells, and always their ids."""
    vi: builtins.list[str] = []
    en: builtins.list[str] = []
    numbers = list(dict.fromkeys(str(r.get("number_text") or "") for _, r in rows))
    if len(numbers) > 1 and all(numbers):
        shown = numbers[:MAX_HINT_NUMBERS]
        more = ", …" if len(numbers) > MAX_HINT_NUMBERS else ""
        vi.append("ghi đủ số: " + " hoặc ".join(shown) + more)
        en.append("type the full number: " + " or ".join(shown) + more)
    if len({cell_key(str(r.get("cell", ""))) for _, r in rows}) > 1:
        vi.append("thêm --cell TÊN-CHI-BỘ (một phần tên chi bộ)")
        en.append("add --cell CELL-NAME (part of the cell's name)")
    vi.append("ghi mã văn bản (đầu mỗi dòng ở trên)")
    en.append("give the document's id (first on each line above)")
    return Msg("; hoặc ".join(vi), "; or ".join(en))


def number_taken(meta: DocMeta, relpath: str, holder: Record) -> ArchiveError:
    text = meta.number_text
    title = holder.get("title", "")
    return ArchiveError(
        Msg(f"số {text} đã được dùng cho văn bản {holder['id']} ({title}, ngày "
            f"{_when(holder)}) tại {relpath}",
            f"number {text} is already used by document {holder['id']} ({title}, dated "
            f"{_when(holder)}) at {relpath}"),
        field="number",
        hint=Msg("bỏ trường number để kho tự cấp số tiếp theo, hoặc sửa văn bản cũ bằng "
                 "`docgen amend`",
                 "drop the number field to get the next number, or correct the existing "
                 "document with `docgen amend`"))


def _issued(record: Record) -> bool:
    """A version that carries an issued number (numbered kind, not a draft)."""
    return record.get("number") is not None and bool(record.get("numbered", True)) \
        and not record.get("draft")


def _is_draft(record: Record) -> bool:
    return bool(record.get("draft")) or (record.get("numbered", True)
                                         and record.get("number") is None)


def _text_of(folder: Path) -> str:
    """A version folder's content.txt; empty when missing or unreadable."""
    try:
        return (folder / TEXT_FILE).read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return ""
