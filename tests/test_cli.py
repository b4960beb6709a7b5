"""The command line as a supervisor runs it: real processes, real knowledge."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from bot.checker.engine import Checker
from bot.cli.check import jsonl_line
from tests.processes import free_port, wait_for_json

ROOT = Path(__file__).resolve().parents[1]


def _bot(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
        cwd=ROOT, timeout=120, env=env,
    )


def test_check_jsonl_writes_one_object_per_line_in_order() -> None:
    drafts = ["這*不*是 我們的 問題", "亲，您好，很高兴为您服务", "", "你好，但是颜色偏深一点"]
    done = _bot("check", "--jsonl", stdin="\n".join(drafts) + "\n")
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["text"] for line in lines] == drafts
    assert [line["verdict"] for line in lines] == ["block", "ok", "ok", "warn"]
    for line in lines:
        assert set(line) == {"text", "verdict", "flags", "rewrite"}
        for flag in line["flags"]:
            assert set(flag) == {"rule", "severity", "start", "end", "matched", "reason", "suggestions",
                                 "source", "probability", "sure"}
            assert line["text"][flag["start"] : flag["end"]] == flag["matched"]
            assert flag["suggestions"] and all(isinstance(s, str) for s in flag["suggestions"])
    assert lines[1]["rewrite"] is None and lines[3]["rewrite"] == "您好，不过颜色偏深一点"


@pytest.mark.parametrize(
    "draft",
    ["亲，在的", "", "引号\"反斜杠\\ 制表\t 控制\x01 表情😀 \u2028", "這不是我們的問題", "你好，但是没货了"],
)
def test_a_jsonl_line_is_the_encoded_check_result(checker: Checker, draft: str) -> None:
    result = checker.check(draft)
    line = jsonl_line(result)
    assert line == json.dumps(result.to_json(), ensure_ascii=False, separators=(", ", ": "))
    assert json.loads(line)["text"] == draft


def test_check_imports_no_bot_or_database_libraries() -> None:
    heavy = ("telegram", "sqlalchemy", "matplotlib", "numpy", "pydantic", "aiohttp", "asyncio", "yaml")
    for _ in range(2):  # the second start finds the compiled knowledge cached: no YAML read either
        done = subprocess.run([sys.executable, "-X", "importtime", "-m", "bot", "check", "亲，在的"],
                              capture_output=True, text=True, cwd=ROOT, timeout=120)
    imported = {line.split("|")[-1].strip().split(".")[0] for line in done.stderr.splitlines()}
    assert done.returncode == 0 and not imported & set(heavy), imported & set(heavy)


def test_check_prints_a_readable_verdict() -> None:
    done = _bot("check", "我们不补货了")
    assert done.returncode == 1  # something must not be sent
    assert "不可发送" in done.stdout and "工厂不再生产了" in done.stdout


def test_check_without_a_draft_explains_itself() -> None:
    done = _bot("check")
    assert done.returncode == 2 and "--jsonl" in done.stderr


def test_suggest_ranks_phrasings_for_the_situation() -> None:
    done = _bot("suggest", "客户说快递三天没到很生气")
    assert done.returncode == 0, done.stderr
    first = done.stdout.splitlines()[0]
    assert "快递" in first or "物流" in first


def test_suggest_rejects_an_unknown_kind() -> None:
    done = _bot("suggest", "--kind", "nonsense", "砍价")
    assert done.returncode == 2 and "unknown kind" in done.stderr


def test_run_without_a_token_starts_local_mode(tmp_path: Path) -> None:
    port = free_port()
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/data/kefu.db",
           "HOME": str(tmp_path), "LOCAL_PORT": str(port), "TELEGRAM_BOT_TOKEN": ""}
    process = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        people = wait_for_json(f"http://127.0.0.1:{port}/api/people")
        assert people and {p["role"] for p in people} == {"agent", "supervisor", "team_lead", "admin"}
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as res:
            assert "客服助手 · 本地模式" in res.read().decode()
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=20)
    assert "TELEGRAM_BOT_TOKEN" in output and f"http://127.0.0.1:{port}/" in output
    assert "Traceback" not in output, output[-2000:]
    assert (tmp_path / "data" / "kefu.db").is_file()
