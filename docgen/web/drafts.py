"""Papers being written in the browser, saved on the server as the user types.

A draft belongs to a cell (every writer of the cell sees it on the cell's home page) and
remembers who last saved it. Kept as one JSON file a draft under
``<archive>/.docgen/web/drafts/<cell id>/<draft id>.json``, written atomically: a closed
browser or a stopped server loses nothing but the last keystrokes before a save. A draft
is deleted when its paper is filed. Drafts are not papers: search, lists and books never
see them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen.fsio import write_text_atomic

DRAFTS_DIR = Path(".docgen") / "web" / "drafts"
DRAFT_ID = re.compile(r"^[0-9a-f]{16}$")
MAX_DRAFT_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Draft:
    id: str
    cell: str  # cell id
    kind: str
    fields: list[tuple[str, str]]  # the form's fields as posted (docgen.authoring.webform)
    saved_at: str
    saved_by: str
    amends: str | None = None  # the archived document this draft amends, if any
    title: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "cell": self.cell, "kind": self.kind,
                "fields": [list(p) for p in self.fields], "saved_at": self.saved_at,
                "saved_by": self.saved_by, "amends": self.amends, "title": self.title,
                "extra": self.extra}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Draft:
        return cls(str(data["id"]), str(data["cell"]), str(data["kind"]),
                   [(str(k), str(v)) for k, v in data.get("fields") or []],
                   str(data.get("saved_at") or ""), str(data.get("saved_by") or ""),
                   data.get("amends"), str(data.get("title") or ""), dict(data.get("extra") or {}))


class DraftTooLarge(ValueError):
    """A draft over MAX_DRAFT_BYTES (the form is limited; this is a hostile post)."""


class Drafts:
    """The drafts of the archive at ``root``."""

    def __init__(self, root: Path) -> None:
        self.folder = Path(root) / DRAFTS_DIR

    def _path(self, cell: str, draft_id: str) -> Path | None:
        if not DRAFT_ID.match(draft_id) or not re.match(r"^[a-z0-9-]{1,40}$", cell):
            return None
        return self.folder / cell / f"{draft_id}.json"

    @staticmethod
    def new_id() -> str:
        return secrets.token_hex(8)

    def save(self, draft: Draft) -> Draft:
        path = self._path(draft.cell, draft.id)
        if path is None:
            raise ValueError(f"bad draft id {draft.id!r} / cell {draft.cell!r}")
        text = json.dumps(draft.to_json(), ensure_ascii=False)
        if len(text.encode("utf-8")) > MAX_DRAFT_BYTES:
            raise DraftTooLarge(draft.id)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, text)
        return draft

    def get(self, cell: str, draft_id: str) -> Draft | None:
        path = self._path(cell, draft_id)
        if path is None:
            return None
        try:
            return Draft.from_json(json.loads(path.read_text(encoding="utf-8")))
        except (FileNotFoundError, ValueError, KeyError, TypeError):
            return None

    def of_cell(self, cell: str) -> list[Draft]:
        """The cell's drafts, the most recently saved first."""
        folder = self.folder / cell
        if not re.match(r"^[a-z0-9-]{1,40}$", cell) or not folder.is_dir():
            return []
        found = [self.get(cell, p.stem) for p in folder.glob("*.json")]
        return sorted((d for d in found if d is not None), key=lambda d: d.saved_at, reverse=True)

    def delete(self, cell: str, draft_id: str) -> None:
        path = self._path(cell, draft_id)
        if path is not None:
            path.unlink(missing_ok=True)


def now_text() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
