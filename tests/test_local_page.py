"""The local chat page in a real browser (Debian's Chromium, headless, driven by Playwright).

Chats as an agent — a greeting, a banned draft flagged, an order tagged through the button —
then switches to the supervisor and reads the handoff note. Screenshots go to
``test-artifacts/``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest


ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ORDER = "3812345678901234567"

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (scripts/test installs it as root)")


@pytest.fixture
def local_url(local_server: str) -> str:
    return local_server + "/"


async def test_chat_as_an_agent_then_read_the_handoff_note_as_the_supervisor(local_url: str) -> None:
    from playwright.async_api import async_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = await browser.new_page(viewport={"width": 1000, "height": 900}, locale="zh-CN")
        try:
            await page.goto(local_url)
            await page.select_option("#who", "1001")  # 慧兰 (A07), an agent
            bot_says = page.locator(".msg.bot")

            await _say(page, "/greet")
            await bot_says.filter(has_text="问候语").last.wait_for()

            await _say(page, "这款我们不补货了")
            flagged = bot_says.filter(has_text="不能发送").last
            await flagged.wait_for()
            assert "工厂不再生产了" in await flagged.inner_text()
            assert await flagged.locator("b").first.inner_text() == "不能发送"  # Telegram HTML shown as such
            await page.screenshot(path=str(ARTIFACTS / "local-1-agent-flagged.png"), full_page=True)

            await _say(page, f"/order {ORDER}")
            remark = bot_says.filter(has_text="请在后台备注").filter(has_text=ORDER).last
            await remark.wait_for()
            assert "A07" in await remark.inner_text()
            await remark.get_by_role("button", name="已备注 ✅").click()
            await bot_says.filter(has_text=f"订单 {ORDER} 已备注（").last.wait_for()
            await page.screenshot(path=str(ARTIFACTS / "local-2-agent-order-tagged.png"), full_page=True)

            await page.select_option("#who", "3001")  # 王主管, the supervisor
            summary = bot_says.filter(has_text="交接记录").filter(has_text="tb_小王").first
            await summary.wait_for()
            assert "小雨 (A08)" in await summary.inner_text()
            await _say(page, "/handoffs")
            listing = bot_says.filter(has_text="的交接记录").last
            await listing.wait_for()
            await listing.get_by_role("button", name="打开 #1").click()
            opened = bot_says.filter(has_text="已读：").last
            await opened.wait_for()
            assert "SF1234567890 快递破损" in await opened.inner_text()
            await page.screenshot(path=str(ARTIFACTS / "local-3-supervisor-handoff.png"), full_page=True)
        finally:
            await browser.close()


async def _say(page, text: str) -> None:  # type: ignore[no-untyped-def]
    await page.fill("#text", text)
    await page.press("#text", "Enter")
    await page.locator(".msg.me").filter(has_text=text).last.wait_for()
