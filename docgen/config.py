"""Settings: command-line flag > DOCGEN_* environment > docgen.toml > defaults.

This is the only module that reads the environment. The language is Vietnamese unless
``--lang en``, ``DOCGEN_LANG=en`` or ``lang = "en"`` in docgen.toml says otherwise; the
system locale (LANG, LC_ALL) never changes it. ``early_lang`` finds it before the
command line is parsed, so that ``--help`` is written in it too.

docgen.toml is written by hand in Notepad, so it is read forgivingly and explained:

- Encodings: UTF-8 with or without a BOM, UTF-16/UTF-32 with a BOM (Notepad's "Unicode");
  anything else is explained by ``docgen.model.files.read_text`` (UTF-16 without a BOM,
  TCVN3/VNI/cp1258 with the Unikey conversion), imported only then (it imports PyYAML).
- TOML syntax errors are told in our words with the line and a fix (``lang = en``:
  "giá trị chữ phải đặt trong nháy kép: lang = "en""); tomllib's English is shown only in
  English messages.
- Every setting is type-checked when the file is read (ConfigError, exit 5, naming the
  file, ``[section] key`` and its line). A number may be quoted when the text is only
  digits (``min_meeting_minutes = "90"``). A yes/no setting takes ``true``/``false`` or the
  texts "true"/"false", "có"/"không", "yes"/"no" in any case (``TRUE_WORDS``/``FALSE_WORDS``).
- Unknown sections and keys are warnings (``Settings.warnings``, printed once by the CLI on
  stderr) naming the closest known one; so is a DOCGEN_LANG other than vi/en (ignored: the
  language is then the one docgen.toml or the default gives).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from docgen.errors import ConfigError
from docgen.i18n import DEFAULT_LANG, LANGS, Msg
from docgen.resources import default_templates_dir

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TEMPLATES = default_templates_dir()  # in the installed package, else templates/docx


UNKNOWN_USER = "unknown"
"""Recorded as the filer when neither settings nor the system name a user (shown as "-")."""

@dataclass(frozen=True)
class Margins:
    """Page margins in millimetres (HD 36 values unconfirmed: default 20/20/30/15)."""

    top: float = 20
    bottom: float = 20
    left: float = 30
    right: float = 15


@dataclass(frozen=True)
class Settings:
    lang: str = "vi"
    config_path: Path | None = None
    profile_path: Path = Path("profile.yaml")
    archive_root: Path = Path("archive")
    index_dir: Path | None = None
    # Cell/commune alias list (current name → old names) for search; default
    # <archive_root>/aliases.yaml (see docgen/search/aliases.py and docs/search.md).
    aliases_file: Path | None = None
    templates_dir: Path = DEFAULT_TEMPLATES
    template_overrides: dict[str, Path] = field(default_factory=dict)
    margins: Margins = Margins()
    # Signature labels of minutes (unconfirmed: THƯ KÝ / CHỦ TRÌ by default).
    minutes_left_label: str = "THƯ KÝ"
    minutes_right_label: str = "CHỦ TRÌ"
    # Authority line on resolutions and plans (HD 36 quiz answer: T/M CHI BỘ).
    authority_label: str = "T/M CHI BỘ"
    # Numbering restarts per committee term (HD 36); per calendar year is a setting.
    numbering_per_year: bool = False
    min_meeting_minutes: int = 90
    min_combined_meeting_minutes: int = 120
    # Attendance warnings (docgen.model.arithmetic.attendance_warnings); no quorum rule for
    # the monthly meeting is confirmed [U]. 0 turns a warning off.
    # Share of the members summoned who should be present: practice, not a confirmed rule.
    min_attendance_percent: int = 50
    # Official members a cell needs (Điều lệ Đảng Điều 24.1: from 3).
    min_official_members: int = 3
    # Suspended members (đình chỉ sinh hoạt đảng) are out of the vote denominator in QĐ 24's
    # list; unconfirmed for QĐ 294: true keeps them in.
    suspended_in_denominator: bool = False
    soffice: str = "soffice"
    convert_timeout: float = 60.0
    user: str = ""
    # Problems that do not stop docgen (unknown keys in docgen.toml, a bad DOCGEN_LANG):
    # whole sentences ("Cảnh báo: …"), printed once on stderr by the CLI.
    warnings: tuple[Msg, ...] = ()

    @property
    def index_path(self) -> Path:
        return self.index_dir if self.index_dir is not None else self.archive_root / ".docgen" / "index"

    @property
    def aliases_path(self) -> Path:
        return self.aliases_file if self.aliases_file is not None else self.archive_root / "aliases.yaml"

    def template_for(self, kind: str) -> Path:
        return self.template_overrides.get(kind, self.templates_dir / f"{kind}.docx")


_ENV = {
    "DOCGEN_ARCHIVE": "archive_root",
    "DOCGEN_INDEX": "index_dir",
    "DOCGEN_PROFILE": "profile_path",
    "DOCGEN_TEMPLATES": "templates_dir",
    "DOCGEN_SOFFICE": "soffice",
    "DOCGEN_USER": "user",
}

_PATH_FIELDS = {"profile_path", "archive_root", "index_dir", "aliases_file", "templates_dir", "config_path"}

# ----------------------------------------------------------------------------- what docgen.toml holds

SECTIONS = ("docgen", "format", "labels", "templates")

# [docgen] key → (Settings field, kind of value, example written in the fixes)
DOCGEN_KEYS: dict[str, tuple[str, str, str]] = {
    "lang": ("lang", "lang", '"vi"'),
    "profile": ("profile_path", "path", '"profile.yaml"'),
    "archive": ("archive_root", "path", '"archive"'),
    "index": ("index_dir", "path", '"archive/.docgen/index"'),
    "aliases": ("aliases_file", "path", '"archive/aliases.yaml"'),
    "templates": ("templates_dir", "path", '"mau"'),
    "user": ("user", "text", '"Nguyễn Văn A"'),
    "numbering_per_year": ("numbering_per_year", "bool", "false"),
    "min_meeting_minutes": ("min_meeting_minutes", "minutes", "90"),
    "min_combined_meeting_minutes": ("min_combined_meeting_minutes", "minutes", "120"),
    "min_attendance_percent": ("min_attendance_percent", "percent", "50"),
    "min_official_members": ("min_official_members", "members", "3"),
    "suspended_in_denominator": ("suspended_in_denominator", "bool", "false"),
    "soffice": ("soffice", "command", '"soffice"'),
    "convert_timeout": ("convert_timeout", "seconds", "60"),
}
FORMAT_KEYS = ("margins_mm",)
MARGIN_KEYS = ("top", "bottom", "left", "right")
_MARGINS_EXAMPLE = "margins_mm = { top = 20, bottom = 20, left = 30, right = 15 }"
LABEL_KEYS = {"minutes_left": "minutes_left_label", "minutes_right": "minutes_right_label",
              "authority": "authority_label"}
TEMPLATE_KINDS = tuple(sorted(path.stem for path in DEFAULT_TEMPLATES.glob("*.docx")))
"""The kinds a [templates] line may name: those whose template ships with docgen (one per
kind of the registry, docgen/kinds/: a test checks; read from the folder so start-up does
not load the registry)."""

# key → the section it belongs to (for "lang belongs to [docgen]")
_HOME = {**dict.fromkeys(TEMPLATE_KINDS, "templates"), **dict.fromkeys(LABEL_KEYS, "labels"),
         **dict.fromkeys(FORMAT_KEYS, "format"), **dict.fromkeys(DOCGEN_KEYS, "docgen")}

TRUE_WORDS = ("true", "có", "yes")
FALSE_WORDS = ("false", "không", "no")
"""What a yes/no setting accepts besides true/false: these texts, in any case."""

MAX_MINUTES = 1440
MAX_MEMBERS = 1000
MAX_SECONDS = 86400
MAX_MARGIN_MM = 100
MAX_CONFIG_BYTES = 1024 * 1024

# Patterns as text: compiled (and cached by re) on first use, not at import.
_CONTROL = r"[\x00-\x1f\x7f]"
_DIGITS = r"\s*([0-9]+)\s*"
_DECIMAL = r"\s*([0-9]+(?:\.[0-9]+)?)\s*"

# ----------------------------------------------------------------------------- reading the text

_BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"), (b"\xef\xbb\xbf", "utf-8"))


def _cannot_read(path: Path, exc: OSError) -> ConfigError:
    reason = exc.strerror or str(exc)
    return ConfigError(
        Msg(f"không đọc được tệp cấu hình: {reason}", f"cannot read the configuration file: {reason}"),
        file=str(path),
        hint=Msg("kiểm tra đường dẫn và quyền đọc tệp (--config, DOCGEN_CONFIG)",
                 "check the path and the file's permissions (--config, DOCGEN_CONFIG)"))


def read_config_text(path: Path) -> str:
    """The text of docgen.toml: UTF-8 (with or without a BOM), UTF-16/32 with a BOM.

    Anything else is handed to ``docgen.model.files.read_text`` (imported only then: it
    imports PyYAML), which reads UTF-16 without a BOM and explains legacy Vietnamese
    encodings (TCVN3, VNI, cp1258) with the Unikey conversion.
    """
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise _cannot_read(path, exc) from exc
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError(
            Msg(f"tệp cấu hình quá lớn (hơn {MAX_CONFIG_BYTES // 1024} KiB)",
                f"the configuration file is too large (more than {MAX_CONFIG_BYTES // 1024} KiB)"),
            file=str(path),
            hint=Msg("docgen.toml chỉ có vài dòng: kiểm tra xem có chỉ nhầm tệp không (--config, DOCGEN_CONFIG)",
                     "docgen.toml has a few lines: check that this is the right file (--config, DOCGEN_CONFIG)"))
    try:
        for bom, codec in _BOMS:
            if raw.startswith(bom):
                return raw[len(bom):].decode(codec)
        if b"\x00" not in raw:  # a NUL is never UTF-8 text: UTF-16 without a BOM, or binary
            return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from docgen.model import files

    kind = files._binary_kind(raw)
    if kind is not None:
        raise ConfigError(
            Msg(f"đây là tệp {kind[0]}, không phải tệp cấu hình docgen.toml (tệp chữ)",
                f"this is a {kind[1]} file, not a docgen.toml configuration file (plain text)"),
            file=str(path),
            hint=Msg("chỉ đúng tệp docgen.toml (--config, DOCGEN_CONFIG); tạo tệp mới bằng \"docgen init\"",
                     "give the right docgen.toml (--config, DOCGEN_CONFIG); \"docgen init\" writes a new one"))
    return files.read_text(path, error=ConfigError)


# ----------------------------------------------------------------------------- lines and names


_HEADER = r"\s*\[(?!\[)\s*([^\]#]*?)\s*\]"
_KEY_AT = r"""\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+(?:\s*\.\s*[A-Za-z0-9_-]+)*)\s*="""


def _unquote(name: str) -> str:
    """``docgen . "lang"`` → ``docgen.lang`` (quoted keys with a dot inside are rare)."""
    return ".".join(part.strip().strip("\"'") for part in name.split("."))


class _Source:
    """The lines of docgen.toml, for the line of a key or a section in messages."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.name = path.name
        self.lines = text.splitlines()

    def sections(self) -> Iterator[tuple[int, str, str | None]]:
        """(1-based line, the section it is in, the key it sets or None) for each line."""
        section = ""
        for number, line in enumerate(self.lines, 1):
            header = re.match(_HEADER, line)
            if header:
                section = _unquote(header.group(1))
                yield number, section, None
                continue
            key = re.match(_KEY_AT, line)
            yield number, section, _unquote(key.group(1)) if key else None

    def line_of(self, section: str, key: str | None = None) -> int | None:
        """The line of ``[section]`` (key None), or of ``key`` in it (also written
        ``section.key = …`` at the top, or a ``margins_mm.top`` inside an inline table)."""
        key = key.split(".")[0] if key else None
        for number, current, found in self.sections():
            if key is None and found is None and current == section and re.match(_HEADER, self.lines[number - 1]):
                return number
            if key is not None and found is not None and (
                    (current == section and found == key) or f"{current}.{found}".strip(".") == f"{section}.{key}"):
                return number
        return None

    def line(self, number: int) -> str:
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""

    def where(self, section: str, key: str | None) -> Msg:
        """"[docgen] lang (dòng 3)": a setting and its line."""
        name = _name(section, key)
        number = self.line_of(section, key)
        if number is None:
            return Msg(name, name)
        return Msg(f"{name} (dòng {number})", f"{name} (line {number})")


