"""Import benchmark (issue 13): speed and accuracy of `docgen import` on old papers.

    .venv/bin/python bench/bench_import.py              # 100 .docx a format, 30 .doc, 10 scanned pages
    .venv/bin/python bench/bench_import.py --quick      # 12 .docx a format, a few of the rest, < 3 min
    .venv/bin/python bench/bench_import.py --count 200  # 200 .docx a format, the rest in proportion

Builds (or reuses: cached under .pytest_cache/docgen-import-corpus) the test set of
tests/importing/corpus.py: papers docgen renders from examples/ with numbers, dates
2005–2025, the cells of twelve villages and paragraphs of ../shared/corpus/
vn-news-6k.jsonl.gz (read at run time), written out as Unicode, TCVN3, VNI and mixed
.docx, TCVN3 and VNI .doc, .odt, .rtf, TCVN3 .txt, text PDFs, scanned PDFs (200 dpi,
no text layer), .png and .tif. Prints the seconds each format took to build.

Then, for each format, a fresh archive (examples/docgen.toml, the villages' cells added
with `docgen cells add`) and one `docgen import FILES --json` with the default workers,
timed from the command's start to its end. Per format: files/s (and scanned pages/s),
mean character accuracy of the recovered text (`docgen show ID --text` against the
Unicode paper's text; 1 − Levenshtein / length), header fields (number, type, date,
cell) exactly right, papers listed for review, failures; the targets of issue 13
(≥ 5 .docx/s, ≥ 1 .doc/s, ≥ 0.3 scanned pages/s on 2 cores; accuracy ≥ 99.9% Word files,
≥ 99% text PDFs, ≥ 97% scans; header ≥ 95%) with PASS/MISS.

Baselines measured in the same run on the same files: python-docx's text of the .docx
(docgen.docxtext.docx_text: reading without any import work, a floor for the time and,
for legacy fonts, what a reader without the converter gets), one `soffice --convert-to
docx` batch of the .doc files, pdftotext of the text PDFs, and the bare `tesseract IMAGE
- -l vie` on the same page images (one thread each, as many at once as there are cores). Last, an
unaccented query made from each TCVN3 paper's title (`docgen search`, in-process) must
find it, as it finds the imported Unicode papers. Asserts nothing; exits 1 on a setup
failure.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "importing"))

import corpus  # noqa: E402
from importing_support import (  # noqa: E402
    ACCURACY_TARGETS,
    HEADER_TARGET,
    SCAN_PAGES_TARGET,
    SPEED_TARGETS,
    TestArchive,
    char_accuracy,
    header_accuracy,
    make_archive,
    results_for,
    unaccented_query,
)

from docgen.docxtext import docx_text  # noqa: E402

SCANNED = ("scan", "png", "tif")
TOOLS = ("soffice", "tesseract", "pdftoppm", "pdfinfo", "pdftotext")
SEARCH_SAMPLE = 40  # TCVN3 papers searched per format (each search opens the index)


def plan(count: int) -> dict[str, int]:
    """Files per format for ``count`` .docx a format (100: 30 .doc, 5 two-page scans)."""
    some = max(2, round(count * 0.3))
    few = max(1, round(count * 0.1))
    return {"unicode-docx": count, "tcvn3-docx": count, "vni-docx": count,
            "mixed-docx": max(2, count // 2), "tcvn3-doc": some, "vni-doc": some,
            "unicode-odt": few, "tcvn3-odt": few, "unicode-rtf": few, "tcvn3-rtf": few,
            "tcvn3-txt": max(2, round(count * 0.2)), "pdf": some,
            "scan": max(1, round(count / 20)), "png": max(1, round(count / 50)), "tif": 1}


@dataclass
class Measured:
    name: str
    files: int
    pages: int
    seconds: float
    code: int
    accuracy: float
    header: float
    review: int
    failed: int
    imported: int
    errors: list[str] = field(default_factory=list)
    ids: dict[str, str] = field(default_factory=dict)  # file name → id


def fail(message: str) -> int:
    print(f"setup failure: {message}", file=sys.stderr, flush=True)
    return 1


def check_setup() -> str | None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        return f"missing {', '.join(missing)} (make sysdeps)"
    if not corpus.NEWS.is_file():
        return f"the news corpus {corpus.NEWS} is missing"
    probe = TestArchive(Path(tempfile.gettempdir()) / "no-archive", corpus.CONFIG).run("import", "--help")
    if probe.code != 0:
        return f"`docgen import --help` failed ({probe.code}): {probe.stderr.strip()[:300]}"
    return None


def import_format(name: str, samples: list[corpus.Sample], work: Path) -> Measured:
    archive = make_archive(work / name, corpus.VILLAGES)
    run = archive.import_files([s.path for s in samples])
    pages = sum(s.pages or 0 for s in samples) if name in SCANNED else 0
    try:
        report: dict[str, Any] = json.loads(run.stdout)
    except json.JSONDecodeError:
        return Measured(name, len(samples), pages, run.seconds, run.code, 0.0, 0.0, 0, len(samples), 0,
                        [f"no JSON report (exit {run.code}): {run.stderr.strip()[-300:]}"])
    rows = results_for(samples, report)
    scores, ids, errors = [], {}, []
    for sample, row in zip(samples, rows, strict=True):
        text = ""
        if row is not None and row.get("id"):
            ids[sample.path.name] = row["id"]
            text = archive.text(row["id"])
        elif row is not None and row.get("error"):
            errors.append(f"{sample.path.name}: {row['error']}")
        scores.append(char_accuracy(sample.text, text))
    summary = report.get("summary", {})
    return Measured(name, len(samples), pages, run.seconds, run.code, sum(scores) / len(scores),
                    header_accuracy(samples, rows), int(summary.get("review", 0)),
                    int(summary.get("failed", 0)), int(summary.get("imported", 0)), errors, ids)


# ------------------------------------------------------------------ baselines
def baseline_docx(samples: list[corpus.Sample]) -> tuple[float, float]:
    """(files/s, mean character accuracy) of python-docx's text of the files."""
    started = time.perf_counter()
    texts = [docx_text(s.path) for s in samples]
    seconds = time.perf_counter() - started
    return len(samples) / seconds, sum(char_accuracy(s.text, t) for s, t in zip(samples, texts, strict=True)) / len(samples)


