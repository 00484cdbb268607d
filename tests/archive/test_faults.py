"""Storage faults: a read-only archive and a full disk give messages and exit statuses,
never a traceback, and lose nothing (real files, real mounts when run as root)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from docgen.cli import main

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
CONFIG = EXAMPLES / "docgen.toml"
ROOT = os.geteuid() == 0


def run(archive: Path, *args: str) -> Result:
    result = CliRunner().invoke(
        main, ["--lang", "en", "--config", str(CONFIG), "--archive", str(archive), *args],
        env={"DOCGEN_USER": "thu-ky"})
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        f"{args}: {result.exception!r}\n{result.output}"
    assert "Traceback" not in result.output
    return result


def run_process(archive: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real command in its own process (whoosh may leave files open when a disk
    fills up mid-commit; a process's exit closes them, as for a user)."""
    done = subprocess.run(
        [sys.executable, "-m", "docgen", "--lang", "en", "--config", str(CONFIG),
         "--archive", str(archive), *args], capture_output=True, text=True,
        env={**os.environ, "DOCGEN_USER": "thu-ky"}, timeout=300)
    assert "Traceback" not in done.stderr, done.stderr
    return done


def unnumbered(tmp_path: Path, kind: str = "nghi-quyet") -> Path:
    data = yaml.safe_load((EXAMPLES / f"{kind}.yaml").read_text("utf-8"))
    data.pop("number", None)
    path = tmp_path / f"{kind}-auto.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def filed_id(result: Result) -> str:
    assert result.exit_code == 0, result.output
    return result.stdout.split()[1]


def _mount(*args: str) -> None:
    subprocess.run(["mount", *args], check=True, capture_output=True)


@pytest.fixture
def read_only_archive(tmp_path: Path) -> Iterator[tuple[Path, list[str]]]:
    """An archive of 3 documents (index built), then made read-only: a read-only bind
    mount when run as root, else the permission bits (EACCES instead of EROFS)."""
    source = tmp_path / "archive"
    nq = unnumbered(tmp_path)
    ids = [filed_id(run(source, "new", str(nq))) for _ in range(2)]
    ids.append(filed_id(run(source, "new", str(EXAMPLES / "bien-ban-thuong-ky.yaml"))))
    assert run(source, "search", "chi bộ").exit_code == 0
    if ROOT:
        view = tmp_path / "ro"
        view.mkdir()
        _mount("--bind", str(source), str(view))
        try:
            _mount("-o", "remount,ro,bind", str(view))
            yield view, ids
        finally:
            subprocess.run(["umount", "-l", str(view)], check=False)
        return
    for folder, dirs, files in os.walk(source):
        for name in [*dirs, *files]:
            os.chmod(Path(folder) / name, 0o555 if name in dirs else 0o444)
    os.chmod(source, 0o555)
    try:
        yield source, ids
    finally:
        for folder, dirs, _ in os.walk(source):
            os.chmod(folder, 0o755)
            for name in dirs:
                os.chmod(Path(folder) / name, 0o755)


def test_a_read_only_archive_is_read_and_refuses_writes_clearly(
        read_only_archive: tuple[Path, list[str]], tmp_path: Path) -> None:
    archive, ids = read_only_archive
    before = sorted(p.relative_to(archive).as_posix() for p in archive.rglob("*"))
    listed = run(archive, "list", "--json")
    assert listed.exit_code == 0 and {d["id"] for d in json.loads(listed.stdout)} == set(ids)
    for args in (["show", ids[0]], ["path", ids[0]], ["topics"], ["similar", ids[0]],
                 ["print", "--kind", "nghi-quyet", "--dry-run"],
                 ["export", "-o", str(tmp_path / "out.zip")]):
        assert run(archive, *args).exit_code == 0, args
    found = run(archive, "search", "nghị quyết", "--json", "--limit", "100")
    assert found.exit_code == 0
    assert {h["id"] for h in json.loads(found.stdout)["hits"]} >= set(ids[:2])
    checked = run(archive, "verify")
    assert checked.exit_code == 0, checked.output
    nq = unnumbered(tmp_path)
    for args in (["new", str(nq)], ["amend", ids[0], str(nq)], ["withdraw", ids[0], "--reason", "x"],
                 ["finalize", ids[0]], ["gc"], ["import-bundle", str(tmp_path / "out.zip")],
                 ["reindex"]):
        refused = run(archive, *args)
        assert refused.exit_code == 6, (args, refused.output)
        assert "read-only" in refused.stderr or "permission" in refused.stderr, refused.stderr
    after = sorted(p.relative_to(archive).as_posix() for p in archive.rglob("*"))
    assert after == before  # nothing written, nothing lost


@pytest.mark.skipif(not ROOT, reason="a small full tmpfs needs root to mount (not root here)")
def test_a_full_disk_gives_a_disk_space_message_and_keeps_what_was_filed(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    disk.mkdir()
    _mount("-t", "tmpfs", "-o", "size=700k", "tmpfs", str(disk))
    try:
        archive = disk / "archive"
        nq = unnumbered(tmp_path)
        filed: list[str] = []
        refusal = None
        for _ in range(40):
            result = run_process(archive, "new", str(nq))
            if result.returncode != 0:
                refusal = result
                break
            assert "Filed" in result.stdout, result.stdout  # filed: exit 0, maybe warned
            filed.append(result.stdout.split()[1])
        assert refusal is not None and filed, "the disk never filled up"
        assert refusal.returncode == 6 and "disk is full" in refusal.stderr, refusal.stderr
        listed = run_process(archive, "list", "--json")
        assert listed.returncode == 0
        assert {d["id"] for d in json.loads(listed.stdout)} == set(filed)  # nothing lost
        checked = run_process(archive, "verify")
        assert checked.returncode in (0, 7) and "Checked" in checked.stdout
        assert run_process(archive, "gc").returncode == 0
        _mount("-o", "remount,size=64m", str(disk))  # space again: the index catches up
        found = run_process(archive, "search", "nghị quyết", "--json", "--limit", "100")
        assert found.returncode == 0, found.stderr
        assert json.loads(found.stdout)["total"] == len(filed)
        verified = run_process(archive, "verify")
        assert verified.returncode == 0, verified.stdout
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)
        shutil.rmtree(disk, ignore_errors=True)


@pytest.mark.libreoffice
def test_a_read_only_archive_still_prints_without_caching(
        read_only_archive: tuple[Path, list[str]], tmp_path: Path) -> None:
    archive, ids = read_only_archive
    before = sorted(p.relative_to(archive).as_posix() for p in archive.rglob("*"))
    single = run(archive, "pdf", ids[0], "-o", str(tmp_path / "one.pdf"))
    assert single.exit_code == 0, single.output
    book = run(archive, "print", "-o", str(tmp_path / "book.pdf"))
    assert book.exit_code == 0, book.output
    assert (tmp_path / "one.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "book.pdf").stat().st_size > (tmp_path / "one.pdf").stat().st_size
    assert sorted(p.relative_to(archive).as_posix() for p in archive.rglob("*")) == before
