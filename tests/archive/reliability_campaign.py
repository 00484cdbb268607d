"""The reliability campaigns of issue 9, on real ``docgen`` processes and one archive each.

- ``kill_campaign``: a few ``docgen new`` (one input or a batch) and ``docgen reindex``
  processes run at any time on one archive (a new one starts when one ends); most are
  killed with SIGKILL (``os.killpg``: a reindex's worker processes die with it) after a
  random delay drawn uniformly from 0 to 1.2× the target's typical run time (measured
  first, then the median of its recent undisturbed runs, so the delays follow the archive
  as it grows). The processes that are not killed are the siblings of the killed ones:
  they must exit 0 without a traceback.
- ``concurrency_campaign``: N writer threads, each running ``docgen new`` once per filing,
  while ``search``, ``list``, ``reindex`` and ``verify`` run in loops.

Both end with ``check_archive``: ONE ordinary command (``docgen search`` matching every
document), then list, verify, gc and verify again; the invariants are computed from what
the processes printed and from the archive (every process files as its own user,
``DOCGEN_USER``, so each document names the process that filed it).

Used by tests/archive/test_reliability_index.py (short runs, in ``make test``) and by
scripts/reliability.py (the long runs behind ``make reliability``).
"""

from __future__ import annotations

import json
import os
import random
import re
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
INPUT_NAMES = ("nghi-quyet", "bien-ban-thuong-ky", "bien-ban-chuyen-de",
               "ke-hoach-chuyen-de", "de-cuong-chuyen-de")
QUERY = "chi bộ"  # every document carries its cell's name, "CHI BỘ THÔN …"
PAGE = 1000  # search's largest --limit
FILED = re.compile(r"^(?:Đã lưu|Filed) ([a-z0-9]{6,32}) ", re.M)
TRACEBACK = "Traceback (most recent call last)"
INDEX_WARNING = ("Cảnh báo", "Warning")
TARGETS = ("new", "new-batch", "reindex")
HANG = 600.0  # seconds: a process still running after this is a hang (then killed)
# verify warnings a kill may legitimately leave (gc removes them): an interrupted write's
# temp entry, a killed reindex's index.new
LEFTOVER_CODES = frozenset({"stray-temp", "index-leftover"})

Log = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


