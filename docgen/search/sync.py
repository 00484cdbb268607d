"""Keeping the search index in step with the archive: the index is a cache that catches up.

The archive is the source of truth. Its catalog numbers every change (a version that
appears or disappears: filing, amendment, finalisation, withdrawal, import, or a folder
found on disk after a crash) and names itself with a random ``instance``
(docgen.archive.catalog). The index records, in ``docgen-sync.json`` beside its segments,
the instance and the last change number it applied. Every command that opens the index
calls ``SearchIndex.catch_up`` first:

- the recorded mark equals the archive's: nothing to do (a file read and two SQL queries);
- the same instance, older change number: the documents changed since are re-read and
  replaced in one commit;
- no mark, another instance (the catalog was rebuilt), or a mark ahead of the archive: the
  index's stored states are compared with the archive in full, once;
- no index, another schema version, or an index that cannot be opened: it is rebuilt
  from the archive (``docgen reindex`` does the same on demand).

Writers take turns on ``<index>.lock`` (an OS lock, released when a process dies, so a
killed writer never blocks the next one) and wait for it, saying so after a second.
A filing never fails because of the index: when the index cannot follow (busy beyond the
wait, read-only, disk full, damaged), the caller gets a note and the next command that
opens the index applies what is missing.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from docgen.fsio import write_text_atomic
from docgen.i18n import Msg
from docgen.model.meta import ArchivedDoc

STATE_FILE = "docgen-sync.json"
WRITER_WAIT = 120.0  # seconds a writer waits for its turn on the index
NOTIFY_AFTER = 1.0  # seconds of waiting before the user is told
# More changed documents than this are caught up by a rebuild (bulk segments, ~250
# documents/s) rather than through whoosh's writer (~15-30 documents/s): a large bundle.
BULK_CATCH_UP = 1000

Notify = Callable[[Msg], None]
States = dict[str, tuple[str, int]]  # id → (docx sha256, version)
Mark = tuple[str, int]  # (catalog instance, last change number)


class ChangeSource(Protocol):
    """What the index needs of an archive (docgen.archive.Archive; a second backend too)."""

    def change_mark(self) -> Mark: ...

    def changed_count(self, seq: int) -> int: ...

    def changes_after(self, seq: int) -> list[tuple[str, ArchivedDoc | None]]: ...

    def iter_current(self, with_text: bool = False) -> Iterator[ArchivedDoc]: ...

    def with_text(self, doc: ArchivedDoc) -> ArchivedDoc: ...


@dataclass
class SyncResult:
    """What ``catch_up`` did: documents updated, whether it rebuilt, and what to tell."""

    updated: int = 0
    rebuilt: bool = False
    behind: bool = False  # the index could not be brought up to date now
    note: Msg | None = None


class IndexBusy(Exception):
    """Another process holds the index's lock beyond the wait."""


def read_state(index_dir: Path) -> dict[str, Any] | None:
    """The recorded mark ``{"instance", "seq"}``, or None when missing or unreadable."""
    try:
        value = json.loads((index_dir / STATE_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not (isinstance(value, dict) and isinstance(value.get("instance"), str)
            and type(value.get("seq")) is int):
        return None
    return value


def write_state(index_dir: Path, mark: Mark) -> None:
    """Record ``mark`` atomically (docgen.fsio: temp file, rename) in the index folder."""
    write_text_atomic(index_dir / STATE_FILE, json.dumps({"instance": mark[0], "seq": mark[1]}))


def up_to_date(state: dict[str, Any] | None, mark: Mark) -> bool:
    return state is not None and state["instance"] == mark[0] and state["seq"] == mark[1]


def incremental(state: dict[str, Any] | None, mark: Mark) -> bool:
    """True when the changes after the recorded mark can be read from the archive."""
    return state is not None and state["instance"] == mark[0] and state["seq"] <= mark[1]


def differences(source: ChangeSource, states: States) -> tuple[list[ArchivedDoc], list[str]]:
    """(documents to add or replace, with their text; ids to remove) for an index that
    holds ``states``, compared with every current document of ``source``."""
    upserts: list[ArchivedDoc] = []
    seen: set[str] = set()
    for doc in source.iter_current():
        if doc.status != "current":
            continue
        seen.add(doc.id)
        if states.get(doc.id) != (doc.docx_sha256, doc.version):
            upserts.append(source.with_text(doc))
    return upserts, sorted(set(states) - seen)


def split_changes(changes: list[tuple[str, ArchivedDoc | None]]
                  ) -> tuple[list[ArchivedDoc], list[str]]:
    """Changed documents as (current ones to add or replace, ids to remove)."""
    upserts = [doc for _, doc in changes if doc is not None and doc.status == "current"]
    deletes = [doc_id for doc_id, doc in changes if doc is None or doc.status != "current"]
    return upserts, deletes


def _holder(lock_path: Path) -> str:
    try:
        return lock_path.with_suffix(lock_path.suffix + ".pid").read_text("utf-8").strip() or "?"
    except OSError:
        return "?"


@contextmanager
def turn(lock_path: Path, wait: float, notify: Notify | None,
         what: Msg) -> Iterator[None]:
    """Hold ``lock_path`` (waiting up to ``wait`` seconds; ``notify`` after a second).

    Raises IndexBusy when the wait runs out, OSError when the lock cannot be created
    (a read-only or full disk).
    """
    from filelock import FileLock, Timeout  # here: a search of an up-to-date index takes no lock

    lock = FileLock(str(lock_path))
    try:
        lock.acquire(timeout=min(wait, NOTIFY_AFTER))
    except Timeout:
        if notify is not None:
            pid = _holder(lock_path)
            notify(Msg(f"Đang chờ đến lượt {what.vi} (tiến trình docgen PID {pid} đang dùng)…",
                       f"Waiting for a turn to {what.en} (docgen process PID {pid} is using it)…"))
        try:
            lock.acquire(timeout=max(0.0, wait - NOTIFY_AFTER))
        except Timeout as exc:
            raise IndexBusy(_holder(lock_path)) from exc
    pid_file = lock_path.with_suffix(lock_path.suffix + ".pid")
    try:
        with suppress(OSError):  # informative only
            pid_file.write_text(str(os.getpid()), "utf-8")
        yield
    finally:
        with suppress(OSError):
            pid_file.unlink(missing_ok=True)
        lock.release()


def lock_free(lock_path: Path) -> bool:
    """True when nobody holds ``lock_path`` right now (a non-blocking probe)."""
    if not lock_path.exists():
        return True
    from filelock import FileLock, Timeout

    lock = FileLock(str(lock_path))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        return False
    except OSError:
        return True
    lock.release()
    return True
