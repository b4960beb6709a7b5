"""The team lead's report on a phone-sized screen: local mode in Debian's Chromium, 390 px wide.

A conversation audit's figures are stored for the demo's day (and the day before), the team
lead sends ``/report 昨天``, and the page shows the report opening with what needs attention,
the 服务质量 section, and one chart per figure. The screenshot and each chart at 390 px wide go
to ``test-artifacts/``, to be looked at.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import aiohttp

from bot.audit.service_figures import AgentDayFigures, WorstConversation
from bot.storage.db import Database
from tests.local_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, PHONE, be, needs_chromium
from tests.local_browser import say as _say

pytestmark = needs_chromium
SHOP = ZoneInfo("Asia/Shanghai")  # the demo's shop time zone (the settings' default)


def _audit(day, team: tuple, *agents: tuple) -> list[AgentDayFigures]:  # type: ignore[no-untyped-def]
    def one(agent, conversations, mean, p90, customer, in_time, unanswered, score, worst=()):  # type: ignore[no-untyped-def]
        return AgentDayFigures(agent, day, conversations, conversations - unanswered, mean, p90, customer, in_time,
                               unanswered, customer + 3, 1, score, worst)
    return [one(None, *team), *(one(*agent) for agent in agents)]


async def _store_audit(url: str) -> None:
    yesterday = datetime.now(SHOP).date() - timedelta(days=1)  # the demo's day, whatever today is
    worst = (WorstConversation("tb_买家丙", 55.0, ("首次回复用了 1 分 35 秒（应在 25 秒内）", "结束时顾客未得到回复"), "小雨"),)
    db = Database(url)
    try:
        async with db.transaction() as repos:
            await repos.service_days.replace("T1", _audit(
                yesterday, (14, 21.0, 52.0, 60, 47, 2, 84.6),
                ("A07", 6, 14.0, 28.0, 26, 24, 0, 93.5), ("小雨", 5, 38.0, 95.0, 22, 13, 2, 71.0, worst),
                ("tb_夜班小周", 3, 9.0, 15.0, 12, 10, 0, 90.0)), datetime.now(UTC), "chat-export.csv")
            await repos.service_days.replace("T1", _audit(
                yesterday - timedelta(days=1), (12, 26.0, 61.0, 50, 36, 3, 80.0),
                ("A07", 6, 18.0, 35.0, 25, 21, 1, 88.0)), datetime.now(UTC), "chat-export-before.csv")
    finally:
        await db.close()


async def test_the_report_and_its_charts_on_a_390_px_screen(local_server: str, sqlite_url: str) -> None:
    from PIL import Image
    from playwright.async_api import async_playwright

    await _store_audit(sqlite_url)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = await browser.new_page(viewport=PHONE, device_scale_factor=1, locale="zh-CN")
        try:
            await page.goto(local_server + "/")
            await be(page, "4001")  # 李组长, the team lead
            await _say(page, "/report 昨天")
            charts = page.locator(".msg.bot img")
            await charts.nth(2).wait_for()  # the flags, the orders and the service chart
            report = page.locator(".msg.bot").filter(has_text="日报").last
            text = await report.inner_text()
            assert text.index("⚠️ 服务最需关注：小雨 (A08)") < text.index("团队合计")  # it opens with attention
            assert "📦 未备注订单" in text and "服务质量" in text and "• tb_夜班小周：" in text
            for n in range(3):  # every chart loaded, no wider than the screen
                assert await charts.nth(n).evaluate("img => img.complete && img.naturalWidth > 0")
                assert (await charts.nth(n).bounding_box() or {"width": 999})["width"] <= PHONE["width"]
            # The chat scrolls inside the page: let it grow, so one screenshot holds the whole report.
            await page.add_style_tag(content="body { height:auto } #log { overflow:visible }")
            await page.screenshot(path=str(ARTIFACTS / "report-390-lead.png"), full_page=True)
            await report.screenshot(path=str(ARTIFACTS / "report-390-text.png"))
            ids = await page.eval_on_selector_all(".msg.bot img", "imgs => imgs.map(i => i.src)")
        finally:
            await browser.close()
    async with aiohttp.ClientSession() as http:
        for name, src in zip(("flags", "orders", "service"), ids):
            async with http.get(src) as response:
                image = Image.open(io.BytesIO(await response.read()))
            assert image.width == 800 and image.height >= image.width  # portrait, for a phone
            image.resize((390, round(image.height * 390 / image.width)), Image.LANCZOS).save(
                ARTIFACTS / f"report-390-chart-{name}.png")
