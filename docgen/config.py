"""Settings: command-line flag > DOCGEN_* environment > docgen.toml > defaults.

This is the only module that reads the environment. The language is Vietnamese unless
``--lang en``, ``DOCGEN_LANG=en`` or ``lang = "en"`` in docgen.toml says otherwise; the
system locale (LANG, LC_ALL) never changes it. ``early_lang`` finds it before the
command line is parsed, so that ``--help`` is written in it too.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from docgen.errors import ConfigError
from docgen.i18n import DEFAULT_LANG, LANGS, Msg, lang_from_env
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
    soffice: str = "soffice"
    convert_timeout: float = 60.0
    user: str = ""

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


def _bad_config(path: Path, key: str, detail: str) -> ConfigError:
    return ConfigError(
        Msg(f"cấu hình không hợp lệ: {detail}", f"invalid configuration: {detail}"),
        file=str(path),
        field=key,
        hint=Msg(
            "sửa giá trị trong docgen.toml (xem README, mục Cấu hình)",
            "fix the value in docgen.toml (see README, section Configuration)",
        ),
    )


def _toml_lang(path: Path, value: object) -> str:
    lang = str(value).strip().lower()
    if lang not in LANGS:
        raise ConfigError(
            Msg(f"ngôn ngữ lang = {value!r} không có; chỉ nhận \"vi\" (tiếng Việt) hoặc \"en\"",
                f"there is no language lang = {value!r}; only \"vi\" or \"en\""),
            file=str(path), field="docgen.lang",
            hint=Msg('sửa thành lang = "vi" hoặc lang = "en" (hoặc bỏ dòng đó)',
                     'write lang = "vi" or lang = "en" (or remove the line)'))
    return lang


_LAST_TOML: list[tuple[str, dict[str, Any]]] = []  # (text, parsed): early_lang, then load_settings


def _read_toml(path: Path) -> dict[str, Any]:
    """The parsed file (tomllib is imported here: a command without docgen.toml, and
    ``--help``, never need it). The same text is parsed once (read-only result)."""
    import tomllib

    text = path.read_text("utf-8")
    if not _LAST_TOML or _LAST_TOML[0][0] != text:
        _LAST_TOML[:] = [(text, tomllib.loads(text))]
    return _LAST_TOML[0][1]


def _from_toml(path: Path) -> dict[str, Any]:
    import tomllib

    try:
        data = _read_toml(path)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(
            Msg(f"không đọc được tệp cấu hình: {exc}", f"cannot read the configuration file: {exc}"),
            file=str(path),
            hint=Msg("kiểm tra cú pháp TOML của tệp", "check the file's TOML syntax"),
        ) from exc
    base = path.parent
    values: dict[str, Any] = {"config_path": path}
    section = data.get("docgen", {})
    simple = {
        "lang": "lang", "profile": "profile_path", "archive": "archive_root",
        "index": "index_dir", "aliases": "aliases_file", "templates": "templates_dir", "user": "user",
        "numbering_per_year": "numbering_per_year", "soffice": "soffice",
        "convert_timeout": "convert_timeout",
        "min_meeting_minutes": "min_meeting_minutes",
        "min_combined_meeting_minutes": "min_combined_meeting_minutes",
    }
    for key, attr in simple.items():
        if key in section:
            values[attr] = section[key]
    if "lang" in values:
        values["lang"] = _toml_lang(path, values["lang"])
    fmt = data.get("format", {})
    if "margins_mm" in fmt:
        m = fmt["margins_mm"]
        try:
            values["margins"] = Margins(**{k: float(v) for k, v in m.items()})
        except (TypeError, ValueError) as exc:
            raise _bad_config(path, "format.margins_mm", "cần top, bottom, left, right (mm)") from exc
    labels = data.get("labels", {})
    for key, attr in (("minutes_left", "minutes_left_label"), ("minutes_right", "minutes_right_label"),
                      ("authority", "authority_label")):
        if key in labels:
            values[attr] = str(labels[key])
    templates = data.get("templates", {})
    if templates:
        values["template_overrides"] = {k: base / v for k, v in templates.items()}
    for attr in _PATH_FIELDS - {"config_path"}:
        if attr in values:
            values[attr] = base / values[attr]
    return values


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
    """Merge defaults, docgen.toml, DOCGEN_* variables and flags (in that order)."""
    env = dict(os.environ) if environ is None else environ
    overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
    here = cwd or Path.cwd()
    config_path = overrides.get("config_path") or env.get("DOCGEN_CONFIG")
    values: dict[str, Any] = {}
    if config_path:
        path = Path(config_path)
        if not path.is_file():
            raise ConfigError(
                Msg(f"không tìm thấy tệp cấu hình {path}", f"configuration file {path} not found"),
                file=str(path),
                hint=Msg("chỉ đúng đường dẫn với --config hoặc DOCGEN_CONFIG",
                         "give the right path with --config or DOCGEN_CONFIG"),
            )
        values.update(_from_toml(path))
    elif (here / "docgen.toml").is_file():
        values.update(_from_toml(here / "docgen.toml"))
    else:
        values["profile_path"] = here / "profile.yaml"
        values["archive_root"] = here / "archive"
    if env.get("DOCGEN_LANG", "").strip().lower() in LANGS:
        values["lang"] = lang_from_env(env)
    for var, attr in _ENV.items():
        if env.get(var):
            values[attr] = env[var]
    values.update(overrides)
    if not values.get("user"):
        values["user"] = env.get("USER") or env.get("LOGNAME") or UNKNOWN_USER
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
    import tomllib

    try:
        data = _read_toml(path)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return DEFAULT_LANG
    section = data.get("docgen")
    lang = str(section.get("lang", "")).strip().lower() if isinstance(section, dict) else ""
    return lang if lang in LANGS else DEFAULT_LANG
