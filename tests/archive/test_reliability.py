"""Crash safety (SIGKILL during 100 filings) and concurrency (4 processes × 25)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from docgen.archive import Archive

WORKER = Path(__file__).with_name("worker.py")


def _start(root: Path, mode: str, count: int, tag: int = 0) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, str(WORKER), str(root), mode, str(count), str(tag)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_sigkill_during_100_filings_leaves_a_valid_archive(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    rng = random.Random(20260310)
    for kill in range(12):
        proc = _start(root, "batch" if kill % 2 else "until", 100)
        assert proc.stdout is not None and proc.stdout.readline() == b"ready\n"
        time.sleep(rng.uniform(0.0, 0.03))  # somewhere inside a filing (short: fast machines file ~1 ms each)
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate()
    partial = Archive(root)
    assert partial.verify().ok, [p.text("en") for p in partial.verify().errors]
    assert len(partial.list(include_withdrawn=True)) < 100, "the kills came too late"
    proc = _start(root, "until", 100)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err.decode()
    archive = Archive(root)
    report = archive.verify()
    assert report.ok, [p.text("en") for p in report.errors]
    assert {p.code for p in report.warnings} <= {"stray-temp"}
    docs = archive.list(include_withdrawn=True)
    assert len(docs) == 100
    assert sorted(d.meta.number for d in docs) == list(range(1, 101))
    print(f"{len(report.warnings)} stray temporary entries")
    removed = archive.gc()
    assert len(removed) == len(report.warnings)
    assert archive.verify().problems == []


def test_four_processes_file_25_documents_each(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    procs = [_start(root, "count", 25, tag) for tag in range(4)]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
    archive = Archive(root)
    docs = archive.list()
    assert len(docs) == 100
    assert sorted(d.meta.number for d in docs) == list(range(1, 101))
    assert Counter(d.created_by for d in docs) == {f"worker-{t}": 25 for t in range(4)}
    audit = [json.loads(line) for line in (root / "audit.jsonl").read_text().splitlines()]
    assert len(audit) == 100 and {e["id"] for e in audit} == {d.id for d in docs}
    assert archive.verify().problems == []
