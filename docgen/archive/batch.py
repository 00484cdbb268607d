"""Filing many documents under one lock, writing in a background thread.

Numbers are assigned and documents rendered in the caller's thread; each version folder
is then written (tmp, fsync, rename, audit, registry) by one writer thread, in order,
while the next document renders. Once a write fails, every later write of the batch is
refused too, so numbers stay gap-free. Results are final after the batch has drained.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from docgen.archive.catalog import Catalog
from docgen.archive.ids import new_id
from docgen.archive.records import TEXT_FILE, archived
from docgen.errors import ArchiveError, storage_fault
from docgen.i18n import Msg
from docgen.model.meta import ArchivedDoc, DocMeta, Fileable

if TYPE_CHECKING:
    from docgen.archive.store import Archive, Render


class Pending:
    """A filing whose version folder may still be being written."""

    def __init__(self, future: Future[ArchivedDoc]) -> None:
        self._future = future

    def result(self) -> ArchivedDoc:
        return self._future.result()


class Batch:
    def __init__(self, archive: Archive, cat: Catalog) -> None:
        self.archive = archive
        self.cat = cat
        self.writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="docgen-archive")
        self.last: dict[str, int] = {}  # series → highest number taken in this batch
        self.taken: dict[tuple[str, int], str] = {}  # (series, number) → id
        self.ids: set[str] = set()
        self.written: list[tuple[str, dict[str, Any]]] = []
        self.broken: BaseException | None = None

    def file(self, doc: Fileable, render: Render, user: str) -> Pending:
        """Number and render ``doc`` now; write it in the background."""
        from docgen.archive.store import audit_entry, rendered_payload

        doc = self._numbered(doc)
        rendered = render(doc)
        self._check_free(rendered.meta)
        doc_id = self._fresh_id()
        docx_name, payload = rendered_payload(rendered, doc_id, 1)
        relpath, record = self.archive.prepare(doc_id, 1, rendered.meta, docx_name, payload,
                                               user, "new", [], rendered.template_sha256)
        self._reserve(rendered.meta, doc_id)
        entry = audit_entry(record, relpath, "new")
        text = payload[TEXT_FILE].decode("utf-8")

        def write() -> ArchivedDoc:
            self._write(relpath, payload, record, entry)
            return archived(self.archive.root, relpath, record, text)

        return Pending(self.writer.submit(write))

    def _write(self, relpath: str, payload: dict[str, bytes], record: dict[str, Any],
               entry: dict[str, Any]) -> None:
        if self.broken is not None:
            raise ArchiveError(
                Msg("không lưu: một lần ghi trước đó trong cùng lô đã thất bại",
                    "not filed: an earlier write in the same batch failed"),
                hint=Msg("xem lỗi đầu tiên, sửa rồi chạy lại", "see the first error, fix, retry"))
        try:
            self.archive.publish(relpath, payload, record, entry)
        except OSError as exc:
            self.broken = exc
            fault = storage_fault(exc)
            raise ArchiveError(
                fault.message if fault is not None else
                Msg(f"không ghi được vào kho lưu trữ: {exc}", f"cannot write to the archive: {exc}"),
                file=str(self.archive.root / relpath),
                hint=Msg("giải phóng dung lượng đĩa hoặc cấp quyền ghi, rồi chạy `docgen verify`; "
                         "văn bản này chưa được lưu",
                         "free disk space or grant write access, then run `docgen verify`; this "
                         "document was not filed")) from exc
        except BaseException as exc:
            self.broken = exc
            raise
        self.written.append((relpath, record))

    def drain(self) -> None:
        """Wait for every write, then record the written versions in the catalog."""
        self.writer.shutdown(wait=True)
        for relpath, record in self.written:
            self.cat.add(relpath, record)

    def _numbered(self, doc: Fileable) -> Fileable:
        meta = doc.meta
        if meta.draft or not meta.numbered:
            return doc
        if meta.number is not None:
            self._check_free(meta)
            return doc
        series = self.archive.series(meta)
        # After the archive's numbers and this batch's, past numbers of damaged folders.
        return doc.with_number(self.archive._next_number(self.cat, series,
                                                         after=self.last.get(series, 0)))

    def _check_free(self, meta: DocMeta) -> None:
        if meta.number is None or meta.draft or not meta.numbered:
            return
        self.archive._check_number_free(self.cat, meta, own_id=None)
        holder = self.taken.get((self.archive.series(meta), meta.number))
        if holder is not None:
            raise ArchiveError(
                Msg(f"số {meta.number_text} đã được dùng cho văn bản {holder} trong cùng lô",
                    f"number {meta.number_text} is already used by document {holder} "
                    "in this batch"),
                field="number", hint=Msg("bỏ trường number để kho tự cấp số",
                                         "drop the number field to get the next number"))

    def _reserve(self, meta: DocMeta, doc_id: str) -> None:
        self.ids.add(doc_id)
        if meta.number is None or meta.draft or not meta.numbered:
            return
        series = self.archive.series(meta)
        self.taken[(series, meta.number)] = doc_id
        self.last[series] = max(self.last.get(series, 0), meta.number)

    def _fresh_id(self) -> str:
        while True:
            doc_id = new_id()
            if doc_id not in self.ids and not self.cat.has_id(doc_id):
                return doc_id


__all__ = ["Batch", "Pending"]
