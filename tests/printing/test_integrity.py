"""`pdf` and `print` check every .docx against its meta.json before converting (issue 9):
a damaged or tampered document is refused (exit 7) and never cached; `--force` prints it
marked on every page; a killed converter leaves nothing in the version folder.

Real archives (conftest.file_samples), real LibreOffice, the real CLI (CliRunner, and
subprocesses for the kills).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner, Result
from printing_support import file_samples
from pypdf import PdfReader
from pypdf.generic import Destination

from docgen.archive import Archive
from docgen.cli import main
from docgen.config import Settings
from docgen.errors import IntegrityError
from docgen.model.meta import ArchivedDoc
from docgen.printing import outline_title, pdf_for
from docgen.printing.converter import wait_gone

pytestmark = pytest.mark.libreoffice

MARK = "BẢN KHÔNG KHỚP KIỂM TRA TOÀN VẸN"
FORGED = "ĐÃ SỬA SAU KHI LƯU: nội dung không có trong bản lưu trữ"
FILED = {"meta.json", "input.yaml", "content.txt"}


def run(root: Path, *args: str, lang: str = "en", env: dict[str, str] | None = None) -> Result:
    return CliRunner(env=env).invoke(main, ["--lang", lang, "--archive", str(root), *args])


def tamper(doc: ArchivedDoc) -> None:
    """Edit the archived .docx in place, as someone opening it in Word would."""
    document = docx.Document(str(doc.docx_path))
    document.paragraphs[4].text = FORGED
    document.save(str(doc.docx_path))


def page_texts(pdf: Path) -> list[str]:
    return [unicodedata.normalize("NFC", page.extract_text()) for page in PdfReader(pdf).pages]


def version_entries(doc: ArchivedDoc) -> set[str]:
    return {p.relative_to(doc.folder).as_posix() for p in doc.folder.rglob("*")}


def cache_entries(doc: ArchivedDoc) -> list[str]:
    cache = doc.folder / "cache"
    return sorted(p.name for p in cache.iterdir()) if cache.is_dir() else []


def tmp_entries(root: Path) -> list[str]:
    tmp = root / ".tmp"
    return sorted(p.name for p in tmp.iterdir()) if tmp.is_dir() else []


def red_pixels_on_top(pdf: Path, page: int, top_mm: float = 18.0) -> int:
    """Strongly red pixels in the top ``top_mm`` of ``page`` rendered by pdftoppm at 50 dpi."""
    raw = subprocess.run(["pdftoppm", "-r", "50", "-f", str(page), "-l", str(page), str(pdf)],
                         capture_output=True, check=True).stdout
    match = re.match(rb"P6\s+(\d+)\s+(\d+)\s+255\s", raw)
    assert match is not None
    width = int(match.group(1))
    pixels = raw[match.end():]
    rows = int(top_mm / 25.4 * 50)
    band = pixels[: rows * width * 3]
    return sum(1 for i in range(0, len(band), 3)
               if band[i] > 150 and band[i + 1] < 90 and band[i + 2] < 90)


@pytest.fixture
def arch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, list[ArchivedDoc]]:
    monkeypatch.chdir(tmp_path)  # `docgen pdf ID` writes its copy in the current folder
    root = tmp_path / "archive"
    return root, file_samples(root, 3)


NO_SOFFICE = {"DOCGEN_SOFFICE": "/nonexistent/soffice"}


# ------------------------------------------------------------------ refusals


def test_pdf_of_a_tampered_docx_is_exit_7_before_any_conversion(
        arch: tuple[Path, list[ArchivedDoc]]) -> None:
    root, docs = arch
    doc = docs[1]
    before = version_entries(doc)
    tamper(doc)
    # LibreOffice is not even looked for: the check comes first (else this would be exit 9).
    result = run(root, "pdf", doc.id, env=NO_SOFFICE)
    assert result.exit_code == 7, result.output
    err = result.stderr
    assert f"document {doc.id} is damaged or was changed after filing" in err
    assert f"file {doc.docx_path.name} does not match its checksum" in err
    assert f"!= meta.json {doc.docx_sha256}" in err and f"File: {doc.docx_path}" in err
    assert "docgen verify" in err and "--force" in err and "Traceback" not in result.output
    vi = run(root, "pdf", doc.id, lang="vi", env=NO_SOFFICE)
    assert vi.exit_code == 7
    assert f"văn bản {doc.id} hỏng hoặc đã bị sửa sau khi lưu" in vi.stderr
    assert "không khớp checksum" in vi.stderr and "Cách sửa" in vi.stderr
    assert version_entries(doc) == before and tmp_entries(root) == []


def test_a_cached_pdf_is_never_served_once_the_docx_no_longer_matches(
        arch: tuple[Path, list[ArchivedDoc]]) -> None:
    root, docs = arch
    doc = docs[0]
    first = run(root, "pdf", doc.id)
    assert first.exit_code == 0, first.output
    cached = doc.folder / "cache" / f"{doc.docx_sha256}.pdf"
    assert Path(first.stdout.strip()).read_bytes() == cached.read_bytes()
    original = doc.docx_path.read_bytes()
    tamper(doc)
    refused = run(root, "pdf", doc.id, env=NO_SOFFICE)
    assert refused.exit_code == 7 and refused.stdout == ""
    assert cache_entries(doc) == [cached.name]  # nothing cached under the forged checksum
    with pytest.raises(IntegrityError) as caught:
        pdf_for(doc, Settings(soffice="/nonexistent/soffice"))
    assert caught.value.exit_code == 7 and caught.value.file == str(doc.docx_path)
    doc.docx_path.write_bytes(original)
    again = run(root, "pdf", doc.id, env=NO_SOFFICE)  # a cache hit again: no LibreOffice
    assert again.exit_code == 0 and Path(again.stdout.strip()).read_bytes() == cached.read_bytes()


def test_a_missing_meta_json_or_a_forged_one_is_refused_naming_it(
        arch: tuple[Path, list[ArchivedDoc]]) -> None:
    root, docs = arch
    (docs[0].folder / "meta.json").unlink()
    result = run(root, "pdf", docs[0].id, env=NO_SOFFICE)
    assert result.exit_code == 7 and "meta.json is missing or damaged" in result.stderr
    # meta.json rewritten to bless an edited .docx: the archive's catalog still disagrees.
    doc = docs[1]
    tamper(doc)
    record = json.loads((doc.folder / "meta.json").read_text("utf-8"))
    record["files"][doc.docx_path.name] = hashlib.sha256(doc.docx_path.read_bytes()).hexdigest()
    (doc.folder / "meta.json").write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n",
                                          "utf-8")
    forged = run(root, "pdf", doc.id, env=NO_SOFFICE)
    assert forged.exit_code == 7 and "meta.json differs from the catalog" in forged.stderr


def test_print_refuses_the_whole_book_naming_every_tampered_document(
        arch: tuple[Path, list[ArchivedDoc]], tmp_path: Path) -> None:
    root, docs = arch
    tamper(docs[0])
    tamper(docs[2])
    out = tmp_path / "book.pdf"
    result = run(root, "print", "-o", str(out), env=NO_SOFFICE)
    assert result.exit_code == 7, result.output
    err = result.stderr
    assert f"2 document(s) damaged or changed after filing ({docs[0].id}, {docs[2].id})" in err
    for doc in (docs[0], docs[2]):
        assert f"  {doc.id}: file {doc.docx_path.name} does not match its checksum" in err
    assert docs[1].id not in err
    assert "--force" in err and not out.exists()
    assert all(cache_entries(d) == [] for d in docs) and tmp_entries(root) == []
    dry = run(root, "print", "--dry-run")
    assert dry.exit_code == 0
    marked = [line.split("\t")[0] for line in dry.stdout.splitlines() if "[HỎNG/damaged]" in line]
    assert marked == [docs[0].id, docs[2].id]
    assert "print would refuse" in dry.stderr


def test_force_needs_an_output_file(arch: tuple[Path, list[ArchivedDoc]]) -> None:
    root, docs = arch
    result = run(root, "pdf", docs[0].id, "--force")
    assert result.exit_code == 2 and "--force needs -o" in result.output


# ------------------------------------------------------------------- --force


def test_force_pdf_writes_a_visibly_marked_pdf_and_caches_nothing(
        arch: tuple[Path, list[ArchivedDoc]], tmp_path: Path) -> None:
    root, docs = arch
    doc = docs[1]
    tamper(doc)
    before = version_entries(doc)
    out = tmp_path / "forced.pdf"
    result = run(root, "pdf", doc.id, "--force", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(out)
    assert f"Warning: printed {doc.id} although it fails the integrity check" in result.stderr
    texts = page_texts(out)
    assert len(texts) >= 2
    for text in texts:  # every page carries the mark, naming the document
        assert MARK in text and f"Văn bản {doc.id}" in text
    assert FORGED in re.sub(r"\s+", " ", "".join(texts))  # it is the document as edited
    assert red_pixels_on_top(out, 1) > 200 and red_pixels_on_top(out, len(texts)) > 200
    assert version_entries(doc) == before and cache_entries(doc) == []
    assert tmp_entries(root) == []
    # A sound document with --force is the ordinary cached PDF, unmarked.
    sound = tmp_path / "sound.pdf"
    ok = run(root, "pdf", docs[0].id, "--force", "-o", str(sound))
    assert ok.exit_code == 0 and "Warning" not in ok.stderr
    assert not any(MARK in t for t in page_texts(sound))
    assert red_pixels_on_top(sound, 1) == 0
    assert cache_entries(docs[0]) == [f"{docs[0].docx_sha256}.pdf"]


def test_force_print_includes_the_marked_documents_and_lists_them(
        arch: tuple[Path, list[ArchivedDoc]], tmp_path: Path) -> None:
    root, docs = arch
    tamper(docs[1])
    out = tmp_path / "book.pdf"
    result = run(root, "print", "--force", "--no-cover", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert f"Warning: printed {docs[1].id} although it fails the integrity check" in result.stderr
    assert docs[0].id not in result.stderr and docs[2].id not in result.stderr
    reader = PdfReader(out)
    outline = [item for item in reader.outline if isinstance(item, Destination)]
    assert [i.title for i in outline] == [outline_title(d.meta) for d in docs]
    starts = [int(reader.get_destination_page_number(i) or 0) for i in outline]
    starts.append(len(reader.pages))
    texts = page_texts(out)
    for n, doc in enumerate(docs):
        pages = texts[starts[n]:starts[n + 1]]
        assert all((MARK in t) == (doc is docs[1]) for t in pages), doc.id
    assert red_pixels_on_top(out, starts[1] + 1) > 200
    assert cache_entries(docs[1]) == []
    assert cache_entries(docs[0]) == [f"{docs[0].docx_sha256}.pdf"]
    assert cache_entries(docs[2]) == [f"{docs[2].docx_sha256}.pdf"]
    assert tmp_entries(root) == []


# ------------------------------------------------------------ killed converter


def _children(pid: int) -> list[tuple[int, str]]:
    """(pid, command line) of the live children of ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append((int(entry.name), cmdline))
    return found