def _name(section: str, key: str | None) -> str:
    if key is None:
        return f"[{section}]"
    return f"[{section}] {key}" if section else key


def _field(section: str, key: str | None) -> str:
    return ".".join(p for p in (section, key) if p)


def _shown(value: object) -> Msg:
    """What was written, for "…, không phải chữ "90x""."""
    if isinstance(value, bool):
        word = "true" if value else "false"
        return Msg(f"giá trị đúng/sai {word}", f"the yes/no value {word}")
    if isinstance(value, str):
        text = value if len(value) <= 60 else value[:57] + "..."
        if not value:
            return Msg('chữ rỗng ""', 'an empty text ""')
        if re.search(_CONTROL, text):
            text = text.encode("unicode_escape").decode("ascii")
            return Msg(f'chữ có ký tự điều khiển "{text}"', f'a text with control characters "{text}"')
        return Msg(f'chữ "{text}"', f'the text "{text}"')
    if isinstance(value, int | float):
        return Msg(f"số {value}", f"the number {value}")
    if isinstance(value, list):
        return Msg("một danh sách [ ... ]", "a list [ ... ]")
    if isinstance(value, dict):
        return Msg("một bảng { ... }", "a table { ... }")
    return Msg(f"ngày giờ {value}", f"the date/time {value}")


