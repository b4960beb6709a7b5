"""The local chat page in a real browser (Debian's Chromium, headless, driven by Playwright).

Chats as an agent — a greeting, a banned draft flagged, an order tagged through the button —
then switches to the supervisor and reads the handoff note; then what the page must get
right on its own: toasts shown once, a reply prompt re-armed only while it is still the open
question, a message over Telegram's limit kept in the box, click-to-copy of a phrasing, and a
newcomer redeeming an invite. Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import re

import pytest

from tests.local_browser import (
    ADMIN, AGENT, ARTIFACTS, PHONE, SUPERVISOR, ask, be, bot_says, browser_page, needs_chromium, say,
)

ORDER = "3812345678901234567"

pytestmark = needs_chromium


@pytest.fixture
def local_url(local_server: str) -> str:
    return local_server + "/"


async def test_chat_as_an_agent_then_read_the_handoff_note_as_the_supervisor(local_url: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    async with browser_page(local_url, {"width": 1000, "height": 900}) as page:
        await be(page, AGENT)  # 慧兰 (A07), an agent

        await say(page, "/greet")
        await bot_says(page, "问候语").wait_for()

        await say(page, "这款我们不补货了")
        flagged = bot_says(page, "不能发送")
        await flagged.wait_for()
        assert "工厂不再生产了" in await flagged.inner_text()
        assert await flagged.locator("b").first.inner_text() == "不能发送"  # Telegram HTML shown as such
        await page.screenshot(path=str(ARTIFACTS / "local-1-agent-flagged.png"), full_page=True)

        await say(page, f"/order {ORDER}")
        remark = page.locator(".msg.bot").filter(has_text="请在后台备注").filter(has_text=ORDER).last
        await remark.wait_for()
        assert "A07" in await remark.inner_text()
        await remark.get_by_role("button", name="已备注 ✅").click()
        await bot_says(page, f"订单 {ORDER} 已备注（").wait_for()
        await page.screenshot(path=str(ARTIFACTS / "local-2-agent-order-tagged.png"), full_page=True)

        await be(page, SUPERVISOR)  # 王主管
        summary = page.locator(".msg.bot").filter(has_text="交接记录").filter(has_text="tb_小王").first
        await summary.wait_for()
        assert "小雨 (A08)" in await summary.inner_text()
        await say(page, "/handoffs")
        listing = bot_says(page, "的交接记录")
        await listing.wait_for()
        await listing.get_by_role("button", name="打开 #1").click()
        opened = bot_says(page, "已读：")
        await opened.wait_for()
        assert "SF1234567890 快递破损" in await opened.inner_text()
        await page.screenshot(path=str(ARTIFACTS / "local-3-supervisor-handoff.png"), full_page=True)


async def test_a_toast_is_shown_once_not_again_on_reload_or_switching_back(local_url: str) -> None:
    async with browser_page(local_url) as page:
        await be(page, AGENT)
        await (await ask(page, f"/order {ORDER}")).get_by_role("button", name="已备注 ✅").click()
        toast = page.locator(".toast").filter(has_text=f"订单 {ORDER} 已备注")
        await toast.wait_for()

        await page.reload()
        await page.locator(f"#log[data-chat='{AGENT}']").wait_for(state="attached")
        await bot_says(page, f"订单 {ORDER} 已备注（").wait_for()  # the history is back…
        assert await toast.count() == 0  # …but not the toast

        await be(page, SUPERVISOR)
        await be(page, AGENT)
        await bot_says(page, f"订单 {ORDER} 已备注（").wait_for()
        assert await toast.count() == 0


async def test_a_reply_prompt_is_rearmed_only_while_it_is_the_open_question(local_url: str) -> None:
    replying = "#replying"
    async with browser_page(local_url) as page:
        await be(page, AGENT)
        await say(page, "/propose")
        await bot_says(page, "发来您想提议的话术").wait_for()
        await page.locator(replying).wait_for(state="visible")  # a new prompt arms the reply

        await page.reload()  # still the last thing the bot sent, still unanswered: armed again
        await page.locator(f"#log[data-chat='{AGENT}']").wait_for(state="attached")
        assert await page.locator(replying).is_visible()

        await page.click("#cancelReply")
        await say(page, "亲，稍等")
        await bot_says(page, "可以发送").wait_for()
        for again in (page.reload, lambda: be(page, SUPERVISOR)):  # the prompt is no longer the latest
            await again()
            await be(page, AGENT)
            assert not await page.locator(replying).is_visible()

        answer = await ask(page, "亲，这边马上为您查询一下")  # a draft again: checked, not made a proposal
        assert "可以发送" in await answer.inner_text()
        assert await page.locator(".msg.bot").filter(has_text="提交审批").count() == 0


async def test_a_message_over_telegrams_limit_stays_in_the_box_with_a_chinese_note(local_url: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    async with browser_page(local_url, PHONE) as page:
        await be(page, AGENT)
        too_long = "亲" * 4093 + "😀😀😀"  # 4096 characters to Python, 4099 as Telegram counts (UTF-16)
        await page.fill("#text", too_long)
        await page.press("#text", "Enter")
        count = page.locator("#count")
        await count.wait_for(state="visible")
        assert "超出 3 个字符" in await count.inner_text()
        assert await page.input_value("#text") == too_long  # kept
        assert await page.locator("#send").is_disabled()
        assert await page.locator(".msg.me").count() == 0  # nothing sent
        await page.screenshot(path=str(ARTIFACTS / "local-4-agent-too-long.png"))

        await page.fill("#text", too_long[:-2])  # back under the limit: it may go
        assert await page.locator("#send").is_enabled()
        assert await count.inner_text() == "4095/4096"

        refused = await page.evaluate(  # the server counts as Telegram does too, and says so in Chinese
            """async (text) => { const r = await fetch("/api/send", {method: "POST",
                 headers: {"Content-Type": "application/json", "X-Kefu-Local": "1"},
                 body: JSON.stringify({chat: 1001, text})}); return [r.status, await r.text()]; }""", too_long)
        assert refused == [400, "消息有 4099 个字符，Telegram 一条消息最多 4096 个：请删掉 3 个字符或分成两条发送。"]


@pytest.mark.parametrize("clipboard_api", [True, False], ids=["clipboard-api", "fallback-on-http"])
async def test_clicking_a_phrasing_copies_it(local_url: str, clipboard_api: bool) -> None:
    hide = None if clipboard_api else (  # as on plain http from another address: no Clipboard API
        "window.__clipboard = navigator.clipboard;"
        "Object.defineProperty(Navigator.prototype, 'clipboard', {get: () => undefined});")
    async with browser_page(local_url, clipboard=True, init_script=hide) as page:
        await be(page, AGENT)
        await say(page, "/greet")
        greeting = bot_says(page, "点一下话术即可复制")
        await greeting.wait_for()
        phrasing = greeting.locator("code").first
        await phrasing.click()
        await page.locator(".toast").filter(has_text="已复制").wait_for()
        clipboard = "navigator.clipboard" if clipboard_api else "window.__clipboard"
        assert await page.evaluate(f"{clipboard}.readText()") == await phrasing.inner_text()


async def test_a_newcomer_redeems_an_invite_and_joins_the_person_list(local_url: str) -> None:
    async with browser_page(local_url) as page:
        await be(page, ADMIN)
        await say(page, "/invite agent A09 新人小张")
        invite = bot_says(page, "邀请码已生成")
        await invite.wait_for()
        command = re.search(r"/start \S+", await invite.inner_text())
        assert command is not None

        await page.select_option("#who", "newcomer")  # a fresh Telegram account, not on the roster
        await page.wait_for_function(f"() => ![undefined, '{ADMIN}'].includes(document.querySelector('#log').dataset.chat)")
        newcomer = await page.locator("#log").get_attribute("data-chat")
        assert newcomer not in {"1001", "1002", "3001", "4001", "9001"}
        assert "未登记" in await page.locator("#who option:checked").inner_text()
        assert "邀请码" in await (await ask(page, "/help")).inner_text()  # a stranger: asked for an invite code

        await say(page, command.group(0))
        await bot_says(page, "欢迎，新人小张").wait_for()
        option = page.locator(f"#who option[value='{newcomer}']")
        await page.wait_for_function(
            f"() => document.querySelector(\"#who option[value='{newcomer}']\").textContent.includes('A09')")
        assert "新人小张 (A09) · 客服" in await option.inner_text()
        assert await page.input_value("#who") == newcomer
        assert "不能发送" in await (await ask(page, "这款我们不补货了")).inner_text()  # on the roster: checked
