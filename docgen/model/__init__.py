"""Input model: chi bộ profile and roster, document kinds, Party arithmetic.

Public API: ``load_profile``, ``load_input``, ``parse_input``, ``DocumentInput``,
``KINDS`` / ``KindSpec``, and the modules ``roster`` and ``arithmetic``.

The names are loaded on first use (PEP 562): importing ``docgen.model.meta`` (what the
archive and search read) must not import jsonschema and the whole input model, so
``docgen search`` starts quickly.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from docgen.model import arithmetic, roster
    from docgen.model.arithmetic import MeetingFigures, VoteResult, vote_result
    from docgen.model.document import DocumentInput, load_input, parse_input
    from docgen.model.kinds import KINDS, KindSpec
    from docgen.model.profile import (
        PROFILE_SCHEMA,
        Member,
        Period,
        Profile,
        load_profile,
        parse_profile,
    )

_WHERE = {
    "MeetingFigures": "arithmetic", "VoteResult": "arithmetic", "vote_result": "arithmetic",
    "DocumentInput": "document", "load_input": "document", "parse_input": "document",
    "KINDS": "kinds", "KindSpec": "kinds",
    "PROFILE_SCHEMA": "profile", "Member": "profile", "Period": "profile", "Profile": "profile",
    "load_profile": "profile", "parse_profile": "profile",
}


def __getattr__(name: str) -> Any:
    if name in ("arithmetic", "roster"):
        return importlib.import_module(f"docgen.model.{name}")
    if name in _WHERE:
        value = getattr(importlib.import_module(f"docgen.model.{_WHERE[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'docgen.model' has no attribute {name!r}")


__all__ = [
    "KINDS",
    "PROFILE_SCHEMA",
    "DocumentInput",
    "KindSpec",
    "MeetingFigures",
    "Member",
    "Period",
    "Profile",
    "VoteResult",
    "arithmetic",
    "load_input",
    "load_profile",
    "parse_input",
    "parse_profile",
    "roster",
    "vote_result",
]
