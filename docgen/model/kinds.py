"""The document kinds, as the model sees them: the registry of docgen/kinds/.

``KINDS`` maps a kind's id to its ``Kind`` entry (``KindSpec`` is the same class); each
entry lives in its own module, docgen/kinds/<kind>.py.
"""

from __future__ import annotations

from docgen.kinds import KINDS, get_kind, kind_names
from docgen.kinds.base import COMMON_KEYS, MEETING_KEYS, MINUTES_KEYS, SIGNED_KEYS, Kind

KindSpec = Kind

__all__ = ["COMMON_KEYS", "KINDS", "MEETING_KEYS", "MINUTES_KEYS", "SIGNED_KEYS", "Kind", "KindSpec", "get_kind",
           "kind_names"]
