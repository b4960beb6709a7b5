"""Admin flows end to end: the roster, reloading knowledge, and the error handler."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.roster.roles import Role
from bot.texts import t
from tests.bot_harness import KNOWLEDGE, BotHarness

ADMIN, AGENT = 9001, 1001


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(KNOWLEDGE, tmp_path / "knowledge"))


@pytest.fixture
async def bot(sqlite_url: str, knowledge_copy: Path) -> AsyncIterator[BotHarness]:
    harness = await BotHarness.start(sqlite_url, knowledge_dir=knowledge_copy, knowledge_watch_seconds=0.2)
    await harness.add(ADMIN, "老板", Role.ADMIN)
    await harness.add(AGENT, "慧兰", agent_id="A07")
    yield harness
    await harness.stop()


def _break(path: Path, entry: str = "  - {id: broken.01}") -> int:
    """Append an entry with no text (a mistake a supervisor makes); return its line number."""
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, entry]) + "\n", encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10_000_000))
    return len(lines) + 1


async def test_reload_with_a_broken_file_keeps_the_last_good_knowledge(bot: BotHarness, knowledge_copy: Path) -> None:
    greeting = knowledge_copy / "phrasings" / "greeting.yaml"
    original = greeting.read_text(encoding="utf-8")
    line = _break(greeting)
    await bot.send(ADMIN, "/reload")
    reply = bot.api.last(ADMIN).text
    assert "继续使用上一个正确的版本" in reply and "greeting.yaml" in reply and f":{line}" in reply
    await bot.send(AGENT, "这款我们不补货了")
    assert "工厂不再生产了" in bot.api.last(AGENT).text  # the checker still runs on the last good version
    greeting.write_text(original, encoding="utf-8")
    await bot.send(ADMIN, "/reload")
    assert bot.api.last(ADMIN).text.startswith("✅ 知识库已重新加载")


async def test_a_changed_file_is_reloaded_and_the_admin_told(bot: BotHarness, knowledge_copy: Path) -> None:
    line = _break(knowledge_copy / "rules" / "rude.yaml")
    told = await bot.wait_for(lambda c: c.chat_id == ADMIN and "rude.yaml" in c.text, timeout=5)
    assert f":{line}" in told.text


async def test_reload_and_roster_are_for_admins(bot: BotHarness) -> None:
    await bot.send(AGENT, "/reload")
    assert bot.api.last(AGENT).text == t("access.denied", command="reload", needed="管理员", role="客服")
    await bot.send(ADMIN, "/roster")
    listing = bot.api.last(ADMIN).text
    assert "2 人" in listing and "慧兰 (A07)" in listing and "老板" in listing


async def test_a_fault_is_logged_the_user_told_and_the_admins_get_the_trace(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(bot.services.drafts, "check", broken)
    await bot.send(AGENT, "亲，稍等")
    assert bot.api.last(AGENT).text == t("error.user")
    admin = bot.api.last(ADMIN).text
    assert "机器人出错" in admin and "disk on fire" in admin and len(admin) <= 4096
    assert any("disk on fire" in str(r.exc_info) for r in caplog.records if r.exc_info)
