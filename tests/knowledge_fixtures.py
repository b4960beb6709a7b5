"""Fixtures over the shipped knowledge, loaded once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.checker.engine import Checker
from bot.knowledge.store import LoadedKnowledge

KNOWLEDGE_DIR = Path(__file__).resolve().parents[1] / "knowledge"


@pytest.fixture(scope="session")
def loaded() -> LoadedKnowledge:
    return LoadedKnowledge.from_directory(KNOWLEDGE_DIR)


@pytest.fixture(scope="session")
def checker(loaded: LoadedKnowledge) -> Checker:
    return loaded.checker