def _closest(name: str, choices: Sequence[str]) -> str | None:
    import difflib

    close = difflib.get_close_matches(name.lower(), list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


# ----------------------------------------------------------------------------- checking the values


class _Reader:
    """Checks the parsed docgen.toml against what docgen knows; collects warnings."""

    def __init__(self, source: _Source) -> None:
        self.source = source
        self.warnings: list[Msg] = []

    # -- errors and warnings

    def wrong(self, section: str, key: str, value: object, expected: Msg, fix: Msg) -> ConfigError:
        where, got = self.source.where(section, key), _shown(value)
        return ConfigError(
            Msg(f"{where.vi} phải là {expected.vi}, không phải {got.vi}",
                f"{where.en} must be {expected.en}, not {got.en}"),
            file=str(self.source.path), field=_field(section, key), hint=fix)

    def unknown(self, section: str, key: str | None, known: Sequence[str], what: Msg) -> None:
        """Warn about an unknown section (key None) or key; a known key of another section
        is told where it belongs."""
        home = _HOME.get(key) if key is not None else None
        if home is not None and home != section:
            self.misplaced(section, key or "", home)
            return
        number = self.source.line_of(section, key)
        at_vi = f", dòng {number}" if number else ""
        at_en = f", line {number}" if number else ""
        close = _closest(key.split(".")[-1] if key is not None else section, known)
        if key is None:
            shown, names = f"[{section}]", ", ".join(f"[{k}]" for k in known)
            close = f"[{close}]" if close else None
        else:
            shown, names = _name(section, key), ", ".join(known)
        guess_vi = f" Có phải ý là {close}?" if close else ""
        guess_en = f" Did you mean {close}?" if close else ""
        self.warnings.append(Msg(
            f"Cảnh báo ({self.source.name}{at_vi}): {shown} không phải {what.vi} nên bị bỏ qua."
            f"{guess_vi} Các tên đúng: {names}.",
            f"Warning ({self.source.name}{at_en}): {shown} is not {what.en}, so it is ignored."
            f"{guess_en} The known names: {names}."))

    # -- one value of each kind

    def number(self, section: str, key: str, value: object, *, integer: bool, low: float,
               high: float, unit: Msg, fix_line: str) -> float:
        number: object = value
        if isinstance(value, str):
            found = re.fullmatch(_DIGITS if integer else _DECIMAL, value)
            if found:  # people quote things: "90" is 90
                number = int(found.group(1)) if integer else float(found.group(1))
        ok = isinstance(number, int | float) and not isinstance(number, bool)
        if ok and integer and isinstance(number, float):
            ok = number.is_integer()
        if ok and isinstance(number, int | float) and low <= number <= high:
            return int(number) if integer else float(number)
        whole_vi, whole_en = (" (số nguyên)", "whole ") if integer else ("", "")
        expected = Msg(f"số {unit.vi}{whole_vi} từ {low:g} đến {high:g}",
                       f"a {whole_en}number {unit.en} from {low:g} to {high:g}")
        if ok:
            fix = Msg(f"ghi một số từ {low:g} đến {high:g}: {fix_line}",
                      f"write a number from {low:g} to {high:g}: {fix_line}")
        else:
            fix = Msg(f"ghi số, không đặt trong nháy: {fix_line}",
                      f"write a number, without quotes: {fix_line}")
        raise self.wrong(section, key, value, expected, fix)

    def boolean(self, section: str, key: str, value: object) -> bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str):
            import unicodedata

            word = unicodedata.normalize("NFC", value).strip().casefold()
            if word in TRUE_WORDS:
                return True
            if word in FALSE_WORDS:
                return False
        raise self.wrong(
            section, key, value, Msg("true (có) hoặc false (không)", "true (yes) or false (no)"),
            Msg(f"ghi {key} = true (có) hoặc {key} = false (không)",
                f"write {key} = true (yes) or {key} = false (no)"))

    def text(self, section: str, key: str, value: object, *, kind: str, example: str) -> str:
        """A text; ``kind`` "path" and "command": stripped, not empty, no control characters."""
        if isinstance(value, str):
            if kind == "text":
                return value
            if value.strip() and not re.search(_CONTROL, value):
                return value.strip()
        if kind == "path":
            expected = Msg("một đường dẫn đặt trong nháy kép", "a path in double quotes")
        elif kind == "command":
            expected = Msg("tên hoặc đường dẫn chương trình, đặt trong nháy kép",
                           "a program name or path in double quotes")
        else:
            expected = Msg("chữ đặt trong nháy kép", "text in double quotes")
        scalar = isinstance(value, int | float) and not isinstance(value, bool)
        suggestion = f'"{value}"' if scalar else example
        key_shown = key.split(".")[-1] if section != "templates" else key
        fix = Msg(f"đặt trong nháy kép: {key_shown} = {suggestion}",
                  f"put it in double quotes: {key_shown} = {suggestion}")
        raise self.wrong(section, key, value, expected, fix)

    def lang(self, section: str, key: str, value: object) -> str:
        lang = value.strip().lower() if isinstance(value, str) else ""
        if lang in LANGS:
            return lang
        where = self.source.where(section, key)
        shown = f'"{value}"' if isinstance(value, str) else _shown(value).vi
        shown_en = f'"{value}"' if isinstance(value, str) else _shown(value).en
        raise ConfigError(
            Msg(f"{where.vi}: ngôn ngữ lang = {shown} không có; chỉ nhận \"vi\" (tiếng Việt) hoặc \"en\"",
                f"{where.en}: there is no language lang = {shown_en}; only \"vi\" or \"en\""),
            file=str(self.source.path), field=_field(section, key),
            hint=Msg('sửa thành lang = "vi" hoặc lang = "en" (hoặc bỏ dòng đó)',
                     'write lang = "vi" or lang = "en" (or remove the line)'))

    def table(self, section: str, key: str | None, value: object) -> dict[str, Any]:
        """The section ``[section]`` (key None) or the inline table ``key = { ... }``."""
        if isinstance(value, dict):
            return value
        got = _shown(value)
        if key is None:
            line = self.source.line_of("", section)
            at_vi, at_en = (f" (dòng {line})", f" (line {line})") if line else ("", "")
            message = Msg(f"{section}{at_vi} phải là một mục [{section}], không phải {got.vi}",
                          f"{section}{at_en} must be a section [{section}], not {got.en}")
            hint = Msg(f"viết [{section}] thành một dòng riêng, các thiết lập của nó ở các dòng dưới",
                       f"write [{section}] on a line of its own, with its settings on the lines below")
        else:
            where = self.source.where(section, key)
            message = Msg(f"{where.vi} phải là một bảng {{ ... }}, không phải {got.vi}",
                          f"{where.en} must be a table {{ ... }}, not {got.en}")
            hint = Msg(f"viết dạng: {_MARGINS_EXAMPLE}", f"write it as: {_MARGINS_EXAMPLE}")
        raise ConfigError(message, file=str(self.source.path), field=_field(section, key), hint=hint)

    # -- the file

    def read(self, data: dict[str, Any]) -> dict[str, Any]:
        """Settings fields from the parsed file (relative paths relative to it)."""
        base = self.source.path.parent
        values: dict[str, Any] = {}
        for name, content in data.items():
            if name in SECTIONS:
                continue
            if isinstance(content, dict) and name not in _HOME:
                self.unknown(name, None, SECTIONS, Msg("mục của docgen.toml", "a section of docgen.toml"))
            else:
                self.unknown("", name, [*DOCGEN_KEYS, *FORMAT_KEYS, *LABEL_KEYS],
                             Msg("thiết lập của docgen", "a docgen setting"))
        section = self.table("docgen", None, data.get("docgen", {}))
        for key, value in section.items():
            spec = DOCGEN_KEYS.get(key)
            if spec is None:
                self.unknown("docgen", key, list(DOCGEN_KEYS),
                             Msg("thiết lập của [docgen]", "a setting of [docgen]"))
                continue
            attr, kind, example = spec
            if kind == "lang":
                values[attr] = self.lang("docgen", key, value)
            elif kind == "bool":
                values[attr] = self.boolean("docgen", key, value)
            elif kind == "minutes":
                values[attr] = self.number("docgen", key, value, integer=True, low=0, high=MAX_MINUTES,
                                           unit=Msg("phút", "of minutes"), fix_line=f"{key} = {example}")
            elif kind == "percent":
                values[attr] = self.number("docgen", key, value, integer=True, low=0, high=100,
                                           unit=Msg("phần trăm", "(a percentage)"), fix_line=f"{key} = {example}")
            elif kind == "members":
                values[attr] = self.number("docgen", key, value, integer=True, low=0, high=MAX_MEMBERS,
                                           unit=Msg("đảng viên", "of members"), fix_line=f"{key} = {example}")
            elif kind == "seconds":
                values[attr] = self.number("docgen", key, value, integer=False, low=1, high=MAX_SECONDS,
                                           unit=Msg("giây", "of seconds"), fix_line=f"{key} = {example}")
            else:
                text = self.text("docgen", key, value, kind=kind, example=example)
                values[attr] = base / text if kind == "path" else text
        fmt = self.table("format", None, data.get("format", {}))
        for key, value in fmt.items():
            if key not in FORMAT_KEYS:
                self.unknown("format", key, FORMAT_KEYS, Msg("thiết lập của [format]", "a setting of [format]"))
                continue
            values["margins"] = self.margins(value)
        labels = self.table("labels", None, data.get("labels", {}))
        for key, value in labels.items():
            if key not in LABEL_KEYS:
                self.unknown("labels", key, list(LABEL_KEYS), Msg("thiết lập của [labels]", "a setting of [labels]"))
                continue
            default = getattr(Settings, LABEL_KEYS[key])
            values[LABEL_KEYS[key]] = self.text("labels", key, value, kind="text", example=f'"{default}"')
        templates = self.table("templates", None, data.get("templates", {}))
        overrides: dict[str, Path] = {}
        for kind_name, value in templates.items():
            if kind_name not in TEMPLATE_KINDS:
                self.unknown("templates", kind_name, TEMPLATE_KINDS, Msg("loại văn bản", "a document kind"))
                continue
            overrides[kind_name] = base / self.text("templates", kind_name, value, kind="path",
                                                    example=f'"mau/{kind_name}.docx"')
        if overrides:
            values["template_overrides"] = overrides
        return values

    def misplaced(self, section: str, key: str, home: str) -> None:
        """A known key written before any [section] ("" ) or under another one."""
        number = self.source.line_of(section, key)
        at_vi, at_en = (f", dòng {number}", f", line {number}") if number else ("", "")
        if section:
            where_vi = f"[{section}] {key} thuộc mục [{home}], không phải [{section}],"
            where_en = f"[{section}] {key} belongs to [{home}], not [{section}],"
        else:
            where_vi, where_en = f"{key} nằm ngoài mục [{home}]", f"{key} is outside the [{home}] section,"
        self.warnings.append(Msg(
            f"Cảnh báo ({self.source.name}{at_vi}): {where_vi} nên bị bỏ qua; "
            f"chuyển dòng đó xuống dưới dòng [{home}].",
            f"Warning ({self.source.name}{at_en}): {where_en} so it is ignored; "
            f"move that line below the [{home}] line."))

    def margins(self, value: object) -> Margins:
        table = self.table("format", "margins_mm", value)
        given: dict[str, float] = {}
        for side, mm in table.items():
            if side not in MARGIN_KEYS:
                self.unknown("format", f"margins_mm.{side}", MARGIN_KEYS,
                             Msg("lề trang (top, bottom, left, right)", "a page margin (top, bottom, left, right)"))
                continue
            default = getattr(Margins, side)
            given[side] = self.number("format", f"margins_mm.{side}", mm, integer=False, low=0,
                                      high=MAX_MARGIN_MM, unit=Msg("milimét", "of millimetres"),
                                      fix_line=f"margins_mm = {{ ..., {side} = {default:g}, ... }}")
        return Margins(**given)


