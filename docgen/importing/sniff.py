"""What kind of file an old paper is, from its first bytes (the name's suffix only
breaks ties): Word 2007+ (.docx), Word 97–2003 (.doc), OpenDocument (.odt), RTF, PDF,
images (PNG, JPEG, TIFF) and plain text."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Literal

FileType = Literal["docx", "doc", "odt", "rtf", "pdf", "image", "txt"]

SUFFIXES: dict[str, FileType] = {
    ".docx": "docx", ".docm": "docx", ".doc": "doc", ".odt": "odt", ".rtf": "rtf",
    ".pdf": "pdf", ".png": "image", ".jpg": "image", ".jpeg": "image", ".tif": "image",
    ".tiff": "image", ".txt": "txt",
}
"""The suffixes a folder walk picks up (other files are reported as of an unknown type)."""

IGNORED_NAMES = frozenset({"thumbs.db", "desktop.ini", ".ds_store"})
"""Files a folder of old papers often holds that are not papers: skipped silently, as are
hidden files and Word's lock files (``~$…``)."""

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODT = b"mimetypeapplication/vnd.oasis.opendocument.text"


def ignored(path: Path) -> bool:
    """A file a folder walk skips without a report line (not a paper)."""
    name = path.name
    return name.startswith((".", "~$")) or name.lower() in IGNORED_NAMES


def sniff(data: bytes, name: str) -> FileType | None:
    """The file's type from its content; None when it is none of the readable ones."""
    head = data[:64]
    suffix = Path(name).suffix.lower()
    if head.startswith(b"%PDF-") or (b"%PDF-" in data[:1024] and suffix == ".pdf"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n") or head.startswith(b"\xff\xd8\xff") \
            or head.startswith((b"II*\x00", b"MM\x00*")):
        return "image"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(_OLE):
        # an old .doc, or a password-protected .docx (an OLE container as well): the
        # .docx reader names the second case
        return "docx" if suffix in (".docx", ".docm") else "doc"
    if head.startswith(b"PK\x03\x04"):
        if data[30:30 + len(_ODT)] == _ODT:
            return "odt"
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return "docx" if suffix in (".docx", ".docm") else None
        if "word/document.xml" in names or suffix in (".docx", ".docm"):
            return "docx"
        if "content.xml" in names and suffix == ".odt":
            return "odt"
        return None
    if suffix == ".txt" or suffix == "":
        return "txt" if _texty(data) else None
    return None


def _texty(data: bytes) -> bool:
    """Plain text: no NUL bytes (outside UTF-16) and few control characters."""
    sample = data[:65536]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    if b"\x00" in sample:
        return False
    controls = sum(1 for b in sample if b < 0x20 and b not in (9, 10, 12, 13))
    return controls <= max(2, len(sample) // 200)
