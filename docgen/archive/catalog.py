"""A derived SQLite catalog of every version folder, for fast listing.

The meta.json files are the source of truth. The catalog lives in
``<root>/.docgen/catalog.sqlite`` and is brought in step with the folders on disk each
time it is opened (folders added or removed by anyone are noticed by name); it can be
deleted at any time and is rebuilt on the next read.

It also keeps the archive's **change sequence**: every version row that appears (filed,
amended, finalised, withdrawn, imported, or found on disk by a sync, e.g. after a crash
between the folder's rename and the audit line) and every version that disappears adds
one row to ``changes`` (``seq`` increasing). The search index records the catalog's
``instance`` and the last ``seq`` it applied, and applies the rest before it answers
(docgen.search.sync). A rebuilt catalog has a new instance, which tells the index to
compare itself with the archive in full once.

Version folders whose meta.json cannot be read are kept in ``damaged`` (from the folder
name: date, number part, id), so that numbering never hands out a number such a folder
may hold.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import time
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from docgen.archive.filters import DocFilter, cell_key, number_text_key
from docgen.archive.ids import parse_folder
from docgen.model.meta import DocMeta
from docgen.vn import fold

CATALOG_FILE = Path(".docgen") / "catalog.sqlite"
SCHEMA_VERSION = 5  # 5: cell_key, number_key (docgen.archive.filters' rule)
# A month folder changed this recently is rescanned next time too (timestamps are coarse).
SETTLE_NS = 2_000_000_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS versions (
    relpath TEXT PRIMARY KEY,
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    status TEXT NOT NULL,
    kind TEXT NOT NULL,
    cell_key TEXT NOT NULL,
    number INTEGER,
    number_text TEXT NOT NULL,
    number_key TEXT NOT NULL,
    series TEXT NOT NULL,
    date TEXT NOT NULL,
    topics TEXT NOT NULL,
    created_at TEXT NOT NULL,
    meta TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS versions_id ON versions (id, version);
CREATE INDEX IF NOT EXISTS versions_series ON versions (series, number);
CREATE INDEX IF NOT EXISTS versions_cell ON versions (cell_key, date);
CREATE TABLE IF NOT EXISTS current (
    id TEXT PRIMARY KEY,
    relpath TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS current_relpath ON current (relpath);
CREATE TABLE IF NOT EXISTS months (
    month TEXT PRIMARY KEY,
    mtime_ns INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS damaged (
    relpath TEXT PRIMARY KEY,
    id TEXT NOT NULL,
    date TEXT NOT NULL,
    num TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS info (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""
_TABLES = ("versions", "current", "months", "changes", "damaged", "info")


def iter_month_dirs(root: Path) -> Iterator[tuple[str, int]]:
    """(``YYYY/MM``, mtime in ns) of every month folder on disk."""
    if not root.is_dir():
        return
    for year in os.scandir(root):
        if not (year.is_dir() and len(year.name) == 4 and year.name.isdigit()):
            continue
        for month in os.scandir(year.path):
            if month.is_dir() and len(month.name) == 2 and month.name.isdigit():
                yield f"{year.name}/{month.name}", month.stat().st_mtime_ns


def version_dirs_in(root: Path, month: str) -> set[str]:
    """``YYYY/MM/<folder>`` of every well-named version folder of one month."""
    try:
        entries = list(os.scandir(root / month))
    except FileNotFoundError:
        return set()
    return {f"{month}/{e.name}" for e in entries
            if parse_folder(e.name) is not None and e.is_dir()}


def row_of(relpath: str, record: dict[str, Any]) -> tuple[Any, ...]:
    topics = "|" + "|".join(record.get("topics", [])) + "|"
    number_text = record.get("number_text", "")
    return (
        relpath, record["id"], int(record["version"]), record.get("status", "current"),
        record["kind"], cell_key(record.get("cell", "")), record.get("number"),
        number_text, number_text_key(number_text or ""), record.get("series", ""),
        record["date"], topics, record.get("created_at", ""),
        json.dumps(record, ensure_ascii=False),
    )


def filter_sql(filt: DocFilter) -> tuple[str, list[Any]]:
    """``filt`` (everything but its query) as a WHERE clause over ``versions v``: the
    rule of docgen.archive.filters, on the keys ``row_of`` stored."""
    where: list[str] = []
    params: list[Any] = []
    if filt.ids:
        where.append(f"v.id IN ({','.join('?' * len(filt.ids))})")
        params += filt.ids
    kinds = filt.kind_keys()
    if kinds:
        where.append(f"v.kind IN ({','.join('?' * len(kinds))})")
        params += kinds
    names = filt.cell_names()
    if names is not None:
        where.append("(" + (" OR ".join(["instr(v.cell_key, ?) > 0"] * len(names)) or "0") + ")")
        params += [f" {n} " for n in names]
    if filt.scope is not None:
        where.append(f"v.cell_key IN ({','.join('?' * len(filt.scope))})" if filt.scope else "0")
        params += [f" {n} " for n in filt.scope]
    topics = filt.topic_ids()
    if topics is not None:
        where.append("(" + " OR ".join(["instr(v.topics, ?) > 0"] * len(topics)) + ")")
        params += [f"|{t}|" for t in topics]
    days = filt.day_range()
    if days is not None:
        where.append("v.date >= ? AND v.date <= ?")
        params += [days[0].isoformat(), days[1].isoformat()]
    number = filt.number_condition()
    if number is not None:
        where.append("v.number = ?" if number[0] == "number" else "v.number_key = ?")
        params.append(number[1])
    if not filt.takes_withdrawn:
        where.append("v.status != 'withdrawn'")
    return " AND ".join(where), params


def _damaged_row(relpath: str) -> tuple[str, str, str, str]:
    parsed = parse_folder(relpath.rsplit("/", 1)[-1])
    assert parsed is not None  # version_dirs_in lists only well-named folders
    return relpath, parsed.id, parsed.date, parsed.num


def read_record(folder: Path) -> dict[str, Any] | None:
    """A version's meta.json as a dict, or None when missing or unreadable."""
    try:
        value = json.loads((folder / "meta.json").read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(value, dict):
        return None
    try:
        DocMeta.from_json(value)
        row_of("", value)
        ok = isinstance(value["files"], dict) and value["docx"] in value["files"]
    except (KeyError, TypeError, ValueError, AttributeError):
        return None  # verify reports it; listings skip it
    return value if ok else None


class Catalog:
    """The open catalog of one archive root."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.path = root / CATALOG_FILE
        self.in_memory = False
        self.db = self._connect()

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            return self._open()
        except (OSError, sqlite3.OperationalError):
            return self._in_memory()  # read-only, full disk, no permission: see below
        except sqlite3.DatabaseError:
            pass
        # A damaged cache: drop it and rebuild from the meta.json files.
        try:
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    os.remove(str(self.path) + suffix)
            return self._open()
        except (OSError, sqlite3.Error):
            return self._in_memory()

    def _in_memory(self) -> sqlite3.Connection:
        """A private copy in memory, for an archive whose catalog cannot be written (a
        read-only mount, a full disk): listings still work, kept in step with the folders
        like the file would be; nothing is written to the archive."""
        self.in_memory = True
        db = sqlite3.connect(":memory:", isolation_level=None)
        try:
            uri = f"{self.path.resolve().as_uri()}?mode=ro&immutable=1"
            source = sqlite3.connect(uri, uri=True)
            try:
                source.backup(db)
            finally:
                source.close()
        except sqlite3.Error:
            pass  # no usable file: everything is read from the meta.json files
        return self._prepared(db)

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=OFF")
            return self._prepared(db)
        except BaseException:
            db.close()
            raise

    def _prepared(self, db: sqlite3.Connection) -> sqlite3.Connection:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version != SCHEMA_VERSION:
            db.executescript("".join(f"DROP TABLE IF EXISTS {t};" for t in _TABLES))
            db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        db.executescript(_SCHEMA)
        db.execute("INSERT OR IGNORE INTO info VALUES ('instance', ?)", (uuid.uuid4().hex,))
        return db

    def close(self) -> None:
        if not self.in_memory:
            # fold the WAL into the file, so that a read-only copy of the archive (a mount,
            # a backup) sees the latest state without it
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("PRAGMA wal_checkpoint(PASSIVE)")
        self.db.close()

    def sync(self) -> None:
        """Rescan the month folders whose mtime changed; add new folders, drop gone ones.

        When the file cannot take the update (the disk filled up, the mount turned
        read-only), the catalog continues as a private copy in memory."""
        try:
            self._sync()
        except sqlite3.OperationalError:
            if self.in_memory:
                raise
            memory = sqlite3.connect(":memory:", isolation_level=None)
            self.db.backup(memory)
            self.db.close()
            self.db, self.in_memory = memory, True
            self._sync()

    def add(self, relpath: str, record: dict[str, Any]) -> None:
        # on failure the folder is still in place: the next sync of its month lists it
        with contextlib.suppress(sqlite3.OperationalError):
            self._apply([row_of(relpath, record)], set(), [], [], [], [])

    def _sync(self) -> None:
        known = dict(self.db.execute("SELECT month, mtime_ns FROM months"))
        on_disk = dict(iter_month_dirs(self.root))
        dirty = [m for m, mtime in on_disk.items() if known.get(m) != mtime]
        dirty += [m for m in known if m not in on_disk]
        if not dirty:
            return
        now = time.time_ns()
        rows, gone, damaged = [], set(), []
        for month in dirty:
            present = version_dirs_in(self.root, month)
            listed = self._relpaths_in(month)
            gone |= listed - present
            for relpath in sorted(present - listed):
                record = read_record(self.root / relpath)
                if record is not None:
                    rows.append(row_of(relpath, record))
                else:
                    damaged.append(_damaged_row(relpath))
        marks = [(m, on_disk[m] if now - on_disk[m] > SETTLE_NS else -1)
                 for m in dirty if m in on_disk]
        self._apply(rows, gone, marks, [m for m in dirty if m not in on_disk], damaged,
                    dirty)

    def _relpaths_in(self, month: str) -> set[str]:
        rows = self.db.execute("SELECT relpath FROM versions WHERE relpath > ? AND relpath < ?",
                               (f"{month}/", f"{month}0"))
        return {row[0] for row in rows}

    def _apply(self, rows: Iterable[tuple[Any, ...]], gone: set[str],
               marks: list[tuple[str, int]], dropped_months: list[str],
               damaged: list[tuple[str, str, str, str]], rescanned: list[str]) -> None:
        rows = list(rows)
        self.db.execute("BEGIN IMMEDIATE")
        try:
            for month in rescanned:  # damaged folders of a rescanned month are listed anew
                self.db.execute("DELETE FROM damaged WHERE relpath > ? AND relpath < ?",
                                (f"{month}/", f"{month}0"))
            self.db.executemany("INSERT OR REPLACE INTO damaged VALUES (?, ?, ?, ?)", damaged)
            self.db.executemany("DELETE FROM versions WHERE relpath = ?", [(g,) for g in gone])
            self.db.executemany("INSERT OR REPLACE INTO months VALUES (?, ?)", marks)
            self.db.executemany("DELETE FROM months WHERE month = ?",
                                [(m,) for m in dropped_months])
            self.db.executemany(
                "INSERT OR REPLACE INTO versions VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
            ids = {row[1] for row in rows} | self._ids_of(gone)
            self._refresh_current(ids)
            self.db.executemany("INSERT INTO changes (id) VALUES (?)", [(i,) for i in sorted(ids)])
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def _ids_of(self, gone: set[str]) -> set[str]:
        ids = set()
        for relpath in gone:
            parsed = parse_folder(relpath.rsplit("/", 1)[-1])
            if parsed is not None:
                ids.add(parsed.id)
        return ids

    def _refresh_current(self, ids: set[str]) -> None:
        self.db.executemany("DELETE FROM current WHERE id = ?", [(i,) for i in ids])
        self.db.executemany(
            "INSERT INTO current SELECT id, relpath FROM versions WHERE id = ? "
            "ORDER BY version DESC LIMIT 1", [(i,) for i in ids])

    def records(self, where: str = "", params: Iterable[Any] = (),
                current_only: bool = True, limit: int | None = None
                ) -> list[tuple[str, dict[str, Any]]]:
        """(relpath, meta.json dict) of matching versions, newest document date first
        (the first ``limit`` of them when given)."""
        source = ("versions v JOIN current c ON c.relpath = v.relpath" if current_only
                  else "versions v")
        sql = f"SELECT v.relpath, v.meta FROM {source}"
        if where:
            sql += f" WHERE {where}"
        sql += " ORDER BY v.date DESC, v.created_at DESC, v.id"
        args = tuple(params)
        if limit is not None:
            sql += " LIMIT ?"
            args += (max(0, limit),)
        return [(rel, json.loads(meta)) for rel, meta in self.db.execute(sql, args)]

    def select(self, filt: DocFilter, limit: int | None = None) -> list[tuple[str, dict[str, Any]]]:
        """(relpath, meta.json dict) of the current versions ``filt`` designates (its
        query aside), newest document date first."""
        where, params = filter_sql(filt)
        return self.records(where, params, limit=limit)

    def count(self, filt: DocFilter) -> int:
        """How many current versions ``filt`` designates (its query aside)."""
        where, params = filter_sql(filt)
        sql = "SELECT COUNT(*) FROM versions v JOIN current c ON c.relpath = v.relpath"
        if where:
            sql += f" WHERE {where}"
        return int(self.db.execute(sql, tuple(params)).fetchone()[0])

    def history(self, doc_id: str) -> list[tuple[str, dict[str, Any]]]:
        rows = self.db.execute(
            "SELECT relpath, meta FROM versions WHERE id = ? ORDER BY version", (doc_id,))
        return [(rel, json.loads(meta)) for rel, meta in rows]

    def holders_of(self, series: str, number: int) -> list[tuple[str, dict[str, Any]]]:
        """Documents numbered ``number`` in ``series`` in any version (a number a
        document ever carried stays its own: an older docgen let ``amend`` change it):
        (relpath, meta.json dict) of each one's latest such version."""
        return self.records(
            "v.series = ? AND v.number = ? AND v.version = (SELECT MAX(w.version) FROM "
            "versions w WHERE w.id = v.id AND w.series = v.series AND w.number = v.number)",
            (series, number), current_only=False)

    def imported_originals(self) -> dict[str, str]:
        """sha256 of the original file → id, for every current (not withdrawn) imported
        paper (docgen.importing): one pass over the catalog, made once per import run."""
        rows = self.db.execute(
            "SELECT json_extract(v.meta, '$.imported.original.sha256'), v.id FROM versions v "
            "JOIN current c ON c.relpath = v.relpath WHERE v.status != 'withdrawn' AND "
            "json_extract(v.meta, '$.imported.original.sha256') IS NOT NULL")
        return {str(sha): str(doc_id) for sha, doc_id in rows}

    def same_paper(self, cell: str, number: int, type_symbol: str, date: str
                   ) -> list[tuple[str, dict[str, Any]]]:
        """Current, not withdrawn documents of ``cell`` numbered ``number`` with
        ``type_symbol`` and dated ``date`` (ISO): the same paper, filed or imported."""
        rows = self.records("v.cell_key = ? AND v.number = ? AND v.date = ? "
                            "AND v.status != 'withdrawn'", (cell_key(cell), number, date))
        want = fold(type_symbol).upper()
        return [row for row in rows if fold(str(row[1].get("type_symbol", ""))).upper() == want]

    def max_number(self, series: str) -> int:
        row = self.db.execute(
            "SELECT MAX(v.number) FROM versions v WHERE v.series = ?", (series,)).fetchone()
        return int(row[0] or 0)

    # change sequence ---------------------------------------------------------------
    def instance(self) -> str:
        """A random name of this catalog, new whenever the catalog is created anew."""
        return str(self.db.execute("SELECT value FROM info WHERE key = 'instance'").fetchone()[0])

    def last_change(self) -> int:
        """The sequence number of the latest change (0 when there is none)."""
        row = self.db.execute("SELECT MAX(seq) FROM changes").fetchone()
        return int(row[0] or 0)

    def changed_ids(self, after: int) -> list[str]:
        """Ids of the documents changed after change ``after``, each once, oldest first."""
        rows = self.db.execute("SELECT id FROM changes WHERE seq > ? GROUP BY id "
                               "ORDER BY MIN(seq)", (after,))
        return [row[0] for row in rows]

    def current_of(self, doc_id: str) -> tuple[str, dict[str, Any]] | None:
        """(relpath, meta.json dict) of a document's current version, if it has one."""
        # c.id first: the lookup goes through current's primary key (a join ordered by
        # date would otherwise scan every current row: 210 ms at 50,000 documents)
        rows = self.records("c.id = ? AND v.id = ?", (doc_id, doc_id))
        return rows[0] if rows else None

    # damaged folders -----------------------------------------------------------------
    def damaged_numbers(self, type_symbol: str, since: str = "", until: str = "9999"
                        ) -> dict[int, list[str]]:
        """Numbers in the names of unreadable version folders of ``type_symbol`` dated
        from ``since`` to ``until`` (ISO dates): they may belong to any series of that type.
        Returned as number → relpaths of those folders. The symbol is compared as folder
        names carry it (accents folded, upper case, only A-Z 0-9 and "-": "QĐ" → "QD")."""
        want = "".join(ch for ch in fold(type_symbol).upper()
                       if ch.isascii() and (ch.isalnum() or ch == "-")) or "X"
        rows = self.db.execute("SELECT num, relpath FROM damaged WHERE date >= ? AND date <= ? "
                               "ORDER BY relpath", (since, until))
        numbers: dict[int, list[str]] = {}
        for num, relpath in rows:
            head, _, symbol = num.partition("-")
            if head.isdigit() and symbol.upper() == want:
                numbers.setdefault(int(head), []).append(relpath)
        return numbers

    def has_id(self, doc_id: str) -> bool:
        return self.db.execute(
            "SELECT 1 FROM versions WHERE id = ? UNION ALL SELECT 1 FROM damaged WHERE id = ? "
            "LIMIT 1", (doc_id, doc_id)).fetchone() is not None
