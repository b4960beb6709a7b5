"""Fixtures over the shipped knowledge, loaded once per test session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.checker.engine import Checker
from bot.knowledge.store import LoadedKnowledge

KNOWLEDGE_DIR = Path(__file__).resolve().parents[1] / "knowledge"


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    """A copy of the shipped knowledge a test may edit."""
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, target)
    return target


@pytest.fixture(scope="session")
def loaded() -> LoadedKnowledge:
    return LoadedKnowledge.from_directory(KNOWLEDGE_DIR)


@pytest.fixture(scope="session")
def checker(loaded: LoadedKnowledge) -> Checker:
    return loaded.checker
