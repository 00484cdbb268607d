"""The dated, immutable archive: store, layout, checksums, numbering, lock, audit, bundles.

See docs/archive.md for the on-disk layout and every meta.json field.

The names are loaded on first use (PEP 562), so reading the archive (``docgen search``,
``docgen list``) does not import the bundle and verify code.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from docgen.archive.bundle import ImportReport
    from docgen.archive.ids import check_id
    from docgen.archive.store import Archive
    from docgen.archive.verify import Problem, VerifyReport

_WHERE = {"ImportReport": "bundle", "check_id": "ids", "Archive": "store", "Problem": "verify",
          "VerifyReport": "verify"}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(importlib.import_module(f"docgen.archive.{_WHERE[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'docgen.archive' has no attribute {name!r}")


__all__ = ["Archive", "ImportReport", "Problem", "VerifyReport", "check_id"]
