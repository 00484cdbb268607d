"""meta.json records: building them and turning them into ``ArchivedDoc`` views."""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import docgen
from docgen.model.meta import ArchivedDoc, DocMeta

FORMAT = "docgen-archive/1"
META_FILE = "meta.json"
INPUT_FILE = "input.yaml"
TEXT_FILE = "content.txt"
CACHE_DIR = "cache"
STATUSES = ("current", "withdrawn")


def plain(value: Any) -> Any:
    """``value`` with only YAML/JSON-safe types (dates kept, unknown types as text)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool | dt.date):
        return value
    return str(value)


def input_yaml(data: dict[str, Any]) -> bytes:
    """The filed input as YAML that docgen reads back to the same values (YAML 1.2 core:
    a text such as the id "503750e460" is written in quotes, since unquoted it is a number
    there, though PyYAML's YAML 1.1 dumper would leave it bare)."""
    text = _yaml_dump(plain(data))
    return text.encode("utf-8")


@lru_cache(maxsize=1)
def _dumper() -> Any:
    import yaml  # here: reading the archive (every search) never needs it

    from docgen.model.files import reads_as_text

    base = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml: ~20× faster

    class Dumper(base):  # type: ignore[misc, valid-type]
        pass

    def text(dumper: Any, value: str) -> Any:
        quoted = bool(value) and "\n" not in value and not reads_as_text(value)
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"' if quoted else None)

    Dumper.add_representer(str, text)
    return Dumper


def _yaml_dump(data: Any) -> str:
    import yaml

    return str(yaml.dump(data, Dumper=_dumper(), allow_unicode=True, sort_keys=False))


def meta_json(record: dict[str, Any]) -> bytes:
    return (json.dumps(record, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def build_record(
    *, doc_id: str, version: int, meta: DocMeta, series: str, docx_name: str,
    files: dict[str, str], template_sha256: str, created_at: str, created_by: str,
    event: str, status: str, reason: str | None, history: list[dict[str, Any]],
    relpath: str,
) -> dict[str, Any]:
    """The meta.json content of one version (fields documented in docs/archive.md)."""
    record: dict[str, Any] = {"format": FORMAT, "id": doc_id, "version": version,
                              "status": status, "event": event}
    record.update(meta.to_json())
    record.update({
        "series": series,
        "docx": docx_name,
        "files": dict(sorted(files.items())),
        "template_sha256": template_sha256,
        "docgen_version": docgen.__version__,
        "created_at": created_at,
        "created_by": created_by,
        "reason": reason,
    })
    entry = {"version": version, "folder": relpath, "event": event, "status": status,
             "created_at": created_at, "created_by": created_by,
             "docx_sha256": files[docx_name]}
    record["versions"] = [*history, entry]
    return record


def meta_of(record: dict[str, Any]) -> DocMeta:
    return DocMeta.from_json(record)


def archived(root: Path, relpath: str, record: dict[str, Any], text: str = "") -> ArchivedDoc:
    folder = root / relpath
    printed = record.get("print")
    files = record["files"]
    prints = isinstance(printed, str) and printed in files and "/" not in printed
    return ArchivedDoc(
        id=record["id"], meta=meta_of(record), version=int(record["version"]),
        status=record.get("status", "current"), folder=folder,
        docx_path=folder / record["docx"], docx_sha256=files[record["docx"]],
        created_at=record.get("created_at", ""), created_by=record.get("created_by", ""),
        text=text, print_path=folder / str(printed) if prints else None,
        print_sha256=str(files[printed]) if prints else "",
    )
