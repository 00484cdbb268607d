"""Bulk index building: whole whoosh segments written straight from in-memory postings.

Whoosh's writer sends every posting through a pickling external sort and looks up the
document's field length once per posting while writing; on 1,000-word documents that is
most of a rebuild's time. A rebuild knows every document up front, so this module keeps
the postings of a segment in memory, already in document order (term → docnums, weights),
and writes them through the codec's own field and per-document writers: the files are the
ones whoosh's writer would produce, readable by any whoosh reader.

``build_segments`` runs in-process (small rebuilds) or in worker processes, each building
its own segments from batches of documents sent by the parent (``ParallelBuilder``); the
parent then commits one table of contents naming every segment.

Depends on whoosh-reloaded 2.7.5 internals (the W3 codec's postings writer), as
docgen.search.engine does; the version is pinned in pyproject.toml.
"""

from __future__ import annotations

import gc
import queue
import shutil
from array import array
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from pickle import dumps
from typing import Any

from whoosh.codec import default_codec
from whoosh.codec.whoosh3 import W3TermInfo
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, clean_files
from whoosh.system import pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte

from docgen.model.meta import ArchivedDoc

INDEX_NAME = "MAIN"
# Documents per segment, which bounds a builder's memory: measured 0.5 GB peak for a worker
# building 25,000 news-sized documents. Few large segments keep the index small (317 MB at
# 50,000 documents in 2 segments, 406 MB in 5) and queries fast (one lookup a segment).
SEGMENT_DOCS = 50_000
BATCH_DOCS = 128  # documents per message from the parent to a worker
# Posting lists shorter than this live inside the term table instead of a compressed block
# of their own (whoosh's default is 1: never). Most syllable pairs occur in a few documents.
INLINE_LIMIT = 16
_TERMINFO = W3TermInfo._struct
_QUANTISED: list[int] = []  # filled on first use: 65,536 lengths take 20 ms, not at import

Fields = Callable[[ArchivedDoc], dict[str, Any]]
# term bytes → (docnums, weights, value bytes)
Postings = dict[bytes, tuple["array[int]", "array[float]", list[bytes]]]


def _quantised(length: int) -> int:
    """The length a reader sees for ``length`` (whoosh stores lengths as one byte)."""
    if not _QUANTISED:
        _QUANTISED.extend(byte_to_length(length_to_byte(n)) for n in range(1 << 16))
    return _QUANTISED[length] if length < len(_QUANTISED) else int(byte_to_length(length_to_byte(length)))


class SegmentBuilder:
    """Collects documents for one segment of the index in ``folder``."""

    def __init__(self, folder: Path, schema: Any) -> None:
        self.storage = FileStorage(str(folder))
        self.schema = schema
        self.codec = default_codec(inlinelimit=INLINE_LIMIT)
        self.segment = self.codec.new_segment(self.storage, INDEX_NAME)
        self.perdoc = self.codec.per_document_writer(self.storage, self.segment)
        self.postings: dict[str, Postings] = {}
        self.lengths: dict[str, array[int]] = {}
        self.count = 0

    def add(self, fields: dict[str, Any]) -> None:
        """Add one document (``fields`` as for whoosh's ``add_document``)."""
        docnum = self.count
        perdoc = self.perdoc
        perdoc.start_doc(docnum)
        for name in sorted(fields):
            value = fields[name]
            if value is None or name.startswith("_"):
                continue
            field = self.schema[name]
            length = 0
            if field.indexed:
                post = self.postings.setdefault(name, {})
                for tbytes, freq, weight, vbytes in field.index(value):
                    entry = post.get(tbytes)
                    if entry is None:
                        entry = post[tbytes] = (array("I"), array("f"), [])
                    entry[0].append(docnum)
                    entry[1].append(weight)
                    if vbytes:
                        entry[2].append(vbytes)
                    length += freq
                if field.scorable:
                    lens = self.lengths.setdefault(name, array("I"))
                    lens.extend([0] * (docnum + 1 - len(lens)))
                    lens[docnum] = _quantised(length)
                else:
                    length = 0
            perdoc.add_field(name, field, value if field.stored else None, length)
            if field.column_type is not None:
                perdoc.add_column_value(name, field.column_type, field.to_column_value(value))
        perdoc.finish_doc()
        self.count += 1

    def finish(self) -> Any:
        """Write the segment's files (one compound file) and return the segment."""
        self.perdoc.close()
        writer = self.codec.field_writer(self.storage, self.segment)
        for name in sorted(self.postings):
            field = self.schema[name]
            writer.start_field(name, field)
            lens = self.lengths.get(name) if field.scorable else None
            post = self.postings[name]
            for tbytes in sorted(post):
                ids, weights, values = post[tbytes]
                _write_term(writer, tbytes, ids, weights, values, lens)
            writer.finish_field()
        writer.close()
        self.postings.clear()
        self.lengths.clear()
        self.segment.set_doc_count(self.count)
        self.segment.create_compound_file(self.storage)
        self.segment.compound = True
        return self.segment


def _write_term(writer: Any, tbytes: bytes, ids: array[int], weights: array[float],
                values: list[bytes], lens: array[int] | None) -> None:
    """One term's postings in blocks, as whoosh's postings writer cuts them."""
    if len(ids) < INLINE_LIMIT:
        _inline_term(writer, tbytes, ids, weights, values, lens)
        return
    writer.start_term(tbytes)
    post = writer._postwriter
    limit = post._blocklimit
    total = len(ids)
    for start in range(0, total, limit):
        if start:
            post._write_block()
        end = min(total, start + limit)
        post._ids = ids[start:end] if total > limit else ids
        post._weights = weights[start:end] if total > limit else weights
        post._values = values[start:end] if values else []
        post._maxweight = max(post._weights)
        if lens is not None:
            post._minlength, post._maxlength = _min_max_length(lens, post._ids)
            post._minlength = post._minlength or None
    writer.finish_term()


