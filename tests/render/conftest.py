"""Fixtures for the render tests."""

from __future__ import annotations

import pytest

from docgen.config import Settings
from docgen.model import Profile, load_profile

from .support import EXAMPLES


@pytest.fixture
def settings() -> Settings:
    return Settings(profile_path=EXAMPLES / "profile.yaml")


@pytest.fixture(scope="session")
def profile() -> Profile:
    return load_profile(EXAMPLES / "profile.yaml")
