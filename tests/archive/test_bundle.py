"""Export and import of bundles: idempotent, checksum-verified, conflicts reported."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from docgen.archive import Archive
from docgen.errors import ArchiveError

from .fakes import fake_doc, render


def _tree(root: Path) -> dict[str, bytes]:
    if not root.exists():
        return {}
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".docgen" not in p.parts}


@pytest.fixture
def source(tmp_path: Path) -> Archive:
    archive = Archive(tmp_path / "cell")
    doc = archive.file(fake_doc(), render, "an")
    archive.amend(doc.id, fake_doc(body="sửa"), render, "an")
    archive.file(fake_doc(draft=True), render, "an")
    gone = archive.file(fake_doc(), render, "an")
    archive.withdraw(gone.id, "nhầm", "an")
    return archive


def test_export_import_is_idempotent(source: Archive, tmp_path: Path) -> None:
    bundle = source.export(tmp_path / "out" / "cell.zip")
    target = Archive(tmp_path / "commune")
    first = target.import_bundle(bundle)
    assert len(first.imported) == 5 and first.conflicts == [] and first.unchanged == []
    before = _tree(target.root)
    second = target.import_bundle(bundle)
    assert second.imported == [] and len(second.unchanged) == 5
    after = _tree(target.root)
    assert after == before
    assert target.verify().ok
    assert {d.id for d in target.list(include_withdrawn=True)} == \
        {d.id for d in source.list(include_withdrawn=True)}
    assert len(target.history(source.list()[0].id)) in (1, 2)


def test_export_filters(source: Archive, tmp_path: Path) -> None:
    bundle = source.export(tmp_path / "b.zip", kind="bien-ban-thuong-ky")
    with zipfile.ZipFile(bundle) as zf:
        manifest = json.loads(zf.read("docgen-bundle.json"))
    assert manifest["members"] == {}


def test_conflicting_number_is_reported_never_overwritten(source: Archive,
                                                          tmp_path: Path) -> None:
    bundle = source.export(tmp_path / "cell.zip")
    target = Archive(tmp_path / "commune")
    mine = target.file(fake_doc(body="một văn bản khác cùng số"), render, "binh")
    before = _tree(target.root)
    report = target.import_bundle(bundle)
    assert report.conflicts and all(p.code == "conflict" for p in report.conflicts)
    assert any(mine.id in p.message.en for p in report.conflicts)
    assert target.get(mine.id).folder == mine.folder
    for name, data in before.items():
        if name not in ("audit.jsonl", "numbering.json"):
            assert _tree(target.root)[name] == data
    assert target.verify().ok


def test_not_a_bundle(tmp_path: Path) -> None:
    target = Archive(tmp_path / "t")
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"this is not a zip")
    with pytest.raises(ArchiveError) as info:
        target.import_bundle(junk)
    assert info.value.exit_code == 6 and "bundle" in info.value.message.en
    plain = tmp_path / "plain.zip"
    with zipfile.ZipFile(plain, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(ArchiveError):
        target.import_bundle(plain)
    with pytest.raises(ArchiveError):
        target.import_bundle(tmp_path / "missing.zip")
    assert not target.root.exists()


def _rewrite(bundle: Path, out: Path, change: dict[str, bytes]) -> None:
    with zipfile.ZipFile(bundle) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info.filename, change.get(info.filename, src.read(info.filename)))


def test_corrupted_member_writes_nothing(source: Archive, tmp_path: Path) -> None:
    bundle = source.export(tmp_path / "cell.zip")
    with zipfile.ZipFile(bundle) as zf:
        docx_member = next(n for n in zf.namelist() if n.endswith(".docx"))
        original = zf.read(docx_member)
    bad = tmp_path / "bad.zip"
    _rewrite(bundle, bad, {docx_member: original[:-10] + b"0123456789"})
    target = Archive(tmp_path / "commune")
    target.file(fake_doc(cell="CHI BỘ KHÁC"), render, "u")
    before = _tree(target.root)
    with pytest.raises(ArchiveError) as info:
        target.import_bundle(bad)
    assert docx_member in info.value.message.en and "nothing written" in info.value.message.en
    assert _tree(target.root) == before


def test_traversal_member_names_are_refused(source: Archive, tmp_path: Path) -> None:
    evil = tmp_path / "evil.zip"
    payload = b"x"
    import hashlib
    name = "archive/../../etc/evil.txt"
    with zipfile.ZipFile(evil, "w") as zf:
        zf.writestr(name, payload)
        zf.writestr("docgen-bundle.json", json.dumps({
            "format": "docgen-bundle/1",
            "members": {name: hashlib.sha256(payload).hexdigest()}}))
    target = Archive(tmp_path / "t")
    with pytest.raises(ArchiveError) as info:
        target.import_bundle(evil)
    assert "invalid member name" in info.value.message.en
    assert not (tmp_path / "etc").exists() and not target.root.exists()


def test_a_number_a_damaged_folder_may_hold_is_a_conflict(tmp_path: Path) -> None:
    cell = Archive(tmp_path / "cell")
    cell.file(fake_doc(number=2), render, "an")
    bundle = cell.export(tmp_path / "cell.zip")
    commune = Archive(tmp_path / "commune")
    held = commune.file(fake_doc(number=2), render, "xa")
    (held.folder / "meta.json").write_bytes(b'{"id": "trunc')  # unreadable: number unknown
    (commune.root / ".docgen" / "catalog.sqlite").unlink()
    commune.close()
    report = Archive(commune.root).import_bundle(bundle)
    assert report.imported == [] and len(report.conflicts) == 1
    assert held.folder.name in report.conflicts[0].message.en
    assert "damaged" in report.conflicts[0].message.en
