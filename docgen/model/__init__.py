"""Input model: chi bộ profile and roster, document kinds, Party arithmetic.

Public API: ``load_profile``, ``load_input``, ``parse_input``, ``DocumentInput``,
``KINDS`` / ``KindSpec``, and the modules ``roster`` and ``arithmetic``.
"""

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
