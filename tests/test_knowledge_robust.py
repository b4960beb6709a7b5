"""Broken knowledge files never crash or exhaust the bot: refused fast with file:line, the last
good knowledge kept, the admins told once per change, a start falls back on the last good version."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.knowledge.cache import CompiledCache
from bot.knowledge.problems import KnowledgeError, Problem
from bot.knowledge.store import LoadedKnowledge
from bot.knowledge.yamlnodes import read_yaml
from bot.roster.roles import Role
from tests.bot_harness import BotHarness
from tests.knowledge_fixtures import edit_file

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)  # 10:00 in the shop: nothing here depends on today
ADMIN = 9001
WATCH = "knowledge:watch"

BILLION_LAUGHS = 'l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + "".join(
    f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]\n" for n in range(1, 10))




def _problems(directory: Path) -> list[Problem]:
    with pytest.raises(KnowledgeError) as error:
        LoadedKnowledge.from_directory(directory, CompiledCache(None))
    return error.value.problems


# -- reading a file -------------------------------------------------------------------------

def test_a_billion_laughs_file_is_refused_fast_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "laughs.yaml"
    path.write_text(BILLION_LAUGHS, encoding="utf-8")
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with pytest.raises(Problem) as problem:
        read_yaml(path, "rules/laughs.yaml")
    assert time.perf_counter() - started < 1.0
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before < 50 * 1024  # KB: no expansion
    assert problem.value.file == "rules/laughs.yaml" and problem.value.line is not None
    assert "别名" in problem.value.message


@pytest.mark.parametrize("text", [
    "a: &a [x]\nb: [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n",  # more aliases than allowed
    "a: &a [*a]\n",  # an anchor inside itself
    "a: " + "[" * 40 + "]" * 40 + "\n",  # nested past the limit
])
def test_aliases_and_nesting_are_bounded(tmp_path: Path, text: str) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(Problem) as problem:
        read_yaml(path, "x.yaml")
    assert problem.value.line == 1


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 1024 * 1024 + "\n", encoding="utf-8")  # a MB: 150 times the largest file
    with pytest.raises(Problem) as problem:
        read_yaml(path, "big.yaml")
    assert "文件太大" in problem.value.message


def test_an_oversized_knowledge_file_is_never_read_whole(knowledge_copy: Path, tmp_path: Path) -> None:
    from bot.knowledge.snapshot import Snapshot

    (knowledge_copy / "rules" / "big.yaml").write_text("rules: []\n" + "#" * 1024 * 1024 + "\n", encoding="utf-8")
    with pytest.raises(KnowledgeError) as error:  # through the cache, which keys entries by content
        LoadedKnowledge.from_directory(knowledge_copy, CompiledCache(tmp_path / "cache"))
    assert [(p.file, "文件太大" in p.message) for p in error.value.problems] == [("rules/big.yaml", True)]
    assert len(Snapshot.read(knowledge_copy).files["rules/big.yaml"]) < 100  # what the history would compare


@pytest.mark.parametrize(("value", "words"), [
    ("8:30", "六十进制数 510"),
    ("0571", "数字 377"),
    (".inf", "无穷大"),
    ("0x1F", "数字 31"),
    ("!!int abc", "不是可用的数字"),
])
def test_a_number_nobody_meant_is_a_problem_at_its_line(tmp_path: Path, value: str, words: str) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(f"# comment\na: {value}\n", encoding="utf-8")
    with pytest.raises(Problem) as problem:
        read_yaml(path, "x.yaml")
    assert (problem.value.file, problem.value.line) == ("x.yaml", 2)
    assert words in problem.value.message and "请加引号" in problem.value.message


def test_plain_numbers_and_quoted_text_still_read(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text('a: 12\nb: -3\nc: 1.5\nd: "8:30"\ne: "0571"\n', encoding="utf-8")
    assert read_yaml(path, "x.yaml") == {"a": 12, "b": -3, "c": 1.5, "d": "8:30", "e": "0571"}


# -- a knowledge directory ------------------------------------------------------------------

@pytest.mark.parametrize(("file", "old", "new", "words"), [
    ("shifts.yaml", 'start: "08:30"', "start: 8:30", "六十进制数 510"),
    ("rules/rude.yaml", "phrases: [", "phrases: [0571, ", "数字 377"),
    ("rules/rude.yaml", "phrases: [", "phrases: [.inf, ", "无穷大"),
    ("scenarios.yaml", "title: 快递三天没到", "title: .inf", "无穷大"),
])
def test_conversion_failures_are_file_line_problems(knowledge_copy: Path, file: str, old: str, new: str,
                                                    words: str) -> None:
    line = edit_file(knowledge_copy / file, old, new)
    (problem,) = _problems(knowledge_copy)
    assert (problem.file, problem.line) == (file, line) and words in problem.message


@pytest.mark.parametrize("value", ["[a, [b]]", "{x: 1}", "[]"])
def test_a_detector_that_is_not_text_is_a_problem(knowledge_copy: Path, value: str) -> None:
    line = edit_file(knowledge_copy / "rules" / "privacy.yaml", "detector: mobile_number", f"detector: {value}")
    assert any(p.file == "rules/privacy.yaml" and p.line == line for p in _problems(knowledge_copy))


def test_a_broken_shifts_or_scenarios_file_is_never_cached_as_good(knowledge_copy: Path, tmp_path: Path) -> None:
    cache = CompiledCache(tmp_path / "cache")
    edit_file(knowledge_copy / "shifts.yaml", 'start: "08:30"', "start: 8:30")
    edit_file(knowledge_copy / "scenarios.yaml", "title: 快递三天没到", "title: 0571")
    for _ in range(2):  # the second time too: nothing was cached
        with pytest.raises(KnowledgeError) as error:
            LoadedKnowledge.from_directory(knowledge_copy, cache)
        assert {p.file for p in error.value.problems} == {"shifts.yaml", "scenarios.yaml"}
    assert not list((tmp_path / "cache").glob("*.pickle"))


def _cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120, env={**os.environ, **env})


def test_knowledge_check_validates_shifts_and_scenarios(knowledge_copy: Path) -> None:
    shift_line = edit_file(knowledge_copy / "shifts.yaml", 'start: "08:30"', "start: 8:30")
    scenario_line = edit_file(knowledge_copy / "scenarios.yaml", "title: 快递三天没到", "title: 0571")
    done = _cli("knowledge", "check", str(knowledge_copy))
    assert done.returncode == 2, done.stdout
    assert f"shifts.yaml:{shift_line}:" in done.stderr and f"scenarios.yaml:{scenario_line}:" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_start_on_broken_files_with_no_good_version_names_the_line(knowledge_copy: Path, tmp_path: Path) -> None:
    line = edit_file(knowledge_copy / "shifts.yaml", 'start: "08:30"', "start: 8:30")
    done = _cli("report", "--date", "2026-11-23", "--format", "json",
                DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'kefu.db'}", KNOWLEDGE_DIR=str(knowledge_copy),
                TELEGRAM_BOT_TOKEN="")
    assert done.returncode == 2
    assert f"shifts.yaml:{line}:" in done.stderr and "Traceback" not in done.stderr


# -- the bot --------------------------------------------------------------------------------

@pytest.fixture
async def bot(sqlite_url: str, knowledge_copy: Path) -> AsyncIterator[BotHarness]:
    harness = await BotHarness.start(sqlite_url, knowledge_dir=knowledge_copy, knowledge_watch_seconds=3600,
                                     clock=lambda: NOW)
    await harness.add(ADMIN, "老板", Role.ADMIN)
    yield harness
    await harness.stop()


@pytest.mark.parametrize(("file", "old", "new"), [
    ("shifts.yaml", 'start: "08:30"', "start: 8:30"),
    ("rules/rude.yaml", "phrases: [", "phrases: [0571, "),
    ("rules/rude.yaml", "phrases: [", "phrases: [.inf, "),
])
async def test_reload_answers_the_problem_and_keeps_the_last_good_knowledge(
        bot: BotHarness, knowledge_copy: Path, file: str, old: str, new: str) -> None:
    shifts = bot.services.handoffs.shifts
    line = edit_file(knowledge_copy / file, old, new)
    await bot.send(ADMIN, "/reload")
    reply = bot.api.last(ADMIN).text
    assert "继续使用上一个正确的版本" in reply and f"{file}:{line}" in reply
    assert bot.services.handoffs.shifts is shifts  # one version is every file: nothing half-reloaded
    assert bot.services.knowledge.current.checker.check("这款我们不补货了").flags


async def test_the_watch_tells_the_admins_once_per_change(bot: BotHarness, knowledge_copy: Path) -> None:
    before = len(bot.api.calls)
    line = edit_file(knowledge_copy / "shifts.yaml", 'start: "08:30"', "start: 8:30")
    for _ in range(3):  # three intervals of the watch
        await bot.run_job(WATCH)
    told = [c for c in bot.api.calls[before:] if c.chat_id == ADMIN]
    assert len(told) == 1 and f"shifts.yaml:{line}" in told[0].text and "8:30" in told[0].text
    edit_file(knowledge_copy / "shifts.yaml", "start: 8:30", "start: 8:31")  # a second change: told again
    for _ in range(2):
        await bot.run_job(WATCH)
    assert len([c for c in bot.api.calls[before:] if c.chat_id == ADMIN]) == 2


async def test_the_watch_tells_once_when_a_reload_fails_unexpectedly(
        bot: BotHarness, knowledge_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    async def away(*args: object, **kwargs: object) -> None:
        raise ConnectionError("database away")

    monkeypatch.setattr(bot.services.keeper, "sync", away)
    before = len(bot.api.calls)
    edit_file(knowledge_copy / "rules" / "rude.yaml", "phrases: [", "phrases: [新词, ")
    for _ in range(3):
        await bot.run_job(WATCH)
    told = [c for c in bot.api.calls[before:] if c.chat_id == ADMIN]
    assert len(told) == 1 and "database away" in told[0].text and "Traceback" not in told[0].text


async def test_a_start_on_broken_files_runs_on_the_last_good_version(sqlite_url: str, knowledge_copy: Path) -> None:
    first = await BotHarness.start(sqlite_url, knowledge_dir=knowledge_copy, clock=lambda: NOW)
    await first.add(ADMIN, "老板", Role.ADMIN)
    await first.stop()  # its start recorded the files as version 1
    line = edit_file(knowledge_copy / "shifts.yaml", 'start: "08:30"', "start: 8:30")
    again = await BotHarness.start(sqlite_url, knowledge_dir=knowledge_copy, clock=lambda: NOW)
    try:
        assert [str(p) for p in again.services.knowledge.problems] and \
            again.services.knowledge.problems[0].line == line
        assert again.services.handoffs.shifts.of("T1").shifts[0].start.strftime("%H:%M") == "08:30"
        told = [c for c in again.api.calls if c.chat_id == ADMIN]
        assert len(told) == 1 and f"shifts.yaml:{line}" in told[0].text
        await again.send(ADMIN, "/reload")  # still broken: the problem again, nothing else changes
        assert f"shifts.yaml:{line}" in again.api.last(ADMIN).text
    finally:
        await again.stop()
