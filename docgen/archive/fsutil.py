"""Crash-safe file primitives of the archive: synced new files, atomic folders, the lock.

The one atomic file write and the one sha256 of a file are docgen.fsio's
(``replace_via_temp``, ``sha256_file``); they are re-exported here for the archive code.
"""

from __future__ import annotations

import errno
import os
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from docgen.errors import ArchiveError
from docgen.fsio import fsync_path, replace_via_temp, sha256_blocks, sha256_bytes, sha256_file
from docgen.i18n import Msg

__all__ = [
    "LOCK_FILE", "TMP_DIR", "archive_lock", "fsync_dir", "fsync_path", "fsync_together",
    "make_dirs_synced", "publish_folder", "replace_via_temp", "sha256_blocks", "sha256_bytes",
    "sha256_file", "temp_path", "write_files_synced", "write_synced",
]

TMP_DIR = ".tmp"
LOCK_FILE = ".lock"


fsync_dir = fsync_path


_POOL: ThreadPoolExecutor | None = None


def fsync_together(paths: list[Path]) -> None:
    """fsync files and folders concurrently.

    Concurrent fsyncs share one journal commit on ext4 and similar filesystems: four
    files synced together cost about as much as one (measured: 2.5 ms vs 15 ms).
    """
    global _POOL
    if _POOL is None:
        _POOL = ThreadPoolExecutor(max_workers=8, thread_name_prefix="docgen-fsync")
    fds = [os.open(path, os.O_RDONLY) for path in paths]
    try:
        list(_POOL.map(os.fsync, fds))
    finally:
        for fd in fds:
            os.close(fd)


def write_files_synced(folder: Path, files: dict[str, bytes], also: list[Path] | None = None
                       ) -> None:
    """Create every file in ``folder`` (meta.json last), then fsync them and the folder
    (and the paths ``also``, in the same journal commit)."""
    for name in sorted(files, key=lambda n: n == "meta.json"):
        fd = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            view = memoryview(files[name])
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
    fsync_together([folder / name for name in files] + [folder] + (also or []))


def write_synced(path: Path, data: bytes) -> None:
    """Write a new file and fsync it (the file must not exist yet)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    finally:
        os.close(fd)


def make_dirs_synced(path: Path) -> None:
    """Create ``path`` and missing parents, fsyncing each parent that gained an entry."""
    missing: list[Path] = []
    current = path
    while not current.exists():
        missing.append(current)
        current = current.parent
    for folder in reversed(missing):
        try:
            folder.mkdir()
        except FileExistsError:
            continue
        fsync_dir(folder.parent)


def temp_path(root: Path, suffix: str = "") -> Path:
    """A fresh path inside ``<root>/.tmp`` (same filesystem as the archive)."""
    tmp = root / TMP_DIR
    make_dirs_synced(tmp)
    return tmp / f"{uuid.uuid4().hex}{suffix}"


def publish_folder(tmp_folder: Path, target: Path) -> None:
    """Atomically move a complete, fsynced temp folder to ``target`` (never over one).

    The caller fsyncs ``target.parent`` afterwards (with the audit log, together).
    """
    make_dirs_synced(target.parent)
    if target.exists():
        raise ArchiveError(
            Msg(f"thư mục lưu trữ đã tồn tại: {target}", f"archive folder already exists: {target}"),
            file=str(target),
            hint=Msg("chạy `docgen verify` để kiểm tra kho lưu trữ",
                     "run `docgen verify` to check the archive"),
        )
    os.rename(tmp_folder, target)


@contextmanager
def archive_lock(root: Path, timeout: float = 120.0) -> Iterator[None]:
    """The archive-wide write lock (a real OS file lock, released when a process dies).

    A ``.lock`` that is not a regular file (a folder, say), or that cannot be opened,
    is an ArchiveError (exit 6) naming the path and the fix, never a traceback.
    """
    make_dirs_synced(root)
    path = root / LOCK_FILE
    if path.exists() and not path.is_file():
        raise _bad_lock(path, Msg("đây không phải tệp thường (có thể là thư mục)",
                                  "it is not a regular file (a folder?)"))
    from filelock import FileLock, Timeout  # here: reading the archive takes no lock

    lock = FileLock(str(path), timeout=timeout)
    try:
        lock.acquire()
    except Timeout as exc:
        raise ArchiveError(
            Msg(f"kho lưu trữ đang bận (khóa {path})", f"the archive is busy (lock {path})"),
            file=str(root),
            hint=Msg("đợi lệnh docgen khác chạy xong rồi thử lại",
                     "wait for the other docgen command to finish and retry"),
        ) from exc
    except OSError as exc:
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            raise ArchiveError(
                Msg(f"không ghi được vào kho lưu trữ {root} (chỉ đọc hoặc không có quyền "
                    f"ghi: {exc.strerror})",
                    f"cannot write to the archive {root} (read-only or no write permission: "
                    f"{exc.strerror})"),
                file=str(path),
                hint=Msg("kho chỉ đọc vẫn xem, tìm, kiểm tra và xuất được; để lưu văn bản cần "
                         "quyền ghi vào thư mục kho",
                         "a read-only archive can still be listed, searched, verified and "
                         "exported; filing needs write access to the archive folder"),
            ) from exc
        raise _bad_lock(path, Msg(f"không mở được tệp ({exc.strerror or exc})",
                                  f"it cannot be opened ({exc.strerror or exc})")) from exc
    try:
        yield
    finally:
        lock.release()


def _bad_lock(path: Path, why: Msg) -> ArchiveError:
    return ArchiveError(
        Msg(f"không lấy được khóa ghi của kho {path}: {why.vi}",
            f"cannot take the archive's write lock {path}: {why.en}"),
        file=str(path),
        hint=Msg(f"khi không có lệnh docgen nào đang chạy, xóa {path} (nếu là thư mục: "
                 f"`rm -r {path}`); docgen tạo lại tệp khóa ở lần ghi sau",
                 f"with no docgen command running, remove {path} (a folder: `rm -r {path}`); "
                 "docgen creates the lock file again at the next write"),
    )