def _start(root: Path, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "docgen", "--lang", "en", "--archive",
                             str(root), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)


def _wait_until_libreoffice_writes(root: Path, proc: subprocess.Popen[bytes],
                                   watched: list[ArchivedDoc], seen: set[str]) -> bool:
    """Poll until LibreOffice is writing a PDF (its lock or temp file is in a work folder);
    records every entry that appears in the watched version folders meanwhile."""
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        for doc in watched:
            seen |= version_entries(doc)
        for work in (root / ".tmp").glob("*.convert"):
            names = [p.name for p in work.iterdir()] if work.is_dir() else []
            if any(n.startswith(".~lock.") or re.fullmatch(r"lu.*\.tmp", n) for n in names):
                return True
        time.sleep(0.001)
    return False


def _kill_office(proc: subprocess.Popen[bytes]) -> list[int]:
    """SIGKILL the soffice process group started by ``proc``; its pids."""
    pids = []
    for pid, cmdline in _children(proc.pid):
        if "--accept=pipe" in cmdline:
            os.killpg(pid, signal.SIGKILL)  # start_new_session: its pid is its group
            pids.append(pid)
    return pids


def test_soffice_killed_mid_conversion_leaves_nothing_and_the_retry_succeeds(
        arch: tuple[Path, list[ArchivedDoc]]) -> None:
    root, docs = arch
    doc = docs[0]
    seen: set[str] = set()
    proc = _start(root, "pdf", doc.id)
    try:
        assert _wait_until_libreoffice_writes(root, proc, [doc], seen), "no conversion seen"
        killed = _kill_office(proc)
        assert killed and wait_gone(killed)
        while proc.poll() is None:
            seen |= version_entries(doc)
            time.sleep(0.002)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
    assert proc.returncode == 0, err.decode()
    pdf = f"{doc.docx_sha256}.pdf"
    assert Path(out.decode().strip()).read_bytes() == (doc.folder / "cache" / pdf).read_bytes()
    # At no moment was anything but the filed files and the finished PDF in the folder.
    assert seen <= {doc.docx_path.name, *FILED, "cache", f"cache/{pdf}"}
    assert cache_entries(doc) == [pdf] and tmp_entries(root) == []
    assert PdfReader(doc.folder / "cache" / pdf).pages