def children_cpu() -> float:
    """CPU seconds (user + system) of the finished child processes so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# workspace ----------------------------------------------------------------------------
@dataclass
class Result:
    """One finished docgen process."""

    args: tuple[str, ...]
    user: str
    rc: int
    out: str
    err: str
    seconds: float

    @property
    def traceback(self) -> bool:
        return TRACEBACK in self.err

    @property
    def filed(self) -> list[str]:
        return FILED.findall(self.out)

    @property
    def warnings(self) -> list[str]:
        """The warning lines on stderr (an index that could not follow, …)."""
        return [line for line in self.err.splitlines() if line.startswith(INDEX_WARNING)]

    @property
    def index_warning(self) -> bool:
        return bool(self.warnings)

    def describe(self, tail: int = 1500) -> str:
        return (f"`docgen {' '.join(self.args)}` (user {self.user}) exit {self.rc} after "
                f"{self.seconds:.2f}s\n  stderr: {self.err[-tail:].strip() or '-'}")


@dataclass
class Workspace:
    """A folder with the examples' config and profile, numberless copies of the example
    inputs and an archive (``root``) that starts empty."""

    folder: Path
    config: Path
    root: Path
    inputs: list[Path]

    @classmethod
    def create(cls, folder: Path, copies: int = 2) -> Workspace:
        folder.mkdir(parents=True, exist_ok=True)
        for name in ("docgen.toml", "profile.yaml"):
            (folder / name).write_bytes((EXAMPLES / name).read_bytes())
        inputs_dir = folder / "inputs"
        inputs_dir.mkdir(exist_ok=True)
        inputs: list[Path] = []
        for name in INPUT_NAMES:
            text = (EXAMPLES / f"{name}.yaml").read_text("utf-8")
            numberless = "".join(line for line in text.splitlines(keepends=True)
                                 if not line.startswith("number:"))
            for copy in range(copies):
                path = inputs_dir / f"{name}-{copy + 1}.yaml"
                path.write_text(numberless, "utf-8")
                inputs.append(path)
        return cls(folder, folder / "docgen.toml", folder / "archive", inputs)

    def argv(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "docgen", "--lang", "vi", "--config", str(self.config),
                "--archive", str(self.root), *args]

    def env(self, user: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("DOCGEN_")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # compiled once, in the workspace:
        env.update(PYTHONPYCACHEPREFIX=str(self.folder / "pycache"),  # as installed
                   DOCGEN_USER=user, DOCGEN_LANG="vi", PYTHONIOENCODING="utf-8")
        return env

    def run(self, *args: str, user: str = "kiem-tra", timeout: float = HANG) -> Result:
        start = time.monotonic()
        try:
            done = subprocess.run(self.argv(*args), cwd=self.folder, env=self.env(user),
                                  capture_output=True, timeout=timeout)
            rc, out, err = done.returncode, done.stdout, done.stderr
        except subprocess.TimeoutExpired as exc:
            rc, out, err = -999, exc.stdout or b"", (exc.stderr or b"") + b"\n[hang: killed]"
        return Result(args, user, rc, out.decode("utf-8", "replace"),
                      err.decode("utf-8", "replace"), time.monotonic() - start)

    def run_json(self, *args: str) -> tuple[Result, Any]:
        result = self.run(*args)
        try:
            return result, json.loads(result.out)
        except ValueError:
            return result, None


# the final check ------------------------------------------------------------------------
@dataclass
class Claim:
    """What one `docgen new` process said it did: who, how many inputs, exit, ids printed."""

    user: str
    inputs: int
    rc: int
    killed: bool
    printed: list[str]


@dataclass
class ArchiveCheck:
    """The invariants after a campaign, from one search, list, verify, gc, verify."""

    documents: int = 0  # every document id (withdrawn included)
    current: int = 0
    lost: list[str] = field(default_factory=list)  # printed / exit 0 but not in the archive
    failed_but_filed: list[str] = field(default_factory=list)  # exit != 0 (not killed), filed
    extra: list[str] = field(default_factory=list)  # more documents than a process's inputs
    by_killed: int = 0  # documents filed by processes that were then killed
    duplicate_numbers: list[str] = field(default_factory=list)
    skipped_numbers: list[str] = field(default_factory=list)
    series: dict[str, int] = field(default_factory=dict)  # series → highest number
    search_total: int = -1
    missing_from_search: list[str] = field(default_factory=list)
    extra_in_search: list[str] = field(default_factory=list)
    verify_rc: int = -1
    verify_problems: list[dict[str, Any]] = field(default_factory=list)
    gc_removed: int = 0
    verify_after_gc_rc: int = -1
    verify_after_gc_problems: list[dict[str, Any]] = field(default_factory=list)
    command_failures: list[str] = field(default_factory=list)

    @property
    def half_written(self) -> list[dict[str, Any]]:
        """verify's problems before gc other than the leftovers a kill may leave."""
        return [p for p in self.verify_problems if leftover_kind(p) is None]

    @property
    def leftovers(self) -> Counter[str]:
        return Counter(kind for p in self.verify_problems
                       if (kind := leftover_kind(p)) is not None)

    def failures(self) -> list[str]:
        found = list(self.command_failures)
        if self.lost:
            found.append(f"{len(self.lost)} documents lost: {self.lost[:20]}")
        if self.failed_but_filed:
            found.append(f"{len(self.failed_but_filed)} filings reported as failed are in the "
                         f"archive: {self.failed_but_filed[:20]}")
        if self.extra:
            found.append(f"processes filed more documents than inputs: {self.extra[:20]}")
        if self.duplicate_numbers:
            found.append(f"duplicate numbers: {self.duplicate_numbers[:20]}")
        if self.skipped_numbers:
            found.append(f"skipped numbers: {self.skipped_numbers[:20]}")
        if self.search_total != self.current:
            found.append(f"search total {self.search_total} != {self.current} current documents")
        if self.missing_from_search:
            found.append(f"{len(self.missing_from_search)} filed documents missing from search: "
                         f"{self.missing_from_search[:20]}")
        if self.extra_in_search:
            found.append(f"search returns {len(self.extra_in_search)} ids that are not current "
                         f"documents: {self.extra_in_search[:20]}")
        if self.half_written:
            found.append(f"verify (exit {self.verify_rc}) before gc: "
                         f"{_problems_text(self.half_written)}")
        if self.verify_after_gc_rc != 0 or self.verify_after_gc_problems:
            found.append(f"verify after gc exit {self.verify_after_gc_rc}: "
                         f"{_problems_text(self.verify_after_gc_problems)}")
        return found


