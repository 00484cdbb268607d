"""Fixtures for the tests of the kinds (docgen/kinds/): the example profile and settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen.config import Settings
from docgen.model import Profile, load_profile

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def settings() -> Settings:
    return Settings(profile_path=EXAMPLES / "profile.yaml")


@pytest.fixture(scope="session")
def profile() -> Profile:
    return load_profile(EXAMPLES / "profile.yaml")
