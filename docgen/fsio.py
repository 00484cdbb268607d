"""docgen's one atomic file write and its one sha256 of a file.

Atomic write: a temporary file beside the target, then one rename onto it
(``replace_via_temp``; ``create_via_temp`` when an existing file must never be replaced). Readers see the old file or the new one, never a half-written
one; nothing is left behind on failure. With ``sync=True`` the file is fsynced before
the rename and its folder after it, so the new file also survives a power cut (bundles,
copied PDFs). Callers wrap ``OSError`` into their own error family.

The archive's crash protocol (docgen.archive.fsutil) builds on the same primitives:
``fsync_path`` and the sha256 helpers live here, with no import of the archive package,
so that light commands can use them.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

BLOCK = 1 << 20  # files are hashed (and copied) in blocks of 1 MiB


def fsync_path(path: Path) -> None:
    """fsync a file or a folder."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace_via_temp(path: Path, fill: Callable[[Path], object], *, sync: bool = False,
                     suffix: str = ".tmp") -> None:
    """Let ``fill`` write a temporary file in ``path``'s folder, then rename it onto ``path``.

    The temporary file (``.<name>.<random><suffix>``) is removed on any failure.
    ``sync``: fsync it before the rename and the folder after. Permissions follow the
    umask; missing parent folders are created.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}{suffix}")
    try:
        fill(tmp)
        if sync:
            fsync_path(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    if sync:
        fsync_path(path.parent)


def create_via_temp(path: Path, fill: Callable[[Path], object], *, sync: bool = False,
                    suffix: str = ".tmp") -> bool:
    """``replace_via_temp`` that never replaces: the complete temporary file is linked to
    ``path`` only when nothing is there (False then, and nothing is written). Where the
    file system has no hard links (FAT, some network shares) it is renamed instead, after
    checking that ``path`` is still free."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}{suffix}")
    try:
        fill(tmp)
        if sync:
            fsync_path(tmp)
        try:
            os.link(tmp, path)  # atomic, and never replaces
        except FileExistsError:
            return False
        except OSError:
            if path.exists():
                return False
            os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    if sync:
        fsync_path(path.parent)
    return True


def write_bytes_atomic(path: Path, data: bytes, *, sync: bool = False) -> None:
    replace_via_temp(path, lambda tmp: tmp.write_bytes(data), sync=sync)


def write_text_atomic(path: Path, text: str, *, sync: bool = False) -> None:
    """UTF-8 with Unix line endings."""

    def fill(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)

    replace_via_temp(path, fill, sync=sync)


# ---------------------------------------------------------------------- sha256
def sha256_bytes(data: bytes) -> str:
    """Hex sha256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def sha256_blocks(blocks: Iterable[bytes], sink: Callable[[bytes], object] | None = None) -> str:
    """Hex sha256 of the concatenated ``blocks``, each also handed to ``sink`` (a copy
    written on the way) when given."""
    digest = hashlib.sha256()
    for block in blocks:
        digest.update(block)
        if sink is not None:
            sink(block)
    return digest.hexdigest()


def sha256_file(path: Path, copy_to: Path | None = None) -> str:
    """Hex sha256 of the file at ``path``, read in 1 MiB blocks; with ``copy_to`` (a new
    file) the bytes hashed are also written there, so that the copy is exactly what was
    hashed. OSError is the caller's."""
    with path.open("rb") as src:
        blocks = iter(lambda: src.read(BLOCK), b"")
        if copy_to is None:
            return sha256_blocks(blocks)
        with copy_to.open("xb") as dst:
            return sha256_blocks(blocks, dst.write)
