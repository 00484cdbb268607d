"""`show` and `list` mark damaged documents; verify warns about converter leftovers in
cache/ and gc removes them (issue 9). Real archives on disk, the real CLI."""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from docgen.archive import Archive
from docgen.archive.integrity import damage_of, list_checked, quick_damage
from docgen.archive.leftovers import PATTERNS, hold_active, in_use, is_converter_leftover
from docgen.archive.records import META_FILE
from docgen.cli import main
from docgen.model.meta import ArchivedDoc

from .fakes import fake_doc, render


@pytest.fixture
def filed(tmp_path: Path) -> tuple[Path, list[ArchivedDoc]]:
    root = tmp_path / "archive"
    archive = Archive(root)
    try:
        docs = [archive.file(fake_doc(body=f"Nội dung {i}"), render, "u") for i in range(3)]
    finally:
        archive.close()
    return root, docs


def run(root: Path, *args: str, lang: str = "en") -> Result:
    return CliRunner().invoke(main, ["--lang", lang, "--archive", str(root), *args])


def edit_later(path: Path, data: bytes) -> None:
    """Overwrite a filed file as a person would, a few seconds after filing."""
    path.write_bytes(data)
    later = time.time() + 10
    os.utime(path, (later, later))


def _listed(root: Path, *args: str) -> dict[str, dict[str, Any]]:
    result = run(root, "list", "--json", *args)
    assert result.exit_code == 0, result.output
    return {row["id"]: row for row in json.loads(result.stdout)}


# ---------------------------------------------------------------------------- show


def test_show_of_a_sound_document_has_no_mark(filed: tuple[Path, list[ArchivedDoc]]) -> None:
    root, docs = filed
    shown = run(root, "show", docs[0].id)
    assert shown.exit_code == 0 and "DAMAGED" not in shown.stdout and "HỎNG" not in shown.stdout
    assert json.loads(run(root, "show", "--json", docs[0].id).stdout)["damaged"] == []


def test_show_marks_a_tampered_docx_in_both_languages(filed: tuple[Path, list[ArchivedDoc]]
                                                      ) -> None:
    root, docs = filed
    doc = docs[1]
    doc.docx_path.write_bytes(doc.docx_path.read_bytes() + b"tampered")
    en = run(root, "show", doc.id)
    assert en.exit_code == 0
    first = en.stdout.splitlines()[0]
    assert first.startswith("DAMAGED: file " + doc.docx_path.name)
    assert "does not match its checksum" in first and "run docgen verify" in first
    assert f"{doc.docx_path.name}  sha256:{doc.docx_sha256}  [HỎNG/damaged]" in en.stdout
    vi = run(root, "show", doc.id, lang="vi")
    assert vi.stdout.startswith(f"HỎNG: tệp {doc.docx_path.name} không khớp checksum")
    assert "chạy docgen verify" in vi.stdout.splitlines()[0]
    data = json.loads(run(root, "show", "--json", doc.id).stdout)
    [item] = data["damaged"]
    assert item["code"] == "checksum" and item["file"] == doc.docx_path.name
    assert item["expected"] == doc.docx_sha256 and item["actual"] != doc.docx_sha256
    # The other documents are untouched.
    assert json.loads(run(root, "show", "--json", docs[0].id).stdout)["damaged"] == []


def test_show_marks_missing_files_and_a_forged_meta_json(filed: tuple[Path, list[ArchivedDoc]]
                                                        ) -> None:
    root, docs = filed
    (docs[0].folder / "content.txt").unlink()
    codes = [d["code"] for d in json.loads(run(root, "show", "--json", docs[0].id).stdout)["damaged"]]
    assert codes == ["missing-file"]
    # meta.json rewritten to bless a forged .docx: the catalog's record disagrees.
    doc = docs[2]
    forged = doc.docx_path.read_bytes() + b"x"
    doc.docx_path.write_bytes(forged)
    record = json.loads((doc.folder / META_FILE).read_text("utf-8"))
    record["files"][doc.docx_path.name] = hashlib.sha256(forged).hexdigest()
    (doc.folder / META_FILE).write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n",
                                        "utf-8")
    damaged = json.loads(run(root, "show", "--json", doc.id).stdout)["damaged"]
    assert [d["code"] for d in damaged] == ["record"]
    assert "meta.json differs from the catalog" in damaged[0]["en"]