# ----------------------------------------------------------------------------- TOML syntax errors

_ALL_KEYS = frozenset([*SECTIONS, *DOCGEN_KEYS, *FORMAT_KEYS, *MARGIN_KEYS, *LABEL_KEYS, *TEMPLATE_KINDS])
_AS_SAID = "\x00"  # the fix is in the message itself ("xóa một trong hai dòng")
_TOML_WHERE = r"(?s)(.*) \((?:at line (\d+), column (\d+)|at end of document)\)"
_CURLY = "“”„‟‘’‚‛«»"
_VALUE_TOKEN = r"[^,}\]#]*"


def _quoted(text: str) -> str:
    """``text`` as a TOML string: double quotes, or single ones when it has \\ or "."""
    if "\\" in text or '"' in text:
        return f"'{text}'" if "'" not in text else '"' + text.replace("\\", "/").replace('"', "'") + '"'
    return f'"{text}"'


def _clip(line: str) -> str:
    line = line.strip()
    return line if len(line) <= 80 else line[:77] + "..."


class _Syntax:
    """tomllib's error told in our words: (what is wrong, the fixed line or None)."""

    def __init__(self, source: _Source, message: str, number: int | None, column: int | None) -> None:
        self.source = source
        self.message = message
        self.number = number
        self.column = column
        self.text = source.line(number) if number else ""

    def explain(self) -> tuple[Msg, str | None]:
        what = self.message
        if what == "Invalid value":
            return self.invalid_value()
        if what.startswith("Expected '=' after a key"):
            return self.missing_equals()
        if what in ("Invalid statement", "Invalid initial character for a key part"):
            return self.invalid_statement()
        if what == "Illegal character '\\n'" or what in ('Expected "\'"', "Unterminated string"):
            return self.unclosed_string()
        if what.startswith(("Illegal character", "Found invalid character")):
            return (Msg("dòng này có một ký tự điều khiển (không nhìn thấy được, thường do dán từ nơi "
                        "khác): xóa rồi gõ lại dòng đó",
                        "the line has a control character (invisible, often pasted from elsewhere): "
                        "delete the line and type it again"), _AS_SAID)
        if what.startswith("Duplicate inline table key"):
            key = what.split(" key ", 1)[1].strip("'\"")
            return (Msg(f"{key} được ghi hai lần trong cùng một {{ ... }}; xóa một lần ghi",
                        f"{key} is written twice in the same {{ ... }}; remove one"), _AS_SAID)
        if what.startswith("Cannot overwrite a value"):
            return self.duplicate_key()
        if what.startswith(("Cannot declare", "Cannot redefine namespace", "Cannot mutate immutable")):
            return self.duplicate_section()
        if what.startswith("Expected ']"):
            if "]" in self.text.split("#")[0]:
                return (Msg("tên mục không hợp lệ: tên mục viết không dấu, không có dấu cách "
                            "([docgen], [format], [labels], [templates])",
                            "the section name is not valid: names have no accents and no spaces "
                            "([docgen], [format], [labels], [templates])"), _AS_SAID)
            header = self.text.split("#")[0].strip().lstrip("[").strip()
            return (Msg("thiếu dấu ] đóng tên mục", "the section name lacks its closing ]"),
                    f"[{header}]" if header else None)
        if what in ("Unclosed array", "Unclosed inline table"):
            close = "]" if what == "Unclosed array" else "}"
            before, rest = self.text[:(self.column or 1) - 1], self.text[(self.column or 1) - 1:]
            if self.number is not None and rest.strip() and not rest.lstrip().startswith(("#", close)):
                return (Msg(f"thiếu dấu phẩy , giữa hai giá trị trong {'[ ]' if close == ']' else '{ }'}",
                            f"a comma , is missing between two values in {'[ ]' if close == ']' else '{ }'}"),
                        before.rstrip() + ", " + rest)
            self.locate_open("[" if close == "]" else "{", close)
            return (Msg(f"thiếu dấu {close} đóng", f"the closing {close} is missing"),
                    self.text.rstrip() + close if self.text else None)
        if what == "Unescaped '\\' in a string" or what in ("Invalid hex value",
                                                            "Escaped character is not a Unicode scalar value"):
            return self.backslash()
        if what == "Expected newline or end of document after a statement":
            return self.extra_text()
        if what == "Invalid date or datetime":
            return self.quote_value(Msg("ngày giờ không hợp lệ; nếu là chữ, đặt trong nháy kép",
                                        "an invalid date or time; if it is text, put it in double quotes"))
        return Msg("dòng này không đúng cú pháp TOML", "this line is not valid TOML"), None

    # -- helpers

    def value_span(self) -> tuple[str, str, str]:
        """(before, the value token at the column, after) of the line."""
        start = (self.column or 1) - 1
        token = re.compile(_VALUE_TOKEN).match(self.text, start)
        end = token.end() if token else start
        value = self.text[start:end].rstrip()
        return self.text[:start], value, self.text[start + len(value):]

    def locate_open(self, opener: str, closer: str) -> None:
        """At the end of the document: the line that opened what was never closed."""
        if self.number is not None and self.text.count(opener) > self.text.count(closer):
            return
        for number, line in enumerate(self.source.lines, 1):
            code = line.split("#")[0]
            if code.count(opener) > code.count(closer):
                self.number, self.text = number, line
                return

    def quote_value(self, what: Msg) -> tuple[Msg, str | None]:
        before, value, after = self.value_span()
        if not value:
            return what, None
        return what, before + _quoted(value) + after

    # -- the cases

    def invalid_value(self) -> tuple[Msg, str | None]:
        before, value, after = self.value_span()
        key = re.search(r"([A-Za-z0-9_-]+)\s*=\s*$", before)
        key_name = key.group(1) if key else ""
        if not value:
            spec = DOCGEN_KEYS.get(key_name)
            example = spec[2] if spec else '"..."'
            return (Msg("thiếu giá trị sau dấu =", "the value after = is missing"),
                    before.rstrip() + " " + example + after)
        if value[0] in _CURLY:
            straight = value
            for char in _CURLY:
                straight = straight.replace(char, '"' if char in "“”„‟«»" else "'")
            return (Msg('dấu nháy phải là nháy thẳng " gõ trong Notepad, không phải nháy cong “ ” (của Word)',
                        'quotes must be straight " as typed in Notepad, not curly “ ” (from Word)'),
                    before + straight + after)
        if value.lower() in ("true", "false"):
            return (Msg(f"true/false viết chữ thường: {before}{value.lower()}".strip(),
                        f"true/false are written in lower case: {before}{value.lower()}".strip()),
                    before + value.lower() + after)
        fixed = before + _quoted(value) + after
        return (Msg(f"giá trị chữ phải đặt trong nháy kép: {_clip(fixed)}",
                    f"a text value must be in double quotes: {_clip(fixed)}"), fixed)

    def missing_equals(self) -> tuple[Msg, str | None]:
        start = (self.column or 1) - 1
        before, rest = self.text[:start], self.text[start:]
        if not rest.strip() and "=" not in self.text:  # a name alone on its line
            key = re.search(r"([A-Za-z0-9_-]+)\s*$", before)
            if key and key.group(1) in _ALL_KEYS:
                return (Msg(f"thiếu dấu = và giá trị sau {key.group(1)}",
                            f"the = and the value after {key.group(1)} are missing"), _AS_SAID)
            return self.invalid_statement()
        if before[-1:].isspace():  # a name, a space, then no "="
            key = re.search(r"([A-Za-z0-9_-]+)\s*$", before)
            if key and key.group(1) in _ALL_KEYS:
                return (Msg("thiếu dấu = giữa tên thiết lập và giá trị",
                            "the = between the setting's name and its value is missing"),
                        before.rstrip() + " = " + rest)
            if "=" not in self.text:
                return self.invalid_statement()
        head = re.search(r"[^{},=]*$", before)
        tail = re.match(r"[^=}]*", rest)
        name = ((head.group(0) if head else "") + (tail.group(0) if tail else "")).strip()
        return (Msg(f"tên thiết lập «{name}» không hợp lệ: tên viết không dấu, không có dấu cách "
                    "(vd. lang, archive, min_meeting_minutes)",
                    f"the setting name «{name}» is not valid: names have no accents and no spaces "
                    "(e.g. lang, archive, min_meeting_minutes)"), _AS_SAID)

    def invalid_statement(self) -> tuple[Msg, str | None]:
        line = self.text.strip()
        if line.startswith("="):
            return Msg("thiếu tên thiết lập trước dấu =", "the setting's name before = is missing"), None
        if line.startswith(("//", ";", "--")):
            return (Msg("ghi chú phải bắt đầu bằng dấu #", "a comment starts with #"),
                    "# " + line.lstrip("/;-").strip())
        return (Msg("dòng này không phải dạng tên = giá trị, cũng không phải tên mục [mục]; "
                    "ghi chú thì đặt dấu # ở đầu dòng",
                    "this line is neither name = value nor a [section]; a comment starts with #"),
                "# " + line if line else None)

    def unclosed_string(self) -> tuple[Msg, str | None]:
        if self.number is None or (self.text.count('"') % 2 == 0 and self.text.count("'") % 2 == 0):
            for number, line in enumerate(self.source.lines, 1):
                if '"""' in line or "'''" in line or line.count('"') % 2 or line.count("'") % 2:
                    self.number, self.text = number, line
                    break
        quote = "'" if self.text.count("'") % 2 and not self.text.count('"') % 2 else '"'
        for triple in ('"""', "'''"):
            if triple in self.text:
                quote = triple
        code, comment = self.text, ""
        if "#" in self.text:
            code, comment = self.text.split("#", 1)
            comment = "  #" + comment
        fixed = code.rstrip() + quote + comment if self.text and len(quote) == 1 else None
        return Msg(f"thiếu dấu nháy {quote} đóng chuỗi", f"the string lacks its closing {quote}"), fixed

    def duplicate_key(self) -> tuple[Msg, str | None]:
        header = re.match(_HEADER, self.text)
        if header:
            name = _unquote(header.group(1))
            return (Msg(f"mục [{name}] trùng tên với một thiết lập đã ghi ở trên",
                        f"the section [{name}] has the name of a setting written above"), _AS_SAID)
        section, key = "", None
        for number, current, found in self.source.sections():
            if number == self.number:
                section, key = current, found
                break
        first = None
        if key is not None:
            for number, current, found in self.source.sections():
                if number < (self.number or 0) and (current, found) == (section, key):
                    first = number
                    break
        name = _name(section, key) if key else "một tên"
        name_en = _name(section, key) if key else "a name"
        if first:
            return (Msg(f"{name} được ghi hai lần (dòng {first} và dòng {self.number}); xóa một trong hai dòng",
                        f"{name_en} is written twice (lines {first} and {self.number}); remove one of them"),
                    _AS_SAID)
        return (Msg(f"{name} được ghi hai lần; xóa một lần ghi", f"{name_en} is written twice; remove one"),
                _AS_SAID)

    def duplicate_section(self) -> tuple[Msg, str | None]:
        header = re.match(_HEADER, self.text)
        name = _unquote(header.group(1)) if header else ""
        first = self.source.line_of(name) if name else None
        lines_vi = f" (dòng {first} và dòng {self.number})" if first and first != self.number else ""
        lines_en = f" (lines {first} and {self.number})" if first and first != self.number else ""
        return (Msg(f"mục [{name}] được ghi hai lần{lines_vi}: để mọi thiết lập dưới một dòng [{name}] "
                    f"và xóa dòng [{name}] thứ hai",
                    f"the section [{name}] is written twice{lines_en}: keep its settings under one "
                    f"[{name}] line and remove the second"), _AS_SAID)

    def backslash(self) -> tuple[Msg, str | None]:
        string = re.search(r'"((?:[^"\\]|\\.)*)"', self.text)
        fixed = None
        if string and "'" not in string.group(1):
            fixed = self.text[:string.start()] + f"'{string.group(1)}'" + self.text[string.end():]
        return (Msg("dấu \\ trong nháy kép \"...\" có nghĩa riêng: đường dẫn Windows đặt trong nháy đơn "
                    "'D:\\luu-tru' hoặc viết bằng dấu /: \"D:/luu-tru\"",
                    "a \\ inside double quotes \"...\" has a special meaning: put a Windows path in single "
                    "quotes 'D:\\luu-tru' or write it with /: \"D:/luu-tru\""), fixed)

    def extra_text(self) -> tuple[Msg, str | None]:
        start = (self.column or 1) - 1
        before, rest = self.text[:start], self.text[start:]
        if re.match(_HEADER, self.text) and rest.lstrip().startswith("]"):
            return Msg("thừa dấu ] sau tên mục", "an extra ] after the section name"), before.rstrip()
        number = re.search(r"=\s*([-+]?)([0-9]+)\s*$", before)
        if number and rest.startswith(",") and re.match(r",[0-9]", rest):
            digits = re.match(r",([0-9]+)", rest)
            assert digits is not None
            fixed = before + "." + digits.group(1) + rest[digits.end():]
            return (Msg("số thập phân viết bằng dấu chấm, không phải dấu phẩy",
                        "decimals are written with a point, not a comma"), fixed)
        more = re.match(r"[0-9]+", rest)
        if more and re.search(r"=\s*0$", before):
            return (Msg("số không viết số 0 ở đầu", "a number has no leading zero"),
                    re.sub(r"(=\s*)0+(?=[0-9])", r"\1", self.text, count=1))
        value = re.match(r"([^=]*=\s*)([^#]*?)(\s*#.*)?$", self.text)
        if value and before[-1:] not in ("", " ", "\t") and value.group(2):  # 2026-13-01, 90phút
            fixed = value.group(1) + _quoted(value.group(2)) + (value.group(3) or "")
            return (Msg(f"giá trị chữ phải đặt trong nháy kép: {_clip(fixed)}",
                        f"a text value must be in double quotes: {_clip(fixed)}"), fixed)
        extra = rest.strip()
        return (Msg(f"sau giá trị còn chữ thừa «{_clip(extra)}»: ghi chú đặt sau dấu #, "
                    "chữ thì đặt cả giá trị trong nháy kép",
                    f"there is extra text «{_clip(extra)}» after the value: a comment goes after #, "
                    "text goes wholly in double quotes"),
                before.rstrip() + "  # " + extra)

    def error(self, exc: Exception) -> ConfigError:
        what, fixed = self.explain()
        field = None
        if self.number:
            for number, current, found in self.source.sections():
                if number == self.number:
                    field = _field(current, found) if found else None
                    break
        at_vi = f" ở dòng {self.number}" if self.number else " ở cuối tệp"
        at_en = f" at line {self.number}" if self.number else " at the end of the file"
        message = Msg(f"sai cú pháp TOML{at_vi}: {what.vi}",
                      f"TOML syntax error{at_en}: {what.en} (tomllib: {exc})")
        if self.number and fixed == _AS_SAID:
            hint = Msg(f"sửa dòng {self.number} (đang là: {_clip(self.text)}) như đã nói ở trên",
                       f"fix line {self.number} ({_clip(self.text)}) as said above")
        elif self.number and fixed is not None and fixed.strip() != self.text.strip():
            hint = Msg(f"sửa dòng {self.number} (đang là: {_clip(self.text)}) thành: {_clip(fixed)}",
                       f"change line {self.number} ({_clip(self.text)}) to: {_clip(fixed)}")
        elif self.number:
            hint = Msg(f"sửa dòng {self.number} (đang là: {_clip(self.text)}); mỗi dòng là tên = giá trị: "
                       'chữ trong nháy kép "...", số và true/false không có nháy, tên mục trong [ ], '
                       "ghi chú sau dấu #",
                       f"fix line {self.number} ({_clip(self.text)}); each line is name = value: text in "
                       'double quotes "...", numbers and true/false without quotes, section names in [ ], '
                       "comments after #")
        else:
            hint = Msg('kiểm tra dấu nháy " và dấu ngoặc [ ] { } ở cuối tệp: mỗi dấu mở cần một dấu đóng',
                       'check the quotes " and brackets [ ] { } near the end: each opening needs a closing one')
        return ConfigError(message, file=str(self.source.path), field=field, hint=hint)


