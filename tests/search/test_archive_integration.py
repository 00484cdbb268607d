"""Reindex from a real archive (real .docx files), the index hook, search_ids, check_index."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import docx
from click.testing import CliRunner
from search_corpus import FiledInput

from docgen.archive import Archive
from docgen.cli import main
from docgen.config import Settings
from docgen.docxtext import docx_text
from docgen.model.meta import ArchivedDoc, DocMeta, Fileable, IndexHook, RenderedDocument
from docgen.search import SearchFilters, check_index, index_hook, open_index, search_ids


def _render(doc: Fileable) -> RenderedDocument:
    document = docx.Document()
    document.core_properties.created = dt.datetime(2024, 1, 1)
    document.core_properties.modified = dt.datetime(2024, 1, 1)
    document.add_paragraph(doc.meta.title)
    document.add_paragraph(getattr(doc, "text", ""))
    out = io.BytesIO()
    document.save(out)
    data = out.getvalue()
    return RenderedDocument(meta=doc.meta, docx=data, input_data={"body": getattr(doc, "text", "")},
                            text=docx_text(data), template_sha256="0" * 64)


def _doc(month: int, title: str, body: str, topics: tuple[str, ...] = ()) -> FiledInput:
    meta = DocMeta(kind="nghi-quyet", cell="CHI BỘ THÔN AN THÀNH", superior="ĐẢNG BỘ XÃ QUANG KIM",
                   issuer_symbol="CB", type_symbol="NQ", number=None, date=dt.date(2024, month, 5),
                   title=title, topics=topics, term_start=dt.date(2020, 8, 1))
    return FiledInput(meta, body)


def test_reindex_from_archive_hook_and_verify(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    archive = Archive(root)
    a = archive.file(_doc(3, "NGHỊ QUYẾT về vệ sinh môi trường", "Ra quân thu gom rác thải."), _render, "t")
    b = archive.file(_doc(4, "NGHỊ QUYẾT về an ninh", "Giữ vững an ninh trật tự ở thôn."), _render, "t")
    settings = Settings(archive_root=root)

    res = CliRunner().invoke(main, ["--lang", "en", "--archive", str(root), "reindex"])
    assert res.exit_code == 0, res.output
    assert "Indexed 2 documents" in res.output
    assert search_ids(settings, "VSMT", SearchFilters()) == [a.id]
    assert search_ids(settings, None, SearchFilters(year=2024)) == [b.id, a.id]
    assert check_index(settings, archive.iter_current()) == []

    # filed without telling the index (a killed process, an older docgen): the index
    # lags behind the archive's change sequence and the next reader catches it up
    c = archive.file(_doc(5, "NGHỊ QUYẾT về đảng phí", "Thu nộp đảng phí đầy đủ."), _render, "t")
    index = open_index(settings)
    assert [p.en for p in index.drift(archive.iter_current())] == [
        f"document {c.id} is missing from the index"]
    index.close()
    assert search_ids(settings, "dang phi", SearchFilters()) == [c.id]
    assert check_index(settings, archive.iter_current()) == []

    # a lost update the change mark cannot explain is drift, and verify reports it
    _drop_from_index(settings, c.id)
    assert [p.en for p in check_index(settings, archive.iter_current())] == [
        f"document {c.id} is missing from the index"]
    hook = index_hook(settings)
    hook.documents_changed([archive.get(c.id)])
    assert hook.notes == []
    archive.close()


def _drop_from_index(settings: Settings, doc_id: str) -> None:
    """Delete a document from the index behind docgen's back, keeping its change mark."""
    from whoosh import index as windex

    ix = windex.open_dir(str(settings.index_path))
    writer = ix.writer()
    writer.delete_by_term("id", doc_id)
    writer.commit()
    ix.close()


class _FilingMeanwhile:
    """An archive on which another docgen files c, amends a and withdraws b (through the
    index hook) while a rebuild reads the catalog."""

    def __init__(self, archive: Archive, hook: IndexHook, a: ArchivedDoc, b: ArchivedDoc) -> None:
        self.archive, self.hook, self.a, self.b = archive, hook, a, b

    def change_mark(self) -> tuple[str, int]:
        return self.archive.change_mark()

    def changed_count(self, seq: int) -> int:
        return self.archive.changed_count(seq)

    def changes_after(self, seq: int) -> list[tuple[str, ArchivedDoc | None]]:
        return self.archive.changes_after(seq)

    def with_text(self, doc: ArchivedDoc) -> ArchivedDoc:
        return self.archive.with_text(doc)

    def iter_current(self, with_text: bool = False) -> Iterator[ArchivedDoc]:
        docs = list(self.archive.iter_current(with_text=with_text))
        if not with_text:
            yield from docs
            return
        yield docs[0]
        c = self.archive.file(_doc(5, "NGHỊ QUYẾT về đảng phí", "Thu nộp đảng phí đầy đủ."), _render, "t")
        a2 = self.archive.amend(self.a.id, _doc(3, "NGHỊ QUYẾT về vệ sinh môi trường",
                                                "Phân loại rác tại nguồn."), _render, "t")
        w = self.archive.withdraw(self.b.id, "nhầm", "t")
        self.hook.documents_changed([c, a2, w])  # lands in the old index, which the swap replaces
        yield from docs[1:]


def _rebuild_while_filing(tmp_path: Path, catch_up: bool) -> tuple[Settings, Archive, list[str]]:
    root = tmp_path / "archive"
    archive = Archive(root)
    settings = Settings(archive_root=root)
    hook = index_hook(settings)
    a = archive.file(_doc(3, "NGHỊ QUYẾT về vệ sinh môi trường", "Ra quân thu gom rác thải."), _render, "t")
    b = archive.file(_doc(4, "NGHỊ QUYẾT về an ninh", "Giữ vững an ninh trật tự ở thôn."), _render, "t")
    hook.documents_changed([a, b])
    source = _FilingMeanwhile(archive, hook, a, b)
    index = open_index(settings)
    if catch_up:
        index.rebuild_from(source)
    else:  # the low-level rebuild, told nothing of the archive's changes
        index.rebuild(source.iter_current(with_text=True))
    index.close()
    return settings, archive, [a.id, b.id]


def test_rebuild_catches_up_with_filings_made_meanwhile(tmp_path: Path) -> None:
    settings, archive, (a_id, b_id) = _rebuild_while_filing(tmp_path, catch_up=True)
    index = open_index(settings)
    assert index.drift(archive.iter_current(with_text=True)) == []
    index.close()
    assert len(search_ids(settings, "dang phi", SearchFilters())) == 1
    assert search_ids(settings, '"phân loại rác"', SearchFilters()) == [a_id]
    assert search_ids(settings, "an ninh", SearchFilters()) == []
    archive.close()


def test_an_index_without_a_change_mark_is_compared_in_full(tmp_path: Path) -> None:
    settings, archive, (a_id, _) = _rebuild_while_filing(tmp_path, catch_up=False)
    index = open_index(settings)
    assert len(index.drift(archive.iter_current())) == 3  # what the stale rebuild missed
    index.close()
    assert check_index(settings, archive.iter_current()) == []  # caught up, in full
    assert search_ids(settings, '"phân loại rác"', SearchFilters()) == [a_id]
    archive.close()