def leftover_kind(problem: dict[str, Any]) -> str | None:
    """What leftover of an interrupted write a verify problem is (None: not one)."""
    if problem.get("severity") == "warning" and problem.get("code") in LEFTOVER_CODES:
        return str(problem["code"])
    return None


def _problems_text(problems: Sequence[dict[str, Any]], limit: int = 10) -> str:
    shown = "; ".join(f"[{p.get('severity')} {p.get('code')}] {p.get('id') or ''} "
                      f"{p.get('path') or ''}: {p.get('en')}" for p in problems[:limit])
    more = f" (+{len(problems) - limit} more)" if len(problems) > limit else ""
    return f"{len(problems)} problems: {shown}{more}"


def _command(check: ArchiveCheck, result: Result, ok: Iterable[int] = (0,)) -> None:
    if result.rc not in tuple(ok) or result.traceback:
        check.command_failures.append(result.describe())


def search_all(ws: Workspace, query: str = QUERY) -> tuple[Result, int, list[str]]:
    """(first search's result, its total, every id over all pages)."""
    first, data = ws.run_json("search", query, "--limit", str(PAGE), "--json")
    if first.rc != 0 or not isinstance(data, dict):
        return first, -1, []
    total = int(data["total"])
    ids = [hit["id"] for hit in data["hits"]]
    page = 1
    while len(ids) < total and page * PAGE < total:
        page += 1
        result, more = ws.run_json("search", query, "--limit", str(PAGE), "--page", str(page),
                                   "--json")
        if result.rc != 0 or not isinstance(more, dict) or not more["hits"]:
            break
        ids.extend(hit["id"] for hit in more["hits"])
    return first, total, ids


def check_archive(ws: Workspace, claims: Sequence[Claim]) -> ArchiveCheck:
    """ONE ordinary command (search), then compare with list, verify, gc, verify."""
    check = ArchiveCheck()
    searched, check.search_total, search_ids = search_all(ws)
    _command(check, searched)
    listed_all, everything = ws.run_json("list", "--all", "--json")
    listed, current = ws.run_json("list", "--json")
    _command(check, listed_all)
    _command(check, listed)
    everything = everything or []
    current = current or []
    ids = {doc["id"] for doc in everything}
    check.documents = len(ids)
    check.current = len(current)
    by_user: dict[str, set[str]] = {}
    for doc in everything:
        by_user.setdefault(doc["created_by"], set()).add(doc["id"])
    for claim in claims:
        mine = by_user.get(claim.user, set())
        check.lost.extend(f"{claim.user}:{doc_id}" for doc_id in claim.printed if doc_id not in ids)
        if claim.killed:
            check.by_killed += len(mine)
        elif claim.rc == 0 and len(mine) < claim.inputs:
            check.lost.append(f"{claim.user}: exit 0, {len(mine)} of {claim.inputs} inputs filed")
        elif claim.rc != 0 and mine:
            check.failed_but_filed.append(f"{claim.user} (exit {claim.rc}): {sorted(mine)}")
        if len(mine) > claim.inputs:
            check.extra.append(f"{claim.user}: {len(mine)} documents for {claim.inputs} inputs")
    numbers: dict[str, list[int]] = {}
    for doc in everything:
        if doc.get("number") is not None:
            key = "|".join(str(doc.get(k)) for k in ("cell", "issuer_symbol", "type_symbol",
                                                     "term_start"))
            numbers.setdefault(key, []).append(int(doc["number"]))
    for key, values in sorted(numbers.items()):
        counts = Counter(values)
        check.series[key] = max(values)
        check.duplicate_numbers.extend(f"{key} {n}×{c}" for n, c in sorted(counts.items())
                                       if c > 1)
        check.skipped_numbers.extend(f"{key} {n}" for n in range(1, max(values) + 1)
                                     if n not in counts)
    current_ids = {doc["id"] for doc in current}
    found = set(search_ids)
    if len(found) != len(search_ids):
        check.command_failures.append(f"search returned {len(search_ids) - len(found)} ids twice")
    check.missing_from_search = sorted(current_ids - found)
    check.extra_in_search = sorted(found - current_ids)
    verified, report = ws.run_json("verify", "--json")
    _command(check, verified, ok=(0, 7))
    check.verify_rc = verified.rc
    check.verify_problems = list((report or {}).get("problems", []))
    collected = ws.run("gc")
    _command(check, collected)
    check.gc_removed = len([line for line in collected.out.splitlines()
                            if line.strip() and not line.startswith(("Đã xóa", "Removed"))])
    again, report = ws.run_json("verify", "--json")
    _command(check, again, ok=(0, 7))
    check.verify_after_gc_rc = again.rc
    check.verify_after_gc_problems = list((report or {}).get("problems", []))
    return check