def _syntax_error(path: Path, text: str, exc: Exception) -> ConfigError:
    found = re.fullmatch(_TOML_WHERE, str(exc))
    what = found.group(1) if found else str(exc)
    number = int(found.group(2)) if found and found.group(2) else None
    column = int(found.group(3)) if found and found.group(3) else None
    return _Syntax(_Source(path, text), what, number, column).error(exc)


# ----------------------------------------------------------------------------- loading

_LAST_TOML: list[tuple[str, dict[str, Any]]] = []  # (text, parsed): early_lang, then load_settings


def _read_toml(path: Path) -> tuple[str, dict[str, Any]]:
    """The text and the parsed file, every failure a ConfigError in our words (tomllib is
    imported here: a command without docgen.toml, and ``--help``, never need it). The
    same text is parsed once (read-only result)."""
    import tomllib

    text = read_config_text(path)
    if not _LAST_TOML or _LAST_TOML[0][0] != text:
        try:
            parsed = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise _syntax_error(path, text, exc) from exc
        _LAST_TOML[:] = [(text, parsed)]
    return _LAST_TOML[0]


def _from_toml(path: Path) -> tuple[dict[str, Any], list[Msg]]:
    """Settings fields from docgen.toml, and the warnings about it."""
    text, data = _read_toml(path)
    reader = _Reader(_Source(path, text))
    values = reader.read(data)
    values["config_path"] = path
    return values, reader.warnings


