"""Deterministic .docx packages: fixed zip timestamps/order and core properties."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

_FIRST = "[Content_Types].xml"


def fix_core_properties(document: Any, day: dt.date, title: str, subject: str, author: str) -> None:
    """Core properties derived from the document's own date, never from the clock."""
    stamp = dt.datetime(day.year, day.month, day.day, 0, 0, 0)
    props = document.core_properties
    props.created = stamp
    props.modified = stamp
    props.last_printed = stamp
    props.last_modified_by = "docgen"
    props.revision = 1
    props.author = author
    props.title = title
    props.subject = subject
    props.keywords = ""
    props.comments = ""


def normalize_zip(data: bytes, day: dt.date) -> bytes:
    """Rewrite a zip with one fixed timestamp and a stable entry order."""
    stamp = (max(day.year, 1980), day.month, day.day, 0, 0, 0)
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        names = src.namelist()
        ordered = [n for n in names if n == _FIRST] + sorted(n for n in names if n != _FIRST)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for name in ordered:
                info = zipfile.ZipInfo(name, date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 3
                info.external_attr = 0o644 << 16
                dst.writestr(info, src.read(name), compresslevel=6)
    return out.getvalue()