def baseline_soffice(samples: list[corpus.Sample], work: Path) -> float:
    """Files/s of one `soffice --convert-to docx` batch of the files (own profile)."""
    out = work / "soffice-baseline"
    profile = work / "soffice-baseline-profile"
    started = time.perf_counter()
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                    "--convert-to", "docx", "--outdir", str(out), *(str(s.path) for s in samples)],
                   check=True, capture_output=True, timeout=60 + 10 * len(samples))
    return len(samples) / (time.perf_counter() - started)


def baseline_pdftotext(samples: list[corpus.Sample]) -> tuple[float, float]:
    started = time.perf_counter()
    texts = [subprocess.run(["pdftotext", str(s.path), "-"], capture_output=True, text=True,
                            check=True).stdout for s in samples]
    seconds = time.perf_counter() - started
    return len(samples) / seconds, sum(char_accuracy(s.text, t) for s, t in zip(samples, texts, strict=True)) / len(samples)


def baseline_tesseract(samples: list[corpus.Sample], work: Path, workers: int) -> tuple[float, float, int]:
    """(pages/s, mean character accuracy, pages) of the bare tesseract CLI on the page
    images of the scans (rasterised beforehand, untimed), ``workers`` at once."""
    jobs: list[tuple[int, Path]] = []
    for i, sample in enumerate(samples):
        if sample.path.suffix == ".pdf":
            pages = corpus.rasterise(sample.path, work / "tesseract-pages" / f"{i:03d}")
        elif sample.path.suffix == ".tif":
            from PIL import Image, ImageSequence

            folder = work / "tesseract-pages" / f"{i:03d}"
            folder.mkdir(parents=True, exist_ok=True)
            pages = []
            with Image.open(sample.path) as image:
                for n, frame in enumerate(ImageSequence.Iterator(image)):
                    page = folder / f"page-{n + 1}.png"
                    frame.save(page)
                    pages.append(page)
        else:
            pages = [sample.path]
        jobs.extend((i, page) for page in pages)

    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}  # one thread each: ``workers`` at once fill the cores

    def ocr(page: Path) -> str:
        return subprocess.run(["tesseract", str(page), "-", "-l", "vie"], capture_output=True,
                              text=True, check=True, env=env).stdout

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        texts = list(pool.map(ocr, [page for _, page in jobs]))
    seconds = time.perf_counter() - started
    joined: dict[int, list[str]] = {}
    for (i, _page), text in zip(jobs, texts, strict=True):
        joined.setdefault(i, []).append(text)
    accuracy = sum(char_accuracy(s.text, "\n".join(joined.get(i, []))) for i, s in enumerate(samples)) / len(samples)
    return len(jobs) / seconds, accuracy, len(jobs)


