"""Shared helpers for the import tests (real LibreOffice, tesseract and poppler; real
files). Imported by name (``from importing_support import …``), not as ``conftest``.

Also the measures of issue 13's figures, shared with bench/bench_import.py:
``char_accuracy`` (1 − Levenshtein / length, bit-parallel), ``header_accuracy`` and the
helpers that run `docgen import` on a test archive.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"


sys.path.insert(0, str(Path(__file__).parents[1] / "printing"))

from printing_support import require_tool  # noqa: E402  (the one CI-aware skip)

__all__ = ["require_tool"]


# ------------------------------------------------------------------ accuracy
def collapse(text: str) -> str:
    """NFC, every run of whitespace one space, trimmed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def levenshtein(a: str, b: str) -> int:
    """Edit distance (insertions, deletions, substitutions) of ``a`` and ``b``.

    Myers' bit-vector algorithm (J. ACM 46(3), 1999) in Hyyrö's formulation for the
    whole-string distance ("Explaining and extending the bit-parallel approximate string
    matching algorithm of Myers", 2001): one column of the DP matrix is held as two bit
    vectors of vertical deltas (+1, −1) over the shorter string, a Python int of any
    length, so each character of the longer string costs a few big-int operations:
    O(n·⌈m/w⌉) word operations.
    """
    if a == b:
        return 0
    # common ends cost nothing
    start = 0
    limit = min(len(a), len(b))
    while start < limit and a[start] == b[start]:
        start += 1
    end = 0
    while end < limit - start and a[-1 - end] == b[-1 - end]:
        end += 1
    a, b = a[start:len(a) - end], b[start:len(b) - end]
    if len(a) < len(b):
        a, b = b, a
    m = len(b)  # the pattern: the shorter string
    if m == 0:
        return len(a)
    peq: dict[str, int] = {}
    for i, char in enumerate(b):
        peq[char] = peq.get(char, 0) | (1 << i)
    mask = (1 << m) - 1
    high = 1 << (m - 1)
    vp, vn, score = mask, 0, m
    for char in a:
        eq = peq.get(char, 0)
        xv = eq | vn
        xh = ((((eq & vp) + vp) & mask) ^ vp) | eq
        hp = vn | (~(xh | vp) & mask)
        hn = vp & xh
        if hp & high:
            score += 1
        elif hn & high:
            score -= 1
        hp = ((hp << 1) | 1) & mask  # row 0 of the matrix grows by one each column
        hn = (hn << 1) & mask
        vp = hn | (~(xv | hp) & mask)
        vn = hp & xv
    return score


def char_accuracy(expected: str, got: str) -> float:
    """1 − Levenshtein(expected, got) / len(expected) over whitespace-collapsed NFC text,
    at least 0; 1.0 for two empty texts."""
    a, b = collapse(expected), collapse(got)
    if not a:
        return 1.0 if not b else 0.0
    return max(0.0, 1.0 - levenshtein(a, b) / len(a))


# Issue 13's targets. Character accuracy: the least mean per format of the test set
# (Word-like files ≥ 99.9%, text PDFs ≥ 99%, and .txt, which has no font either; scans
# ≥ 97%). Header fields right: ≥ 95% of them. Speed on 2 cores: files (or scanned
# pages) per second.
ACCURACY_TARGETS = {
    "unicode-docx": 0.999, "tcvn3-docx": 0.999, "vni-docx": 0.999, "mixed-docx": 0.999,
    "tcvn3-doc": 0.999, "vni-doc": 0.999, "unicode-odt": 0.999, "tcvn3-odt": 0.999,
    "unicode-rtf": 0.999, "tcvn3-rtf": 0.999, "tcvn3-txt": 0.99, "pdf": 0.99,
    "scan": 0.97, "png": 0.97, "tif": 0.97,
}
HEADER_TARGET = 0.95
SPEED_TARGETS = {".docx": 5.0, ".doc": 1.0}  # files per second
SCAN_PAGES_TARGET = 0.3  # scanned pages per second

# -------------------------------------------------------------------- headers
HEADER_FIELDS = ("number", "type", "date", "cell")


def _type_of_kind(kind: str | None) -> str:
    from docgen.model.kinds import KINDS

    spec = KINDS.get(kind or "")
    return (spec.type_symbol if spec is not None else "") or (kind or "")


def result_type(result: Mapping[str, Any]) -> str:
    """The type an import found: the symbol of its number ("05-NQ/CB" → "NQ"), else its
    kind's symbol, else its kind (kinds never numbered have no symbol)."""
    text = str(result.get("number_text") or "")
    if "-" in text and "/" in text:
        return text.split("-", 1)[1].split("/", 1)[0].strip().upper()
    return _type_of_kind(result.get("kind"))


def _same_cell(expected: str, got: Any) -> bool:
    return isinstance(got, str) and collapse(expected).casefold() == collapse(got).casefold()


