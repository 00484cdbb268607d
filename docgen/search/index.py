"""SearchIndex: the on-disk index of the archive's current documents (a rebuildable cache)."""

from __future__ import annotations

import heapq
import itertools
import os
import shutil
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from whoosh import index as windex
from whoosh.index import LockError

from docgen.errors import SearchError
from docgen.i18n import Msg
from docgen.model.meta import ArchivedDoc
from docgen.search import query as q
from docgen.search.aliases import AliasGroups, load_aliases
from docgen.search.analysis import cleaned, folded_grams, folded_text, syllables, tone_variants
from docgen.search.engine import Engine, Scores
from docgen.search.evaluate import Evaluator, QueryInfo
from docgen.search.results import SearchFilters, SearchHit, SearchResults
from docgen.search.schema import SCHEMA_VERSION, VERSION_FILE, build_schema
from docgen.search.snippets import snippets_for
from docgen.search.topicmatch import suggest_topics
from docgen.vn.text import clean

LOCK_FILE = "MAIN_WRITELOCK"
PID_FILE = "docgen-writer.pid"
RERANK_WINDOW = 30
EXACT_BONUS = 0.35  # share of the score added when the accented query words appear as typed
WRITER_MB = 256
REBUILD_PROCS = max(1, min(2, os.cpu_count() or 1))
PARALLEL_MIN_DOCS = 500  # below this, one process is faster than starting workers

