"""Atomic file output: write a temporary file beside the target, then rename it.

Callers wrap ``OSError`` into their own error family; nothing half-written is left.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from pathlib import Path


def replace_via_temp(path: Path, fill: Callable[[Path], object]) -> None:
    """Let ``fill`` write a temporary file in ``path``'s folder, then rename it onto ``path``.

    The temporary file is removed on any failure. Permissions follow the umask.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        fill(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_bytes_atomic(path: Path, data: bytes) -> None:
    replace_via_temp(path, lambda tmp: tmp.write_bytes(data))


def write_text_atomic(path: Path, text: str) -> None:
    """UTF-8 with Unix line endings."""

    def fill(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)

    replace_via_temp(path, fill)