def header_fields(sample: Any, result: Mapping[str, Any] | None) -> dict[str, bool]:
    """Which of number, type, date, cell the import got exactly right (cell: letter for
    letter, any case) for ``sample`` (a corpus.Sample)."""
    header = sample.header
    if result is None:
        return dict.fromkeys(HEADER_FIELDS, False)
    expected_type = header.type_symbol or header.kind
    return {
        "number": result.get("number") == header.number,
        "type": result_type(result) == expected_type,
        "date": result.get("date") == header.date.isoformat(),
        "cell": _same_cell(header.cell, result.get("cell")),
    }


def header_accuracy(samples: Sequence[Any], results: Sequence[Mapping[str, Any] | None]) -> float:
    """Share of the header fields (number, type, date, cell) exactly right over
    ``samples`` and the import's ``results`` for them, in the same order (None: the
    file is missing from the report)."""
    if len(samples) != len(results):
        raise ValueError("one result per sample")
    if not samples:
        return 1.0
    right = sum(sum(header_fields(s, r).values()) for s, r in zip(samples, results, strict=True))
    return right / (len(HEADER_FIELDS) * len(samples))


def results_for(samples: Sequence[Any], report: Mapping[str, Any]) -> list[dict[str, Any] | None]:
    """The report's row for each sample, matched by file name (corpus names are unique)."""
    rows = {Path(str(row.get("file", ""))).name: row for row in report.get("files", [])}
    return [rows.get(s.path.name) for s in samples]


# ----------------------------------------------------------- a test archive
def docgen_command() -> list[str]:
    script = Path(sys.executable).with_name("docgen")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "docgen"]


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCGEN_")}
    env.update(PYTHONIOENCODING="utf-8", DOCGEN_USER="thu-ky", DOCGEN_LANG="en")
    return env


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float

    def json(self) -> Any:
        return json.loads(self.stdout)


@dataclass(frozen=True)
class TestArchive:
    """An archive in a folder of its own, with examples/profile.yaml's cell (and any
    other cells registered), driven through the real `docgen` command."""

    __test__ = False  # not a pytest class

    root: Path
    config: Path

    def run(self, *args: str, timeout: float = 600.0) -> Run:
        import time

        started = time.perf_counter()
        done = subprocess.run([*docgen_command(), "--config", str(self.config), "--archive",
                               str(self.root), *args], capture_output=True, text=True,
                              encoding="utf-8", env=child_env(), timeout=timeout)
        return Run(done.returncode, done.stdout, done.stderr, time.perf_counter() - started)

    def import_files(self, paths: Iterable[Path], *options: str, timeout: float = 900.0) -> Run:
        """`docgen import PATHS --json OPTIONS` (exit status, the report on stdout)."""
        return self.run("import", *map(str, paths), "--json", *options, timeout=timeout)

    def invoke(self, *args: str) -> Run:
        """The same command run in this process (click's CliRunner): for the many quick
        read-only calls (show, path) where starting a process each time would dominate."""
        import time

        from click.testing import CliRunner

        from docgen.cli import main

        started = time.perf_counter()
        result = CliRunner().invoke(main, ["--lang", "en", "--config", str(self.config), "--archive",
                                           str(self.root), *args], env={"DOCGEN_USER": "thu-ky"})
        return Run(result.exit_code, result.stdout, result.stderr, time.perf_counter() - started)

    def text(self, doc_id: str) -> str:
        """The recovered text of an imported paper: `docgen show ID --text`."""
        shown = self.invoke("show", doc_id, "--text")
        if shown.code != 0:
            raise RuntimeError(f"docgen show {doc_id} --text failed ({shown.code}): {shown.stderr}")
        return shown.stdout


def make_archive(folder: Path, villages: Iterable[str] = ()) -> TestArchive:
    """An empty archive in ``folder`` run with examples/docgen.toml (the cell of
    examples/profile.yaml, An Thành), and the cells of ``villages`` other than An Thành
    registered with `docgen cells add`."""
    from corpus import PROFILE_VILLAGE, profile_yaml

    folder.mkdir(parents=True, exist_ok=True)
    archive = TestArchive(folder / "archive", EXAMPLES / "docgen.toml")
    profiles = folder / "profiles"
    for i, village in enumerate(dict.fromkeys(villages)):
        if village == PROFILE_VILLAGE:
            continue
        profiles.mkdir(exist_ok=True)
        path = profiles / f"cell-{i:02d}.yaml"
        path.write_text(profile_yaml(village), "utf-8")
        done = archive.invoke("cells", "add", f"cell-{i:02d}", "--profile", str(path))
        if done.code != 0:
            raise RuntimeError(f"docgen cells add failed ({done.code}): {done.stderr}")
    return archive


def unaccented_query(title: str, words: int = 6) -> str:
    """The trích yếu of ``title`` (without the type name in capitals), folded to plain
    ASCII as a user without a Vietnamese keyboard types it: "nghi quyet …"."""
    from docgen.vn.text import fold

    parts = title.split()
    while parts and parts[0].isupper():
        parts = parts[1:]
    kept = [p for p in (parts or title.split()) if any(c.isalpha() for c in p)]
    return " ".join(fold(p).strip(".,;:()\"'") for p in kept[:words])
