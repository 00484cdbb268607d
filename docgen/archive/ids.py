"""Document ids and the names of version folders.

An id is 10 lowercase hex characters (random, stable for the document's life). A
version folder is named ``<date>_<kind>_<number-or-draft>_<id>`` for version 1 and
``<date>_<kind>_<number-or-draft>_<id>.v<N>`` for version N ≥ 2, and lives under
``YYYY/MM/`` of the document's date.

``readable_name`` is the file name a copy handed to a person gets (``docgen pdf``):
"NQ-05-2026-03-10-an-thanh.pdf".
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


# -------------------------------------------------------------- names for people
_CELL_PREFIX = re.compile(r"^chi bo\s+")
# Words naming the kind of place a cell belongs to; dropped when a name follows them.
_PLACE_WORDS = re.compile(r"^(?:thon|xom|ap|ban|lang|khu pho|to dan pho|khu dan cu)\s+(?=\D)")
_WORDS = re.compile(r"[^a-z0-9]+")
MAX_CELL_PART = 40


def kind_code(kind: str, type_symbol: str) -> str:
    """"NQ", "BB", "KH"; for a kind without a type symbol, its own code (Kind.code) or the
    initials of its first two words ("de-cuong-chuyen-de" → "DC"). File names, book names
    and --kind use this."""
    code = _SAFE.sub("", fold(type_symbol).upper())
    if code:
        return code
    from docgen.kinds import get_kind  # a kind may name its own code ("TrBB", not "TB": Thông báo)

    spec = get_kind(kind)
    if spec is not None and spec.code:
        return _SAFE.sub("", fold(spec.code).upper())
    words = [w for w in kind.split("-") if w][:2]
    return "".join(w[0] for w in words).upper() or "VB"


def _kind_code(meta: DocMeta) -> str:
    return kind_code(meta.kind, meta.type_symbol)


def cell_slug(cell: str) -> str:
    """The cell's name for a file name: "CHI BỘ THÔN AN THÀNH" → "an-thanh"."""
    name = " ".join(fold(cell).split())
    name = _CELL_PREFIX.sub("", name)
    name = _PLACE_WORDS.sub("", name)
    slug = _WORDS.sub("-", name).strip("-")
    if len(slug) > MAX_CELL_PART:  # cut at a word boundary
        head = slug[:MAX_CELL_PART]
        if slug[MAX_CELL_PART] != "-":
            head = head.rsplit("-", 1)[0] or head
        slug = head.strip("-")
    return slug


def readable_name(meta: DocMeta, suffix: str = ".pdf", variant: str = "") -> str:
    """A file name a person can read, ASCII only, sorting by kind then number:
    ``<kind code>-<number, or du-thao>-<YYYY-MM-DD>-<cell>[-<variant>]<suffix>``, e.g.
    "NQ-05-2026-03-10-an-thanh.pdf", "BB-du-thao-2026-03-10-an-thanh.pdf",
    "DC-2026-03-10-an-thanh.pdf" (an outline has no number), "…-pdfa.pdf"."""
    parts = [_kind_code(meta)]
    if meta.draft or (meta.numbered and meta.number is None):
        parts.append("du-thao")
    elif meta.numbered and meta.number is not None:
        parts.append(f"{meta.number:02d}")
    parts.append(meta.date.isoformat())
    slug = cell_slug(meta.cell)
    if slug:
        parts.append(slug)
    if variant:
        parts.append(variant)
    return "-".join(parts) + suffix
