"""Collecting validation problems so that one run reports all of them."""

from __future__ import annotations

from dataclasses import dataclass, field

from docgen.errors import ConfigError, DocgenError, InputError
from docgen.i18n import Msg


@dataclass
class Problems:
    """Problems found in one file; each names the field and the fix."""

    file: str
    items: list[DocgenError] = field(default_factory=list)

    def add(self, path: str, message: Msg, hint: Msg | None = None) -> None:
        self.items.append(InputError(message, file=self.file, field=path or None, hint=hint))

    def __bool__(self) -> bool:
        return bool(self.items)

    def input_error(self) -> InputError:
        count = len(self.items)
        return InputError(
            Msg(f"tệp đầu vào có {count} lỗi", f"the input file has {count} problem(s)"),
            file=self.file,
            problems=list(self.items),
        )

    def raise_if_any(self) -> None:
        if self.items:
            raise self.input_error()


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
        problems=list(problems.items),
    )
