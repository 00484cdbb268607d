"""Tampering and crash leftovers that verify must see, and numbering that never reuses a
number (issue 9): the audit chain, the audit log against the folders, the intent marker
audit.pending, the numbering registry, damaged folders, a .lock that is a folder."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from docgen.archive import Archive, audit, numbering, store
from docgen.cli import main
from docgen.errors import ArchiveError
from docgen.model.meta import ArchivedDoc

from .fakes import fake_doc, render

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
CONFIG = EXAMPLES / "docgen.toml"

Filed = tuple[Archive, list[ArchivedDoc]]


@pytest.fixture
def filed(tmp_path: Path) -> Filed:
    """Four numbered documents (01–04-NQ) in one series, one audit line each."""
    archive = Archive(tmp_path / "archive")
    docs = [archive.file(fake_doc(body=str(i)), render, "u") for i in range(4)]
    return archive, docs


def _codes(archive: Archive) -> list[tuple[str, str | None, str]]:
    return sorted((p.code, p.doc_id, p.path.name if p.path else "")
                  for p in Archive(archive.root).verify().problems)


def _errors(archive: Archive) -> list[str]:
    return [p.message.en for p in Archive(archive.root).verify().errors]


def _log(archive: Archive) -> Path:
    return archive.root / "audit.jsonl"


def _lines(archive: Archive) -> list[bytes]:
    return _log(archive).read_bytes().split(b"\n")[:-1]


def _write_lines(archive: Archive, lines: list[bytes]) -> None:
    _log(archive).write_bytes(b"".join(line + b"\n" for line in lines))


def _forget_catalog(archive: Archive) -> None:
    archive.close()
    for path in (archive.root / ".docgen").glob("catalog.sqlite*"):
        path.unlink()


def _series(archive: Archive) -> str:
    return archive.series(fake_doc().meta)


# ------------------------------------------------------------------ the audit chain
def test_lines_are_chained_and_a_clean_archive_verifies(filed: Filed) -> None:
    archive, docs = filed
    lines = _lines(archive)
    entries = [json.loads(line) for line in lines]
    assert entries[0]["prev"] == ""
    for before, entry in zip(lines, entries[1:], strict=False):
        assert entry["prev"] == hashlib.sha256(before).hexdigest()
    assert [e["id"] for e in entries] == [d.id for d in docs]
    assert not (archive.root / "audit.pending").exists()
    assert Archive(archive.root).verify().problems == []


def test_audit_log_deleted(filed: Filed) -> None:
    archive, _ = filed
    _log(archive).unlink()
    assert _codes(archive) == [("audit-missing", None, "audit.jsonl")]
    assert "4 version folders have no audit line" in _errors(archive)[0]


def test_middle_line_deleted(filed: Filed) -> None:
    archive, docs = filed
    lines = _lines(archive)
    _write_lines(archive, lines[:1] + lines[2:])
    assert _codes(archive) == [("audit-chain", None, "audit.jsonl"),
                               ("audit-missing", docs[1].id, docs[1].folder.name)]
    assert any("chain broken at line 2" in e for e in _errors(archive))


def test_last_line_deleted(filed: Filed) -> None:
    archive, docs = filed
    _write_lines(archive, _lines(archive)[:-1])
    assert _codes(archive) == [("audit-missing", docs[3].id, docs[3].folder.name)]


def test_line_edited(filed: Filed) -> None:
    archive, docs = filed
    lines = _lines(archive)
    entry = json.loads(lines[1])
    entry["user"] = "someone else"
    lines[1] = json.dumps(entry, ensure_ascii=False, sort_keys=True).encode()
    _write_lines(archive, lines)
    assert _codes(archive) == [("audit-chain", None, "audit.jsonl"),
                               ("audit-mismatch", docs[1].id, docs[1].folder.name)]
    errors = _errors(archive)
    assert any("chain broken at line 3" in e for e in errors)
    assert any("audit line 2 does not match the folder's meta.json: user" in e for e in errors)


def test_last_line_edited_is_found_through_the_folder(filed: Filed) -> None:
    archive, docs = filed
    lines = _lines(archive)
    entry = json.loads(lines[-1])
    entry["files"] = {**entry["files"], "content.txt": "0" * 64}
    lines[-1] = json.dumps(entry, ensure_ascii=False, sort_keys=True).encode()
    _write_lines(archive, lines)
    assert _codes(archive) == [("audit-mismatch", docs[3].id, docs[3].folder.name)]
    assert "files" in _errors(archive)[0]


def test_two_lines_swapped(filed: Filed) -> None:
    archive, _ = filed
    lines = _lines(archive)
    lines[1], lines[2] = lines[2], lines[1]
    _write_lines(archive, lines)
    codes = _codes(archive)
    assert {c for c, _, _ in codes} == {"audit-chain"}
    assert [e.split(":")[1].strip() for e in _errors(archive)] == [
        f"chain broken at line {n}" for n in (2, 3, 4)]


def test_truncated_mid_line(filed: Filed) -> None:
    archive, docs = filed
    data = _log(archive).read_bytes()
    _log(archive).write_bytes(data[:len(data) - 40])
    assert _codes(archive) == [("audit-log", None, "audit.jsonl"),
                               ("audit-missing", docs[3].id, docs[3].folder.name)]
    # the next append ends the cut line first: the new line is whole and chained
    new = archive.file(fake_doc(body="after"), render, "u")
    assert json.loads(_lines(archive)[-1])["id"] == new.id
    assert _codes(archive) == [("audit-log", None, "audit.jsonl"),
                               ("audit-missing", docs[3].id, docs[3].folder.name)]


def test_truncated_middle_line(filed: Filed) -> None:
    archive, docs = filed
    lines = _lines(archive)
    lines[1] = lines[1][:30]
    _write_lines(archive, lines)
    assert _codes(archive) == [("audit-chain", None, "audit.jsonl"),
                               ("audit-log", None, "audit.jsonl"),
                               ("audit-missing", docs[1].id, docs[1].folder.name)]


def test_lines_deleted_from_the_start(filed: Filed) -> None:
    archive, docs = filed
    _write_lines(archive, _lines(archive)[2:])
    codes = _codes(archive)
    assert ("audit-chain", None, "audit.jsonl") in codes
    assert any("deleted from the start" in e for e in _errors(archive))
    assert {d for c, d, _ in codes if c == "audit-missing"} == {docs[0].id, docs[1].id}


def test_folder_deleted_is_found_from_its_audit_line(filed: Filed) -> None:
    archive, docs = filed
    for path in sorted(docs[1].folder.iterdir()):
        path.unlink()
    docs[1].folder.rmdir()
    assert ("audit-orphan", docs[1].id, docs[1].folder.name) in _codes(archive)


def test_legacy_unchained_lines_give_one_warning(filed: Filed) -> None:
    archive, docs = filed
    lines = []
    for line in _lines(archive):
        entry = json.loads(line)
        del entry["prev"]
        lines.append(json.dumps(entry, ensure_ascii=False, sort_keys=True).encode())
    _write_lines(archive, lines)
    report = Archive(archive.root).verify()
    assert report.ok and [p.code for p in report.warnings] == ["audit-legacy"]
    assert "lines 1–4" in report.warnings[0].message.en
    # new lines chain on to the legacy ones; still one warning, no error
    archive.file(fake_doc(body="new"), render, "u")
    archive.file(fake_doc(body="newer"), render, "u")
    report = Archive(archive.root).verify()
    assert report.ok and [p.code for p in report.warnings] == ["audit-legacy"]
    assert json.loads(_lines(archive)[4])["prev"] == hashlib.sha256(lines[3]).hexdigest()


def test_a_chained_line_stripped_of_prev_is_a_break(filed: Filed) -> None:
    archive, _ = filed
    lines = _lines(archive)
    entry = json.loads(lines[2])
    del entry["prev"]
    lines[2] = json.dumps(entry, ensure_ascii=False, sort_keys=True).encode()
    _write_lines(archive, lines)
    errors = _errors(archive)
    assert any("line 3 has no prev" in e for e in errors)
    assert any("chain broken at line 4" in e for e in errors)


def test_gc_lines_are_chained(filed: Filed) -> None:
    archive, _ = filed
    (archive.root / ".tmp" / "stray").mkdir(parents=True)
    assert archive.gc("u")
    last = json.loads(_lines(archive)[-1])
    assert last["op"] == "gc"
    assert last["prev"] == hashlib.sha256(_lines(archive)[-2]).hexdigest()
    assert Archive(archive.root).verify().problems == []


def test_append_reads_only_the_tail(tmp_path: Path) -> None:
    """A long log is not read whole (the tail is read from the end)."""
    root = tmp_path / "a"
    root.mkdir()
    audit.append(root, {"op": "gc", "removed": ["x" * 20_000]})
    audit.append(root, {"op": "gc", "removed": []})
    first, second = (root / "audit.jsonl").read_bytes().split(b"\n")[:2]
    assert json.loads(second)["prev"] == hashlib.sha256(first).hexdigest()
    assert audit.scan(root).breaks == []


# ------------------------------------------------------- the intent marker (a crash)
class _Killed(BaseException):
    """Stands for a SIGKILL at one point of a write (nothing after it runs)."""


def _crash_at_first_append(monkeypatch: pytest.MonkeyPatch) -> None:
    original = audit.append
    calls = {"n": 0}

    def append(root: Path, entry: dict[str, Any], sync: bool = True) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            raise _Killed
        original(root, entry, sync)

    monkeypatch.setattr(audit, "append", append)


def test_crash_between_rename_and_audit_append_is_repaired(
        filed: Filed, monkeypatch: pytest.MonkeyPatch) -> None:
    archive, _ = filed
    _crash_at_first_append(monkeypatch)
    with pytest.raises(_Killed):
        archive.file(fake_doc(body="crash"), render, "u")
    monkeypatch.undo()
    fresh = Archive(archive.root)
    crashed = [d for d in fresh.list() if d.meta.number == 5]
    assert len(crashed) == 1 and len(_lines(archive)) == 4  # in place, no audit line
    assert numbering.load(archive.root)[_series(archive)] == 4  # not raised yet
    report = fresh.verify()
    assert report.ok, [p.text("en") for p in report.errors]
    assert [p.code for p in report.problems] == ["audit-pending"]
    assert "repaired at the next write" in report.problems[0].message.en
    after = fresh.file(fake_doc(body="next"), render, "u")
    assert after.meta.number == 6
    assert not (archive.root / "audit.pending").exists()
    assert [json.loads(line)["id"] for line in _lines(archive)[-2:]] == [crashed[0].id, after.id]
    assert numbering.load(archive.root)[_series(archive)] == 6
    assert Archive(archive.root).verify().problems == []


def test_crash_after_audit_append_before_registry(
        filed: Filed, monkeypatch: pytest.MonkeyPatch) -> None:
    archive, _ = filed

    def killed(*args: Any) -> None:
        raise _Killed

    monkeypatch.setattr(numbering, "stage", killed)
    with pytest.raises(_Killed):
        archive.file(fake_doc(body="crash"), render, "u")
    monkeypatch.undo()
    assert len(_lines(archive)) == 5 and (archive.root / "audit.pending").exists()
    assert numbering.load(archive.root)[_series(archive)] == 4  # lowered, but pending
    assert [p.code for p in Archive(archive.root).verify().problems] == ["audit-pending"]
    assert archive.gc() == []  # any write takes the lock and repairs first
    assert len(_lines(archive)) == 5  # not appended twice
    assert numbering.load(archive.root)[_series(archive)] == 5
    assert Archive(archive.root).verify().problems == []


def test_crash_before_the_rename_leaves_only_the_marker(filed: Filed) -> None:
    archive, docs = filed
    entry = store.audit_entry({**json.loads((docs[0].folder / "meta.json").read_text()),
                               "id": "abcdef0123"}, "2026/03/2026-03-10_nghi-quyet_05-NQ_abcdef0123",
                              "new")
    audit.set_pending(archive.root, audit.stage_pending(
        archive.root, entry["folder"], entry, _series(archive), 5))
    report = Archive(archive.root).verify()
    assert report.ok and [p.code for p in report.problems] == ["audit-pending"]
    assert archive.file(fake_doc(body="next"), render, "u").meta.number == 5
    assert len(_lines(archive)) == 5 and not (archive.root / "audit.pending").exists()
    assert Archive(archive.root).verify().problems == []


def test_garbled_marker_is_a_warning_and_removed_at_the_next_write(filed: Filed) -> None:
    archive, _ = filed
    (archive.root / "audit.pending").write_text("{half")
    report = Archive(archive.root).verify()
    assert report.ok and [p.code for p in report.problems] == ["audit-pending"]
    assert archive.gc() == []  # a write: takes the lock, which removes the marker
    assert not (archive.root / "audit.pending").exists()
    assert Archive(archive.root).verify().problems == []


_KILL_SCRIPT = """
import os, signal, sys
sys.path.insert(0, {repo!r})
from pathlib import Path
from docgen.archive import Archive, audit
from tests.archive.fakes import fake_doc, render
archive = Archive(Path({root!r}))
archive.file(fake_doc(body="before"), render, "u")
def append(root, entry, sync=True):
    os.kill(os.getpid(), signal.SIGKILL)
