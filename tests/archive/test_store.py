"""Unit tests of the archive store with a fake Fileable and a real small .docx."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from docgen.archive import Archive, check_id
from docgen.archive.ids import parse_folder
from docgen.docxtext import docx_text
from docgen.errors import ArchiveError

from .fakes import fake_doc, reload, render


@pytest.fixture
def archive(tmp_path: Path) -> Archive:
    return Archive(tmp_path / "archive")


def test_missing_root_is_an_empty_archive(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "nowhere")
    assert archive.list() == []
    assert list(archive.iter_current()) == []
    assert archive.verify().ok
    assert not (tmp_path / "nowhere").exists()


def test_file_numbers_in_sequence_and_lays_out_a_dated_folder(archive: Archive) -> None:
    first = archive.file(fake_doc(), render, "an")
    second = archive.file(fake_doc(), render, "an")
    assert (first.meta.number, second.meta.number) == (1, 2)
    assert first.meta.number_text == "01-NQ/CB"
    rel = first.folder.relative_to(archive.root).as_posix()
    assert rel == f"2026/03/2026-03-10_nghi-quyet_01-NQ_{first.id}"
    names = sorted(p.name for p in first.folder.iterdir())
    assert names == sorted([first.docx_path.name, "content.txt", "input.yaml", "meta.json"])
    assert "01-NQ/CB" in docx_text(first.docx_path)
    record = json.loads((first.folder / "meta.json").read_text("utf-8"))
    for key in ("id", "kind", "cell", "superior", "number", "date", "title", "topics",
                "versions", "files", "template_sha256", "docgen_version", "created_at",
                "created_by"):
        assert key in record, key
    assert record["created_by"] == "an" and record["created_at"].endswith("Z")
    assert record["files"][first.docx_path.name] == first.docx_sha256


def test_explicit_number_taken_names_the_existing_document(archive: Archive) -> None:
    first = archive.file(fake_doc(number=5), render, "an")
    with pytest.raises(ArchiveError) as info:
        archive.file(fake_doc(number=5), render, "an")
    assert first.id in info.value.message.vi and first.id in info.value.message.en
    assert info.value.exit_code == 6
    assert archive.file(fake_doc(), render, "an").meta.number == 6


def test_series_are_per_type_cell_and_term_or_year(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "a")
    assert archive.file(fake_doc(), render, "u").meta.number == 1
    assert archive.file(fake_doc(kind="bien-ban-thuong-ky", symbol="BB"), render, "u"
                        ).meta.number == 1
    assert archive.file(fake_doc(cell="CHI BỘ THÔN 3"), render, "u").meta.number == 1
    assert archive.file(fake_doc(date=dt.date(2027, 1, 5)), render, "u").meta.number == 2
    yearly = Archive(tmp_path / "b", per_year=True)
    assert yearly.file(fake_doc(), render, "u").meta.number == 1
    assert yearly.file(fake_doc(date=dt.date(2027, 1, 5)), render, "u").meta.number == 1


def test_draft_is_filed_unnumbered_and_finalize_numbers_it(archive: Archive) -> None:
    archive.file(fake_doc(), render, "an")
    draft = archive.file(fake_doc(draft=True), render, "an")
    assert draft.meta.number is None and "_draft_" in draft.folder.name
    final = archive.finalize(draft.id, render, "an", reload)
    assert final.meta.number == 2 and final.version == 2 and final.id == draft.id
    assert draft.folder.is_dir()  # the draft version is kept untouched
    with pytest.raises(ArchiveError):
        archive.finalize(draft.id, render, "an", reload)


def test_amend_keeps_number_and_history(archive: Archive) -> None:
    doc = archive.file(fake_doc(body="bản đầu"), render, "an")
    before = {p.name: p.read_bytes() for p in doc.folder.iterdir()}
    amended = archive.amend(doc.id, fake_doc(body="bản sửa"), render, "binh")
    assert amended.meta.number == doc.meta.number and amended.version == 2
    assert {p.name: p.read_bytes() for p in doc.folder.iterdir()} == before
    history = archive.history(doc.id)
    assert [d.version for d in history] == [1, 2]
    assert [d.created_by for d in history] == ["an", "binh"]
    assert archive.get(doc.id).folder == amended.folder
    current = next(archive.iter_current(with_text=True))
    assert "bản sửa" in current.text
    record = archive.record(doc.id)
    assert [v["event"] for v in record["versions"]] == ["new", "amend"]


def test_withdraw_hides_from_default_list(archive: Archive) -> None:
    keep = archive.file(fake_doc(), render, "an")
    gone = archive.file(fake_doc(), render, "an")
    withdrawn = archive.withdraw(gone.id, "ban hành nhầm", "an")
    assert withdrawn.status == "withdrawn" and gone.folder.is_dir()
    assert [d.id for d in archive.list()] == [keep.id]
    assert {d.id for d in archive.list(include_withdrawn=True)} == {keep.id, gone.id}
    assert archive.record(gone.id)["reason"] == "ban hành nhầm"
    with pytest.raises(ArchiveError):
        archive.withdraw(gone.id, "lần nữa", "an")
    with pytest.raises(ArchiveError):
        archive.withdraw(keep.id, "  ", "an")
    # the number stays used
    assert archive.file(fake_doc(), render, "an").meta.number == 3


def test_list_filters_and_order(archive: Archive) -> None:
    old = archive.file(fake_doc(date=dt.date(2026, 1, 5), topics=("ntm",)), render, "u")
    new = archive.file(fake_doc(date=dt.date(2026, 6, 5)), render, "u")
    plan = archive.file(fake_doc(kind="ke-hoach-chuyen-de", symbol="KH",
                                 date=dt.date(2026, 3, 1)), render, "u")
    assert [d.id for d in archive.list()] == [new.id, plan.id, old.id]
    assert [d.id for d in archive.list(kind="ke-hoach-chuyen-de")] == [plan.id]
    assert [d.id for d in archive.list(topic="ntm")] == [old.id]
    assert [d.id for d in archive.list(date_from=dt.date(2026, 2, 1),
                                       date_to=dt.date(2026, 5, 1))] == [plan.id]
    assert [d.id for d in archive.list(number="02-NQ/CB")] == [new.id]
    assert {d.id for d in archive.list(number=1)} == {old.id, plan.id}
    assert len(archive.list(cell="thon an thanh")) == 3
    assert archive.list(cell="Thôn Khác") == []


@pytest.mark.parametrize("bad", ["../etc", "a/b", "ABCDEF", "abc", "x" * 40, "ab c12",
                                 "..", "", "abcdef\x00"])
def test_bad_ids_are_refused(archive: Archive, bad: str) -> None:
    with pytest.raises(ArchiveError) as info:
        archive.get(bad)
    assert info.value.exit_code == 6 and info.value.hint is not None
    with pytest.raises(ArchiveError):
        check_id(bad)


def test_unknown_id_has_a_hint(archive: Archive) -> None:
    archive.file(fake_doc(), render, "u")
    with pytest.raises(ArchiveError) as info:
        archive.get("abcdef1234")
    assert "abcdef1234" in info.value.message.en and info.value.hint is not None


def test_audit_log_records_every_operation(archive: Archive) -> None:
    doc = archive.file(fake_doc(), render, "an")
    archive.amend(doc.id, fake_doc(body="x"), render, "an")
    archive.withdraw(doc.id, "lý do", "an")
    lines = [json.loads(x) for x in (archive.root / "audit.jsonl").read_text().splitlines()]
    assert [e["op"] for e in lines] == ["new", "amend", "withdraw"]
    assert all(e["id"] == doc.id and e["user"] == "an" and e["files"] for e in lines)


def test_catalog_is_rebuilt_from_meta_json(archive: Archive) -> None:
    ids = {archive.file(fake_doc(), render, "u").id for _ in range(3)}
    archive.close()
    (archive.root / ".docgen" / "catalog.sqlite").write_bytes(b"garbage, not sqlite")
    for suffix in ("-wal", "-shm"):
        (archive.root / ".docgen" / f"catalog.sqlite{suffix}").unlink(missing_ok=True)
    fresh = Archive(archive.root)
    assert {d.id for d in fresh.list()} == ids
    assert fresh.file(fake_doc(), render, "u").meta.number == 4


def test_folder_names_parse_back() -> None:
    parsed = parse_folder("2026-03-10_nghi-quyet_05-NQ_abc123def0.v3")
    assert parsed is not None and parsed.id == "abc123def0" and parsed.version == 3
    assert parse_folder("notes") is None


def test_catalog_notices_folders_added_or_removed_by_hand(tmp_path: Path) -> None:
    import shutil

    first = Archive(tmp_path / "a")
    doc = first.file(fake_doc(), render, "u")
    other = Archive(tmp_path / "b")
    moved = other.file(fake_doc(date=dt.date(2025, 12, 1), cell="CHI BỘ KHÁC"), render, "u")
    assert [d.id for d in other.list()] == [moved.id]
    target = first.root / moved.folder.relative_to(other.root)
    shutil.copytree(moved.folder, target)
    assert {d.id for d in first.list()} == {doc.id, moved.id}
    shutil.rmtree(doc.folder)
    assert [d.id for d in first.list()] == [moved.id]


def test_batch_files_in_order_under_one_lock(archive: Archive) -> None:
    archive.file(fake_doc(), render, "u")
    with archive.batch() as batch:
        pending = [batch.file(fake_doc(body=str(i)), render, "u") for i in range(5)]
        explicit = batch.file(fake_doc(number=20), render, "u")
        with pytest.raises(ArchiveError) as info:
            batch.file(fake_doc(number=20), render, "u")
        assert "batch" in info.value.message.en
        draft = batch.file(fake_doc(draft=True), render, "u")
    docs = [p.result() for p in pending]
    assert [d.meta.number for d in docs] == [2, 3, 4, 5, 6]
    assert explicit.result().meta.number == 20 and draft.result().meta.number is None
    assert len(archive.list()) == 8 and archive.verify().problems == []
    assert archive.file(fake_doc(), render, "u").meta.number == 21


def test_the_filed_input_reads_back_as_filed() -> None:
    """input.yaml is read back with the YAML 1.2 core schema (sitting checks, reports,
    extracts, form): a text that is a number there, like the id "503750e460", stays text."""
    from docgen.archive.records import input_yaml
    from docgen.model.files import parse_text_lines

    data = {"source": {"archive_id": "503750e460", "number": "07-BB/CB"}, "code": "010", "flag": "true",
            "time": "19:30", "note": "dòng một\ndòng hai", "empty": "", "count": 5, "none": None}
    text = input_yaml(data).decode("utf-8")
    assert parse_text_lines(text, "input.yaml")[0] == data
    assert 'archive_id: "503750e460"' in text