def test_show_marks_a_truncated_meta_json(filed: tuple[Path, list[ArchivedDoc]]) -> None:
    root, docs = filed
    meta = docs[0].folder / META_FILE
    meta.write_bytes(meta.read_bytes()[:40])
    shown = run(root, "show", docs[0].id)
    assert shown.exit_code == 0
    assert shown.stdout.startswith("DAMAGED: meta.json is missing or damaged")


# ---------------------------------------------------------------------------- list


def test_list_of_a_sound_archive_marks_nothing(filed: tuple[Path, list[ArchivedDoc]]) -> None:
    root, docs = filed
    rows = _listed(root)
    assert set(rows) == {d.id for d in docs}
    assert not any(row["damaged"] for row in rows.values())
    assert all("damage" not in row for row in rows.values())
    text = run(root, "list")
    assert "HỎNG" not in text.stdout and "DAMAGED" not in text.stderr
    assert not any(row["damaged"] for row in _listed(root, "--check").values())


def test_list_marks_an_edited_docx_a_missing_file_and_a_truncated_meta_json(
        filed: tuple[Path, list[ArchivedDoc]]) -> None:
    root, docs = filed
    edit_later(docs[0].docx_path, b"PK\x03\x04 edited in Word")
    (docs[1].folder / "input.yaml").unlink()
    meta = docs[2].folder / META_FILE
    meta.write_bytes(meta.read_bytes()[:-30])
    rows = _listed(root)
    assert all(rows[d.id]["damaged"] for d in docs)
    assert [d["code"] for d in rows[docs[0].id]["damage"]] == ["checksum"]
    assert [d["code"] for d in rows[docs[1].id]["damage"]] == ["missing-file"]
    assert [d["code"] for d in rows[docs[2].id]["damage"]] == ["meta-json"]
    text = run(root, "list")
    marked = [line for line in text.stdout.splitlines() if line.endswith("[HỎNG/damaged]")]
    assert len(marked) == 3
    assert "3 documents DAMAGED" in text.stderr and "docgen verify" in text.stderr


def test_quick_check_confirms_by_hash_and_check_flag_hashes_everything(
        filed: tuple[Path, list[ArchivedDoc]]) -> None:
    root, docs = filed
    # A file only touched (same bytes, newer mtime) is hashed and found sound.
    later = time.time() + 10
    os.utime(docs[0].docx_path, (later, later))
    # An edit that keeps the old timestamps is beyond the quick check: --check finds it.
    path = docs[1].folder / "content.txt"
    stamp = path.stat()
    data = path.read_bytes()
    path.write_bytes(data[:-1] + (b"X" if data[-1:] != b"X" else b"Y"))
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    quick = _listed(root)
    assert not quick[docs[0].id]["damaged"] and not quick[docs[1].id]["damaged"]
    full = _listed(root, "--check")
    assert not full[docs[0].id]["damaged"] and full[docs[1].id]["damaged"]
    archive = Archive(root)
    try:
        by_id = {doc.id: damage for doc, damage in list_checked(archive, full=True)}
        assert [d.file for d in by_id[docs[1].id]] == ["content.txt"]
        record = archive.record(docs[1].id)
        assert quick_damage(docs[1], record) == []
        assert [d.code for d in damage_of(docs[1], record)] == ["checksum"]
    finally:
        archive.close()


# ------------------------------------------------------------- converter leftovers


def _cache_problems(result: Result) -> list[dict[str, str]]:
    """verify's problems inside version folders' cache/ (other checks are not ours here)."""
    problems: list[dict[str, str]] = json.loads(result.stdout)["problems"]
    return [p for p in problems if p["path"] and "/cache/" in p["path"]]


