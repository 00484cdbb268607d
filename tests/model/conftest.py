"""Fixtures for the model tests."""

from __future__ import annotations

import pytest

from docgen.config import Settings
from docgen.model import Profile, load_profile

from .rosters import EXAMPLES


@pytest.fixture
def example_profile() -> Profile:
    return load_profile(EXAMPLES / "profile.yaml")


@pytest.fixture
def settings() -> Settings:
    return Settings(profile_path=EXAMPLES / "profile.yaml")