def _bad_env_lang(raw: str, lang: str) -> Msg:
    """The warning for a DOCGEN_LANG other than vi/en (``lang``: the language used instead)."""
    used_vi, used_en = ("tiếng Anh", "English") if lang == "en" else ("tiếng Việt", "Vietnamese")
    return Msg(f"Cảnh báo: DOCGEN_LANG={raw} không phải ngôn ngữ docgen có nên bị bỏ qua (dùng {used_vi}); "
               "chỉ nhận DOCGEN_LANG=vi (tiếng Việt) hoặc DOCGEN_LANG=en (tiếng Anh)",
               f"Warning: DOCGEN_LANG={raw} is not a language docgen has, so it is ignored (using "
               f"{used_en}); the choices are DOCGEN_LANG=vi (Vietnamese) or DOCGEN_LANG=en (English)")


def _coerce(values: dict[str, Any]) -> dict[str, Any]:
    known = {f.name: f for f in fields(Settings)}
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key not in known or value is None:
            continue
        if key in _PATH_FIELDS:
            value = Path(value)
        out[key] = value
    return out


def load_settings(
    overrides: dict[str, Any] | None = None,
    environ: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> Settings:
    """Merge defaults, docgen.toml, DOCGEN_* variables and flags (in that order).

    Problems that do not stop docgen are in ``Settings.warnings`` (the CLI prints them).
    """
    env = dict(os.environ) if environ is None else environ
    overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
    here = cwd or Path.cwd()
    config_path = overrides.get("config_path") or env.get("DOCGEN_CONFIG")
    values: dict[str, Any] = {}
    warnings: list[Msg] = []
    if config_path:
        path = Path(config_path)
        if not path.is_file():
            raise ConfigError(
                Msg(f"không tìm thấy tệp cấu hình {path}", f"configuration file {path} not found"),
                file=str(path),
                hint=Msg("chỉ đúng đường dẫn với --config hoặc DOCGEN_CONFIG",
                         "give the right path with --config or DOCGEN_CONFIG"),
            )
        found, warned = _from_toml(path)
        values.update(found)
        warnings.extend(warned)
    elif (here / "docgen.toml").is_file():
        found, warned = _from_toml(here / "docgen.toml")
        values.update(found)
        warnings.extend(warned)
    else:
        values["profile_path"] = here / "profile.yaml"
        values["archive_root"] = here / "archive"
    env_lang = env.get("DOCGEN_LANG", "").strip().lower()  # as early_lang reads it
    if env_lang in LANGS:
        values["lang"] = env_lang
    for var, attr in _ENV.items():
        if env.get(var):
            values[attr] = env[var]
    values.update(overrides)
    if not values.get("user"):
        values["user"] = env.get("USER") or env.get("LOGNAME") or UNKNOWN_USER
    if env_lang and env_lang not in LANGS:
        used = str(values.get("lang", DEFAULT_LANG))
        warnings.append(_bad_env_lang(env["DOCGEN_LANG"], used))
    values["warnings"] = tuple(warnings)
    settings = Settings(**_coerce(values))
    if settings.lang not in LANGS:
        settings = replace(settings, lang="vi")
    return settings


# The root command's options that take a value (the ones before the command's name).
_VALUE_OPTIONS = ("--lang", "--config", "--archive")


def _root_options(args: list[str]) -> dict[str, str]:
    """``--lang``/``--config``/``--archive`` values given before the command's name."""
    found: dict[str, str] = {}
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--" or not arg.startswith("-"):
            break
        name, eq, value = arg.partition("=")
        if name in _VALUE_OPTIONS:
            if not eq:
                if i + 1 >= len(args):
                    break
                i += 1
                value = args[i]
            found[name] = value
        i += 1
    return found


def early_lang(args: list[str], environ: dict[str, str] | None = None,
               cwd: Path | None = None) -> str:
    """The language before the command line is parsed (for ``--help`` and click's
    own messages): ``--lang``, then DOCGEN_LANG, then ``lang`` in the docgen.toml that
    ``--config``, DOCGEN_CONFIG or the current folder gives, then Vietnamese.

    Never fails: a broken configuration is reported later, by ``load_settings``.
    """
    env = os.environ if environ is None else environ
    options = _root_options(args)
    if options.get("--lang") in LANGS:
        return options["--lang"]
    explicit = env.get("DOCGEN_LANG", "").strip().lower()
    if explicit in LANGS:
        return explicit
    config = options.get("--config") or env.get("DOCGEN_CONFIG")
    path = Path(config) if config else (cwd or Path.cwd()) / "docgen.toml"
    if not path.is_file():
        return DEFAULT_LANG
    try:
        _, data = _read_toml(path)
    except (ConfigError, OSError, ValueError):
        return DEFAULT_LANG
    section = data.get("docgen")
    value = section.get("lang") if isinstance(section, dict) else None
    lang = value.strip().lower() if isinstance(value, str) else ""
    return lang if lang in LANGS else DEFAULT_LANG