# processes that may be killed -------------------------------------------------------------
def group_members(pgid: int) -> list[int]:
    """Live (not zombie) processes of process group ``pgid`` (Linux /proc; [] elsewhere)."""
    members: list[int] = []
    try:
        entries = os.listdir("/proc")
    except OSError:
        return members
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        if len(fields) > 2 and fields[0] != "Z" and int(fields[2]) == pgid:
            members.append(int(entry))
    return members


@dataclass
class Victim:
    """A docgen process of a kill round: started in its own process group."""

    target: str
    args: tuple[str, ...]
    user: str
    inputs: int
    kill_after: float | None  # seconds after its start; None: a sibling, never killed
    popen: subprocess.Popen[bytes]
    out: IO[bytes]
    err: IO[bytes]
    started: float
    kill_sent: bool = False
    kill_tried: bool = False
    group_size: int = 0  # live processes of its group when the kill was sent
    result: Result | None = None
    orphans: int = 0

    @classmethod
    def start(cls, ws: Workspace, target: str, args: Sequence[str], user: str, inputs: int,
              kill_after: float | None) -> Victim:
        out = tempfile.TemporaryFile()  # noqa: SIM115 - closed by finish()
        err = tempfile.TemporaryFile()  # noqa: SIM115 - closed by finish()
        popen = subprocess.Popen(ws.argv(*args), cwd=ws.folder, env=ws.env(user), stdout=out,
                                 stderr=err, start_new_session=True)
        return cls(target, tuple(args), user, inputs, kill_after, popen, out, err,
                   time.monotonic())

    def kill(self) -> None:
        self.kill_tried = True
        if self.popen.poll() is not None:
            return  # finished before its kill: it must have exited 0
        self.group_size = len(group_members(self.popen.pid))
        try:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.kill_sent = True
        except ProcessLookupError:
            pass

    def finish(self, timeout: float = HANG) -> Result:
        try:
            rc = self.popen.wait(timeout=max(0.0, self.started + timeout - time.monotonic()))
            hang = False
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            rc, hang = self.popen.wait(), True
        if self.kill_sent:  # a reindex's workers die with it (same group)
            deadline = time.monotonic() + 3.0
            while group_members(self.popen.pid) and time.monotonic() < deadline:
                time.sleep(0.05)
            self.orphans = len(group_members(self.popen.pid))
            if self.orphans:
                os.killpg(self.popen.pid, signal.SIGKILL)
        texts = []
        for stream in (self.out, self.err):
            stream.seek(0)
            texts.append(stream.read().decode("utf-8", "replace"))
            stream.close()
        err = texts[1] + ("\n[hang: killed]" if hang else "")
        self.result = Result(self.args, self.user, -999 if hang else rc, texts[0], err,
                             time.monotonic() - self.started)
        return self.result

    def due(self, now: float) -> bool:
        """True when its kill is drawn, not yet sent, and its moment has come."""
        return (self.kill_after is not None and not self.kill_sent and not self.kill_tried
                and now >= self.started + self.kill_after)

    @property
    def killed(self) -> bool:
        return self.kill_sent and self.result is not None and self.result.rc == -signal.SIGKILL


