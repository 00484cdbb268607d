"""A programmatic roster for the model tests and the path of the shipped examples."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docgen.model import Profile, parse_profile

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def roster_data(official: int, probationary: int, extra: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    members: list[dict[str, Any]] = []
    for i in range(1, official + 1):
        members.append({"id": f"o{i:02d}", "name": f"Chính Thức {i}", "admitted": "2000-01-01",
                        "official": "2001-01-01"})
    for i in range(1, probationary + 1):
        members.append({"id": f"p{i:02d}", "name": f"Dự Bị {i}", "admitted": "2025-12-01", "official": None})
    members.extend(extra or [])
    return {
        "cell": {"name": "Chi bộ thôn Thử", "superior": "Đảng bộ xã Thử", "place": "Thử", "symbol": "CB"},
        "officers": {"bi_thu": "o01"},
        "members": members,
    }


def make_profile(official: int, probationary: int, extra: list[dict[str, Any]] | None = None) -> Profile:
    return parse_profile(roster_data(official, probationary, extra), "test-profile.yaml")
