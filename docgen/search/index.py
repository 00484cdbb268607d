"""SearchIndex: the on-disk index of the archive's current documents (a rebuildable cache)."""

from __future__ import annotations

import contextlib
import functools
import heapq
import itertools
import os
import shutil
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

from whoosh import index as windex
from whoosh.index import LockError

from docgen.archive.filters import cell_reach, number_text_key
from docgen.errors import SearchError
from docgen.i18n import Msg
from docgen.model.meta import ArchivedDoc
from docgen.search import bulk, sync
from docgen.search import query as q
from docgen.search.aliases import AliasGroups, cached_aliases
from docgen.search.analysis import cleaned, folded_grams, folded_text, syllables, tone_variants
from docgen.search.engine import Engine, Scores
from docgen.search.evaluate import Evaluator, QueryInfo, intersect_sets
from docgen.search.results import SearchFilters, SearchHit, SearchResults
from docgen.search.schema import SCHEMA_VERSION, VERSION_FILE, build_schema
from docgen.search.snippets import snippets_for
from docgen.search.sync import (
    STATE_FILE,
    WRITER_WAIT,
    ChangeSource,
    IndexBusy,
    Notify,
    SyncResult,
    differences,
    incremental,
    lock_free,
    read_state,
    split_changes,
    turn,
    up_to_date,
    write_state,
)
from docgen.search.topicmatch import suggest_topics
from docgen.vn.text import clean

LOCK_FILE = "MAIN_WRITELOCK"  # whoosh's own lock inside the index folder
FOREIGN_LOCK_WAIT = 10.0  # seconds to wait on it for a writer that is not docgen's
RERANK_WINDOW = 30
EXACT_BONUS = 0.35  # share of the score added when the accented query words appear as typed
WRITER_MB = 256
REBUILD_PROCS = max(1, min(2, os.cpu_count() or 1))
PARALLEL_MIN_DOCS = 500  # below this, one process is faster than starting workers

NO_FILTERS = SearchFilters()
_REINDEX = Msg("chạy: docgen reindex", "run: docgen reindex")
_WRITING = Msg("ghi chỉ mục tìm kiếm", "write the search index")
_REBUILDING = Msg("xây dựng lại chỉ mục tìm kiếm", "rebuild the search index")

# The facets: index field, and the name of the facet and of the condition it replaces.
FACETS = (("kind", "kind"), ("cell", "cell"), ("year", "year"), ("topics", "topic"))

States = dict[str, tuple[str, int]]  # id → (docx sha256, version)
CatchUp = Callable[[States], Iterable[ArchivedDoc]]


class _Ranked(NamedTuple):
    eng: Engine
    scores: Scores  # the documents found: the query's, under every condition
    order: list[int]  # the best of them, best first
    info: QueryInfo
    found: Scores  # the query's documents before the conditions
    conditions: dict[str, set[int] | frozenset[int]]  # Evaluator.conditions


class _Counter:
    """Records the current documents of a stream and reports each document to ``progress``."""

    def __init__(self, progress: Callable[[int], None] | None) -> None:
        self.progress = progress
        self.states: States = {}

    @property
    def count(self) -> int:
        return len(self.states)

    def current(self, docs: Iterable[ArchivedDoc]) -> Iterator[ArchivedDoc]:
        for doc in docs:
            if doc.status == "current":
                self.states[doc.id] = (doc.docx_sha256, doc.version)
                yield doc
            if self.progress is not None:
                self.progress(1)


def _stored(doc: ArchivedDoc, topics: tuple[str, ...]) -> dict[str, Any]:
    m = doc.meta
    return {"id": doc.id, "kind": m.kind, "number_text": m.number_text, "date": m.date.isoformat(),
            "cell": m.cell, "superior": m.superior, "title": m.title, "topics": list(topics),
            "declared": list(m.topics), "version": doc.version, "sha": doc.docx_sha256,
            "text_z": zlib.compress(cleaned(doc.text).encode("utf-8"), 1)}


def index_fields(doc: ArchivedDoc, topics_path: Path | None = None) -> dict[str, Any]:
    """The whoosh document for ``doc`` (declared plus suggested topics)."""
    m = doc.meta
    title = f"{m.title}\n{m.number_text}"
    topics = tuple(dict.fromkeys((*m.topics, *suggest_topics(m.title, doc.text, topics_path))))
    fields = {
        "id": doc.id, "kind": m.kind, "cell": clean(m.cell), "year": str(m.date.year),
        "day": m.date.isoformat(), "topics": " ".join(topics),
        "title": title, "org": f"{m.cell}\n{m.superior}", "body": doc.text,
        "doc": _stored(doc, topics),
    }
    if m.number is not None and m.numbered:  # as the catalog's number and number_key
        fields["number"] = str(m.number)
    if m.number_text:
        fields["number_key"] = number_text_key(m.number_text)
    return fields


