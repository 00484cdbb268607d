"""Hostile bundles: zip bombs, huge manifests, lying headers, too many members, unsafe
names. Each is refused (ArchiveError, exit 6, nothing written) from its headers, or
after reading at most a block past a declared size; a normal bundle still imports.

The attack bundles are built here. A zip bomb is written as raw deflate: one block of
zeros compressed once with a full flush (so it decodes on its own) and repeated, which
makes a 3.3 GiB member in a fraction of a second instead of deflating 3.3 GiB.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import struct
import subprocess
import sys
import time
import warnings
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from docgen.archive import Archive, bundle
from docgen.archive.bundle import BLOCK, MANIFEST, Limits, read_bundle
from docgen.errors import ArchiveError

from .fakes import fake_doc, render
from .test_bundle import _rewrite, _tree

MiB = 1 << 20
FOLDER = "2026/03/2026-03-10_nghi-quyet_05-NQ_3f9a2c1b7e"
DOCX = f"archive/{FOLDER}/2026-03-10_nghi-quyet_05-NQ_3f9a2c1b7e.docx"
META = f"archive/{FOLDER}/meta.json"


# ------------------------------------------------------------- raw zip writing
@dataclass
class Raw:
    """One member written as given: ``segments`` are already compressed."""

    name: str
    segments: Iterable[bytes]
    crc: int
    size: int  # real uncompressed size
    method: int = zipfile.ZIP_DEFLATED
    declared_size: int | None = None  # what the headers say (a lie when it differs)
    declared_csize: int | None = None
    external_attr: int = 0
    flag_bits: int = 0


def deflated(name: str, block: bytes, count: int = 1, tail: bytes = b"") -> Raw:
    """``block`` repeated ``count`` times then ``tail``, as one raw deflate stream."""
    squeeze = zlib.compressobj(9, zlib.DEFLATED, -15)
    segment = squeeze.compress(block) + squeeze.flush(zlib.Z_FULL_FLUSH)
    end = squeeze.compress(tail) + squeeze.flush()
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    return Raw(name, [*([segment] * count), end], zlib.crc32(tail, crc),
               len(block) * count + len(tail))


def write_raw(path: Path, members: list[Raw], eocd_count: int | None = None) -> Path:
    """A zip file of ``members`` (no zip64: keep each under 4 GiB)."""
    central = []
    with path.open("wb") as out:
        for m in members:
            name = m.name.encode("utf-8")
            flags = m.flag_bits | (0 if m.name.isascii() else 0x800)
            offset = out.tell()
            out.write(b"\0" * (30 + len(name)))
            csize = 0
            for segment in m.segments:
                out.write(segment)
                csize += len(segment)
            csize = csize if m.declared_csize is None else m.declared_csize
            usize = m.size if m.declared_size is None else m.declared_size
            end = out.tell()
            out.seek(offset)
            out.write(struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", 20, 0, flags, m.method, 0,
                                  0x5C6A, m.crc, csize, usize, len(name), 0) + name)
            out.seek(end)
            central.append(struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", 20, 3, 20, 0, flags,
                                       m.method, 0, 0x5C6A, m.crc, csize, usize, len(name), 0,
                                       0, 0, 0, m.external_attr, offset) + name)
        start = out.tell()
        for entry in central:
            out.write(entry)
        count = len(central) if eocd_count is None else eocd_count
        out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count,
                              out.tell() - start, start, 0))
    return path


def manifest_of(members: dict[str, str], **extra: Any) -> bytes:
    return json.dumps({"format": "docgen-bundle/1", "members": members, **extra}).encode()


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def bomb_bundle(path: Path, mib: int) -> Path:
    """A member of ``mib`` MiB of zeros (about 1 KiB a MiB) listed in a good manifest."""
    member = deflated(DOCX, b"\0" * MiB, mib)
    manifest = manifest_of({DOCX: "0" * 64})
    return write_raw(path, [member, deflated(MANIFEST, manifest)])


def manifest_bomb(path: Path, real: Path, mib: int) -> Path:
    """The members of the real bundle ``real`` and a manifest padded to ``mib`` MiB."""
    with zipfile.ZipFile(real) as zf:
        members = [deflated(i.filename, zf.read(i.filename)) for i in zf.infolist()
                   if i.filename != MANIFEST]
        body = zf.read(MANIFEST)
    return write_raw(path, [*members, deflated(MANIFEST, b" " * MiB, mib, body)])


# -------------------------------------------------------------------- fixtures
@pytest.fixture
def exported(tmp_path: Path) -> Path:
    """A real bundle: three versions of two documents from a real archive."""
    archive = Archive(tmp_path / "cell")
    doc = archive.file(fake_doc(), render, "an")
    archive.amend(doc.id, fake_doc(body="sửa"), render, "an")
    archive.file(fake_doc(draft=True), render, "an")
    return archive.export(tmp_path / "cell.zip")


@pytest.fixture
def no_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if any member is decompressed (the refusal must come from headers)."""
    def forbidden(*args: Any, **kwargs: Any) -> Iterator[bytes]:
        raise AssertionError("a member was read")
    monkeypatch.setattr(bundle, "_blocks", forbidden)