LEFTOVERS = (".~lock.x.docx#", "lu123.tmp", "out.pdf.part",
             "." + "a" * 64 + ".pdf.0123456789abcdef.tmp.pdf")


def test_leftover_patterns() -> None:
    assert len(PATTERNS) == 4
    for name in LEFTOVERS:
        assert is_converter_leftover(Path("/nonexistent") / name), name
    for name in ("a" * 64 + ".pdf", "a" * 64 + ".pdfa.pdf", "junk.txt", "lu123.pdf"):
        assert not is_converter_leftover(Path("/nonexistent") / name), name


def test_verify_warns_about_converter_leftovers_and_gc_removes_them(
        filed: tuple[Path, list[ArchivedDoc]]) -> None:
    root, docs = filed
    cache = docs[0].folder / "cache"
    cache.mkdir()
    pdf = cache / f"{docs[0].docx_sha256}.pdf"
    pdf.write_bytes(b"%PDF-1.4 stand-in")
    for name in LEFTOVERS:
        (cache / name).write_bytes(b"")
    (docs[1].folder / "cache").mkdir()
    (docs[1].folder / "cache" / "lu9.tmp").write_bytes(b"x")

    result = run(root, "verify", "--json")
    found = {(p["code"], p["severity"], Path(p["path"]).name) for p in _cache_problems(result)}
    assert found == {("converter-temp", "warning", name) for name in (*LEFTOVERS, "lu9.tmp")}
    text = run(root, "verify").stdout
    assert f"[warning] {docs[1].id} {docs[1].folder / 'cache' / 'lu9.tmp'}: temporary file " \
        "left by an interrupted PDF conversion (run `docgen gc` to remove it)" in text
    archive = Archive(root)
    try:
        assert archive.verify().ok  # warnings, not errors (the library's own checks)
    finally:
        archive.close()

    gc = run(root, "gc")
    assert gc.exit_code == 0, gc.output
    assert "Removed 5 temporary entries" in gc.stdout
    assert sorted(p.name for p in cache.iterdir()) == [pdf.name]
    assert list((docs[1].folder / "cache").iterdir()) == []
    last = json.loads((root / "audit.jsonl").read_text("utf-8").splitlines()[-1])
    assert last["op"] == "gc" and f"{docs[1].folder.relative_to(root).as_posix()}/cache/lu9.tmp" \
        in last["removed"]
    assert _cache_problems(run(root, "verify", "--json")) == []


def test_other_strangers_in_cache_stay_errors_and_gc_keeps_them(
        filed: tuple[Path, list[ArchivedDoc]]) -> None:
    root, docs = filed
    cache = docs[0].folder / "cache"
    cache.mkdir()
    (cache / "junk.txt").write_bytes(b"?")
    (cache / "lu1.tmp").mkdir()  # a folder is never a converter leftover
    result = run(root, "verify", "--json")
    assert result.exit_code == 7
    codes = sorted((p["code"], p["severity"], Path(p["path"]).name)
                   for p in _cache_problems(result))
    assert codes == [("unknown-entry", "error", "junk.txt"), ("unknown-entry", "error", "lu1.tmp")]
    assert run(root, "gc").exit_code == 0
    assert sorted(p.name for p in cache.iterdir()) == ["junk.txt", "lu1.tmp"]


def test_gc_leaves_a_conversion_work_folder_in_use_alone(
        filed: tuple[Path, list[ArchivedDoc]]) -> None:
    root, _ = filed
    work = root / ".tmp" / "0123abcd.convert"
    work.mkdir(parents=True)
    (work / "lu1.tmp").write_bytes(b"")
    stray = root / ".tmp" / "dead.convert"
    stray.mkdir()
    archive = Archive(root)
    try:
        with hold_active(work):
            assert in_use(work) and not in_use(stray)
            assert archive.gc() == [stray]
            assert work.is_dir()
        assert not in_use(work)
        assert archive.gc() == [work]
    finally:
        archive.close()
