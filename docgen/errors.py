"""The DocgenError tree. Each family carries its exit status.

Exit statuses (documented in README.md, section "Mã thoát"):

====  ==========================================================
0     success
1     unexpected failure (a bug: a traceback is shown)
2     command-line usage error (click)
3     invalid input file (YAML/JSON, schema, Party arithmetic)
4     template error (missing, unreadable, Jinja syntax)
5     configuration or profile error
6     archive error (not found, number taken, bad bundle, lock; nothing matched
      the selection of ``print``/``export``: nothing written)
7     archive integrity problems found by ``verify``
8     search error (malformed query, locked or corrupt index)
9     printing error (LibreOffice missing or failed, printer)
10    a batch finished but some items failed (see the report)
====  ==========================================================
"""

from __future__ import annotations

import enum
import errno

from docgen.i18n import Msg


class ExitStatus(enum.IntEnum):
    """docgen's exit statuses: the one table that README.md ("Mã thoát") documents."""

    OK = 0
    BUG = 1
    USAGE = 2
    INPUT = 3
    TEMPLATE = 4
    CONFIG = 5
    ARCHIVE = 6
    INTEGRITY = 7
    SEARCH = 8
    PRINT = 9
    PARTIAL = 10


class DocgenError(Exception):
    """Root of every error docgen reports to a user without a traceback."""

    exit_code: int = ExitStatus.BUG

    def __init__(
        self,
        message: Msg,
        *,
        hint: Msg | None = None,
        file: str | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message.vi)
        self.message = message
        self.hint = hint
        self.file = file
        self.field = field

    def render(self, lang: str = "vi") -> str:
        """A human-readable multi-line message in ``lang``."""
        parts: list[str] = []
        where = []
        if self.file:
            where.append(("Tệp" if lang != "en" else "File") + f": {self.file}")
        if self.field:
            where.append(("Trường" if lang != "en" else "Field") + f": {self.field}")
        head = ("Lỗi" if lang != "en" else "Error") + ": " + self.message.text(lang)
        parts.append(head)
        parts.extend("  " + w for w in where)
        if self.hint is not None:
            parts.append(("  Cách sửa" if lang != "en" else "  How to fix") + ": " + self.hint.text(lang))
        return "\n".join(parts)


class InputError(DocgenError):
    """An input file is unreadable, malformed or fails validation."""

    exit_code = ExitStatus.INPUT

    def __init__(
        self,
        message: Msg,
        *,
        hint: Msg | None = None,
        file: str | None = None,
        field: str | None = None,
        problems: list[DocgenError] | None = None,
    ) -> None:
        super().__init__(message, hint=hint, file=file, field=field)
        self.problems = problems or []

    def render(self, lang: str = "vi") -> str:
        if not self.problems:
            return super().render(lang)
        return "\n".join(p.render(lang) for p in self.problems)


class TemplateError(DocgenError):
    exit_code = ExitStatus.TEMPLATE


class ConfigError(DocgenError):
    exit_code = ExitStatus.CONFIG


class ArchiveError(DocgenError):
    exit_code = ExitStatus.ARCHIVE


class IntegrityError(DocgenError):
    exit_code = ExitStatus.INTEGRITY


class SearchError(DocgenError):
    exit_code = ExitStatus.SEARCH


class PrintError(DocgenError):
    exit_code = ExitStatus.PRINT


class BatchError(DocgenError):
    """Some items of a batch failed; the others were done."""

    exit_code = ExitStatus.PARTIAL


_FAULTS = {
    errno.ENOSPC: Msg("đĩa đã đầy", "the disk is full"),
    errno.EDQUOT: Msg("đã hết hạn mức dung lượng đĩa", "the disk quota is exhausted"),
    errno.EROFS: Msg("ổ đĩa chỉ cho đọc", "the file system is read-only"),
    errno.EACCES: Msg("không có quyền ghi", "no permission to write"),
    errno.EPERM: Msg("không được phép thao tác", "the operation is not permitted"),
    errno.EIO: Msg("lỗi đọc/ghi của ổ đĩa", "a disk input/output error"),
}


_REASONS = {
    errno.ENOENT: Msg("không có tệp hoặc thư mục đó", "no such file or folder"),
    errno.ENOTDIR: Msg("một phần của đường dẫn không phải thư mục", "a part of the path is not a folder"),
    errno.EISDIR: Msg("đó là một thư mục", "it is a folder"),
    errno.EACCES: Msg("không có quyền truy cập", "permission denied"),
    errno.EPERM: Msg("không được phép thao tác", "the operation is not permitted"),
    errno.ENOEXEC: Msg("không phải chương trình chạy được", "not a program that can run"),
    errno.EEXIST: Msg("tệp đã có", "the file exists"),
    errno.ENOSPC: Msg("đĩa đã đầy", "the disk is full"),
    errno.EROFS: Msg("ổ đĩa chỉ cho đọc", "the file system is read-only"),
    errno.EIO: Msg("lỗi đọc/ghi của ổ đĩa", "a disk input/output error"),
}


def os_reason(exc: OSError) -> Msg:
    """Why an operating-system call failed, in both languages: the common cases (not
    found, permission denied, a folder, full, read-only…) translated; any other keeps the
    system's own words (English) after "lỗi hệ thống" in Vietnamese."""
    known = _REASONS.get(exc.errno or 0)
    if known is not None:
        return known
    text = exc.strerror or str(exc)
    return Msg(f"lỗi hệ thống: {text}", text)


def storage_fault(exc: OSError) -> ArchiveError | None:
    """A storage fault (full, read-only, no permission, I/O error) as a clear archive
    error; None for other OSErrors."""
    what = _FAULTS.get(exc.errno or 0)
    if what is None:
        return None
    where = exc.filename or ""
    return ArchiveError(
        Msg(f"không ghi/đọc được tệp: {what.vi}", f"cannot write or read a file: {what.en}"),
        file=str(where) or None,
        hint=Msg("giải phóng dung lượng hoặc cấp quyền ghi rồi chạy lại; những văn bản đã báo "
                 "\"Đã lưu\" vẫn còn nguyên trong kho (kiểm tra bằng docgen verify)",
                 "free some space or grant write access, then run it again; documents reported "
                 "as filed are safe in the archive (check with docgen verify)"))