def _inline_term(writer: Any, tbytes: bytes, ids: array[int], weights: array[float],
                 values: list[bytes], lens: array[int] | None) -> None:
    """A short posting list stored inside the term table, as W3TermInfo.to_bytes packs it.

    whoosh-reloaded 2.7.5's own inline path calls a method that does not exist
    (``set_inline``); its readers read inlined postings fine (a ListMatcher). A format
    without values (frequency, existence) still gets one empty value per posting: a
    ListMatcher with no values answers ``value()`` with the *str* "", which whoosh's own
    writer rejects when a merge copies the postings (``AssertionError: vbytes=''``).
    """
    minbyte = maxbyte = 0
    if lens is not None:
        shortest, longest = _min_max_length(lens, ids)
        minbyte, maxbyte = length_to_byte(shortest), length_to_byte(longest)
    head = _TERMINFO.pack(1, sum(weights), len(ids), minbyte, maxbyte, max(weights), ids[0], ids[-1])
    body = dumps((tuple(ids), tuple(weights), tuple(values) or (b"",) * len(ids)), 2)
    writer._tindex.add(pack_ushort(writer._fieldid) + tbytes, head + body)


def _min_max_length(lens: array[int], ids: array[int]) -> tuple[int, int]:
    """Shortest and longest field length of the documents ``ids``."""
    block = list(map(lens.__getitem__, ids))
    return min(block), max(block)


def build_segments(folder: Path, schema: Any, docs: Iterable[dict[str, Any]],
                   segment_docs: int = SEGMENT_DOCS) -> list[Any]:
    """Segments holding ``docs`` (field dicts), at most ``segment_docs`` each."""
    segments = []
    builder: SegmentBuilder | None = None
    for fields in docs:
        if builder is None:
            builder = SegmentBuilder(folder, schema)
        builder.add(fields)
        if builder.count >= segment_docs:
            segments.append(builder.finish())
            builder = None
    if builder is not None and builder.count:
        segments.append(builder.finish())
    return segments


def commit_segments(folder: Path, schema: Any, segments: list[Any]) -> None:
    """Write the table of contents naming ``segments`` (the index's next generation)."""
    storage = FileStorage(str(folder))
    generation = TOC._latest_generation(storage, INDEX_NAME) + 1
    TOC(schema, segments, generation).write(storage, INDEX_NAME)
    clean_files(storage, INDEX_NAME, generation, segments)
    # the per-document writers' scratch folder (whoosh's own writer removes it at commit)
    shutil.rmtree(folder / f"{INDEX_NAME}.tmp", ignore_errors=True)


# parallel ---------------------------------------------------------------------------
_DONE = None


def _worker(rank: int, folder: str, schema: Any, fields_of: Fields, tasks: Any, results: Any,
            segment_docs: int) -> None:
    # A forked worker inherits the parent's heap: keep the collector off it, and off the
    # builder's millions of tuples and arrays (none of them are in reference cycles).
    gc.freeze()
    gc.disable()
    current = ["-"]

    def docs() -> Iterator[dict[str, Any]]:
        while True:
            batch = tasks.get()
            if batch is _DONE:
                return
            for doc in batch:
                current[0] = doc.id
                yield fields_of(doc)

    try:
        results.put((rank, "ok", build_segments(Path(folder), schema, docs(), segment_docs)))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises
        results.put((rank, "error", f"{current[0]}: {type(exc).__name__}: {exc}"))


class BuildFailed(RuntimeError):
    """A worker process failed; the message names the document and the exception."""


class ParallelBuilder:
    """``procs`` worker processes building segments of the index in ``folder``."""

    def __init__(self, folder: Path, schema: Any, fields_of: Fields, procs: int,
                 segment_docs: int = SEGMENT_DOCS) -> None:
        import multiprocessing  # here: searching never starts workers

        ctx = multiprocessing.get_context()
        self.results = ctx.Queue()
        self.tasks = [ctx.Queue(maxsize=4) for _ in range(procs)]
        self.procs = [ctx.Process(target=_worker, daemon=True,
                                  args=(rank, str(folder), schema, fields_of, task,
                                        self.results, segment_docs))
                      for rank, task in enumerate(self.tasks)]
        for proc in self.procs:
            proc.start()
        self._next = 0

    def send(self, batch: list[ArchivedDoc]) -> None:
        """Hand a batch to the next worker (round robin; blocks while it is busy)."""
        task = self.tasks[self._next]
        self._next = (self._next + 1) % len(self.tasks)
        while True:
            try:
                task.put(batch, timeout=1.0)
                return
            except queue.Full:
                self._check_alive()

    def _check_alive(self) -> None:
        for proc in self.procs:
            if not proc.is_alive() and proc.exitcode not in (0, None):
                raise BuildFailed(f"index worker {proc.pid} exited with status {proc.exitcode}")

    def finish(self) -> list[Any]:
        """Wait for every worker; their segments in worker order (a reproducible order)."""
        for task in self.tasks:
            task.put(_DONE)
        done: dict[int, list[Any]] = {}
        while len(done) < len(self.procs):
            try:
                rank, status, payload = self.results.get(timeout=1.0)
            except queue.Empty:
                self._check_alive()
                continue
            if status != "ok":
                raise BuildFailed(payload)
            done[rank] = payload
        for proc in self.procs:
            proc.join()
        return [segment for rank in sorted(done) for segment in done[rank]]

    def abort(self) -> None:
        for proc in self.procs:
            if proc.is_alive():
                proc.terminate()
        for proc in self.procs:
            proc.join()
