"""Collecting validation problems so that one run reports all of them.

A problem names its field by label and line ("Giờ bắt đầu (dòng 33): …") and keeps the
technical path as its ``field`` ("start", shown as "Trường: start"). Problems are listed
in file order (line, then path). A field may have several problems (the Party-rule checks
can find two distinct faults in one vote count), but never the same one twice, and a
schema problem (``secondary``) is dropped when its field has a problem already: the
resolve step's "không có đảng viên tên …" explains the value the schema's pattern error
would refuse again, and the schema reports one problem per field.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from docgen.errors import ConfigError, DocgenError, InputError
from docgen.i18n import Msg
from docgen.model.labels import PROFILE, label_of, path_text, split_path

LineMap = dict[tuple[str | int, ...], int]
"""Path tuple → 1-based line of that value in the file (``("absent", 2, "member")`` → 14)."""

PathLike = str | tuple[Any, ...] | Iterable[Any]


class FieldProblem(InputError):
    """One problem of an input file: ``field`` is the technical path ("absent[2].member"),
    ``label`` its readable name, ``line`` where it is in the file (None when unknown)."""

    def __init__(self, message: Msg, *, file: str | None, path: str, label: Msg | None,
                 line: int | None, hint: Msg | None = None) -> None:
        super().__init__(message, hint=hint, file=file, field=path or None)
        self.path = path
        self.label = label
        self.line = line


def where(line: int | None) -> Msg:
    """" (dòng 33)" / " (line 33)", or nothing without a line."""
    return Msg(f" (dòng {line})", f" (line {line})") if line else Msg("", "")


def _part_key(part: str | int) -> tuple[int, int, str]:
    return (0, part, "") if isinstance(part, int) else (1, 0, part)


@dataclass
class Problems:
    """Problems found in one file; each names the field (label, line, path) and the fix.

    ``lines`` (from ``files.read_mapping_lines``) gives the line of each value; ``kind``
    ("nghi-quyet", … or "profile") chooses the labels (``check_schema`` sets it from the
    schema when it is not given).
    """

    file: str
    lines: LineMap | None = None
    kind: str | None = None
    items: list[DocgenError] = field(default_factory=list)
    _seen: set[str] = field(default_factory=set, init=False, repr=False)  # fields with a problem
    _said: set[tuple[str, str, str]] = field(default_factory=set, init=False, repr=False)  # (field, vi, en)

    def line_of(self, path: PathLike) -> int | None:
        """The line of ``path``, else of its nearest parent that has one (never the file itself)."""
        if not self.lines:
            return None
        parts = split_path(path)
        for end in range(len(parts), 0, -1):
            line = self.lines.get(parts[:end])
            if line:
                return line
        return None

    def label(self, path: PathLike) -> Msg:
        return label_of(path, self.kind)

    def where(self, path: PathLike) -> Msg:
        """" (dòng 33)" for ``path``, "" when its line is unknown."""
        return where(self.line_of(path))

    def has(self, path: PathLike) -> bool:
        """Whether a problem is listed for exactly this field already."""
        return _text(path) in self._seen

    def add(self, path: PathLike, message: Msg, hint: Msg | None = None, *, named: bool = False,
            secondary: bool = False) -> bool:
        """List a problem of ``path``; False (and nothing listed) when the very same problem
        (field and message) is listed already, or, for a ``secondary`` problem (the schema
        check's), when that field has any problem already.

        Unless ``named`` (the message already says label and line, as validation's do), the
        message is prefixed with the field's label and line: "Chủ trì (dòng 8): …".
        """
        text = _text(path)
        if text and secondary and text in self._seen:
            return False
        line = self.line_of(path) if text else None
        label = self.label(path) if text else None
        if text and not named and label is not None:
            message = _named(message, label, where(line))
        said = (text, message.vi, message.en)
        if said in self._said:
            return False
        self._said.add(said)
        if text:
            self._seen.add(text)
        self.items.append(FieldProblem(message, file=self.file, path=text, label=label, line=line, hint=hint))
        return True

    def __bool__(self) -> bool:
        return bool(self.items)

    def ordered(self) -> list[DocgenError]:
        """The problems in file order: by line, then path. Problems whose line is unknown
        (a missing field, or no line map) come first, in the order they were found; a
        problem of no field (the "only the first 100" note) comes last."""
        def key(item: tuple[int, DocgenError]) -> tuple[float, tuple[tuple[int, int, str], ...], int]:
            index, problem = item
            path = getattr(problem, "path", problem.field or "")
            if not path:
                return (math.inf, (), index)
            line = getattr(problem, "line", None)
            if not line:
                return (0, (), index)
            return (line, tuple(_part_key(p) for p in split_path(path)), index)
        return [problem for _, problem in sorted(enumerate(self.items), key=key)]

    def input_error(self) -> InputError:
        count = len(self.items)
        return InputError(
            Msg(f"tệp đầu vào có {count} lỗi", f"the input file has {count} problem(s)"),
            file=self.file,
            problems=self.ordered(),
        )

    def raise_if_any(self) -> None:
        if self.items:
            raise self.input_error()


def _named(message: Msg, label: Msg, at: Msg) -> Msg:
    """"Chủ trì (dòng 8): không có …"; a message that starts with the label gets the line only."""
    if message.vi.casefold().startswith(label.vi.casefold()):
        return Msg(f"{message.vi}{at.vi}", f"{message.en}{at.en}")
    return Msg(f"{label.vi}{at.vi}: {message.vi}", f"{label.en}{at.en}: {message.en}")


def _text(path: PathLike) -> str:
    return path if isinstance(path, str) else path_text(path)


class ProfileError(ConfigError):
    """A chi bộ profile (profile.yaml) that cannot be used; lists every problem."""

    def __init__(self, message: Msg, *, file: str | None = None,
                 problems: list[DocgenError] | None = None, hint: Msg | None = None,
                 field: str | None = None) -> None:
        super().__init__(message, file=file, hint=hint, field=field)
        self.problems = problems or []

    def render(self, lang: str = "vi") -> str:
        if not self.problems:
            return super().render(lang)
        head = self.message.text(lang)
        return "\n".join([head, *(p.render(lang) for p in self.problems)])


def profile_error(problems: Problems) -> ProfileError:
    count = len(problems.items)
    return ProfileError(
        Msg(f"hồ sơ chi bộ có {count} lỗi", f"the chi bộ profile has {count} problem(s)"),
        file=problems.file,
        problems=problems.ordered(),
    )


def profile_problems(source: str, lines: LineMap | None = None) -> Problems:
    """Problems of a profile.yaml (labels of the profile)."""
    return Problems(source, lines, PROFILE)
