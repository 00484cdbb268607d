"""Document ids and the names of version folders.

An id is 10 lowercase hex characters (random, stable for the document's life). A
version folder is named ``<date>_<kind>_<number-or-draft>_<id>`` for version 1 and
``<date>_<kind>_<number-or-draft>_<id>.v<N>`` for version N ≥ 2, and lives under
``YYYY/MM/`` of the document's date.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from docgen.errors import ArchiveError
from docgen.i18n import Msg
from docgen.model.meta import DocMeta
from docgen.vn import fold

ID_RE = re.compile(r"^[a-z0-9]{6,32}$")
FOLDER_RE = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})_(?P<kind>[a-z0-9-]+)_(?P<num>[A-Za-z0-9-]+)"
    r"_(?P<id>[a-z0-9]{6,32})(?:\.v(?P<version>[1-9][0-9]*))?$"
)
_SAFE = re.compile(r"[^A-Za-z0-9-]+")


def new_id() -> str:
    """A fresh random document id (40 bits, 10 hex characters)."""
    return secrets.token_hex(5)


def check_id(value: str) -> str:
    """The id itself when well formed; otherwise a clear ArchiveError (exit 6)."""
    if not ID_RE.match(value):
        raise ArchiveError(
            Msg(f"mã văn bản không hợp lệ: {value!r}", f"invalid document id: {value!r}"),
            field="id",
            hint=Msg(
                "mã văn bản gồm 6–32 chữ thường a-z và chữ số (xem `docgen list`)",
                "a document id is 6–32 lowercase letters a-z and digits (see `docgen list`)",
            ),
        )
    return value


def number_part(meta: DocMeta) -> str:
    """The path-safe number part of a folder name: "05-NQ", "draft" or "nonum"."""
    if meta.draft or (meta.numbered and meta.number is None):
        return "draft"
    if not meta.numbered or meta.number is None:
        return "nonum"
    symbol = _SAFE.sub("", fold(meta.type_symbol).upper()) or "X"
    return f"{meta.number:02d}-{symbol}"


def folder_name(meta: DocMeta, doc_id: str, version: int) -> str:
    kind = _SAFE.sub("-", meta.kind.lower()).strip("-") or "doc"
    base = f"{meta.date.isoformat()}_{kind}_{number_part(meta)}_{doc_id}"
    return base if version == 1 else f"{base}.v{version}"


def relpath_for(meta: DocMeta, doc_id: str, version: int) -> str:
    """``YYYY/MM/<folder>``, always with forward slashes."""
    return f"{meta.date.year:04d}/{meta.date.month:02d}/{folder_name(meta, doc_id, version)}"


@dataclass(frozen=True)
class FolderName:
    date: str
    kind: str
    num: str
    id: str
    version: int


def parse_folder(name: str) -> FolderName | None:
    """The parts of a version folder's name, or None when it is not one."""
    match = FOLDER_RE.match(name)
    if match is None:
        return None
    return FolderName(match["date"], match["kind"], match["num"], match["id"],
                      int(match["version"] or 1))


def series_key(meta: DocMeta, per_year: bool) -> str:
    """The numbering series: issuer (cell and symbol), document type, term (or year).

    The cell's name is part of the key because every chi bộ uses the symbol "CB": a
    commune archive that merges many cells keeps one series per cell.
    """
    if per_year:
        period = f"year:{meta.date.year}"
    else:
        period = f"term:{meta.term_start.isoformat() if meta.term_start else '-'}"
    cell = " ".join(fold(meta.cell).split())
    return f"{cell}|{meta.issuer_symbol}|{meta.type_symbol}|{period}"