def refused(path: Path, limits: Limits | None = None) -> ArchiveError:
    with pytest.raises(ArchiveError) as info:
        read_bundle(path, limits)
    error = info.value
    assert error.exit_code == 6 and error.hint is not None
    assert path.name in error.message.en and path.name in error.message.vi
    assert "nothing written" in error.message.en and "chưa ghi gì" in error.message.vi
    return error


def imported_nothing(tmp_path: Path, path: Path) -> ArchiveError:
    """Import through the Archive: refused, and the archive folder is never created."""
    target = Archive(tmp_path / "target")
    with pytest.raises(ArchiveError) as info:
        target.import_bundle(path)
    assert info.value.exit_code == 6 and not target.root.exists()
    return info.value


# ------------------------------------------------------------- normal bundles
def test_normal_bundle_imports_idempotently_within_limits(exported: Path,
                                                          tmp_path: Path) -> None:
    with zipfile.ZipFile(exported) as zf:
        infos = zf.infolist()
    # real members compress 1–3:1 (measured: .docx 1.07, text/yaml/json about 2, the
    # manifest 3): far below MAX_RATIO
    assert max(i.file_size / max(i.compress_size, 1) for i in infos) < 10
    read_bundle(exported, Limits(members=len(infos)))  # exactly at the limit: accepted
    target = Archive(tmp_path / "commune")
    first = target.import_bundle(exported)
    assert len(first.imported) == 3 and not first.conflicts and not first.unchanged
    before = _tree(target.root)
    second = target.import_bundle(exported)
    assert second.imported == [] and len(second.unchanged) == 3
    assert _tree(target.root) == before
    assert target.verify().ok
    assert not any((target.root / ".tmp").iterdir())  # the streamed copies are gone