# ----------------------------------------------------------------- search
def search_share(measured: Measured, samples: list[corpus.Sample], work: Path) -> tuple[int, int]:
    """(found, asked): papers found by an unaccented query made from their title."""
    archive = TestArchive(work / measured.name / "archive", corpus.CONFIG)
    asked = found = 0
    for sample in samples[:SEARCH_SAMPLE]:
        doc_id = measured.ids.get(sample.path.name)
        if doc_id is None:
            asked += 1
            continue
        result = archive.invoke("search", unaccented_query(sample.header.title), "--json", "--limit", "200")
        asked += 1
        if result.code == 0 and doc_id in {hit["id"] for hit in json.loads(result.stdout)["hits"]}:
            found += 1
    return found, asked


# ---------------------------------------------------------------- printing
def mark(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def report(measured: list[Measured]) -> None:
    print("\nimport per format (one `docgen import --json` each, fresh archive)")
    print(f"{'format':13} {'files':>5} {'pages':>5} {'secs':>6} {'files/s':>7} {'pages/s':>7} "
          f"{'chars':>8} {'header':>7} {'review':>6} {'failed':>6}  targets")
    for m in measured:
        suffix = corpus.FORMATS[m.name][1]
        per_s = m.files / m.seconds
        pages_s = m.pages / m.seconds if m.pages else None
        checks = []
        if m.name in SCANNED:
            checks.append(f"≥{SCAN_PAGES_TARGET} pages/s {mark(pages_s is not None and pages_s >= SCAN_PAGES_TARGET)}")
        elif suffix in SPEED_TARGETS:
            checks.append(f"≥{SPEED_TARGETS[suffix]:g} files/s {mark(per_s >= SPEED_TARGETS[suffix])}")
        target = ACCURACY_TARGETS.get(m.name)
        if target is not None:
            checks.append(f"chars ≥{target:.1%} {mark(m.accuracy >= target)}")
        checks.append(f"header ≥{HEADER_TARGET:.0%} {mark(m.header >= HEADER_TARGET)}")
        print(f"{m.name:13} {m.files:5d} {m.pages or '-':>5} {m.seconds:6.1f} {per_s:7.2f} "
              f"{f'{pages_s:.2f}' if pages_s else '-':>7} {m.accuracy:8.3%} {m.header:7.1%} "
              f"{m.review:6d} {m.failed:6d}  {'; '.join(checks)}", flush=True)
        if m.code not in (0, 10):
            print(f"    exit status {m.code}")
        for error in m.errors[:3]:
            print(f"    failed: {error}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100, help=".docx per format (the rest in proportion)")
    parser.add_argument("--quick", action="store_true", help="--count 12")
    parser.add_argument("--keep", type=Path, default=None, help="keep the archives in this folder")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    count = 12 if args.quick else args.count
    problem = check_setup()
    if problem:
        return fail(problem)
    workers = os.cpu_count() or 1
    print(f"bench_import: {count} .docx a format, {workers} cores", flush=True)

    counts = plan(count)
    started = time.perf_counter()
    try:
        folder, samples = corpus.cached_corpus(count, None, args.seed, counts, villages=corpus.VILLAGES,
                                               scan_pages=2)
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        return fail(f"building the test set: {exc}")
    took = time.perf_counter() - started
    seconds = corpus.corpus_seconds(folder)
    print(f"test set: {len(samples)} files in {folder} ({'built' if took > 2 else 'cached'}; "
          f"built in {seconds['total']:.1f} s)")
    for name, n in counts.items():
        secs = seconds.get(name, 0.0)
        print(f"  build {name:13} {n:4d} files  {secs:6.2f} s  {secs / n:6.3f} s/file")
    print(f"  render (all papers)     {seconds.get('render', 0.0):6.2f} s; news {seconds.get('news', 0.0):.2f} s",
          flush=True)

    by_format: dict[str, list[corpus.Sample]] = {}
    for sample in samples:
        by_format.setdefault(sample.format, []).append(sample)
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-import-"))
    work.mkdir(parents=True, exist_ok=True)
    measured: list[Measured] = []
    try:
        for name in corpus.FORMATS:
            if name in by_format:
                print(f"importing {len(by_format[name])} {name} …", flush=True)
                measured.append(import_format(name, by_format[name], work))
        report(measured)
        speeds = {m.name: m for m in measured}

        print("\nbaselines (same files, same run)")
        for name in ("unicode-docx", "tcvn3-docx", "vni-docx", "mixed-docx"):
            m = speeds[name]
            rate, accuracy = baseline_docx(by_format[name])
            print(f"  python-docx text of {name:13} {rate:8.1f} files/s (import {m.files / m.seconds:.2f}: "
                  f"{m.files / m.seconds / rate:.3f}×), chars {accuracy:.2%} (import {m.accuracy:.2%})")
        docs = by_format["tcvn3-doc"] + by_format["vni-doc"]
        rate = baseline_soffice(docs, work)
        imported = (speeds["tcvn3-doc"].files + speeds["vni-doc"].files) / (
            speeds["tcvn3-doc"].seconds + speeds["vni-doc"].seconds)
        print(f"  soffice --convert-to docx, one batch of {len(docs)} .doc  {rate:6.2f} files/s "
              f"(import {imported:.2f}: {imported / rate:.2f}×)")
        rate, accuracy = baseline_pdftotext(by_format["pdf"])
        m = speeds["pdf"]
        print(f"  pdftotext of the text PDFs        {rate:6.1f} files/s (import {m.files / m.seconds:.2f}: "
              f"{m.files / m.seconds / rate:.3f}×), chars {accuracy:.2%} (import {m.accuracy:.2%})")
        scans = [s for name in SCANNED for s in by_format.get(name, [])]
        rate, accuracy, pages = baseline_tesseract(scans, work, workers)
        scan_pages = sum(speeds[n].pages for n in SCANNED if n in speeds)
        scan_secs = sum(speeds[n].seconds for n in SCANNED if n in speeds)
        print(f"  bare tesseract -l vie, {pages} pages, {workers} at once  {rate:5.2f} pages/s "
              f"(import {scan_pages / scan_secs:.2f}: {scan_pages / scan_secs / rate:.2f}×), chars {accuracy:.2%} "
              f"(import {sum(speeds[n].accuracy * speeds[n].files for n in SCANNED) / len(scans):.2%})")

        print("\nunaccented search by title words (in-process `docgen search`)")
        unicode_found, unicode_asked = search_share(speeds["unicode-docx"], by_format["unicode-docx"], work)
        print(f"  unicode-docx (as filed papers): {unicode_found}/{unicode_asked} found")
        total_found = total_asked = 0
        for name in ("tcvn3-docx", "mixed-docx", "tcvn3-doc", "tcvn3-odt", "tcvn3-rtf", "tcvn3-txt"):
            found, asked = search_share(speeds[name], by_format[name], work)
            total_found += found
            total_asked += asked
            print(f"  {name:13} {found}/{asked} found")
        share = total_found / total_asked if total_asked else 0.0
        base = unicode_found / unicode_asked if unicode_asked else 0.0
        print(f"  TCVN3 papers found: {share:.1%} (Unicode papers: {base:.1%}) "
              f"{mark(share >= base and share > 0)}")
    except (subprocess.SubprocessError, OSError, KeyError, ValueError) as exc:
        return fail(f"{type(exc).__name__}: {exc}")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
