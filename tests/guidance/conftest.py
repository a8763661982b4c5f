from __future__ import annotations

import shutil

import pytest

from digisafe.guidance.loader import CONTENT_DIR, load_guidance
from tests.guidance.sample import sample_report


@pytest.fixture(scope="session")
def guidance():
    return load_guidance()


@pytest.fixture
def report():
    return sample_report()


@pytest.fixture
def content_copy(tmp_path):
    """A private copy of the shipped content, to break in one place."""
    folder = tmp_path / "guidance"
    shutil.copytree(CONTENT_DIR, folder)
    return folder