@dataclass
class KillReport:
    """Figures of a kill campaign."""

    target_kills: int
    concurrency: int
    kills: Counter[str] = field(default_factory=Counter)  # landed SIGKILLs by target
    late: Counter[str] = field(default_factory=Counter)  # kill drawn after the process ended
    runs: Counter[str] = field(default_factory=Counter)
    exits: Counter[int] = field(default_factory=Counter)  # processes not killed
    launched: int = 0
    typical: dict[str, float] = field(default_factory=dict)  # measured first (median, s)
    typical_end: dict[str, float] = field(default_factory=dict)  # the last estimate
    delays: list[float] = field(default_factory=list)  # as a share of the typical run time
    grouped_kills: int = 0  # kills of a group holding more than one process (reindex workers)
    orphans: int = 0
    tracebacks_killed: int = 0
    tracebacks_siblings: int = 0
    index_warnings: int = 0
    warning_samples: list[str] = field(default_factory=list)
    filed_printed: int = 0
    failures_seen: list[str] = field(default_factory=list)  # processes that failed
    check: ArchiveCheck | None = None
    seconds: float = 0.0
    cpu: float = 0.0  # CPU seconds of the docgen processes

    def failures(self) -> list[str]:
        found = list(self.failures_seen)
        if sum(self.kills.values()) < self.target_kills:
            found.append(f"only {sum(self.kills.values())} of {self.target_kills} kills landed")
        if self.orphans:
            found.append(f"{self.orphans} processes outlived their killed group")
        if self.check is None:
            found.append("no final check")
        else:
            found.extend(self.check.failures())
        return found


_INPUT_COUNT = {"new": (1, 1), "new-batch": (2, 5), "reindex": (0, 0)}


def _args(ws: Workspace, target: str, rng: random.Random) -> tuple[list[str], int]:
    if target == "reindex":
        return ["reindex"], 0
    low, high = _INPUT_COUNT[target]
    chosen = rng.sample(ws.inputs, rng.randint(low, high))
    return ["new", *map(str, chosen)], len(chosen)


