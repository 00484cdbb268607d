"""The index follows the archive's change sequence (docgen.search.sync): it catches up by
itself, waits its turn, survives dead lock holders, and a filing never fails because of it.
Real archives, real on-disk indexes, real processes for the locks."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from search_corpus import CELLS, file_corpus, make_doc

from docgen.archive import Archive
from docgen.archive.catalog import CATALOG_FILE
from docgen.cli import main
from docgen.config import Settings
from docgen.search import SearchFilters, SearchIndex, check_index, open_index, search_ids
from docgen.search import sync as sync_module
from docgen.search.schema import VERSION_FILE
from docgen.search.sync import STATE_FILE, read_state

DOCS = [make_doc(f"d{i}", f"NGHỊ QUYẾT số {i} về vệ sinh môi trường", f"Thu gom rác thải đợt {i}.",
                 cell=CELLS[i % 2]) for i in range(6)]


def _search(root: Path, *args: str) -> Result:
    result = CliRunner().invoke(main, ["--lang", "en", "--archive", str(root), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


def _found(root: Path, query: str = "rác thải") -> set[str]:
    result = _search(root, "search", query, "--json", "--limit", "100")
    assert result.exit_code == 0, result.output
    return {hit["id"] for hit in json.loads(result.stdout)["hits"]}


@pytest.fixture
def archive_root(tmp_path: Path) -> Path:
    root = tmp_path / "archive"
    file_corpus(root, DOCS[:4])
    return root


def test_a_deleted_index_is_rebuilt_by_the_next_search(archive_root: Path) -> None:
    ids = set(Archive(archive_root).change_mark() and _found(archive_root))
    assert len(ids) == 4
    index_dir = Settings(archive_root=archive_root).index_path
    for damage in ("delete", "schema", "segment"):
        if damage == "delete":
            import shutil

            shutil.rmtree(index_dir)
        elif damage == "schema":
            (index_dir / VERSION_FILE).write_text("1\n", "utf-8")
        else:
            for seg in index_dir.glob("*.seg"):
                seg.unlink()
        assert _found(archive_root) == ids, damage
        assert read_state(index_dir) is not None


def test_filings_behind_the_index_are_applied_before_answering(archive_root: Path) -> None:
    before = _found(archive_root)
    more = file_corpus(archive_root, DOCS[4:])  # no hook: as a killed process would leave it
    assert _found(archive_root) == before | set(more.values())
    archive = Archive(archive_root)
    archive.withdraw(more["d4"], "nhầm", "t")
    assert _found(archive_root) == before | {more["d5"]}
    mark = archive.change_mark()
    archive.close()
    assert read_state(Settings(archive_root=archive_root).index_path) == {
        "instance": mark[0], "seq": mark[1]}


def test_a_rebuilt_catalog_makes_the_index_compare_itself_in_full(archive_root: Path) -> None:
    ids = _found(archive_root)
    (archive_root / CATALOG_FILE).unlink()  # a new catalog: a new instance, numbering anew
    more = file_corpus(archive_root, DOCS[4:5])
    assert _found(archive_root) == ids | set(more.values())
    state = read_state(Settings(archive_root=archive_root).index_path)
    assert state is not None and state["instance"] == Archive(archive_root).change_mark()[0]


def test_a_mark_ahead_of_the_archive_is_not_trusted(archive_root: Path) -> None:
    ids = _found(archive_root)
    index_dir = Settings(archive_root=archive_root).index_path
    state = read_state(index_dir)
    assert state is not None
    sync_module.write_state(index_dir, (state["instance"], state["seq"] + 1000))
    doc_id = next(iter(ids))
    archive = Archive(archive_root)
    archive.withdraw(doc_id, "x", "t")
    archive.close()
    assert _found(archive_root) == ids - {doc_id}


def test_a_filing_never_fails_because_of_the_index(archive_root: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    _found(archive_root)

    def disk_full(self: SearchIndex, *args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    repo = Path(__file__).resolve().parents[2]
    config = repo / "examples" / "docgen.toml"
    base = ["--lang", "en", "--config", str(config), "--archive", str(archive_root)]
    with monkeypatch.context() as patch:
        patch.setattr(SearchIndex, "_apply", disk_full)
        result = CliRunner().invoke(main, [*base, "new", str(repo / "examples" / "nghi-quyet.yaml")])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Filed ")
    assert "Warning" in result.stderr and "No space left on device" in result.stderr
    doc_id = result.stdout.split()[1]
    assert doc_id in _found(archive_root, "nghị quyết")  # caught up by the next command
    assert check_index(Settings(archive_root=archive_root), Archive(archive_root).iter_current()) == []


_HOLD = """
import sys, time
from docgen.i18n import Msg
from docgen.search.sync import turn
with turn(__import__("pathlib").Path(sys.argv[1]), 5, None, Msg("x", "x")):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def _holder(lock: Path, seconds: float) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", _HOLD, str(lock), str(seconds)],
                            stdout=subprocess.PIPE, text=True, start_new_session=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    proc.stdout.close()
    return proc