audit.append = append
archive.file(fake_doc(body="killed"), render, "u")
"""


def test_sigkill_between_rename_and_audit_append(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    proc = subprocess.run([sys.executable, "-c", _KILL_SCRIPT.format(repo=str(REPO),
                                                                      root=str(root))],
                          capture_output=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()
    archive = Archive(root)
    assert len(archive.list()) == 2 and len((root / "audit.jsonl").read_text().splitlines()) == 1
    report = archive.verify()
    assert report.ok and [p.code for p in report.problems] == ["audit-pending"]
    assert archive.file(fake_doc(body="after"), render, "u").meta.number == 3
    assert Archive(root).verify().problems == []


# ------------------------------------------------------------- the numbering registry
def _registry(archive: Archive, data: Any) -> None:
    text = data if isinstance(data, str) else json.dumps(data)
    (archive.root / "numbering.json").write_text(text, "utf-8")


def test_registry_lowered(filed: Filed) -> None:
    archive, _ = filed
    _registry(archive, {"format": "docgen-numbering/1", "series": {_series(archive): 2}})
    assert _codes(archive) == [("numbering-lowered", None, "numbering.json")]
    assert "holds 2 but number 4 is filed" in _errors(archive)[0]
    assert archive.file(fake_doc(body="x"), render, "u").meta.number == 5
    assert Archive(archive.root).verify().problems == []


def test_registry_raised_makes_the_next_number_jump_and_is_reported(filed: Filed) -> None:
    archive, _ = filed
    _registry(archive, {"format": "docgen-numbering/1", "series": {_series(archive): 50}})
    assert _codes(archive) == [("numbering-raised", None, "numbering.json")]
    assert "the next number would be 51 instead of 5" in _errors(archive)[0]
    # by design the registry is never lowered by docgen: the number jumps, never reuses
    assert archive.file(fake_doc(body="x"), render, "u").meta.number == 51


def test_registry_series_without_any_document_is_raised(filed: Filed) -> None:
    archive, _ = filed
    other = archive.series(fake_doc(symbol="BB", kind="bien-ban-thuong-ky").meta)
    _registry(archive, {"format": "docgen-numbering/1",
                        "series": {_series(archive): 4, other: 3}})
    errors = _errors(archive)
    assert len(errors) == 1 and "the next number would be 4 instead of 1" in errors[0]


@pytest.mark.parametrize("data, key", [
    ("{not json", None),
    ("[]", None),
    ('"x"', None),
    ({"format": "docgen-numbering/1", "series": [1]}, "series"),
    ({"format": "docgen-numbering/1", "series": {"x": "5"}}, "series.x"),
    ({"format": "docgen-numbering/1", "series": {"x": True}}, "series.x"),
    ({"format": "docgen-numbering/1", "series": {"x": -3}}, "series.x"),
    ({"format": "docgen-numbering/1", "series": {"x": 1.5}}, "series.x"),
    ({"series": {}}, "format"),
    ("{\"format\": \"docgen-numbering/1\", \"series\": {\"x\": " + "9" * 5000 + "}}", None),
])
def test_registry_garbled_or_wrong_types(filed: Filed, data: Any, key: str | None) -> None:
    archive, _ = filed
    _registry(archive, data)
    problems = Archive(archive.root).verify().errors
    assert [p.code for p in problems] == ["numbering-registry"]
    assert problems[0].path == archive.root / "numbering.json"
    assert "numbering.json" in problems[0].message.en
    if key is not None:
        assert f"(key {key})" in problems[0].message.en
    assert numbering.load(archive.root).get("x") is None
    assert archive.file(fake_doc(body="x"), render, "u").meta.number == 5


def test_registry_that_is_a_folder(filed: Filed) -> None:
    archive, _ = filed
    (archive.root / "numbering.json").unlink()
    (archive.root / "numbering.json").mkdir()
    assert [p.code for p in Archive(archive.root).verify().errors] == ["numbering-registry"]
    assert archive.file(fake_doc(body="x"), render, "u").meta.number == 5  # filed anyway


# --------------------------------------------- damaged folders, no registry, no catalog
def _truncate_meta(doc: ArchivedDoc) -> None:
    meta = doc.folder / "meta.json"
    meta.write_bytes(meta.read_bytes()[:40])


def test_next_number_skips_numbers_of_damaged_folders(filed: Filed) -> None:
    archive, docs = filed
    _truncate_meta(docs[1])  # 02-NQ
    _truncate_meta(docs[3])  # 04-NQ
    _forget_catalog(archive)
    (archive.root / "numbering.json").unlink()
    fresh = Archive(archive.root)
    # readable: 01 and 03; 02 and 04 are damaged: the next number is 5, not 2 or 4
    assert fresh.file(fake_doc(body="x"), render, "u").meta.number == 5


def test_two_truncated_meta_json_no_catalog_no_registry_never_reuse_02(
        tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive")
    docs = [archive.file(fake_doc(body=str(i)), render, "u") for i in range(3)]
    _truncate_meta(docs[1])  # 02-NQ
    _truncate_meta(docs[2])  # 03-NQ
    _forget_catalog(archive)
    (archive.root / "numbering.json").unlink()
    fresh = Archive(archive.root)
    nxt = fresh.file(fake_doc(body="next"), render, "u")
    assert nxt.meta.number == 4 and nxt.meta.number_text == "04-NQ/CB"
    with fresh.batch() as batch:
        pending = [batch.file(fake_doc(body=f"b{i}"), render, "u") for i in range(2)]
    assert [p.result().meta.number for p in pending] == [5, 6]


def test_batch_skips_damaged_numbers_between_free_ones(filed: Filed) -> None:
    archive, _ = filed
    six = archive.file(fake_doc(number=6, body="six"), render, "u")
    eight = archive.file(fake_doc(number=8, body="eight"), render, "u")
    _truncate_meta(six)
    _truncate_meta(eight)
    _forget_catalog(archive)
    (archive.root / "numbering.json").unlink()
    fresh = Archive(archive.root)
    with fresh.batch() as batch:
        pending = [batch.file(fake_doc(body=f"c{i}"), render, "u") for i in range(3)]
    # readable up to 04; 06 and 08 are damaged: 05, 07, 09
    assert [p.result().meta.number for p in pending] == [5, 7, 9]


def test_explicit_number_of_a_damaged_folder_is_refused(filed: Filed) -> None:
    archive, docs = filed
    _truncate_meta(docs[1])
    _forget_catalog(archive)
    fresh = Archive(archive.root)
    with pytest.raises(ArchiveError) as caught:
        fresh.file(fake_doc(number=2, body="again"), render, "u")
    assert docs[1].folder.name in caught.value.message.en
    assert caught.value.hint is not None and "docgen verify" in caught.value.hint.en
    with pytest.raises(ArchiveError), fresh.batch() as batch:
        batch.file(fake_doc(number=2, body="again"), render, "u")
    assert fresh.file(fake_doc(number=7, body="seven"), render, "u").meta.number == 7


def test_damaged_folders_of_another_period_or_type_do_not_block(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive", per_year=True)
    old = archive.file(fake_doc(date=dt.date(2025, 12, 1), body="old"), render, "u")
    report = archive.file(fake_doc(kind="bien-ban-thuong-ky", symbol="BB",
                                   date=dt.date(2026, 1, 5), body="bb"), render, "u")
    assert old.meta.number == 1 and report.meta.number == 1
    _truncate_meta(old)
    _truncate_meta(report)
    _forget_catalog(archive)
    (archive.root / "numbering.json").unlink()
    fresh = Archive(archive.root, per_year=True)
    # 2026's NQ series: the damaged 01-NQ is from 2025 and 01-BB is another type
    assert fresh.file(fake_doc(date=dt.date(2026, 2, 1)), render, "u").meta.number == 1
    assert fresh.file(fake_doc(date=dt.date(2025, 12, 5)), render, "u").meta.number == 2


def test_damaged_numbers_fold_the_symbol(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive")
    doc = archive.file(fake_doc(kind="nghi-quyet", symbol="QĐ", body="q"), render, "u")
    assert "_01-QD_" in doc.folder.name
    _truncate_meta(doc)
    _forget_catalog(archive)
    fresh = Archive(archive.root)
    (archive.root / "numbering.json").unlink()
    assert fresh.file(fake_doc(kind="nghi-quyet", symbol="QĐ"), render, "u").meta.number == 2


def test_registry_raised_check_counts_damaged_folders(filed: Filed) -> None:
    archive, docs = filed
    _truncate_meta(docs[3])  # 04: the registry's 4 is not "raised"
    assert {c for c, _, _ in _codes(archive)} == {"meta-json"}


# ------------------------------------------------------------------------- the lock
def test_lock_that_is_a_folder_is_exit_6_not_a_traceback(filed: Filed) -> None:
    archive, _ = filed
    lock = archive.root / ".lock"
    lock.unlink(missing_ok=True)
    lock.mkdir()
    with pytest.raises(ArchiveError) as caught:
        archive.file(fake_doc(body="x"), render, "u")
    assert caught.value.exit_code == 6
    assert str(lock) in caught.value.message.en
    assert caught.value.hint is not None and "remove" in caught.value.hint.en


# ---------------------------------------------------------------------------- CLI
def run(archive: Path, *args: str) -> Result:
    return CliRunner().invoke(
        main, ["--lang", "en", "--config", str(CONFIG), "--archive", str(archive), *args],
        env={"DOCGEN_USER": "thu-ky"})


def _input(tmp_path: Path, name: str) -> str:
    data = yaml.safe_load((EXAMPLES / "nghi-quyet.yaml").read_text("utf-8"))
    data["number"] = None
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return str(path)


@pytest.fixture
def cli_archive(tmp_path: Path) -> Path:
    root = tmp_path / "arch"
    result = run(root, "new", _input(tmp_path, "a"), _input(tmp_path, "b"))
    assert result.exit_code == 0, result.output
    assert run(root, "verify").exit_code == 0
    return root


def test_cli_verify_exit_7_when_the_audit_log_is_deleted(cli_archive: Path) -> None:
    (cli_archive / "audit.jsonl").unlink()
    result = run(cli_archive, "verify")
    assert result.exit_code == 7 and "audit.jsonl is missing" in result.stdout


def test_cli_verify_exit_7_when_a_line_is_deleted(cli_archive: Path) -> None:
    log = cli_archive / "audit.jsonl"
    log.write_bytes(b"".join(line + b"\n" for line in log.read_bytes().split(b"\n")[1:-1]))
    result = run(cli_archive, "verify")
    assert result.exit_code == 7 and "line 1 carries the hash" in result.stdout


def test_cli_verify_exit_7_registry_raised_and_new_jumps(cli_archive: Path,
                                                         tmp_path: Path) -> None:
    path = cli_archive / "numbering.json"
    data = json.loads(path.read_text("utf-8"))
    (series,) = data["series"]
    data["series"][series] = 50
    path.write_text(json.dumps(data), "utf-8")
    result = run(cli_archive, "verify")
    assert result.exit_code == 7 and "the next number would be 51 instead of 3" in result.stdout
    filed = run(cli_archive, "new", _input(tmp_path, "c"))
    assert filed.exit_code == 0 and "51-NQ/CB" in filed.stdout


@pytest.mark.parametrize("text", ['{"series":[1]}', "{garbled", "[]",
                                  '{"series":{"x":"5"}}'])
def test_cli_new_with_a_bad_registry_numbers_from_the_folders(
        cli_archive: Path, tmp_path: Path, text: str) -> None:
    (cli_archive / "numbering.json").write_text(text)
    bad = run(cli_archive, "verify")
    assert bad.exit_code == 7 and "numbering.json" in bad.stdout
    filed = run(cli_archive, "new", _input(tmp_path, "c"))
    assert filed.exit_code == 0 and "03-NQ/CB" in filed.stdout, filed.output
    assert "Traceback" not in filed.output


def test_cli_lock_folder_exit_6(cli_archive: Path, tmp_path: Path) -> None:
    lock = cli_archive / ".lock"
    lock.unlink(missing_ok=True)
    lock.mkdir()
    result = run(cli_archive, "new", _input(tmp_path, "c"))
    assert result.exit_code == 6, result.output
    assert str(lock) in result.stderr and "Traceback" not in result.output
    assert "rm -r" in result.stderr


def test_cli_verify_pending_marker_is_a_warning_exit_0(cli_archive: Path) -> None:
    archive = Archive(cli_archive)
    doc = archive.list()[0]
    record = archive.record(doc.id)
    relpath = doc.folder.relative_to(cli_archive).as_posix()
    entry = store.audit_entry(record, relpath, "new")
    audit.set_pending(cli_archive, audit.stage_pending(cli_archive, relpath, entry, None, None))
    result = run(cli_archive, "verify")
    assert result.exit_code == 0 and "repaired at the next write" in result.stdout


# ------------------------------------------------------------- verify beside writers
def test_verify_beside_writers_reports_no_error(tmp_path: Path) -> None:
    """verify takes no lock: documents filed while it runs are never reported as damage
    (no audit-missing/orphan, no raised/lowered registry)."""
    root = tmp_path / "archive"
    worker = Path(__file__).with_name("worker.py")
    procs = [subprocess.Popen([sys.executable, str(worker), str(root), mode, "40", str(tag)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for tag, mode in enumerate(("count", "batch"))]
    runs = 0
    errors: list[str] = []
    while any(proc.poll() is None for proc in procs) or runs == 0:
        if root.is_dir():
            errors += [p.text("en") for p in Archive(root).verify().errors]
            runs += 1
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
    print(f"{runs} verify runs beside the writers")
    assert errors == [] and runs > 1
    report = Archive(root).verify()
    assert report.ok and report.checked >= 40
