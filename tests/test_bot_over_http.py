"""``python -m bot run`` as a process, long polling a Bot API server on loopback.

This is the path an outside check takes: the real HTTP request class, the
``TELEGRAM_API_BASE_URL`` setting, the roster from the command line, and updates arriving
by ``getUpdates``.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import sqlite3
import sys
from pathlib import Path

import aiohttp

from bot.telegram.offline import message_json
from tests.fake_bot_api import FakeBotAPI
from tests.processes import free_port

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "424242:HTTP-TEST"


_message_ids = itertools.count(1)


def _message(user_id: int, text: str) -> dict[str, object]:
    return {"message": message_json(user_id, text, message_id=next(_message_ids))}


async def _cli(env: dict[str, str], *args: str) -> None:
    process = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", *args, env=env, cwd=ROOT)
    assert await process.wait() == 0


async def _get(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as session, session.get(url) as answer:
        return answer.status, await answer.text()


async def test_the_bot_long_polls_the_configured_bot_api(tmp_path: Path) -> None:
    api = FakeBotAPI(TOKEN)
    base = await api.start()
    env = {
        **os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": base,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'kefu.db'}", "KNOWLEDGE_DIR": str(ROOT / "knowledge"),
        "KNOWLEDGE_WATCH_SECONDS": "0", "STATUS_PORT": str(free_port()),
    }
    await _cli(env, "roster", "add", "--telegram-id", "1001", "--agent-id", "A07", "--name", "慧兰",
               "--role", "agent", "--team", "T1")
    bot = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", env=env, cwd=ROOT,
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )
    try:
        api.push(_message(6666, "这不是我们的问题"))
        api.push(_message(1001, "/refuse 砍价"))
        api.push(_message(1001, "这款我们不补货了"))
        api.push(_message(1001, "亲，订单3812345678901234567已经发货了"))
        stranger = await api.wait_for_text(6666, 1)
        agent = await api.wait_for_text(1001, 4)
        assert len(stranger) == 1 and "邀请码" in stranger[0] and "不能发送" not in stranger[0]
        assert "婉转拒绝" in agent[0]
        assert "工厂不再生产了" in agent[1]
        remark = next(text for text in agent if "请在后台备注" in text)
        assert "3812345678901234567" in remark and "A07" in remark
        status = f"http://127.0.0.1:{env['STATUS_PORT']}"
        assert await _get(f"{status}/health") == (200, "ok")
        code, exposition = await _get(f"{status}/metrics")
        assert code == 200 and 'kefu_flags_total{severity="block"} 1.0' in exposition
    finally:
        bot.send_signal(signal.SIGINT)
        try:
            output, _ = await asyncio.wait_for(bot.communicate(), timeout=15)
        except TimeoutError:
            bot.kill()
            output, _ = await bot.communicate()
        await api.stop()
    assert b"Traceback" not in output, output.decode(errors="replace")[-3000:]
    with sqlite3.connect(tmp_path / "kefu.db") as db:  # buffered events written at shutdown
        checked = db.execute("SELECT person_id, detail FROM events WHERE type = 'draft_checked'").fetchall()
    assert sorted(detail for _, detail in checked) == ["block", "ok"] and {p for p, _ in checked} == {1}
