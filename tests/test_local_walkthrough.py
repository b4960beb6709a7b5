"""A walk-through of local mode's page as each role (agent, supervisor, team lead, admin and a
newcomer), on a phone (390 px) and on a desktop, through the main flows: a draft checked, a
phrasing copied, an order tagged, a handoff written and read, a proposal made and approved,
the report, an invite redeemed. Each step's screenshot goes to ``test-artifacts/walkthrough/``
(committed, to be looked at: the test checks the flows, a person checks the look).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.async_api import expect

from tests.local_browser import (
    ADMIN, AGENT, ARTIFACTS, DESKTOP, PHONE, SUPERVISOR, TEAM_LEAD, ask, be, bot_says, browser_page,
    needs_chromium, say,
)

SHOTS = ARTIFACTS / "walkthrough"
ORDER = "3812345678901234567"

pytestmark = needs_chromium


class Camera:
    """Numbered screenshots of one walk-through: ``phone-03-agent-order.png``."""

    def __init__(self, page: Any, width_name: str) -> None:
        self.page, self.width_name, self.taken = page, width_name, 0
        SHOTS.mkdir(parents=True, exist_ok=True)

    async def shot(self, name: str) -> None:
        self.taken += 1
        await self.page.screenshot(path=str(SHOTS / f"{self.width_name}-{self.taken:02d}-{name}.png"))

    async def ask(self, text: str, name: str) -> Any:
        """Say ``text``, wait for the answer, take the screenshot ``name``; the answer."""
        answer = await ask(self.page, text)
        await self.shot(name)
        return answer


async def _press(page: Any, button: str) -> None:
    """Press ``button`` under the bot's newest message and wait until that message changes."""
    newest = page.locator(".msg.bot").last
    before = await newest.inner_text()
    await newest.get_by_role("button", name=button).click()
    await page.wait_for_function("(before) => [...document.querySelectorAll('.msg.bot')].pop().innerText !== before",
                                 arg=before)


async def _agent(page: Any, camera: Camera) -> None:
    await be(page, AGENT)
    await camera.ask("/help", "agent-help")

    flagged = await ask(page, "这款我们不补货了")
    assert "不能发送" in await flagged.inner_text()
    await camera.shot("agent-draft-flagged")

    fine = await ask(page, "亲，这边马上为您查询一下，请稍等")
    assert "可以发送" in await fine.inner_text()
    await fine.get_by_role("button", name="💡 提议为标准话术").click()
    proposal = bot_says(page, "提交审批")
    await proposal.wait_for()
    await camera.shot("agent-proposal-draft")
    await proposal.get_by_role("button", name="✅ 提交审批").click()
    await bot_says(page, "已提交").wait_for()
    await camera.shot("agent-proposal-submitted")

    greeting = await ask(page, "/greet")
    await greeting.locator("code").first.click()
    await page.locator(".toast").filter(has_text="已复制").wait_for()
    await camera.shot("agent-phrasing-copied")

    order = await ask(page, f"/order {ORDER}")
    await order.get_by_role("button", name="已备注 ✅").click()
    await bot_says(page, f"订单 {ORDER} 已备注（").wait_for()
    await camera.shot("agent-order-tagged")

    await camera.ask("/handoff", "agent-handoff-step")
    await camera.ask("tb_小李 等发票，明天上午回复", "agent-handoff-item")
    for _ in range(5):  # through the remaining steps (下一步, or 跳过 where nothing was written) to the end
        buttons = await page.locator(".msg.bot").last.get_by_role("button").all_inner_texts()
        if "✅ 确认提交" in buttons:
            break
        await _press(page, "下一步 ▶" if "下一步 ▶" in buttons else "跳过")
    await expect(page.get_by_role("button", name="✅ 确认提交")).to_be_in_viewport()  # the edited message grew: still in sight
    await camera.shot("agent-handoff-confirm")
    await _press(page, "✅ 确认提交")
    await bot_says(page, "已保存").wait_for()
    await camera.shot("agent-handoff-filed")


async def _supervisor(page: Any, camera: Camera) -> None:
    await be(page, SUPERVISOR)
    await camera.shot("supervisor-arrives")
    review = bot_says(page, "✅ 批准")
    await review.get_by_role("button", name="✅ 批准").click()
    await bot_says(page, "已批准").wait_for()
    await camera.shot("supervisor-proposal-approved")

    listing = await ask(page, "/handoffs")
    assert "#2" in await listing.inner_text()  # the note 慧兰 just filed
    await camera.shot("supervisor-handoffs")
    await listing.get_by_role("button", name="打开 #1").click()
    await bot_says(page, "已读：").wait_for()
    await camera.shot("supervisor-handoff-opened")

    await camera.ask("/report 昨天", "supervisor-report")


async def _team_lead(page: Any, camera: Camera) -> None:
    await be(page, TEAM_LEAD)
    await ask(page, "/report 昨天")
    await page.locator(".msg.bot img").last.wait_for()
    await page.wait_for_function("() => [...document.querySelectorAll('.msg img')].every((i) => i.complete)")
    await expect(page.locator(".msg.bot").last).to_be_in_viewport()  # the chart loaded: the chat still ends in sight
    await camera.shot("team-lead-report")
    await camera.ask("/usage", "team-lead-usage")
    await camera.ask("/knowledge", "team-lead-knowledge")


async def _admin_and_newcomer(page: Any, camera: Camera) -> None:
    await be(page, ADMIN)
    await camera.ask("/roster", "admin-roster")
    invite = await ask(page, "/invite agent A09 新人小张")
    command = re.search(r"/start \S+", await invite.inner_text())
    assert command is not None
    await camera.shot("admin-invite")

    await page.select_option("#who", "newcomer")
    await page.wait_for_function(f"() => ![undefined, '{ADMIN}'].includes(document.querySelector('#log').dataset.chat)")
    await camera.shot("newcomer-arrives")
    await ask(page, command.group(0))
    await page.wait_for_function("() => document.querySelector('#who option:checked').textContent.includes('A09')")
    await camera.shot("newcomer-welcomed")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
async def test_walk_through_as_each_role(local_server: str, viewport: dict[str, int]) -> None:
    width_name = "phone" if viewport is PHONE else "desktop"
    async with browser_page(local_server + "/", viewport, clipboard=True) as page:
        camera = Camera(page, width_name)
        try:
            await _agent(page, camera)
            await _supervisor(page, camera)
            await _team_lead(page, camera)
            await _admin_and_newcomer(page, camera)
            await be(page, AGENT)
            await bot_says(page, "批准").wait_for()
            await camera.shot("agent-proposal-approved")
        except Exception:
            await camera.shot("FAILED")  # what the page showed when a step did not come
            raise
