"""The command line's bad input: the command's usage and what was wrong, in Chinese and English,
nothing changed, and exit codes that mean something (0 done, 1 failed, 2 bad input)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def cli(*args: str, db: Path | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "KNOWLEDGE_DIR": str(ROOT / "knowledge"), **env}
    if db is not None:
        environment["DATABASE_URL"] = f"sqlite+aiosqlite:///{db}"
    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120, env=environment)


@pytest.fixture
def two_teams(tmp_path: Path) -> Path:
    db = tmp_path / "kefu.db"
    for telegram_id, team in ((11, "T1"), (12, "T2")):
        added = cli("roster", "add", "--telegram-id", str(telegram_id), "--name", f"客服{team}", "--role", "agent",
                    "--team", team, "--agent-id", f"A{telegram_id}", db=db)
        assert added.returncode == 0, added.stderr
    return db


def test_help_lists_the_exit_codes_and_version_answers() -> None:
    helped = cli("--help")
    assert helped.returncode == 0 and "exit codes" in helped.stdout and "2    输入或设置有误" in helped.stdout
    assert "backup" in helped.stdout and "restore" in helped.stdout
    version = cli("--version")
    assert version.returncode == 0 and version.stdout.startswith("kefu-assist ")


@pytest.mark.parametrize(("args", "said"), [
    (("--date", "2026-13-45"), "不是日期"),
    (("--date", "明天"), "YYYY-MM-DD"),
    (("--date", "2999-01-01"), "还没到"),  # a date in the future
    (("--team", "T9"), "没有团队 T9，名单上的团队: T1, T2"),
    (("--format", "png", "--out", "chart.png"), "--team 指定: T1, T2"),  # two teams: which one?
    (("--format", "png"), "--out"),
    (("--format", "pdf"), "invalid choice"),
])
def test_report_refuses_bad_input_with_its_usage(two_teams: Path, tmp_path: Path, args: tuple[str, ...],
                                                   said: str) -> None:
    done = cli("report", *args, db=two_teams)
    assert done.returncode == 2 and said in done.stderr and "usage:" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and done.stdout == "" and not (tmp_path / "chart.png").exists()


def test_a_chart_without_team_is_the_only_teams(tmp_path: Path) -> None:
    db = tmp_path / "kefu.db"
    assert cli("roster", "add", "--telegram-id", "7", "--name", "慧兰", "--role", "agent", "--team", "T1",
               "--agent-id", "A07", db=db).returncode == 0
    chart = tmp_path / "t1.png"
    done = cli("report", "--date", "2025-06-01", "--format", "png", "--out", str(chart), db=db)
    assert done.returncode == 0, done.stderr
    assert chart.read_bytes().startswith(b"\x89PNG")


def test_report_on_an_empty_roster_says_so(tmp_path: Path) -> None:
    done = cli("report", "--date", "2026-11-23", db=tmp_path / "kefu.db")
    assert done.returncode == 2 and "roster add" in done.stderr


def test_roster_list_of_an_unknown_team_names_the_teams(two_teams: Path) -> None:
    done = cli("roster", "list", "--team", "T9", db=two_teams)
    assert done.returncode == 2 and "T1, T2" in done.stderr


@pytest.mark.parametrize("url", ["nonsense", "mysql://u@h/db", "sqlite:///./x.db"])
def test_a_database_url_the_bot_cannot_use_is_refused(tmp_path: Path, url: str) -> None:
    argument = cli("migrate", "--database-url", url)
    assert argument.returncode == 2 and "usage:" in argument.stderr and "sqlite+aiosqlite" in argument.stderr
    setting = cli("migrate", DATABASE_URL=url)
    assert setting.returncode == 2 and "DATABASE_URL" in setting.stderr and "Traceback" not in setting.stderr


def test_a_bad_setting_is_a_clear_error_not_a_crash(tmp_path: Path) -> None:
    done = cli("run", db=tmp_path / "kefu.db", LOG_LEVEL="verbose")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "LOG_LEVEL" in done.stderr and "'DEBUG', 'INFO', 'WARNING', 'ERROR' or 'CRITICAL'" in done.stderr
    assert not (tmp_path / "kefu.db").exists()  # refused before anything was touched


def test_output_closed_early_stops_quietly() -> None:
    """``kefu check … | head -1``: the reader goes away; no traceback, exit 141 as a shell tool."""
    environment = {**os.environ, "KNOWLEDGE_DIR": str(ROOT / "knowledge")}
    process = subprocess.Popen([sys.executable, "-m", "bot", "check", *["我不知道"] * 2000],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=environment)
    assert process.stdout is not None and process.stderr is not None
    assert "不可发送" in process.stdout.readline().decode()
    process.stdout.close()
    errors = process.stderr.read().decode()
    assert process.wait(timeout=120) == 141
    assert "Traceback" not in errors


def test_a_database_out_of_reach_is_said_plainly() -> None:
    done = cli("roster", "list", DATABASE_URL="postgresql+asyncpg://nobody@127.0.0.1:1/none")
    assert done.returncode == 1 and "连不上" in done.stderr and "Traceback" not in done.stderr


def test_suggest_with_nothing_matching_says_so() -> None:
    done = cli("suggest", "哈哈哈")
    assert done.returncode == 1 and "没有找到" in done.stderr and not done.stdout


@pytest.mark.parametrize("args", [
    ("knowledge", "history", "--limit", "-3"), ("knowledge", "diff", "0"), ("suggest", "--limit", "0", "砍价"),
    ("local", "--port", "99999"), ("knowledge", "rollback", "x"),
])
def test_numbers_out_of_range_are_refused_with_the_usage(args: tuple[str, ...]) -> None:
    done = cli(*args)
    assert done.returncode == 2 and "usage:" in done.stderr and ("1" in done.stderr or "整数" in done.stderr)