def _corrupt(path: Path, exc: BaseException) -> SearchError:
    return SearchError(
        Msg(f"chỉ mục tìm kiếm bị hỏng hoặc thiếu tệp ({type(exc).__name__}: {exc})",
            f"the search index is corrupt or incomplete ({type(exc).__name__}: {exc})"),
        file=str(path), hint=_REINDEX)


class SearchIndex:
    """The index folder at ``path``; ``aliases_path``: the cell alias list (optional)."""

    def __init__(self, path: Path, aliases_path: Path | None = None,
                 topics_path: Path | None = None) -> None:
        self.path = Path(path)
        # Outside the index folder, so that they survive the swap of a rebuild.
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.rebuild_lock_path = self.path.with_name(self.path.name + ".rebuild.lock")
        self.aliases_path = aliases_path
        self.topics_path = topics_path
        self._ix: Any = None
        self._searcher: Any = None
        self._engine: Engine | None = None
        self._aliases: AliasGroups | None = None
        self._reach: tuple[Engine, dict[str, tuple[str, ...]]] | None = None

    # state ------------------------------------------------------------------
    def exists(self) -> bool:
        try:
            return self.path.is_dir() and windex.exists_in(str(self.path))
        except OSError:  # a rebuild swapped the folder while whoosh read it: not there now
            return False

    def schema_version(self) -> int | None:
        try:
            return int((self.path / VERSION_FILE).read_text("utf-8").strip())
        except (OSError, ValueError):
            return None

    def needs_rebuild(self) -> bool:
        """True when there is no index or it was built by another schema version."""
        return not self.exists() or self.schema_version() != SCHEMA_VERSION

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
        self._searcher = None
        self._engine = None

    # writing ----------------------------------------------------------------
    def rebuild(self, docs: Iterable[ArchivedDoc], progress: Callable[[int], None] | None = None,
                catch_up: CatchUp | None = None, notify: Notify | None = None) -> int:
        """Build a fresh index from ``docs`` next to the old one, then swap; returns the count.

        ``progress`` is called with 1 after each document. Withdrawn documents are skipped.
        Segments are written directly (docgen.search.bulk), by worker processes when there
        are at least PARALLEL_MIN_DOCS documents. One rebuild runs at a time (a lock beside
        the index); the swap takes the writers' lock, so filings wait for it.

        ``catch_up`` is called with the states the rebuild indexed, after the swap and while
        the writers' lock is held; it returns the documents that changed meanwhile, which
        are then added to the fresh index. ``rebuild_from`` does all of this from an
        archive and records the archive's change mark.
        """
        with turn(self.rebuild_lock_path, WRITER_WAIT * 10, notify, _REBUILDING):
            return self._rebuild(docs, progress, catch_up, None, notify)

    def rebuild_from(self, source: ChangeSource, progress: Callable[[int], None] | None = None,
                     notify: Notify | None = None) -> int:
        """Rebuild from every current document of ``source``; changes made meanwhile are
        applied after the swap, and the index records the change mark it reached."""
        with turn(self.rebuild_lock_path, WRITER_WAIT * 10, notify, _REBUILDING):
            mark = source.change_mark()  # before the catalog is read: nothing is missed
            return self._rebuild(source.iter_current(with_text=True), progress, None,
                                 lambda: self._catch_up_locked(source, (mark[0], mark[1])),
                                 notify)

    def _rebuild(self, docs: Iterable[ArchivedDoc], progress: Callable[[int], None] | None,
                 catch_up: CatchUp | None, after_swap: Callable[[], SyncResult] | None,
                 notify: Notify | None) -> int:
        self.close()
        fresh = self.path.with_name(self.path.name + ".new")
        shutil.rmtree(fresh, ignore_errors=True)
        fresh.mkdir(parents=True)
        schema = build_schema()
        windex.create_in(str(fresh), schema).close()
        fields_of = functools.partial(index_fields, topics_path=self.topics_path)
        stream = iter(docs)
        head = list(itertools.islice(stream, PARALLEL_MIN_DOCS))
        counter = _Counter(progress)
        current = counter.current(itertools.chain(head, stream))
        try:
            if REBUILD_PROCS > 1 and len(head) == PARALLEL_MIN_DOCS:
                segments = self._build_parallel(fresh, schema, fields_of, current)
            else:
                segments = bulk.build_segments(fresh, schema, map(fields_of, current), bulk.SEGMENT_DOCS)
            bulk.commit_segments(fresh, schema, segments)
            (fresh / VERSION_FILE).write_text(f"{SCHEMA_VERSION}\n", "utf-8")
        except BaseException:
            shutil.rmtree(fresh, ignore_errors=True)
            raise
        with turn(self.lock_path, WRITER_WAIT, notify, _WRITING):
            self._swap_in(fresh)
            if catch_up is not None:
                changed = list(catch_up(dict(counter.states)))
                if changed:
                    upserts, deletes = split_changes([(d.id, d) for d in changed])
                    self._apply(upserts, deletes)
            if after_swap is not None:
                after_swap()
        return counter.count

    @staticmethod
    def _build_parallel(fresh: Path, schema: Any, fields_of: bulk.Fields,
                        docs: Iterator[ArchivedDoc]) -> list[Any]:
        builder = bulk.ParallelBuilder(fresh, schema, fields_of, REBUILD_PROCS, bulk.SEGMENT_DOCS)
        try:
            while batch := list(itertools.islice(docs, bulk.BATCH_DOCS)):
                builder.send(batch)
            return builder.finish()
        except bulk.BuildFailed as exc:
            raise SearchError(Msg(f"lỗi khi lập chỉ mục (văn bản {exc}); chỉ mục cũ được giữ nguyên",
                                  f"indexing failed (document {exc}); the old index is kept"),
                              file=str(fresh),
                              hint=Msg("kiểm tra văn bản đó (docgen verify) rồi chạy lại docgen reindex",
                                       "check that document (docgen verify), then run docgen reindex again")
                              ) from exc
        finally:
            builder.abort()

    def _swap_in(self, fresh: Path) -> None:
        old = self.path.with_name(self.path.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if self.path.exists():
            self.path.rename(old)
        fresh.rename(self.path)
        shutil.rmtree(old, ignore_errors=True)

    def create_empty(self) -> None:
        self.rebuild(())

    def leftovers(self) -> list[Path]:
        """Folders an interrupted rebuild left beside the index (none while one runs)."""
        if not lock_free(self.rebuild_lock_path):  # first: a running rebuild makes them
            return []
        return [p for p in (self.path.with_name(self.path.name + ".new"),
                            self.path.with_name(self.path.name + ".old")) if p.exists()]

    def remove_leftovers(self) -> list[Path]:
        """Remove what ``leftovers`` lists, holding the rebuild lock."""
        if not self.leftovers():
            return []
        with turn(self.rebuild_lock_path, 0.0, None, _REBUILDING):
            found = [p for p in (self.path.with_name(self.path.name + ".new"),
                                 self.path.with_name(self.path.name + ".old")) if p.exists()]
            for path in found:
                shutil.rmtree(path, ignore_errors=True)
        return found

    # catching up with the archive (docgen.search.sync) ------------------------
    def usable(self) -> bool:
        """True when the index exists, has this schema version and opens."""
        if self.needs_rebuild():
            return False
        try:
            self.engine()  # opens every segment; kept for the search that follows
        except SearchError:
            self.close()
            return False
        return True

    def catch_up(self, source: ChangeSource, wait: float | None = None,
                 notify: Notify | None = None, rebuild: bool = True) -> SyncResult:
        """Apply every change of ``source`` the index lacks (rebuild it when unusable).

        Never raises for a busy, read-only or full index: the result says the index is
        behind and why (its ``note``), and the next call catches up.
        """
        try:
            return self._catch_up(source, sync.WRITER_WAIT if wait is None else wait, notify,
                                  rebuild)
        except IndexBusy as exc:
            return SyncResult(behind=True, note=Msg(
                f"chỉ mục tìm kiếm đang bận (tiến trình PID {exc}); thay đổi mới sẽ được "
                "cập nhật ở lệnh sau",
                f"the search index is busy (process PID {exc}); new changes reach it with "
                "the next command"))
        except OSError as exc:
            what = f"{exc.strerror or exc}{': ' + str(exc.filename) if exc.filename else ''}"
            return SyncResult(behind=True, note=Msg(
                f"không cập nhật được chỉ mục tìm kiếm ({what}); kết quả có thể thiếu văn bản "
                "mới nhất, chỉ mục sẽ tự cập nhật khi ghi được",
                f"cannot update the search index ({what}); results may lack the newest "
                "documents; the index catches up once it can be written"))
        except SearchError as exc:
            return SyncResult(behind=True, note=exc.message)

    def _catch_up(self, source: ChangeSource, wait: float, notify: Notify | None,
                  rebuild: bool) -> SyncResult:
        if not self.usable():
            if not lock_free(self.rebuild_lock_path):
                # a rebuild is running: wait for it (it includes every change so far)
                with turn(self.rebuild_lock_path, WRITER_WAIT * 10, notify, _REBUILDING):
                    pass
            if not self.usable():
                if not rebuild:
                    return SyncResult(behind=True, note=Msg(
                        "chưa có chỉ mục tìm kiếm dùng được; lệnh tìm kiếm tiếp theo sẽ tự "
                        "xây dựng lại (hoặc chạy docgen reindex)",
                        "there is no usable search index; the next search rebuilds it "
                        "(or run docgen reindex)"))
                if notify is not None and self.path.exists():  # a first index: quietly
                    notify(Msg("Chỉ mục tìm kiếm chưa có hoặc không dùng được: đang xây dựng "
                               "lại từ kho lưu trữ…",
                               "The search index is missing or unusable: rebuilding it from "
                               "the archive…"))
                count = self.rebuild_from(source, notify=notify)
                return SyncResult(updated=count, rebuilt=True)
        state, mark = read_state(self.path), source.change_mark()
        if up_to_date(state, mark):
            return SyncResult()
        if state is not None and incremental(state, mark) and rebuild \
                and source.changed_count(int(state["seq"])) > sync.BULK_CATCH_UP:
            if notify is not None:
                notify(Msg("Nhiều văn bản mới: đang lập lại chỉ mục tìm kiếm…",
                           "Many new documents: rebuilding the search index…"))
            return SyncResult(updated=self.rebuild_from(source, notify=notify), rebuilt=True)
        with turn(self.lock_path, wait, notify, _WRITING):
            return self._catch_up_locked(source)

    def caught_up_states(self, source: ChangeSource, wait: float | None = None
                         ) -> tuple[States, int] | None:
        """Under the writers' lock: catch up, then the indexed states and the change number
        they reflect (None when the index cannot be brought up to date now)."""
        try:
            with turn(self.lock_path, sync.WRITER_WAIT if wait is None else wait, None,
                      _WRITING):
                self._catch_up_locked(source)
                state = read_state(self.path)
                return (self.stored_states(), int(state["seq"])) if state else None
        except (IndexBusy, OSError, SearchError):
            return None

    def _catch_up_locked(self, source: ChangeSource, since: tuple[str, int] | None = None
                         ) -> SyncResult:
        """Under the writers' lock: apply what the recorded mark (or ``since``) lacks."""
        mark = source.change_mark()
        state: dict[str, Any] | None = read_state(self.path) if since is None else {
            "instance": since[0], "seq": since[1]}
        if up_to_date(state, mark):
            write_state(self.path, mark)
            return SyncResult()
        if state is not None and incremental(state, mark):
            upserts, deletes = split_changes(source.changes_after(int(state["seq"])))
        else:
            upserts, deletes = differences(source, self.stored_states())
        self._apply(upserts, deletes)
        write_state(self.path, mark)
        return SyncResult(updated=len(upserts) + len(deletes))

    def add_many(self, docs: Iterable[ArchivedDoc]) -> int:
        """Add or replace (by id) ``docs`` in one commit; withdrawn ones are removed.

        A low-level call (tests, benchmarks): it does not record a change mark, so the
        next ``catch_up`` compares the index with the archive in full.
        """
        docs = list(docs)
        if not self.exists():
            self.create_empty()
        if self.needs_rebuild():
            raise self._outdated()
        with turn(self.lock_path, WRITER_WAIT, None, _WRITING):
            upserts, deletes = split_changes([(d.id, d) for d in docs])
            self._apply(upserts, deletes)
            (self.path / STATE_FILE).unlink(missing_ok=True)
        return len(docs)

    def _apply(self, upserts: list[ArchivedDoc], deletes: list[str]) -> None:
        """One commit: remove ``deletes`` and replace (by id) every document of ``upserts``."""
        if not upserts and not deletes:
            return
        ix = self._open()
        try:
            with self._writer(ix) as writer:
                for doc_id in dict.fromkeys([*deletes, *(d.id for d in upserts)]):
                    writer.delete_by_term("id", doc_id)
                for doc in upserts:
                    writer.add_document(**index_fields(doc, self.topics_path))
        finally:
            ix.close()
            self.close()

    @contextmanager
    def _writer(self, ix: Any) -> Iterator[Any]:
        """whoosh's writer; it is released whatever happens, a failed commit included."""
        try:
            # docgen's writers already take turns on lock_path; whoosh's own lock only
            # waits for a writer that does not (an older docgen)
            writer = ix.writer(timeout=FOREIGN_LOCK_WAIT, delay=0.1, limitmb=WRITER_MB)
        except LockError as exc:
            raise self._locked() from exc
        try:
            yield writer
        except BaseException:
            writer.cancel()
            raise
        try:
            writer.commit()
        except BaseException:
            _release(writer)
            raise

    def _locked(self) -> SearchError:
        lock = self.path / LOCK_FILE
        return SearchError(
            Msg(f"chỉ mục tìm kiếm đang bị khóa bởi một tiến trình khác (tệp khóa {lock})",
                f"the search index is locked by another process (lock file {lock})"),
            file=str(lock),
            hint=Msg("đợi tiến trình kia xong rồi chạy lại; nếu không còn tiến trình docgen nào, "
                     "xóa tệp khóa và chạy docgen reindex",
                     "wait for the other process and try again; if no docgen process is running, "
                     "delete the lock file and run docgen reindex"))

    def _outdated(self) -> SearchError:
        if not self.exists():
            return SearchError(Msg("chưa có chỉ mục tìm kiếm", "there is no search index yet"),
                               file=str(self.path), hint=_REINDEX)
        return SearchError(
            Msg(f"chỉ mục tìm kiếm thuộc phiên bản cấu trúc {self.schema_version()}, "
                f"phiên bản hiện tại là {SCHEMA_VERSION}",
                f"the search index has schema version {self.schema_version()}, "
                f"this docgen needs {SCHEMA_VERSION}"),
            file=str(self.path / VERSION_FILE), hint=_REINDEX)

    # reading ----------------------------------------------------------------
    def _open(self) -> Any:
        if self.needs_rebuild():
            raise self._outdated()
        try:
            return windex.open_dir(str(self.path))
        except Exception as exc:  # noqa: BLE001 - whoosh raises many types on damage
            raise _corrupt(self.path, exc) from exc

    def engine(self) -> Engine:
        if self._engine is not None and self._searcher is not None:
            try:
                if self._searcher.up_to_date():
                    return self._engine
            except Exception:  # noqa: BLE001
                pass
            self.close()
        ix = self._open()
        try:
            self._searcher = ix.searcher()
            self._engine = Engine(self._searcher)
        except Exception as exc:  # noqa: BLE001
            raise _corrupt(self.path, exc) from exc
        return self._engine

    def aliases(self) -> AliasGroups:
        if self._aliases is None:
            self._aliases = cached_aliases(self.aliases_path, self.path)
        return self._aliases

    def _guarded(self, fn: Callable[[], Any]) -> Any:
        try:
            return fn()
        except SearchError:
            raise
        except Exception as exc:  # noqa: BLE001 - damaged postings surface while reading
            raise _corrupt(self.path, exc) from exc

    # searching --------------------------------------------------------------
    def search(self, query: str | None, filters: SearchFilters = NO_FILTERS,
               sort: str = "relevance", limit: int = 10, page: int = 1) -> SearchResults:
        """Documents matching ``query`` (see docgen.search.query) and ``filters`` (the rule
        of docgen.archive.filters; a query the filter carries must hold too)."""
        tree = _tree(query, filters)
        results: SearchResults = self._guarded(
            lambda: self._search(tree, filters, sort, max(1, limit), max(1, page)))
        return results

    def _ranked(self, tree: q.Node | None, filters: SearchFilters, sort: str, upto: int) -> _Ranked:
        eng = self.engine()
        ev = Evaluator(eng, self.aliases)
        found: Scores = ev.node(tree) if tree is not None else dict.fromkeys(eng.live(), 0.0)
        conditions = ev.conditions(filters)
        allowed = intersect_sets(conditions.values())
        scores = found if allowed is None else {d: s for d, s in found.items() if d in allowed}
        return _Ranked(eng, scores, self._order(eng, scores, ev.info, sort, upto), ev.info, found,
                       conditions)

    def _search(self, tree: q.Node | None, filters: SearchFilters, sort: str, limit: int,
                page: int) -> SearchResults:
        ranked = self._ranked(tree, filters, sort, limit * page)
        eng, scores, info = ranked.eng, ranked.scores, ranked.info
        chosen = ranked.order[(page - 1) * limit: page * limit]
        hits = tuple(self._hit(eng, d, scores[d], info) for d in chosen)
        facets = self._facets(eng, scores, ranked.found, ranked.conditions)
        suggestion = self._did_you_mean(eng, info) if not scores and tree is not None else None
        # the spelling comes from the whole index: offered only when it finds something
        # the reader may see (a word of another cell's paper is not to be revealed)
        if (suggestion is not None and filters.scope is not None
                and not self._ranked(_tree(suggestion, filters), filters, "relevance", 1).scores):
            suggestion = None
        return SearchResults(hits, len(scores), page, limit, facets, suggestion)

    def ids(self, query: str | None, filters: SearchFilters = NO_FILTERS, sort: str = "relevance",
            limit: int = 10000) -> list[str]:
        """Only the ids of the best ``limit`` matches (no snippets, no facets)."""
        tree = _tree(query, filters)

        def run() -> list[str]:
            ranked = self._ranked(tree, filters, sort, max(1, limit))
            return [str(ranked.eng.searcher.stored_fields(d)["id"]) for d in ranked.order]
        return list(self._guarded(run))

    def _order(self, eng: Engine, scores: Scores, info: QueryInfo, sort: str, upto: int) -> list[int]:
        day = eng.day_list()

        def tie(docnum: int) -> str:
            return str(eng.searcher.stored_fields(docnum)["id"])

        if sort == "date":
            return _top(scores, upto, day, lambda d: (day[d], scores[d]), tie)
        if sort != "relevance":
            raise SearchError(Msg(f"cách sắp xếp không hợp lệ: {sort}", f"invalid sort: {sort}"),
                              field="sort", hint=Msg("dùng relevance hoặc date", "use relevance or date"))
        window = _top(scores, max(upto, RERANK_WINDOW), scores, lambda d: (scores[d], day[d]), tie)
        if info.exact_units:
            head = window[:max(RERANK_WINDOW, min(upto, 200))]
            for d in head:
                scores[d] *= 1 + EXACT_BONUS * self._exact_share(eng, d, info.exact_units)
            head.sort(key=lambda d: (scores[d], day[d]), reverse=True)
            window[:len(head)] = head
        return window[:upto]

    @staticmethod
    def _stored(eng: Engine, docnum: int) -> dict[str, Any]:
        return dict(eng.searcher.stored_fields(docnum)["doc"])

    def _exact_share(self, eng: Engine, docnum: int, units: list[str]) -> float:
        """Share of the accented query units found as typed (either tone placement)."""
        doc = self._stored(eng, docnum)
        hay = (doc["title"] + "\n" + zlib.decompress(doc["text_z"]).decode("utf-8")).lower()
        return sum(1 for u in units if any(v in hay for v in tone_variants(u))) / len(units)

    def _hit(self, eng: Engine, docnum: int, score: float, info: QueryInfo) -> SearchHit:
        import datetime as dt

        doc = self._stored(eng, docnum)
        text = zlib.decompress(doc["text_z"]).decode("utf-8")
        return SearchHit(
            id=doc["id"], kind=doc["kind"], number_text=doc["number_text"],
            date=dt.date.fromisoformat(doc["date"]), cell=doc["cell"], title=doc["title"],
            topics=tuple(doc["topics"]), score=score,
            snippets=snippets_for(text, info.folded_units) if info.folded_units else ())

    def _facets(self, eng: Engine, scores: Scores, found: Scores,
                conditions: dict[str, set[int] | frozenset[int]]) -> dict[str, dict[str, int]]:
        """value → how many documents the search gives with the facet's option set to that
        value (``--kind``, ``--cell``, ``--year``, ``--topic``): the query's documents under
        every other condition (a facet's own condition is the one its value replaces); the
        topic declared or suggested, as ``--topic`` in a search; the cell by the cell rule
        (a cell's count takes in the cells whose names contain its name and the other
        names of its alias group, as ``--cell`` does)."""
        every = set(scores)  # under every condition: the facets whose condition is not given
        facets: dict[str, dict[str, int]] = {}
        for field, name in FACETS:
            matched = every
            if name in conditions:
                others = intersect_sets(s for key, s in conditions.items() if key != name)
                matched = set(found) if others is None else {d for d in found if d in others}
            counts = Counter({term: len(eng.doc_set(field, term) & matched) for term in eng.terms(field)})
            if field == "cell" and matched:  # one cell a document: counts add up
                exact = dict(counts)
                counts = Counter({term: sum(exact[c] for c in reached)
                                  for term, reached in self._cell_reach(eng).items()})
            facets[name] = {term: n for term, n in counts.most_common() if n}
        return facets

    def _cell_reach(self, eng: Engine) -> dict[str, tuple[str, ...]]:
        """The index's cell names → the ones ``--cell <that name>`` finds (per searcher)."""
        if self._reach is None or self._reach[0] is not eng:
            try:
                groups = self.aliases()
            except SearchError:  # a broken alias list: said by --cell, not by every search
                groups = ()
            self._reach = (eng, cell_reach(eng.terms("cell"), groups))
        return self._reach[1]

    def _did_you_mean(self, eng: Engine, info: QueryInfo) -> str | None:
        """The query with each unknown word replaced by its most frequent near spelling.

        Candidates are generated (one edit: delete, transpose, replace, insert; or two
        deletes/transposes) and looked up in the body's term table, a few hundred hash
        lookups a word: whoosh's ``terms_within`` walks the whole lexicon (seconds at
        district scale, where the lexicon holds millions of syllable pairs).
        """
        changed = False
        words = []
        for word in info.plain_words:
            if eng.doc_frequency("body", word) or eng.doc_frequency("title", word):
                words.append(word)
                continue
            best = None
            for candidates in (_edits1(word), _edits2_cheap(word)):
                counted = [(df, t) for t in candidates if (df := eng.doc_frequency("body", t))]
                if counted:
                    best = max(counted)[1]  # the most frequent; ties: the alphabetically last
                    break
            words.append(best or word)
            changed = changed or best is not None
        return " ".join(words) if changed else None

    def similar(self, doc_id: str, limit: int = 10, filters: SearchFilters = NO_FILTERS
                ) -> SearchResults:
        """Documents most like ``doc_id`` (shared distinctive words and topics), among
        those ``filters`` lets through (its scope also applies to ``doc_id`` itself)."""
        results: SearchResults = self._guarded(
            lambda: self._similar(doc_id, max(1, limit), filters))
        return results

    def _similar(self, doc_id: str, limit: int, filters: SearchFilters) -> SearchResults:
        eng = self.engine()
        allowed = intersect_sets(Evaluator(eng, self.aliases).conditions(filters).values())
        found = [d for d in eng.postings("id", doc_id) if allowed is None or d in allowed]
        if not found:
            raise SearchError(Msg(f"không có văn bản {doc_id} trong chỉ mục", f"no document {doc_id} in the index"),
                              field="id", hint=Msg("kiểm tra mã văn bản (docgen list) hoặc chạy docgen reindex",
                                                   "check the document id (docgen list) or run docgen reindex"))
        docnum = found[0]
        doc = self._stored(eng, docnum)
        text = doc["title"] + "\n" + zlib.decompress(doc["text_z"]).decode("utf-8")
        reader = eng.searcher.reader()
        weighted = []
        for term, tf in folded_grams(text).items():
            df = reader.doc_frequency("body", term)
            if df > 1:
                weighted.append((tf ** 0.5 * eng.idf(df), term))
        top = [t for _, t in heapq.nlargest(25, weighted)]
        scores: Scores = {}
        for part in [eng.term_scores("body", t) for t in top] + [
                eng.term_scores("topics", t) for t in doc["topics"]]:
            for d, s in part.items():
                scores[d] = scores.get(d, 0.0) + s
        scores.pop(docnum, None)
        if allowed is not None:
            scores = {d: v for d, v in scores.items() if d in allowed}
        chosen = heapq.nlargest(limit, scores, key=scores.__getitem__)
        info = QueryInfo()
        hits = tuple(self._hit(eng, d, scores[d], info) for d in chosen)
        return SearchResults(hits, len(scores), 1, limit, {}, None)

    def topic_counts(self) -> dict[str, int]:
        """Number of documents per topic id (declared or suggested)."""
        def run() -> dict[str, int]:
            eng = self.engine()
            return {t: len(eng.doc_set("topics", t) & eng.live()) for t in eng.terms("topics")}
        return dict(self._guarded(run))

    def stored_states(self) -> dict[str, tuple[str, int]]:
        """id → (docx sha256, version) of every indexed document."""
        def run() -> dict[str, tuple[str, int]]:
            eng = self.engine()
            out = {}
            for fields in eng.searcher.all_stored_fields():
                doc = fields["doc"]
                out[doc["id"]] = (doc["sha"], doc["version"])
            return out
        return dict(self._guarded(run))

    def drift(self, docs: Iterable[ArchivedDoc], indexed: States | None = None,
              skip: frozenset[str] = frozenset()) -> list[Msg]:
        """Differences between the archive's current documents and the index (``indexed``:
        its states when already read; ``skip``: ids changed since, not compared)."""
        indexed = self.stored_states() if indexed is None else indexed
        indexed = {k: v for k, v in indexed.items() if k not in skip}
        problems: list[Msg] = []
        seen: set[str] = set()
        for doc in docs:
            if doc.status != "current" or doc.id in skip:
                continue
            seen.add(doc.id)
            state = indexed.get(doc.id)
            if state is None:
                problems.append(Msg(f"chỉ mục thiếu văn bản {doc.id}", f"document {doc.id} is missing from the index"))
            elif state != (doc.docx_sha256, doc.version):
                problems.append(Msg(f"chỉ mục có bản cũ của văn bản {doc.id} (phiên bản {state[1]}, "
                                    f"lưu trữ: {doc.version})",
                                    f"the index holds an old version of {doc.id} (version {state[1]}, "
                                    f"archive: {doc.version})"))
        for extra in sorted(set(indexed) - seen):
            problems.append(Msg(f"chỉ mục có văn bản {extra} không còn trong lưu trữ (hoặc đã thu hồi)",
                                f"the index holds {extra}, which is not current in the archive"))
        return problems


def _tree(query: str | None, filters: SearchFilters) -> q.Node | None:
    """The parsed query: ``query`` and the filter's own query (both must hold)."""
    texts = [t for t in dict.fromkeys((query, filters.query)) if t and t.strip()]
    if not texts:
        return None
    trees = [q.parse_query(t) for t in texts]
    return trees[0] if len(trees) == 1 else q.And(trees)


def _release(writer: Any) -> None:
    """After a failed commit: cancel the writer if it still can be, free its lock."""
    with contextlib.suppress(Exception):  # the commit's own error is the one to report
        writer.cancel()
    lock = getattr(writer, "writelock", None)
    if lock is not None and getattr(lock, "fd", None) is not None:
        lock.release()


def _top(scores: Scores, n: int, primary: Any, key: Callable[[int], Any],
         tie: Callable[[int], Any]) -> list[int]:
    """The ``n`` documents of ``scores`` with the largest ``key`` (which starts with
    ``primary[d]``); documents with equal keys in the order of ``tie`` (their ids).

    Only the documents whose primary value reaches the n-th largest one can be in the top
    n, so the full key is computed for those alone. Ties are broken by id, not by where
    whoosh happened to place the documents, so an index answers in the same order however
    it was built (a rebuild, or years of filings, merges and optimizes).
    """
    if len(scores) <= 4 * n:
        candidates = list(scores)
    else:
        kth = heapq.nlargest(n, map(primary.__getitem__, scores))[-1]
        candidates = [d for d in scores if primary[d] >= kth]
    ranked = sorted(candidates, key=key, reverse=True)
    out: list[int] = []
    start = 0
    while start < len(ranked) and len(out) < n:
        head = key(ranked[start])
        end = start + 1
        while end < len(ranked) and key(ranked[end]) == head:
            end += 1
        run = ranked[start:end]
        out.extend(sorted(run, key=tie) if len(run) > 1 else run)
        start = end
    return out[:n]


_LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789"


def _splits(word: str) -> list[tuple[str, str]]:
    return [(word[:i], word[i:]) for i in range(len(word) + 1)]


def _cheap(word: str) -> set[str]:
    """Strings one delete or one transposition away from ``word``."""
    splits = _splits(word)
    return ({a + b[1:] for a, b in splits if b}
            | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1})


def _edits1(word: str) -> set[str]:
    """Every string one edit away from ``word`` (folded letters and digits)."""
    splits = _splits(word)
    replaces = {a + c + b[1:] for a, b in splits if b for c in _LETTERS if c != b[0]}
    inserts = {a + c + b for a, b in splits for c in _LETTERS}
    return (_cheap(word) | replaces | inserts) - {word, ""}


def _edits2_cheap(word: str) -> set[str]:
    """Two deletes or transposes away (letters typed twice, swapped pairs)."""
    return {e2 for e1 in _cheap(word) for e2 in _cheap(e1)} - {word, ""}


def folded_query_words(query: str) -> list[str]:
    return syllables(folded_text(query))
