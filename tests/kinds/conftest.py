"""Fixtures for the tests of the kinds (docgen/kinds/): the example profile and settings."""

from __future__ import annotations

import pytest

from docgen.config import Settings
from docgen.model import Profile, load_profile

from .support import PROFILE


@pytest.fixture
def settings() -> Settings:
    return Settings(profile_path=PROFILE)


@pytest.fixture(scope="session")
def profile() -> Profile:
    return load_profile(PROFILE)