def kill_campaign(folder: Path, kills: int = 1000, concurrency: int = 3,
                  kill_share: float = 0.8, weights: Sequence[float] = (0.4, 0.4, 0.2),
                  calibration: int = 3, seed: int = 20260310, log: Log = _quiet) -> KillReport:
    """Kill real docgen processes at random moments until ``kills`` SIGKILLs landed, then
    check the archive (see the module's docstring).

    ``concurrency`` processes run at any time (a new one starts as soon as one ends); each
    is marked for a kill with probability ``kill_share``, the others are siblings only.
    """
    start, cpu = time.monotonic(), children_cpu()
    ws = Workspace.create(folder)
    rng = random.Random(seed)
    report = KillReport(kills, concurrency)
    recent = {target: deque[float](maxlen=15) for target in TARGETS}
    claims: list[Claim] = []
    serial = 0

    def typical(target: str) -> float:
        return statistics.median(recent[target]) if recent[target] else 1.0

    def launch(target: str, kill_after: float | None) -> Victim:
        nonlocal serial
        serial += 1
        args, inputs = _args(ws, target, rng)
        return Victim.start(ws, target, args, f"k{serial:05d}", inputs, kill_after)

    def settle(victim: Victim) -> None:
        result = victim.finish()
        report.runs[victim.target] += 1
        report.filed_printed += len(result.filed)
        killed = victim.killed
        if killed:
            report.kills[victim.target] += 1
            report.grouped_kills += victim.group_size > 1
            report.orphans += victim.orphans
            report.tracebacks_killed += result.traceback
            if result.traceback:
                report.failures_seen.append("traceback before its kill: " + result.describe())
        else:
            report.exits[result.rc] += 1
            if victim.kill_after is not None:
                report.late[victim.target] += 1
            report.tracebacks_siblings += result.traceback
            report.index_warnings += result.index_warning
            report.warning_samples += [f"{victim.user}: {w}" for w in result.warnings]
            if result.rc != 0 or result.traceback:
                report.failures_seen.append("not killed: " + result.describe())
            else:
                recent[victim.target].append(result.seconds)
        if victim.target != "reindex":
            claims.append(Claim(victim.user, victim.inputs, result.rc, killed, result.filed))

    # the typical run time of each target, undisturbed and one at a time
    for _ in range(calibration):
        for target in TARGETS:
            settle(launch(target, None))
    report.typical = {t: typical(t) for t in TARGETS}
    log(f"kills: typical run times {_seconds(report.typical)}")
    running: list[Victim] = []
    max_runs = 10 * kills + 10
    launched = 0
    while running or (sum(report.kills.values()) + _pending(running) < kills
                      and launched < max_runs):
        while (len(running) < concurrency and launched < max_runs
               and sum(report.kills.values()) + _pending(running) < kills):
            target = rng.choices(TARGETS, weights)[0]
            kill_after = None
            if rng.random() < kill_share:
                share = rng.uniform(0.0, 1.2)
                report.delays.append(share)
                kill_after = share * typical(target)
            running.append(launch(target, kill_after))
            launched += 1
            if launched % 100 == 0:
                log(f"kills: {launched} processes, {sum(report.kills.values())} kills, "
                    f"{len(report.failures_seen)} failures")
        now = time.monotonic()
        for victim in running:
            if victim.due(now):
                victim.kill()
        for victim in [v for v in running  # ended, or hung (finish() kills it, a failure)
                       if v.popen.poll() is not None or now - v.started > HANG]:
            running.remove(victim)
            settle(victim)
        upcoming = [v.started + (v.kill_after or 0.0) for v in running if v.due(float("inf"))]
        time.sleep(max(0.0, min([0.01, *(at - time.monotonic() for at in upcoming)])))
    report.launched = launched
    report.typical_end = {t: typical(t) for t in TARGETS}
    log(f"kills: {sum(report.kills.values())} kills of {launched} processes; checking")
    report.check = check_archive(ws, claims)
    report.seconds = time.monotonic() - start
    report.cpu = children_cpu() - cpu
    return report


def _pending(running: Sequence[Victim]) -> int:
    """Kills still to come among the running processes (each may still land)."""
    return sum(1 for v in running if v.due(float("inf")))


def _seconds(values: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:.2f}s" for k, v in values.items())


# concurrency ------------------------------------------------------------------------------
READERS: dict[str, tuple[str, ...]] = {
    "search": ("search", QUERY, "--limit", "20", "--json"),
    "list": ("list", "--json"),
    "reindex": ("reindex",),
    "verify": ("verify", "--json"),
}


@dataclass
class ConcurrencyReport:
    """Figures of a concurrency campaign."""

    writers: int
    filings: int
    writer_exits: Counter[int] = field(default_factory=Counter)
    writer_tracebacks: int = 0
    writer_index_warnings: int = 0
    warning_samples: list[str] = field(default_factory=list)
    writer_seconds: list[float] = field(default_factory=list)
    writer_failures: list[str] = field(default_factory=list)
    reader_runs: Counter[str] = field(default_factory=Counter)
    reader_exits: dict[str, Counter[int]] = field(default_factory=dict)
    reader_tracebacks: int = 0
    reader_failures: list[str] = field(default_factory=list)
    verify_exit7: list[str] = field(default_factory=list)
    check: ArchiveCheck | None = None
    seconds: float = 0.0
    writing_seconds: float = 0.0
    cpu: float = 0.0  # CPU seconds of the docgen processes

    def failures(self, verify_7_fails: bool = False) -> list[str]:
        """Broken invariants. A verify running beside writers may report a problem that a
        later verify does not (exit 7): counted and shown, a failure when asked."""
        found = [f"writer: {f}" for f in self.writer_failures[:20]]
        if sum(self.writer_exits.values()) != self.writers * self.filings:
            found.append(f"{sum(self.writer_exits.values())} writer runs, expected "
                         f"{self.writers * self.filings}")
        found.extend(f"reader: {f}" for f in self.reader_failures[:20])
        if verify_7_fails:
            found.extend(f"concurrent verify exit 7: {f}" for f in self.verify_exit7[:10])
        if self.check is None:
            found.append("no final check")
        else:
            found.extend(self.check.failures())
        return found