def test_a_killed_lock_holder_never_blocks_the_next_writer(archive_root: Path) -> None:
    _found(archive_root)
    index = open_index(Settings(archive_root=archive_root))
    proc = _holder(index.lock_path, 60)
    pid_file = index.lock_path.with_suffix(".lock.pid")
    assert pid_file.read_text("utf-8") == str(proc.pid)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert pid_file.exists()  # the dead process's pid file stays behind …
    more = file_corpus(archive_root, DOCS[4:5])
    started = time.monotonic()
    assert set(more.values()) <= _found(archive_root)  # … and nothing waits for it
    assert time.monotonic() - started < 10
    assert not pid_file.exists()


def test_writers_wait_their_turn_and_say_so(archive_root: Path) -> None:
    _found(archive_root)
    index = open_index(Settings(archive_root=archive_root))
    more = file_corpus(archive_root, DOCS[4:5])
    proc = _holder(index.lock_path, 2.5)
    try:
        started = time.monotonic()
        result = _search(archive_root, "search", "rác thải", "--json", "--limit", "100")
        waited = time.monotonic() - started
    finally:
        proc.wait()
    assert result.exit_code == 0 and waited >= 2.0
    assert f"PID {proc.pid}" in result.stderr and "Waiting" in result.stderr
    assert set(more.values()) <= {h["id"] for h in json.loads(result.stdout)["hits"]}


