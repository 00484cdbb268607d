"""Search benchmark: reindex speed, index size, query latency; SQLite FTS5 as a reference.

    .venv/bin/python bench/bench_search.py --size 50000

Builds ``--size`` ArchivedDoc objects from ../shared/corpus/vn-news-6k.jsonl.gz (read at
run time; articles repeated with new cells, kinds, dates 2016-2026 and topics), indexes
them with docgen.search.SearchIndex.rebuild, then times a query mix (single terms,
3-syllable phrases, unaccented queries, abbreviations, filtered and date-sorted queries)
through SearchIndex.search and through SQLite FTS5 (unicode61 remove_diacritics 2, đ
mapped to d by hand) on the same documents, plus "did you mean" (queries that find
nothing) and "more like this". Prints numbers; asserts nothing.

``--archive N`` (default 5,000; 0 skips) also files N of the documents into a real on-disk
archive (copies of one small .docx, the article as content.txt) and times `docgen
reindex` on it end to end (catalog, texts, workers, swap, catch-up) against the
in-memory rebuild of the same N documents.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import gzip
import io
import json
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from docgen.model.meta import ArchivedDoc, DocMeta, RenderedDocument
from docgen.search import SearchFilters, SearchIndex
from docgen.topics import load_topics
from docgen.vn.text import fold

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "vn-news-6k.jsonl.gz"
KINDS = [("nghi-quyet", "NQ", "NGHỊ QUYẾT"), ("bien-ban", "BB", "BIÊN BẢN"),
         ("ke-hoach", "KH", "KẾ HOẠCH"), ("bien-ban-chuyen-de", "BB", "BIÊN BẢN"),
         ("de-cuong", "", "ĐỀ CƯƠNG")]
VILLAGES = ["An Thành", "Bình Minh", "Đông Hòa", "Tân Lập", "Phú Xuân", "Hòa Bình", "Quang Trung",
            "Yên Thịnh", "Thượng Đức", "Hạ Long", "Ngọc Lâm", "Kim Sơn", "Bắc Hà", "Đồng Tâm",
            "Thủy Lợi", "Xuân Phương", "Cẩm Giàng", "Lạc Hồng", "Vĩnh Phúc", "Tiền Phong"]
COMMUNES = ["Quang Kim", "Bản Xèo", "Cốc San", "Tòng Sành", "Phìn Ngan", "Hợp Thành"]


def load_corpus(path: Path) -> list[dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def make_docs(articles: list[dict[str, str]], size: int, seed: int = 7) -> Iterator[ArchivedDoc]:
    rng = random.Random(seed)
    topics = [t.id for t in load_topics()]
    start = dt.date(2016, 1, 1).toordinal()
    span = dt.date(2026, 10, 31).toordinal() - start
    for i in range(size):
        art = articles[i % len(articles)]
        kind, sym, type_name = KINDS[rng.randrange(len(KINDS))]
        cell = f"CHI BỘ THÔN {rng.choice(VILLAGES).upper()}"
        commune = rng.choice(COMMUNES)
        meta = DocMeta(kind=kind, cell=cell, superior=f"ĐẢNG BỘ XÃ {commune.upper()}",
                       issuer_symbol="CB", type_symbol=sym, number=(i % 40) + 1 if sym else None,
                       date=dt.date.fromordinal(start + rng.randrange(span)),
                       title=f"{type_name} {art['title']}", topics=tuple(rng.sample(topics, rng.randint(0, 2))),
                       numbered=bool(sym))
        yield ArchivedDoc(id=f"b{i:06d}", meta=meta, version=1, status="current",
                          folder=Path("/nonexistent"), docx_path=Path("/nonexistent/x.docx"),
                          docx_sha256=f"{i:064x}", created_at="2026-01-01T00:00:00Z",
                          created_by="bench", text=art["text"])


# query mix: (label, query, filters, sort)
def query_mix() -> list[tuple[str, str, SearchFilters, str]]:
    singles = ["rác", "Đảng", "giáo", "xe", "bóng", "thuế", "điện", "trường", "ngân", "lũ"]
    phrases = ['"an toàn giao thông"', '"bảo vệ môi trường"', '"thị trường chứng khoán"',
               '"giáo dục đào tạo"', '"biến đổi khí hậu"', '"chuyển đổi số"', '"tai nạn giao thông"',
               '"bảo hiểm y tế"', '"giải phóng mặt bằng"', '"phòng cháy chữa cháy"']
    unaccented = ["ve sinh moi truong", "nong thon moi", "an ninh trat tu", "bao hiem xa hoi",
                  "hoc sinh", "cong an", "dang uy", "ngan hang", "benh vien", "gia vang"]
    abbrevs = ["VSMT", "NTM", "ATGT", "ANTT", "CĐS", "PTĐV", "BHYT", "PCCC", "HĐND", "OCOP"]
    mix = [("single", s, SearchFilters(), "relevance") for s in singles]
    mix += [("phrase", p, SearchFilters(), "relevance") for p in phrases]
    mix += [("unaccented", u, SearchFilters(), "relevance") for u in unaccented]
    mix += [("abbrev", a, SearchFilters(), "relevance") for a in abbrevs]
    mix += [("filtered", s, SearchFilters(kind="nghi-quyet", year=2020 + i % 6), "relevance")
            for i, s in enumerate(["giáo dục", "công an", "thuế", "điện", "rác thải"])]
    mix += [("filtered", s, SearchFilters(topic="vsmt", cell="Bình Minh"), "relevance")
            for s in ["môi trường", "xe"]]
    mix += [("date-sorted", s, SearchFilters(), "date") for s in ["giao thông", "nông thôn", "Đảng ủy"]]
    mix += [("date-sorted", s, SearchFilters(date_from=dt.date(2022, 1, 1)), "date")
            for s in ["bão lũ", "học sinh"]]
    return mix


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def bench_docgen(docs: list[ArchivedDoc], where: Path, rounds: int) -> dict[str, Any]:
    index = SearchIndex(where / "index")
    t0 = time.perf_counter()
    n = index.rebuild(docs)
    build = time.perf_counter() - t0
    size = sum(f.stat().st_size for f in (where / "index").iterdir())
    # Queries run in a fresh process that only opens the index, as `docgen search` does:
    # this process holds every document in memory, which slows Python's garbage collector.
    child = subprocess.run([sys.executable, __file__, "--query-only", str(where / "index"),
                            "--rounds", str(rounds)], capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(child.stdout)
    result.update(docs=n, build_s=build, docs_per_s=n / build, size_mb=size / 1e6,
                  segments=len(list((where / "index").glob("*.seg"))))
    return result


def time_queries(path: Path, rounds: int) -> dict[str, Any]:
    """Query timings on the index at ``path`` (the --query-only child process)."""
    t = time.perf_counter()
    index = SearchIndex(path)
    index.search("khởi động")  # the CLI pays this once per run: reported as open_ms
    open_ms = (time.perf_counter() - t) * 1000
    times: dict[str, list[float]] = {}
    for _ in range(rounds):
        for label, query, filters, sort in query_mix():
            t = time.perf_counter()
            index.search(query, filters, sort=sort, limit=10)
            times.setdefault(label, []).append((time.perf_counter() - t) * 1000)
    allt = [x for v in times.values() for x in v]
    for query in ("vệ sinh môi trườnh", "nông thôm mới", "an ninh trạt tự", "chuyen dôi sô"):
        t = time.perf_counter()
        index.search(query)
        times.setdefault("did-you-mean", []).append((time.perf_counter() - t) * 1000)
    for doc_id in index.ids(None, sort="date", limit=3):  # any size of benchmark archive
        t = time.perf_counter()
        index.similar(doc_id)
        times.setdefault("similar", []).append((time.perf_counter() - t) * 1000)
    return {"open_ms": open_ms, "p50": pct(allt, 50), "p95": pct(allt, 95),
            "by_kind": {k: (pct(v, 50), pct(v, 95)) for k, v in times.items()}}


def _fts_fold(text: str) -> str:
    return text.replace("đ", "d").replace("Đ", "D")


def _fts_query(query: str, filters: SearchFilters) -> tuple[str, list[object]]:
    q = _fts_fold(query)
    if not q.startswith('"'):
        q = " ".join(f'"{w}"' for w in q.split())
    where = ["docs MATCH ?"]
    args: list[object] = [q]
    if filters.kind:
        where.append("kind = ?")
        args.append(filters.kind)
    if filters.year:
        where.append("substr(day, 1, 4) = ?")
        args.append(str(filters.year))
    if filters.date_from:
        where.append("day >= ?")
        args.append(filters.date_from.isoformat())
    if filters.topic:
        where.append("topics LIKE ?")
        args.append(f"%{filters.topic}%")
    if filters.cell:
        where.append("cell LIKE ?")
        args.append(f"%{fold(filters.cell)}%")
    return " AND ".join(where), args


def bench_fts5(docs: list[ArchivedDoc], where: Path, rounds: int) -> dict[str, object]:
    db = sqlite3.connect(where / "fts.db")
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(title, body, kind UNINDEXED, day UNINDEXED, "
               "topics UNINDEXED, cell UNINDEXED, tokenize = 'unicode61 remove_diacritics 2')")
    t0 = time.perf_counter()
    db.executemany("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?)",
                   ((_fts_fold(d.meta.title), _fts_fold(d.text), d.meta.kind, d.meta.date.isoformat(),
                     " ".join(d.meta.topics), fold(d.meta.cell)) for d in docs))
    db.commit()
    build = time.perf_counter() - t0
    times = []
    for _ in range(rounds):
        for _label, query, filters, sort in query_mix():
            cond, args = _fts_query(query, filters)
            order = "day DESC" if sort == "date" else "rank"
            t = time.perf_counter()
            db.execute(f"SELECT rowid FROM docs WHERE {cond} ORDER BY {order} LIMIT 10", args).fetchall()
            db.execute(f"SELECT count(*) FROM docs WHERE {cond}", args).fetchone()
            times.append((time.perf_counter() - t) * 1000)
    db.close()
    size = (where / "fts.db").stat().st_size
    return {"build_s": build, "docs_per_s": len(docs) / build, "size_mb": size / 1e6,
            "p50": pct(times, 50), "p95": pct(times, 95)}


def _small_docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("NGHỊ QUYẾT")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def file_into_archive(root: Path, docs: list[ArchivedDoc]) -> float:
    """File ``docs`` into a real archive at ``root`` (copies of one small .docx, each text as
    content.txt) in one batch; returns the seconds it took."""
    from bench_archive import Copy  # the same numberable copy the archive benchmark files

    from docgen.archive import Archive

    data = _small_docx()
    texts = {d.meta.title: d.text for d in docs}

    def render(doc: Any) -> RenderedDocument:
        return RenderedDocument(meta=doc.meta, docx=data, input_data={}, text=texts[doc.meta.title],
                                template_sha256="0" * 64)

    t0 = time.perf_counter()
    archive = Archive(root)
    with archive.batch() as batch:
        for d in docs:
            meta = dataclasses.replace(d.meta, number=None, term_start=dt.date(2015, 8, 1))
            batch.file(Copy(meta), render, "bench")
    archive.close()
    return time.perf_counter() - t0


def bench_archive_reindex(docs: list[ArchivedDoc], where: Path) -> None:
    """File ``docs`` into a real archive, then time `docgen reindex` against an in-memory rebuild."""
    from click.testing import CliRunner

    from docgen.cli import main as cli

    root = where / "archive"
    setup = file_into_archive(root, docs)
    t0 = time.perf_counter()
    res = CliRunner().invoke(cli, ["--lang", "en", "--archive", str(root), "reindex"])
    reindex = time.perf_counter() - t0
    assert res.exit_code == 0, res.output
    t0 = time.perf_counter()
    SearchIndex(where / "memory-index").rebuild(docs)
    memory = time.perf_counter() - t0
    n = len(docs)
    print(f"docgen reindex on a real archive of {n} (filed in {setup:.0f} s): {reindex:.1f} s = "
          f"{n / reindex:.0f} docs/s; in-memory rebuild of the same documents {memory:.1f} s = "
          f"{n / memory:.0f} docs/s; ratio {reindex / memory:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=50000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--keep", type=Path, default=None, help="keep the index in this folder")
    parser.add_argument("--archive", type=int, default=5000,
                        help="documents for the on-disk `docgen reindex` run (0: skip)")
    parser.add_argument("--query-only", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.query_only:
        print(json.dumps(time_queries(args.query_only, args.rounds)))
        return
    articles = load_corpus(args.corpus)
    docs = list(make_docs(articles, args.size))
    words = sum(len(d.text.split()) for d in docs) / len(docs)
    print(f"documents: {len(docs)}  average words: {words:.0f}  (2-core machine shared with other jobs)")
    where = Path(tempfile.mkdtemp(prefix="bench-search-"))
    try:
        ours = bench_docgen(docs, where, args.rounds)
        print(f"docgen/whoosh: reindex {ours['build_s']:.1f} s = {ours['docs_per_s']:.0f} docs/s, "
              f"index {ours['size_mb']:.0f} MB in {ours['segments']} segments, "
              f"query p50 {ours['p50']:.1f} ms, p95 {ours['p95']:.1f} ms (query mix only; "
              f"opening the index and the first query: {ours['open_ms']:.0f} ms)")
        for label, (p50, p95) in ours["by_kind"].items():
            print(f"    {label:12s} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms")
        ref = bench_fts5(docs, where, args.rounds)
        print(f"sqlite fts5:   insert {ref['build_s']:.1f} s = {ref['docs_per_s']:.0f} docs/s, "
              f"db {ref['size_mb']:.0f} MB, query p50 {ref['p50']:.1f} ms, p95 {ref['p95']:.1f} ms")
        print(f"ratio docgen/fts5: p50 {ours['p50'] / ref['p50']:.1f}x, p95 {ours['p95'] / ref['p95']:.1f}x, "
              f"indexing {ref['docs_per_s'] / ours['docs_per_s']:.1f}x slower")
        if args.archive:
            bench_archive_reindex(docs[:args.archive], where)
    finally:
        if args.keep:
            shutil.copytree(where / "index", args.keep, dirs_exist_ok=True)
        shutil.rmtree(where, ignore_errors=True)


if __name__ == "__main__":
    main()