def concurrency_campaign(folder: Path, writers: int = 8, filings: int = 100,
                         readers: Sequence[str] = tuple(READERS), pause: float = 0.0,
                         seed: int = 20260311, log: Log = _quiet) -> ConcurrencyReport:
    """``writers`` threads × ``filings`` single `docgen new` runs while ``readers`` loop
    (``pause`` seconds between two runs of a reader).

    The readers start once the first document is filed: a search of an empty archive is
    another matter (it fails with exit 8 on main at c34537d, see the issue note).
    """
    start, cpu = time.monotonic(), children_cpu()
    ws = Workspace.create(folder)
    report = ConcurrencyReport(writers, filings)
    report.reader_exits = {name: Counter() for name in readers}
    claims: list[Claim] = []
    lock = threading.Lock()
    stop = threading.Event()
    first = threading.Event()
    done = [0]

    def writer(tag: int) -> None:
        rng = random.Random(seed * 100 + tag)
        for i in range(filings):
            user = f"w{tag}-{i:03d}"
            result = ws.run("new", str(rng.choice(ws.inputs)), user=user)
            with lock:
                report.writer_exits[result.rc] += 1
                report.writer_seconds.append(result.seconds)
                report.writer_tracebacks += result.traceback
                report.writer_index_warnings += result.index_warning
                report.warning_samples += [f"{user}: {w}" for w in result.warnings]
                if result.rc != 0 or result.traceback or len(result.filed) != 1:
                    report.writer_failures.append(result.describe())
                claims.append(Claim(user, 1, result.rc, False, result.filed))
                done[0] += 1
                if result.filed:
                    first.set()
                if done[0] % 100 == 0:
                    log(f"concurrency: {done[0]} of {writers * filings} filings")

    def reader(name: str) -> None:
        args = READERS[name]
        while not (first.wait(0.05) or stop.is_set()):
            pass
        while not stop.is_set():
            result = ws.run(*args)
            with lock:
                report.reader_runs[name] += 1
                report.reader_exits[name][result.rc] += 1
                report.reader_tracebacks += result.traceback
                ok = (0, 7) if name == "verify" else (0,)
                if result.rc not in ok or result.traceback:
                    report.reader_failures.append(result.describe())
                elif result.rc == 7:
                    try:
                        problems = json.loads(result.out)["problems"]
                    except (ValueError, KeyError, TypeError):
                        problems = []
                    report.verify_exit7.append(_problems_text(problems, 5))
            stop.wait(pause)

    threads = [threading.Thread(target=writer, args=(t,), name=f"writer-{t}")
               for t in range(writers)]
    loops = [threading.Thread(target=reader, args=(name,), name=f"reader-{name}")
             for name in readers]
    for thread in [*loops, *threads]:
        thread.start()
    for thread in threads:
        thread.join()
    report.writing_seconds = time.monotonic() - start
    stop.set()
    for thread in loops:
        thread.join()
    log("concurrency: writers done; checking")
    report.check = check_archive(ws, claims)
    report.seconds = time.monotonic() - start
    report.cpu = children_cpu() - cpu
    return report


# the table --------------------------------------------------------------------------------
def _hist(counter: Counter[Any]) -> str:
    return ", ".join(f"{k}: {v}" for k, v in sorted(counter.items())) or "-"