def test_a_print_run_killed_mid_conversion_leaves_nothing_in_any_version_folder(
        arch: tuple[Path, list[ArchivedDoc]], tmp_path: Path) -> None:
    root, docs = arch
    before = {doc.id: version_entries(doc) for doc in docs}
    seen: set[str] = set()
    proc = _start(root, "print", "-o", str(tmp_path / "book.pdf"))
    office: list[int] = []
    try:
        assert _wait_until_libreoffice_writes(root, proc, docs, seen), "no conversion seen"
        children = _children(proc.pid)
        os.killpg(proc.pid, signal.SIGKILL)  # docgen itself dies ...
        for pid, _ in children:  # ... and LibreOffice with its UNO helper, mid-write
            office.append(pid)
            os.killpg(pid, signal.SIGKILL)
        proc.wait()
        assert wait_gone(office)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
    assert not (tmp_path / "book.pdf").exists()
    for doc in docs:
        left = version_entries(doc)
        names = {p.rsplit("/", 1)[-1] for p in left}
        assert not any(n.startswith(".~lock") or n.startswith("lu") or n.endswith(".part")
                       for n in names), left
        cached = left - before[doc.id] - {"cache"}
        assert all(re.fullmatch(r"cache/[0-9a-f]{64}\.pdf", c) for c in cached), cached
    assert {p.rsplit("/", 1)[-1] for p in seen} <= {d.docx_path.name for d in docs} | FILED | {
        "cache"} | {f"{d.docx_sha256}.pdf" for d in docs}
    # What the kill left is one stray work folder in .tmp/: a warning, and gc removes it.
    stray = tmp_entries(root)
    assert len(stray) == 1 and stray[0].endswith(".convert")
    archive = Archive(root)
    try:
        report = archive.verify()
        assert report.ok
        assert [(p.code, p.path.name if p.path else "") for p in report.warnings] == [
            ("stray-temp", stray[0])]
        assert [p.name for p in archive.gc()] == stray
    finally:
        archive.close()
    assert tmp_entries(root) == []
    # And printing again works.
    again = run(root, "print", "-o", str(tmp_path / "book.pdf"))
    assert again.exit_code == 0, again.output
