"""verify reports tampering and decay with the document and the problem."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from docgen.archive import Archive, Problem
from docgen.model.meta import ArchivedDoc

from .fakes import fake_doc, render


@pytest.fixture
def filed(tmp_path: Path) -> tuple[Archive, list[ArchivedDoc]]:
    archive = Archive(tmp_path / "archive")
    docs = [archive.file(fake_doc(body=str(i)), render, "u") for i in range(3)]
    return archive, docs


def _codes(archive: Archive) -> list[tuple[str, str | None, str]]:
    return [(p.code, p.doc_id, p.path.name if p.path else "") for p in archive.verify().problems]


def test_clean_archive_verifies(filed: tuple[Archive, list[ArchivedDoc]]) -> None:
    archive, _ = filed
    report = archive.verify()
    assert report.ok and report.problems == [] and report.checked == 3


def test_changed_byte_in_docx(filed: tuple[Archive, list[ArchivedDoc]]) -> None:
    archive, docs = filed
    data = bytearray(docs[1].docx_path.read_bytes())
    data[len(data) // 2] ^= 0x01
    docs[1].docx_path.write_bytes(bytes(data))
    report = archive.verify()
    assert not report.ok
    assert _codes(archive) == [("checksum", docs[1].id, docs[1].docx_path.name)]


def test_deleted_file(filed: tuple[Archive, list[ArchivedDoc]]) -> None:
    archive, docs = filed
    (docs[0].folder / "content.txt").unlink()
    assert _codes(archive) == [("missing-file", docs[0].id, "content.txt")]


def test_truncated_meta_json(filed: tuple[Archive, list[ArchivedDoc]]) -> None:
    archive, docs = filed
    meta = docs[2].folder / "meta.json"
    meta.write_bytes(meta.read_bytes()[:40])
    problems = archive.verify().problems
    assert [(p.code, p.doc_id) for p in problems] == [("meta-json", docs[2].id)]
    assert "truncated" in problems[0].message.en


def test_unknown_folder_and_files(filed: tuple[Archive, list[ArchivedDoc]]) -> None:
    archive, docs = filed
    month = docs[0].folder.parent
    (month / "copy of something").mkdir()
    (docs[0].folder / "notes.txt").write_text("x")
    (archive.root / "stuff").mkdir()
    codes = _codes(archive)
    assert ("unknown-entry", None, "copy of something") in codes
    assert ("unknown-entry", docs[0].id, "notes.txt") in codes
    assert ("unknown-entry", None, "stuff") in codes
    assert len(codes) == 3


def test_aliases_file_in_its_documented_place_is_not_unknown(
        filed: tuple[Archive, list[ArchivedDoc]]) -> None:
    archive, _ = filed
    (archive.root / "aliases.yaml").write_text("An Thành: [An Thanh cũ]\n", "utf-8")
    assert _codes(archive) == []


def test_every_problem_is_reported_not_just_the_first(
        filed: tuple[Archive, list[ArchivedDoc]]) -> None:
    archive, docs = filed
    docs[0].docx_path.write_bytes(b"not a docx")
    (docs[1].folder / "input.yaml").unlink()
    (docs[2].folder / "meta.json").write_text("{")
    assert {p.doc_id for p in archive.verify().errors} == {d.id for d in docs}


def test_print_cache_is_derived_data(filed: tuple[Archive, list[ArchivedDoc]]) -> None:
    archive, docs = filed
    cache = docs[0].folder / "cache"
    cache.mkdir()
    (cache / f"{docs[0].docx_sha256}.pdf").write_bytes(b"%PDF")
    (cache / f"{docs[0].docx_sha256}.pdfa.pdf").write_bytes(b"%PDF")
    assert archive.verify().ok
    (cache / "other.pdf").write_bytes(b"%PDF")
    assert _codes(archive) == [("unknown-entry", docs[0].id, "other.pdf")]


def test_duplicate_numbers_and_misplaced_folders(
        filed: tuple[Archive, list[ArchivedDoc]]) -> None:
    archive, docs = filed
    meta = docs[1].folder / "meta.json"
    record = json.loads(meta.read_text("utf-8"))
    record["number"] = 1
    meta.write_text(json.dumps(record), "utf-8")
    codes = {c for c, _, _ in _codes(archive)}
    assert codes == {"duplicate-number", "misplaced"}


def test_stray_temp_is_a_warning_and_gc_removes_it(
        filed: tuple[Archive, list[ArchivedDoc]]) -> None:
    archive, _ = filed
    stray = archive.root / ".tmp" / "0123abcd"
    stray.mkdir(parents=True)
    (stray / "meta.json").write_text("{half")
    report = archive.verify()
    assert report.ok and [p.code for p in report.warnings] == ["stray-temp"]
    assert archive.gc() == [stray]
    assert archive.verify().problems == []


def test_extra_checks_are_included(filed: tuple[Archive, list[ArchivedDoc]]) -> None:
    archive, docs = filed
    from docgen.i18n import Msg

    def index_disagrees(arch: Archive) -> list[Problem]:
        return [Problem("index", Msg("thiếu trong chỉ mục", "missing from the index"),
                        doc_id=d.id) for d in arch.list()[:1]]

    report = archive.verify(extra_checks=[index_disagrees])
    assert not report.ok and report.errors[0].code == "index"


def test_audit_log_damage_is_reported(filed: tuple[Archive, list[ArchivedDoc]]) -> None:
    archive, _ = filed
    with (archive.root / "audit.jsonl").open("a") as handle:
        handle.write('{"op": "new", "trunc\n')
    assert [p.code for p in archive.verify().errors] == ["audit-log"]


def test_listing_skips_a_damaged_meta_json_that_verify_reports(
        filed: tuple[Archive, list[ArchivedDoc]]) -> None:
    archive, docs = filed
    meta = docs[0].folder / "meta.json"
    record = json.loads(meta.read_text("utf-8"))
    record.update(version="một", date="ngày 5")
    meta.write_text(json.dumps(record), "utf-8")
    fresh = Archive(archive.root)
    (archive.root / ".docgen" / "catalog.sqlite").unlink()
    assert {d.id for d in fresh.list()} == {docs[1].id, docs[2].id}
    assert [p.doc_id for p in fresh.verify().errors] == [docs[0].id]


@pytest.mark.parametrize("change", [{"number": "năm"}, {"files": 7}, {"version": None},
                                    {"topics": 3}, {"date": 20260310}])
def test_wrong_types_in_meta_json_are_reported_not_crashed_on(
        filed: tuple[Archive, list[ArchivedDoc]], change: dict[str, object]) -> None:
    archive, docs = filed
    meta = docs[1].folder / "meta.json"
    record = json.loads(meta.read_text("utf-8"))
    record.update(change)
    meta.write_text(json.dumps(record), "utf-8")
    errors = Archive(archive.root).verify().errors
    assert errors and {p.doc_id for p in errors} == {docs[1].id}
