"""CLI commands of this area. Filled in by the area's issue."""

from __future__ import annotations

import click


def register(main: click.Group) -> None:
    """Add this area's commands to main."""
    del main