def kill_rows(report: KillReport) -> list[tuple[str, str]]:
    check = report.check or ArchiveCheck()
    delays = sorted(report.delays)
    spread = (f"{delays[0]:.2f}–{delays[-1]:.2f}× (median {statistics.median(delays):.2f}×)"
              if delays else "-")
    return [
        ("SIGKILLs landed (total)", str(sum(report.kills.values()))),
        ("  by target", _hist(report.kills)),
        ("  of a group of ≥ 2 processes (reindex workers)", str(report.grouped_kills)),
        ("kills drawn after the process ended", _hist(report.late)),
        ("kill delays / typical run time", spread),
        ("typical run time first / last", f"{_seconds(report.typical)} / "
                                          f"{_seconds(report.typical_end)}"),
        ("processes launched (at a time)", f"{report.launched} ({report.concurrency})"),
        ("processes run", _hist(report.runs)),
        ("exit codes of processes not killed", _hist(report.exits)),
        ("documents filed (in the archive)", str(check.documents)),
        ("  filed by processes then killed", str(check.by_killed)),
        ("  'Đã lưu' lines printed", str(report.filed_printed)),
        ("series (highest number)", _hist(Counter(check.series))),
        ("documents lost", str(len(check.lost))),
        ("half-written (verify problems before gc)", str(len(check.half_written))),
        ("leftovers before gc / entries gc removed", f"{_hist(check.leftovers)} / "
                                                     f"{check.gc_removed}"),
        ("verify after gc", f"exit {check.verify_after_gc_rc}, "
                            f"{len(check.verify_after_gc_problems)} problems"),
        ("duplicate / skipped numbers", f"{len(check.duplicate_numbers)} / "
                                        f"{len(check.skipped_numbers)}"),
        ("search total / current documents", f"{check.search_total} / {check.current}"),
        ("filed documents missing from search", str(len(check.missing_from_search))),
        ("tracebacks: siblings (not killed) / killed", f"{report.tracebacks_siblings} / "
                                                       f"{report.tracebacks_killed}"),
        ("index warnings on stderr (not killed)", str(report.index_warnings)),
        *((f"  warning #{i + 1}", text) for i, text in enumerate(report.warning_samples[:3])),
        ("processes outliving their killed group", str(report.orphans)),
        ("wall time / CPU time of the docgen processes", f"{report.seconds:.0f}s / "
                                                         f"{report.cpu:.0f}s"),
    ]


def concurrency_rows(report: ConcurrencyReport) -> list[tuple[str, str]]:
    check = report.check or ArchiveCheck()
    secs = sorted(report.writer_seconds) or [0.0]
    return [
        ("writers × filings", f"{report.writers} × {report.filings}"),
        ("writer exit codes", _hist(report.writer_exits)),
        ("writer exit 8", str(report.writer_exits.get(8, 0))),
        ("writer tracebacks", str(report.writer_tracebacks)),
        ("writer index warnings (filed, index behind)", str(report.writer_index_warnings)),
        *((f"  warning #{i + 1}", text) for i, text in enumerate(report.warning_samples[:3])),
        ("filing time median / max", f"{statistics.median(secs):.2f}s / {secs[-1]:.2f}s"),
        ("documents filed (in the archive)", str(check.documents)),
        ("filings reported failed but in the archive", str(len(check.failed_but_filed))),
        ("documents lost", str(len(check.lost))),
        ("duplicate / skipped numbers", f"{len(check.duplicate_numbers)} / "
                                        f"{len(check.skipped_numbers)}"),
        *((f"{name} loop: runs, exit codes", f"{report.reader_runs[name]}; {_hist(exits)}")
          for name, exits in report.reader_exits.items()),
        ("reader tracebacks", str(report.reader_tracebacks)),
        ("concurrent verify exit 7", str(len(report.verify_exit7))),
        ("search total / list total after writers", f"{check.search_total} / {check.current}"),
        ("filed documents missing from search", str(len(check.missing_from_search))),
        ("verify before / after gc", f"exit {check.verify_rc} ({len(check.verify_problems)} "
                                     f"problems) / exit {check.verify_after_gc_rc} "
                                     f"({len(check.verify_after_gc_problems)})"),
        *((f"  concurrent verify exit 7 #{i + 1}", text)
          for i, text in enumerate(report.verify_exit7[:3])),
        ("wall time (writing / total) / CPU time", f"{report.writing_seconds:.0f}s / "
                                                   f"{report.seconds:.0f}s / {report.cpu:.0f}s"),
    ]


def table(title: str, rows: Sequence[tuple[str, str]]) -> str:
    width = max(len(name) for name, _ in rows)
    lines = [title, "-" * len(title)]
    lines.extend(f"{name:<{width}}  {value}" for name, value in rows)
    return "\n".join(lines)