NO_FILTERS = SearchFilters()
_REINDEX = Msg("chạy: docgen reindex", "run: docgen reindex")


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
    return {
        "id": doc.id, "kind": m.kind, "cell": clean(m.cell), "year": str(m.date.year),
        "day": m.date.isoformat(), "topics": " ".join(topics), "title": title, "org": f"{m.cell}\n{m.superior}", "body": doc.text,
        "doc": _stored(doc, topics),
    }


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
        self.aliases_path = aliases_path
        self.topics_path = topics_path
        self._ix: Any = None
        self._searcher: Any = None
        self._engine: Engine | None = None
        self._aliases: AliasGroups | None = None

    # state ------------------------------------------------------------------
    def exists(self) -> bool:
        return self.path.is_dir() and windex.exists_in(str(self.path))

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
    def rebuild(self, docs: Iterable[ArchivedDoc], progress: Callable[[int], None] | None = None) -> int:
        """Build a fresh index from ``docs`` next to the old one, then swap; returns the count.

        ``progress`` is called with 1 after each document. Withdrawn documents are skipped.
        """
        self.close()
        fresh = self.path.with_name(self.path.name + ".new")
        shutil.rmtree(fresh, ignore_errors=True)
        fresh.mkdir(parents=True)
        ix = windex.create_in(str(fresh), build_schema())
        count = 0
        stream = iter(docs)
        head = list(itertools.islice(stream, PARALLEL_MIN_DOCS))
        parallel = REBUILD_PROCS > 1 and len(head) == PARALLEL_MIN_DOCS
        writer = (ix.writer(limitmb=WRITER_MB, procs=REBUILD_PROCS, multisegment=True) if parallel
                  else ix.writer(limitmb=WRITER_MB))
        try:
            for doc in itertools.chain(head, stream):
                if doc.status == "current":
                    writer.add_document(**index_fields(doc, self.topics_path))
                    count += 1
                if progress is not None:
                    progress(1)
        except BaseException:
            writer.cancel()
            ix.close()
            shutil.rmtree(fresh, ignore_errors=True)
            raise
        writer.commit()
        ix.close()
        (fresh / VERSION_FILE).write_text(f"{SCHEMA_VERSION}\n", "utf-8")
        self._swap_in(fresh)
        return count

    def _swap_in(self, fresh: Path) -> None:
        old = self.path.with_name(self.path.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if self.path.exists():
            self.path.rename(old)
        fresh.rename(self.path)
        shutil.rmtree(old, ignore_errors=True)

    def create_empty(self) -> None:
        self.rebuild(())

    def add_many(self, docs: Iterable[ArchivedDoc]) -> int:
        """Add or replace (by id) ``docs`` in one commit; withdrawn ones are removed."""
        docs = list(docs)
        if not self.exists():
            self.create_empty()
        if self.needs_rebuild():
            raise self._outdated()
        ix = self._open()
        with self._writer(ix) as writer:
            for doc in docs:
                writer.delete_by_term("id", doc.id)
                if doc.status == "current":
                    writer.add_document(**index_fields(doc, self.topics_path))
        self.close()
        return len(docs)

    @contextmanager
    def _writer(self, ix: Any) -> Iterator[Any]:
        try:
            writer = ix.writer(timeout=2.0, delay=0.1, limitmb=WRITER_MB)
        except LockError as exc:
            raise self._locked() from exc
        pid_file = self.path / PID_FILE
        pid_file.write_text(str(os.getpid()), "utf-8")
        try:
            yield writer
        except BaseException:
            writer.cancel()
            pid_file.unlink(missing_ok=True)
            raise
        writer.commit()
        pid_file.unlink(missing_ok=True)

    def _locked(self) -> SearchError:
        lock = self.path / LOCK_FILE
        try:
            pid = (self.path / PID_FILE).read_text("utf-8").strip()
        except OSError:
            pid = "?"
        return SearchError(
            Msg(f"chỉ mục tìm kiếm đang bị khóa bởi một tiến trình docgen khác (PID {pid}, tệp khóa {lock})",
                f"the search index is locked by another docgen process (PID {pid}, lock file {lock})"),
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
            self._aliases = load_aliases(self.aliases_path)
        return self._aliases

    def _guarded(self, fn: Callable[[], Any]) -> Any:
        try:
            return fn()
        except SearchError:
            raise
        except Exception as exc:  # noqa: BLE001 - damaged postings surface while reading
            raise _corrupt(self.path, exc) from exc

    # searching --------------------------------------------------------------
    def search(self, query: str, filters: SearchFilters = NO_FILTERS, sort: str = "relevance",
               limit: int = 10, page: int = 1) -> SearchResults:
        """Documents matching ``query`` (see docgen.search.query) and ``filters``."""
        tree = q.parse_query(query) if query and query.strip() else None
        results: SearchResults = self._guarded(
            lambda: self._search(tree, filters, sort, max(1, limit), max(1, page)))
        return results

    def _ranked(self, tree: q.Node | None, filters: SearchFilters, sort: str,
                upto: int) -> tuple[Engine, Scores, list[int], QueryInfo]:
        eng = self.engine()
        ev = Evaluator(eng, self.aliases)
        scores: Scores = ev.node(tree) if tree is not None else dict.fromkeys(eng.live(), 0.0)
        allowed = ev.filters(filters)
        if allowed is not None:
            scores = {d: s for d, s in scores.items() if d in allowed}
        return eng, scores, self._order(eng, scores, ev.info, sort, upto), ev.info

    def _search(self, tree: q.Node | None, filters: SearchFilters, sort: str, limit: int,
                page: int) -> SearchResults:
        eng, scores, order, info = self._ranked(tree, filters, sort, limit * page)
        chosen = order[(page - 1) * limit: page * limit]
        hits = tuple(self._hit(eng, d, scores[d], info) for d in chosen)
        facets = self._facets(eng, scores)
        suggestion = self._did_you_mean(eng, info) if not scores and tree is not None else None
        return SearchResults(hits, len(scores), page, limit, facets, suggestion)

    def ids(self, query: str | None, filters: SearchFilters = NO_FILTERS, sort: str = "relevance",
            limit: int = 10000) -> list[str]:
        """Only the ids of the best ``limit`` matches (no snippets, no facets)."""
        tree = q.parse_query(query) if query and query.strip() else None

        def run() -> list[str]:
            eng, _scores, order, _info = self._ranked(tree, filters, sort, max(1, limit))
            return [str(eng.searcher.stored_fields(d)["id"]) for d in order]
        return list(self._guarded(run))

    def _order(self, eng: Engine, scores: Scores, info: QueryInfo, sort: str, upto: int) -> list[int]:
        days = eng.values("day")
        if sort == "date":
            return heapq.nlargest(upto, scores, key=lambda d: (days.get(d, ""), scores[d]))
        if sort != "relevance":
            raise SearchError(Msg(f"cách sắp xếp không hợp lệ: {sort}", f"invalid sort: {sort}"),
                              field="sort", hint=Msg("dùng relevance hoặc date", "use relevance or date"))
        window = heapq.nlargest(max(upto, RERANK_WINDOW), scores,
                                key=lambda d: (scores[d], days.get(d, "")))
        if info.exact_units:
            head = window[:max(RERANK_WINDOW, min(upto, 200))]
            for d in head:
                scores[d] *= 1 + EXACT_BONUS * self._exact_share(eng, d, info.exact_units)
            head.sort(key=lambda d: (scores[d], days.get(d, "")), reverse=True)
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

    def _facets(self, eng: Engine, scores: Scores) -> dict[str, dict[str, int]]:
        matched = scores.keys()
        facets: dict[str, dict[str, int]] = {}
        for field in ("kind", "cell", "year"):
            values = eng.values(field)
            counts = Counter(values[d] for d in matched if d in values)
            facets[field] = dict(counts.most_common())
        topics: dict[str, int] = {}
        for topic in eng.terms("topics"):
            n = len(eng.doc_set("topics", topic) & matched)
            if n:
                topics[topic] = n
        facets["topic"] = dict(sorted(topics.items(), key=lambda kv: -kv[1]))
        return facets

    def _did_you_mean(self, eng: Engine, info: QueryInfo) -> str | None:
        reader = eng.searcher.reader()
        changed = False
        words = []
        for word in info.plain_words:
            if reader.doc_frequency("body", word) or reader.doc_frequency("title", word):
                words.append(word)
                continue
            best = None
            for dist in (1, 2):
                near = [t.decode() if isinstance(t, bytes) else t
                        for t in reader.terms_within("body", word, dist)]
                near = [t for t in near if "_" not in t]
                if near:
                    best = max(near, key=lambda t: reader.doc_frequency("body", t))
                    break
            words.append(best or word)
            changed = changed or best is not None
        return " ".join(words) if changed else None

    def similar(self, doc_id: str, limit: int = 10) -> SearchResults:
        """Documents most like ``doc_id`` (shared distinctive words and topics)."""
        results: SearchResults = self._guarded(lambda: self._similar(doc_id, max(1, limit)))
        return results

    def _similar(self, doc_id: str, limit: int) -> SearchResults:
        eng = self.engine()
        found = [d for d in eng.postings("id", doc_id)]
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

    def drift(self, docs: Iterable[ArchivedDoc]) -> list[Msg]:
        """Differences between the archive's current documents and the index."""
        indexed = self.stored_states()
        problems: list[Msg] = []
        seen: set[str] = set()
        for doc in docs:
            if doc.status != "current":
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


def folded_query_words(query: str) -> list[str]:
    return syllables(folded_text(query))
