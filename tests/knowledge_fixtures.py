"""Fixtures over the shipped knowledge, loaded once per test session."""

from __future__ import annotations

import os
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


def edit_file(path: Path, old: str, new: str) -> int:
    """Replace ``old`` (once) and move the modification time on (a watch sees the change); the
    line ``old`` was on."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000))
    return text[:text.index(old)].count("\n") + 1
