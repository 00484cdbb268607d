"""The glue the CLI calls: render and file inputs, amend, finalise, withdraw.

Each function builds objects from Settings, calls the archive and tells the search
index (an ``IndexHook``, when given) once per batch about the changed documents.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import yaml

from docgen.archive import Archive, ImportReport
from docgen.archive.batch import Pending
from docgen.config import Settings
from docgen.errors import DocgenError
from docgen.i18n import Msg
from docgen.model.meta import ArchivedDoc, Fileable, IndexHook, RenderedDocument

Progress = Callable[[Sequence[Path]], Iterable[Path]]


@dataclass
class BatchReport:
    """What ``new_documents`` did: filed documents, failures, renderer warnings."""

    filed: list[ArchivedDoc] = field(default_factory=list)
    failed: list[tuple[Path, DocgenError]] = field(default_factory=list)
    warnings: list[tuple[Path, Msg]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


def archive_of(settings: Settings) -> Archive:
    return Archive(settings.archive_root, per_year=settings.numbering_per_year)


def _renderer(settings: Settings, warnings: list[Msg]) -> Callable[[Fileable], RenderedDocument]:
    from docgen.model.document import DocumentInput
    from docgen.render import Renderer

    renderer = Renderer(settings)

    def render(doc: Fileable) -> RenderedDocument:
        rendered = renderer.render(cast(DocumentInput, doc))
        warnings.extend(rendered.warnings)
        return rendered

    return render


def _loader(settings: Settings) -> Callable[[Path], Fileable]:
    from docgen.model import load_input
    from docgen.model.profile import load_profile

    profile = load_profile(settings.profile_path)
    return lambda path: load_input(path, settings, profile)


def _tell(index: IndexHook | None, docs: Sequence[ArchivedDoc]) -> None:
    if index is not None and docs:
        index.documents_changed(docs)


def new_documents(settings: Settings, paths: Sequence[Path], progress: Progress | None = None,
                  index: IndexHook | None = None) -> BatchReport:
    """Render and file every input; a bad input is reported and the batch goes on.

    Every input is read and validated before the archive is opened, so a batch of bad
    inputs writes nothing at all (not even a new archive's lock file or catalog).
    """
    report = BatchReport()
    load = _loader(settings)
    loaded: dict[Path, Fileable] = {}
    for path in paths:
        try:
            loaded[path] = load(path)
        except DocgenError as exc:
            report.failed.append((path, exc))
    if not loaded:
        return report
    archive = archive_of(settings)
    warnings: list[Msg] = []
    render = _renderer(settings, warnings)
    pending: list[tuple[Path, Pending]] = []
    todo = list(loaded)
    with archive.batch() as batch:
        for path in (progress(todo) if progress is not None else todo):
            warnings.clear()
            try:
                pending.append((path, batch.file(loaded[path], render, settings.user)))
            except DocgenError as exc:
                report.failed.append((path, exc))
            report.warnings.extend((path, w) for w in warnings)
    for path, item in pending:
        try:
            report.filed.append(item.result())
        except DocgenError as exc:
            report.failed.append((path, exc))
    archive.close()
    _tell(index, report.filed)
    order = {path: i for i, path in enumerate(paths)}
    report.failed.sort(key=lambda item: order.get(item[0], len(order)))
    return report


def amend_document(settings: Settings, doc_id: str, path: Path,
                   index: IndexHook | None = None) -> ArchivedDoc:
    """File ``path`` as a new version of ``doc_id`` (the number is kept)."""
    archive = archive_of(settings)
    archive.get(doc_id)  # a clear error for an unknown id before reading the input
    doc = _loader(settings)(path)
    archived = archive.amend(doc_id, doc, _renderer(settings, []), settings.user)
    _tell(index, [archived])
    return archived


def finalize_document(settings: Settings, doc_id: str,
                      index: IndexHook | None = None) -> ArchivedDoc:
    """Number a filed draft: re-read its archived input without ``draft`` and file it."""
    archive = archive_of(settings)
    load = _loader(settings)

    def reload(data: dict[str, Any]) -> Fileable:
        if data.get("kind") == "de-cuong-chuyen-de":
            data["approved"] = True
        with tempfile.TemporaryDirectory(prefix="docgen-finalize-") as tmp:
            path = Path(tmp) / "input.yaml"
            path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
            return load(path)

    archived = archive.finalize(doc_id, _renderer(settings, []), settings.user, reload)
    _tell(index, [archived])
    return archived


def import_bundle(settings: Settings, path: Path, index: IndexHook | None = None) -> ImportReport:
    """Merge a bundle into the archive; the imported versions reach the index."""
    archive = archive_of(settings)
    try:
        report = archive.import_bundle(path, settings.user)
    finally:
        archive.close()
    if report.imported and index is not None:
        index.documents_changed([])  # it catches up from the archive's change sequence
    return report


def collect_garbage(settings: Settings) -> list[Path]:
    """Remove stray temporary entries of the archive and leftovers of a killed reindex."""
    from docgen.search import open_index

    removed = archive_of(settings).gc(settings.user)
    return removed + open_index(settings).remove_leftovers()


def withdraw_document(settings: Settings, doc_id: str, reason: str,
                      index: IndexHook | None = None) -> ArchivedDoc:
    """Mark ``doc_id`` withdrawn (kept, hidden from default listings and search)."""
    archived = archive_of(settings).withdraw(doc_id, reason, settings.user)
    _tell(index, [archived])
    return archived
