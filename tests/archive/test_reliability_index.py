"""Issue 9's proof, short version: real `docgen` processes killed at random moments, and
concurrent writers beside search, list, reindex and verify loops; then the archive and
its search index must agree (tests/archive/reliability_campaign.py has the campaigns;
`make reliability` runs them at full size through scripts/reliability.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from .reliability_campaign import (
    TARGETS,
    concurrency_campaign,
    concurrency_rows,
    kill_campaign,
    kill_rows,
    leftover_kind,
    table,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and process groups"),
]


def test_100_sigkills_of_new_and_reindex_lose_nothing_and_search_finds_every_document(
        tmp_path: Path) -> None:
    report = kill_campaign(tmp_path / "kills", kills=100, concurrency=3, calibration=2)
    print(table("SIGKILLs", kill_rows(report)))
    assert report.failures() == []
    assert set(report.kills) == set(TARGETS), "every target was killed"
    check = report.check
    assert check is not None
    assert check.documents > 0 and check.by_killed > 0
    assert check.search_total == check.current == check.documents


def test_4_writers_beside_search_list_reindex_and_verify_loops(tmp_path: Path) -> None:
    report = concurrency_campaign(tmp_path / "concurrency", writers=4, filings=10, pause=0.5)
    print(table("Concurrency", concurrency_rows(report)))
    assert report.failures() == []
    assert report.writer_exits == {0: 40}
    assert report.writer_tracebacks == report.reader_tracebacks == 0
    assert all(report.reader_runs[name] > 0 for name in ("search", "list", "reindex", "verify"))
    check = report.check
    assert check is not None
    assert check.documents == 40 and check.search_total == check.current == 40


def test_what_a_kill_may_leave_is_told_apart_from_damage() -> None:
    assert leftover_kind({"severity": "warning", "code": "stray-temp"}) == "stray-temp"
    assert leftover_kind({"severity": "warning", "code": "index-leftover"}) == "index-leftover"
    assert leftover_kind({"severity": "error", "code": "checksum"}) is None
    assert leftover_kind({"severity": "error", "code": "audit-missing"}) is None