def test_import_streams_every_member_in_blocks(exported: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """No whole-member read anywhere: every read asks for at most one block."""
    sizes: list[int] = []
    real_read = zipfile.ZipExtFile.read

    def read(self: zipfile.ZipExtFile, n: int | None = -1) -> bytes:
        assert n is not None and 0 < n <= BLOCK, f"read({n})"
        data = real_read(self, n)
        sizes.append(len(data))
        return data

    def whole(*args: Any, **kwargs: Any) -> bytes:
        raise AssertionError("ZipFile.read reads a whole member")

    monkeypatch.setattr(zipfile.ZipExtFile, "read", read)
    monkeypatch.setattr(zipfile.ZipFile, "read", whole)
    report = Archive(tmp_path / "t").import_bundle(exported)
    assert len(report.imported) == 3 and sizes and max(sizes) <= BLOCK


def test_export_refuses_a_bundle_import_would_refuse(exported: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    archive = Archive(tmp_path / "cell")
    monkeypatch.setattr(bundle, "LIMITS", Limits(members=5))
    out = tmp_path / "out" / "big.zip"
    with pytest.raises(ArchiveError) as info:
        archive.export(out)
    assert info.value.exit_code == 6 and "too large to import" in info.value.message.en
    assert not out.exists() and not out.with_name("big.zip.part").exists()


# ------------------------------------------------------------------ zip bombs
def test_zip_bomb_is_refused_from_its_header(tmp_path: Path, no_reads: None) -> None:
    bomb = bomb_bundle(tmp_path / "bomb.zip", 64)  # 64 MiB in 66 KB
    error = refused(bomb)
    assert DOCX in error.message.en and "1011:1" in error.message.en
    assert "limit of 200:1" in error.message.en and "200:1" in error.message.vi


def test_zip_bomb_through_the_archive_writes_nothing(tmp_path: Path) -> None:
    bomb = bomb_bundle(tmp_path / "bomb.zip", 16)
    assert "zip bomb" in imported_nothing(tmp_path, bomb).message.en


def test_many_small_compressible_members_hit_the_whole_bundle_ratio(
        tmp_path: Path, no_reads: None) -> None:
    """Each member under RATIO_FROM_BYTES escapes the per-member ratio; the sum does not."""
    names = [f"archive/{FOLDER}/part{i}.txt" for i in range(40)]
    members = [deflated(name, b"\0" * (512 << 10)) for name in names]
    manifest = deflated(MANIFEST, manifest_of({n: "0" * 64 for n in names}))
    path = write_raw(tmp_path / "many.zip", [*members, manifest])
    error = refused(path)
    assert "whole bundle is compressed" in error.message.en and "200:1" in error.message.en


def test_total_uncompressed_size_is_limited(exported: Path, no_reads: None) -> None:
    error = refused(exported, Limits(total_bytes=50_000))
    assert "total uncompressed size" in error.message.en
    assert "48.8 KiB" in error.message.en and "48,8 KiB" in error.message.vi


def test_overlapping_members_are_refused(tmp_path: Path, no_reads: None) -> None:
    data = os.urandom(4000)
    members = [deflated(DOCX, data), deflated(META, data)]
    for member in members:
        member.declared_csize = 6000  # each claims most of the file
    path = write_raw(tmp_path / "overlap.zip", [*members, deflated(MANIFEST, manifest_of({}))])
    assert "overlap" in refused(path).message.en


@dataclass
class Measured:
    exit: int
    seconds: float
    rss_mib: float
    output: str


_MEASURE = r"""
import json, resource, subprocess, sys, time
start = time.monotonic()
run = subprocess.run([sys.executable, "-m", "docgen", "--lang", "en", "--archive",
                      sys.argv[1], "import-bundle", sys.argv[2]], capture_output=True, text=True)
seconds = time.monotonic() - start
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"exit": run.returncode, "seconds": seconds, "output": run.stdout + run.stderr,
                  "rss_mib": rss / (1 << 20 if sys.platform == "darwin" else 1 << 10)}))
"""


def measure_import(archive: Path, path: Path) -> Measured:
    """`docgen import-bundle` in a child process: its peak RSS and wall time."""
    pytest.importorskip("resource")
    run = subprocess.run([sys.executable, "-c", _MEASURE, str(archive), str(path)],
                         capture_output=True, text=True, check=True, cwd=path.parent)
    return Measured(**json.loads(run.stdout))


@pytest.fixture(scope="session")
def attacks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The two bundles of issue 9, built once (about 2 s): a 3.4 MB zip bomb (a 3.2 GiB
    member) and a 1.8 MB bundle whose manifest is 1.5 GiB."""
    folder = tmp_path_factory.mktemp("attacks")
    source = Archive(folder / "cell")
    doc = source.file(fake_doc(), render, "an")
    source.amend(doc.id, fake_doc(body="sửa"), render, "an")
    real = source.export(folder / "real.zip")
    return {"bomb": bomb_bundle(folder / "bomb.zip", 3300),
            "manifest": manifest_bomb(folder / "manifest.zip", real, 1536)}


@pytest.mark.parametrize("case", ["bomb", "manifest"])
def test_issue_bundles_are_refused_fast_in_little_memory(attacks: dict[str, Path], case: str,
                                                         tmp_path: Path) -> None:
    path = attacks[case]
    with zipfile.ZipFile(path) as zf:
        declared = sum(i.file_size for i in zf.infolist())
    assert path.stat().st_size < 3.5e6 and declared > 1.5 * (1 << 30)
    result = measure_import(tmp_path / "archive", path)
    print(f"{case}: {path.stat().st_size} bytes, {declared} declared: exit {result.exit}, "
          f"{result.seconds:.2f} s, peak RSS {result.rss_mib:.0f} MiB")
    assert result.exit == 6, result.output
    assert "refused" in result.output and path.name in result.output
    assert "Traceback" not in result.output
    assert result.rss_mib < 200 and result.seconds < 10
    assert not (tmp_path / "archive").exists()


# --------------------------------------------------------------- the manifest
def test_huge_manifest_is_refused_by_its_declared_size(tmp_path: Path, exported: Path,
                                                       no_reads: None) -> None:
    path = manifest_bomb(tmp_path / "manifest.zip", exported, 1536)
    assert "docgen-bundle.json is compressed" in refused(path).message.en  # default limits
    lax = Limits(ratio=10_000)  # past the ratio check: the manifest's own cap
    error = refused(path, lax)
    assert "docgen-bundle.json is 1.5 GiB, over the limit of 32 MiB" in error.message.en
    assert "1,5 GiB" in error.message.vi


def test_manifest_that_lies_about_its_size_is_read_one_byte_past_it(
        tmp_path: Path, exported: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The header says 100 bytes; it holds 1.5 GiB: at most 101 bytes are decompressed
    (and 100 again, to tell a lie from a damaged member)."""
    with zipfile.ZipFile(exported) as zf:
        members = [deflated(i.filename, zf.read(i.filename)) for i in zf.infolist()
                   if i.filename != MANIFEST]
    lie = deflated(MANIFEST, b" " * MiB, 1536, b"{}")
    lie.declared_size = 100
    lie.crc = zlib.crc32(b" " * 100)  # a CRC that fits the declared bytes
    path = write_raw(tmp_path / "liar.zip", [*members, lie])
    returned: list[int] = []
    real_read = zipfile.ZipExtFile.read

    def read(self: zipfile.ZipExtFile, n: int | None = -1) -> bytes:
        data = real_read(self, n)
        returned.append(len(data))
        return data

    monkeypatch.setattr(zipfile.ZipExtFile, "read", read)
    start = time.monotonic()
    error = refused(path)
    assert "docgen-bundle.json decompresses to more than the 100 bytes" in error.message.en
    assert sum(returned) <= 100 + 1 + 100 and time.monotonic() - start < 2


def test_manifest_with_millions_of_values_is_not_parsed(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    junk = manifest_of({}, junk=[{}] * 200_000)  # 800 KB that json.loads makes 200,000 dicts
    path = write_raw(tmp_path / "junk.zip", [deflated(MANIFEST, junk)])

    def parse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("json.loads was called")

    monkeypatch.setattr(json, "loads", parse)
    with pytest.raises(ArchiveError) as info:
        read_bundle(path)
    assert "unexpected structure" in info.value.message.en


def test_meta_json_is_capped(exported: Path) -> None:
    error = refused(exported, Limits(meta_bytes=1000))
    assert "meta.json is" in error.message.en and "over the limit of 1000 bytes" in error.message.en


# ------------------------------------------------------------- lying members
def _lying_docx(tmp_path: Path, real: bytes, declared: bytes, crc: int) -> Path:
    member = deflated(DOCX, real)
    member.declared_size, member.crc = len(declared), crc
    manifest = deflated(MANIFEST, manifest_of({DOCX: sha(declared)}))
    return write_raw(tmp_path / "lie.zip", [member, manifest])


def test_member_longer_than_its_header_is_refused(tmp_path: Path) -> None:
    real = os.urandom(1000) + b"\0" * (8 * MiB)
    for crc in (zlib.crc32(real[:1000]), zlib.crc32(real)):  # CRC of the prefix or the whole
        path = _lying_docx(tmp_path, real, real[:1000], crc)
        error = refused(path)
        assert DOCX in error.message.en
        assert "decompresses to more than the 1000 bytes" in error.message.en or \
            "unreadable" in error.message.en
    # the attack: CRC and manifest sha256 both fit the declared 1000 bytes, which zipfile
    # alone would return without complaint
    path = _lying_docx(tmp_path, real, real[:1000], zlib.crc32(real[:1000]))
    with zipfile.ZipFile(path) as zf:
        assert zf.read(DOCX) == real[:1000]
    assert "decompresses to more than the 1000 bytes" in refused(path).message.en


def test_member_shorter_than_its_header_is_refused(tmp_path: Path) -> None:
    real = os.urandom(1000)
    member = deflated(DOCX, real)
    member.declared_size = 2000
    path = write_raw(tmp_path / "short.zip",
                     [member, deflated(MANIFEST, manifest_of({DOCX: sha(real)}))])
    assert "shorter than the 2000 bytes" in refused(path).message.en


def test_damaged_deflate_data_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    junk = Raw(DOCX, [b"\xff" * 64], 0, 1000)
    path = write_raw(tmp_path / "junk.zip",
                     [junk, deflated(MANIFEST, manifest_of({DOCX: "0" * 64}))])
    assert "unreadable" in refused(path).message.en


# ------------------------------------------------------------- too many members
def _empty_members(tmp_path: Path, count: int, eocd_count: int | None = None) -> Path:
    names = [f"archive/{FOLDER}/f{i}.txt" for i in range(count)]
    members = [deflated(name, b"") for name in names]
    manifest = deflated(MANIFEST, manifest_of({n: sha(b"") for n in names}))
    return write_raw(tmp_path / "many.zip", [*members, manifest], eocd_count)


@pytest.mark.parametrize("eocd_count", [None, 3])  # the end record's count may lie too
def test_too_many_members_refused_before_zipfile_parses_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, eocd_count: int | None) -> None:
    path = _empty_members(tmp_path, 50, eocd_count)

    def parse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("zipfile parsed the central directory")

    monkeypatch.setattr(zipfile, "ZipFile", parse)
    error = refused(path, Limits(members=20))
    assert "more than 20 members (limit 20)" in error.message.en


def test_member_limit_through_the_archive(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    path = _empty_members(tmp_path, 30)
    monkeypatch.setattr(bundle, "LIMITS", Limits(members=30))
    assert "more than 30 members" in imported_nothing(tmp_path, path).message.en


# ------------------------------------------------------------ names and kinds
def _bundle_of(path: Path, entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    members = {}
    with zipfile.ZipFile(path, "w") as zf:
        for entry, data in entries:
            name = entry.filename if isinstance(entry, zipfile.ZipInfo) else entry
            members[name] = sha(data)
            zf.writestr(entry, data)
        zf.writestr(MANIFEST, manifest_of(members))
    return path


@pytest.mark.parametrize("name, why", [
    ("archive/../../etc/evil.txt", "has a .. path component"),
    (f"archive/{FOLDER}/../../../../evil.txt", "has a .. path component"),
    ("/etc/passwd", "is an absolute path"),
    ("C:/Windows/evil.dll", "is an absolute path"),
    (f"archive/{FOLDER}/..\\..\\evil.txt", "contains a backslash"),
    (f"archive/{FOLDER}/evil\n.txt", "contains a control character"),
    (f"archive/{FOLDER}/{'x' * 300}", "has a part longer than 255 bytes"),
    (f"archive/{FOLDER}/.hidden", "not of the form"),
    (f"archive/{FOLDER}/cache", "not of the form"),
    (f"archive/{FOLDER}/", "not of the form"),
    ("archive/2026/13/x/y.txt", "not of the form"),
    ("archive/2026/03/not-a-folder/y.txt", "not of the form"),
])
def test_unsafe_names_are_refused(tmp_path: Path, name: str, why: str) -> None:
    path = _bundle_of(tmp_path / "evil.zip", [(name, b"x")])
    error = imported_nothing(tmp_path, path)
    assert "invalid member name" in error.message.en and why in error.message.en
    assert "\n" not in error.message.en
    assert not (tmp_path / "etc").exists() and not (tmp_path / "evil.txt").exists()


@pytest.mark.parametrize("second", [DOCX, DOCX.upper().replace("ARCHIVE/", "archive/"),
                                    MANIFEST])
def test_duplicate_names_are_refused(tmp_path: Path, second: str) -> None:
    path = tmp_path / "dup.zip"
    with warnings.catch_warnings(), zipfile.ZipFile(path, "w") as zf:
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate it writes
        zf.writestr(DOCX, b"one")
        zf.writestr(second, b"two")
        zf.writestr(MANIFEST, manifest_of({DOCX: sha(b"two")}))
    error = refused(path)
    assert "duplicate member name" in error.message.en


def test_symlink_entries_are_refused(tmp_path: Path) -> None:
    link = zipfile.ZipInfo(DOCX)
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    path = _bundle_of(tmp_path / "link.zip", [(link, b"/etc/passwd")])
    assert "is a symbolic link" in refused(path).message.en


def test_encrypted_and_unusual_compression_are_refused(tmp_path: Path) -> None:
    secret = deflated(DOCX, b"x" * 100)
    secret.flag_bits = 0x1  # zipfile itself would ask for a password (RuntimeError)
    path = write_raw(tmp_path / "e.zip", [secret, deflated(MANIFEST, manifest_of({}))])
    assert "is encrypted" in refused(path).message.en
    bz = zipfile.ZipInfo(DOCX)
    bz.compress_type = zipfile.ZIP_BZIP2
    error = refused(_bundle_of(tmp_path / "b.zip", [(bz, b"x" * 1000)]))
    assert "compression method 12" in error.message.en


# ---------------------------------------------------------- copy into archive
def test_bundle_changed_between_check_and_copy(exported: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The sha256 is checked again while each member is streamed into the archive."""
    with zipfile.ZipFile(exported) as zf:
        docx = sorted(n for n in zf.namelist() if n.endswith(".docx"))[-1]
        original = zf.read(docx)
    changed = tmp_path / "changed.zip"
    _rewrite(exported, changed, {docx: original[:-10] + b"0123456789"})
    real_read = bundle.read_bundle

    def read_then_swap(path: Path, limits: Limits | None = None) -> bundle.Bundle:
        checked = real_read(path, limits)
        os.replace(changed, path)  # swapped after the check, before the copy
        return checked

    monkeypatch.setattr(bundle, "read_bundle", read_then_swap)
    target = Archive(tmp_path / "t")
    with pytest.raises(ArchiveError) as info:
        target.import_bundle(exported)
    assert "changed after it was checked" in info.value.message.en
    assert docx in info.value.message.en
    relpath = docx.removeprefix("archive/").rsplit("/", 1)[0]
    assert not (target.root / relpath).exists()
    assert not any((target.root / ".tmp").iterdir())
    assert target.verify().ok


def test_limits_are_documented() -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "archive.md").read_text("utf-8")
    section = text.split("## Bundles", 1)[1]
    for value in ("100,000", "20 GiB", "200:1", "1 MiB", "32 MiB", "symlink", "backslash"):
        assert value in section, value
