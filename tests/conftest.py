"""Shared fixtures: the shipped knowledge, real SQLite files and (when reachable) PostgreSQL."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.knowledge_fixtures import checker, loaded  # noqa: F401  (fixtures)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'kefu.db'}"


@pytest.fixture
def postgres_url() -> str:
    url = os.environ.get("KEFU_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("PostgreSQL not reachable (KEFU_TEST_POSTGRES_URL unset)")
    return url