def test_an_index_busy_beyond_the_wait_answers_and_says_it_is_behind(
        archive_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _found(archive_root)
    settings = Settings(archive_root=archive_root)
    more = file_corpus(archive_root, DOCS[4:5])
    monkeypatch.setattr(sync_module, "WRITER_WAIT", 1.5)
    proc = _holder(open_index(settings).lock_path, 30)
    try:
        result = _search(archive_root, "search", "rác thải", "--json", "--limit", "100")
        assert result.exit_code == 0
        assert "busy" in result.stderr and f"PID {proc.pid}" in result.stderr
        assert not set(more.values()) & {h["id"] for h in json.loads(result.stdout)["hits"]}
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert set(more.values()) <= set(search_ids(settings, "rác thải", SearchFilters()))


def test_state_file_is_removed_by_low_level_adds(archive_root: Path) -> None:
    _found(archive_root)
    settings = Settings(archive_root=archive_root)
    index = open_index(settings)
    index.add_many([make_doc("stray", "T", "rác thải lạ")])  # not from the archive
    assert not (index.path / STATE_FILE).exists()
    assert "stray" not in _found(archive_root)  # the full comparison removes it


def _cli(root: Path, *args: str) -> Result:
    repo = Path(__file__).resolve().parents[2]
    result = CliRunner().invoke(main, ["--lang", "en", "--config",
                                       str(repo / "examples" / "docgen.toml"), "--archive",
                                       str(root), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


def _in_step(root: Path) -> bool:
    """The index has applied every change of the archive (without any search since)."""
    archive = Archive(root)
    mark = archive.change_mark()
    archive.close()
    return read_state(Settings(archive_root=root).index_path) == {"instance": mark[0],
                                                                  "seq": mark[1]}


def test_import_bundle_and_gc_keep_the_index_in_step(archive_root: Path, tmp_path: Path) -> None:
    _found(archive_root)
    other = tmp_path / "other"  # another cell's archive: its own numbering series
    more = file_corpus(other, [make_doc(f"o{i}", f"NGHỊ QUYẾT {i} về rác thải", "Rác thải.",
                                        cell=CELLS[2]) for i in range(2)])
    bundle = tmp_path / "other.zip"
    assert _cli(other, "export", "-o", str(bundle)).exit_code == 0
    imported = _cli(archive_root, "import-bundle", str(bundle))
    assert imported.exit_code == 0, imported.output
    assert _in_step(archive_root)  # the import itself brought the index up to date
    index = open_index(Settings(archive_root=archive_root))
    assert set(more.values()) <= set(index.stored_states())
    index.close()
    assert _cli(archive_root, "gc").exit_code == 0 and _in_step(archive_root)


def test_filing_into_an_archive_whose_index_was_deleted_rebuilds_it_whole(
        archive_root: Path) -> None:
    import shutil

    ids = _found(archive_root)
    shutil.rmtree(Settings(archive_root=archive_root).index_path)
    repo = Path(__file__).resolve().parents[2]
    filed = _cli(archive_root, "new", str(repo / "examples" / "nghi-quyet.yaml"))
    assert filed.exit_code == 0, filed.output
    assert _in_step(archive_root)
    index = open_index(Settings(archive_root=archive_root))
    assert set(index.stored_states()) == ids | {filed.stdout.split()[1]}  # never 1 of 5
    index.close()


def test_a_killed_reindex_leaves_a_folder_verify_reports_and_gc_removes(archive_root: Path) -> None:
    _found(archive_root)
    index_dir = Settings(archive_root=archive_root).index_path
    stale = index_dir.with_name(index_dir.name + ".new")
    stale.mkdir()
    (stale / "MAIN_x.seg").write_bytes(b"half")
    checked = _cli(archive_root, "verify", "--json")
    problems = json.loads(checked.stdout)["problems"]
    assert checked.exit_code == 0  # a warning: search still answers from the index
    assert [p["code"] for p in problems] == ["index-leftover"]
    assert _cli(archive_root, "gc").exit_code == 0 and not stale.exists()
    assert json.loads(_cli(archive_root, "verify", "--json").stdout)["problems"] == []


def test_searching_an_empty_or_missing_archive(tmp_path: Path) -> None:
    root = tmp_path / "empty"
    Archive(root).change_mark()  # an archive folder with its catalog, no document
    assert _search(root, "reindex").exit_code == 0
    result = _search(root, "search", "chi bộ", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["total"] == 0
    assert _search(root, "topics").exit_code == 0
    missing = _search(tmp_path / "typo", "search", "chi bộ")  # a mistyped --archive
    assert missing.exit_code == 6 and "there is no archive at" in missing.stderr
    assert not (tmp_path / "typo").exists()


def test_verify_does_not_count_filings_made_while_it_compares(archive_root: Path) -> None:
    settings = Settings(archive_root=archive_root)
    _found(archive_root)
    index = open_index(settings)
    archive = Archive(archive_root)
    found = index.caught_up_states(archive)
    assert found is not None
    states, seq = found
    more = file_corpus(archive_root, DOCS[4:5])  # filed after the index's states were read
    current = list(archive.iter_current())
    changed = frozenset(i for i, _ in archive.changes_after(seq))
    assert set(more.values()) <= changed
    assert index.drift(current, states, changed) == []
    assert len(index.drift(current, states)) == 1  # without the change sequence: drift
    archive.close()
    index.close()


def test_a_large_backlog_is_caught_up_by_a_rebuild(archive_root: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    ids = _found(archive_root)
    monkeypatch.setattr(sync_module, "BULK_CATCH_UP", 1)
    more = file_corpus(archive_root, DOCS[4:])  # 2 documents behind: more than 1
    result = _search(archive_root, "search", "rác thải", "--json", "--limit", "100")
    assert "rebuilding the search index" in result.stderr
    assert {h["id"] for h in json.loads(result.stdout)["hits"]} == ids | set(more.values())
