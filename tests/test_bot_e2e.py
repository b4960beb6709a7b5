"""End-to-end: the real Application, real Updates, the offline Bot API, a real SQLite file."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select

from bot.events import EventType
from bot.roster.roles import Role
from bot.storage.models import Event, Order, Person
from bot.texts import t
from tests.bot_harness import BotHarness, at_local

ADMIN, AGENT, STRANGER, NEWCOMER = 9001, 1001, 6666, 2002
ORDER = "3812345678901234567"


@pytest.fixture
async def bot(sqlite_url: str) -> AsyncIterator[BotHarness]:
    harness = await BotHarness.start(sqlite_url)
    await harness.add(ADMIN, "老板", Role.ADMIN)
    await harness.add(AGENT, "慧兰", agent_id="A07")
    yield harness
    await harness.stop()


async def _count(harness: BotHarness, model: type, *where: object) -> int:
    async with harness.services.db.transaction() as repos:
        return int(await repos.session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


async def test_a_stranger_gets_one_polite_refusal_and_nothing_is_processed(bot: BotHarness) -> None:
    calls = await bot.send(STRANGER, "这不是我们的问题，我们不负责")
    sent = [c for c in calls if c.method == "sendMessage"]
    assert len(sent) == 1 and sent[0].text == t("access.stranger")
    assert "不能发送" not in sent[0].text
    calls = await bot.send(STRANGER, "/greet")
    assert [c.text for c in calls if c.method == "sendMessage"] == [t("access.stranger")]
    assert await _count(bot, Event) == 0
    assert await _count(bot, Person, Person.telegram_id == STRANGER) == 0


async def test_an_invite_registers_an_agent_once(bot: BotHarness) -> None:
    calls = await bot.send(ADMIN, "/invite agent A08 小雨")
    reply = calls[-1].text
    assert "/start " in reply
    code = reply.split("/start ")[1].split("<")[0].split()[0]

    calls = await bot.send(NEWCOMER, f"/start {code}")
    assert "欢迎，小雨" in bot.api.last(NEWCOMER).text
    menu = next(c for c in calls if c.method == "setMyCommands")
    commands = {c["command"] for c in menu.params["commands"]}
    assert {"greet", "sorry", "refuse", "order", "orders", "help"} <= commands and "invite" not in commands
    member = await bot.services.roster.member(NEWCOMER)
    assert member is not None and (member.agent_id, member.role, member.team) == ("A08", Role.AGENT, "T1")

    await bot.send(7777, f"/start {code}")
    assert bot.api.last(7777).text == t("invite.used")
    assert await bot.services.roster.member(7777) is None


async def test_a_bad_invite_and_a_command_above_ones_role_are_refused_clearly(bot: BotHarness) -> None:
    await bot.send(NEWCOMER, "/start WRONGCODE")
    assert bot.api.last(NEWCOMER).text == t("invite.unknown")
    await bot.send(AGENT, "/invite agent A09 小明")
    assert "需要「管理员」" in bot.api.last(AGENT).text
    await bot.send(ADMIN, "/invite agent")
    assert "用法" in bot.api.last(ADMIN).text
    await bot.send(ADMIN, "/invite agent A07 重复")
    assert bot.api.last(ADMIN).text == t("roster.agent_id_taken", agent_id="A07", name="慧兰")


@pytest.mark.parametrize(("hour", "expected", "not_expected"), [(8, "早上好", "晚上好"), (20, "晚上好", "早上好")])
async def test_greet_follows_the_shops_time_of_day(sqlite_url: str, hour: int, expected: str, not_expected: str) -> None:
    bot = await BotHarness.start(sqlite_url, clock=at_local(hour))
    try:
        await bot.add(AGENT, "慧兰", agent_id="A07")
        await bot.send(AGENT, "/greet")
        reply = bot.api.last(AGENT)
        assert expected in reply.text and not_expected not in reply.text
        assert any("copy_text" in b for b in reply.buttons())
        assert "{agent}" not in reply.text
    finally:
        await bot.stop()


async def test_sorry_and_refuse_answer_with_approved_phrasings(bot: BotHarness) -> None:
    phrasings = bot.services.knowledge.current.knowledge.phrasings
    await bot.send(AGENT, "/sorry 快递延迟")
    reply = bot.api.last(AGENT).text
    assert "道歉语" in reply and "快递延迟" in reply and "抱歉" in reply
    apologies = {p.text.split("{")[0][:12] for p in phrasings if p.kind == "apology"}
    assert any(prefix in reply for prefix in apologies)
    await bot.send(AGENT, "/refuse 砍价")
    reply = bot.api.last(AGENT).text
    assert "婉转拒绝" in reply and "refusal.bargain" not in reply
    assert any(p.text in reply for p in phrasings if p.kind == "refusal" and "bargaining" in p.situations)
    suggested = Counter(e.subject for e in await bot.events(EventType.PHRASING_SUGGESTED))
    assert sum(suggested.values()) == 6 and any(k.startswith("refusal.") for k in suggested)


async def test_more_and_situation_buttons(bot: BotHarness) -> None:
    await bot.send(AGENT, "/sorry")
    first = bot.api.last(AGENT)
    more = next(b["callback_data"] for b in first.buttons() if b.get("callback_data", "").startswith("more:"))
    calls = await bot.press(AGENT, first, more)
    edited = next(c for c in calls if c.method == "editMessageText")
    assert edited.text.splitlines()[1].startswith("4.")
    calls = await bot.press(AGENT, first, "sits:apology")
    picker = next(c for c in calls if c.method == "editMessageText")
    assert any(b["callback_data"] == "sit:apology:damaged" for b in picker.buttons())
    calls = await bot.press(AGENT, picker, "sit:apology:damaged")
    assert "商品破损" in next(c for c in calls if c.method == "editMessageText").text


async def test_banned_drafts_are_flagged_with_the_handbooks_replacement(bot: BotHarness) -> None:
    await bot.send(AGENT, "这款我们不补货了")
    reply = bot.api.last(AGENT).text
    assert "不能发送" in reply and "工厂不再生产了" in reply and "改写后" in reply
    await bot.send(AGENT, "這不是我們的問題")
    reply = bot.api.last(AGENT).text
    assert "不能发送" in reply and "這不是我們的問題" in reply and "负责" in reply
    await bot.send(AGENT, "亲，您好，请问有什么可以帮您？")
    assert bot.api.last(AGENT).text == t("draft.ok")
    flagged = Counter(e.subject for e in await bot.events(EventType.DRAFT_FLAGGED))
    checked = await bot.events(EventType.DRAFT_CHECKED)
    assert flagged == {"stock.no_restock": 1, "shirk.not_our_problem": 1}
    assert [e.detail for e in checked] == ["block", "block", "ok"]


async def test_an_edited_draft_is_checked_again(bot: BotHarness) -> None:
    await bot.send(AGENT, "亲，稍等", message_id=500)
    assert bot.api.last(AGENT).text == t("draft.ok")
    await bot.edit(AGENT, 500, "喂，稍等")
    reply = bot.api.last(AGENT)
    assert reply.text.startswith(t("draft.edited")) and "不能发送" in reply.text
    assert reply.params["reply_parameters"]["message_id"] == 500


async def test_bad_drafts_get_a_clear_message_and_change_nothing(bot: BotHarness) -> None:
    await bot.send(AGENT, "好" * 2001)
    assert "草稿太长" in bot.api.last(AGENT).text
    await bot.send(AGENT, "/nosuchcommand")
    assert bot.api.last(AGENT).text == t("access.unknown_command", command="nosuchcommand")
    await bot.send(AGENT, "/order 12345")
    assert "不是本店的订单号格式" in bot.api.last(AGENT).text
    assert await _count(bot, Event) == 0 and await _count(bot, Order) == 0


async def test_a_placeholder_is_asked_for_never_handed_out_as_ready(bot: BotHarness) -> None:
    await bot.send(AGENT, "/sorry 快递延迟")
    offers = bot.api.last(AGENT)
    assert "【订单号】" in offers.text and "{order_id}" not in offers.text
    fill = next(b["callback_data"] for b in offers.buttons() if b.get("callback_data", "").startswith("fill:"))
    await bot.press(AGENT, offers, fill)
    prompt = bot.api.last(AGENT)
    assert "订单号" in prompt.text and prompt.params["reply_markup"]["force_reply"] is True
    await bot.send(AGENT, "12345", reply_to=prompt.message_id)
    assert "不是本店的订单号格式" in bot.api.last(AGENT).text
    await bot.send(AGENT, ORDER, reply_to=prompt.message_id)
    done = bot.api.last(AGENT)
    assert "已填好" in done.text and ORDER in done.text and "【" not in done.text
    assert any(b.get("copy_text", {}).get("text", "").count(ORDER) == 1 for b in done.buttons())


async def test_an_order_in_a_draft_is_logged_reminded_and_tagged(sqlite_url: str) -> None:
    bot = await BotHarness.start(sqlite_url, order_reminder_delay_seconds=0.3, order_reminder_repeat_seconds=30,
                                 scheduler_seconds=0.2)
    try:
        await bot.add(AGENT, "慧兰", agent_id="A07")
        await bot.send(AGENT, f"亲，您的订单{ORDER}已经发货了")
        remark = bot.api.last(AGENT)
        assert ORDER in remark.text and "A07" in remark.text and "红旗" in remark.text
        assert any(b.get("callback_data", "").startswith("tag:") for b in remark.buttons())
        reminder = await bot.wait_for(lambda c: c.method == "sendMessage" and "还没有备注" in c.text)
        assert ORDER in reminder.text
        tag = next(b["callback_data"] for b in reminder.buttons() if b.get("callback_data", "").startswith("tag:"))
        calls = await bot.press(AGENT, reminder, tag)
        assert "已备注" in next(c for c in calls if c.method == "editMessageText").text
        async with bot.services.db.transaction() as repos:
            order = await repos.orders.get(int(tag.split(":")[1]))
        assert order is not None and order.next_reminder_at is None and order.reminders_sent == 1
        await bot.send(AGENT, "/orders")
        assert bot.api.last(AGENT).text == t("order.list_empty")
        types = [e.type for t in (EventType.ORDER_LOGGED, EventType.ORDER_REMINDED, EventType.ORDER_TAGGED)
                 for e in await bot.events(t)]
        assert types == ["order_logged", "order_reminded", "order_tagged"]
    finally:
        await bot.stop()


async def test_order_command_and_the_untagged_list(bot: BotHarness) -> None:
    await bot.send(AGENT, f"/order {ORDER} 赠品已备注")
    remark = bot.api.last(AGENT)
    assert f"{ORDER} 赠品已备注 A07" in remark.text
    await bot.send(AGENT, "/order 1234567890123456789")
    await bot.send(AGENT, "/orders")
    listing = bot.api.last(AGENT)
    assert "2 个" in listing.text and ORDER in listing.text
    first = listing.buttons()[0]["callback_data"]
    calls = await bot.press(AGENT, listing, first)
    assert "1 个" in next(c for c in calls if c.method == "editMessageText").text
    await bot.send(ADMIN, f"/order {ORDER}")
    assert "没有工号" in bot.api.last(ADMIN).text


async def test_pending_reminders_fire_after_a_restart(sqlite_url: str) -> None:
    first = await BotHarness.start(sqlite_url, order_reminder_delay_seconds=1.5, scheduler_seconds=0.2)
    await first.add(AGENT, "慧兰", agent_id="A07")
    await first.send(AGENT, f"/order {ORDER}")
    await first.stop()  # stopped before the reminder is due
    assert not [c for c in first.api.calls if "还没有备注" in c.text]

    second = await BotHarness.start(sqlite_url, order_reminder_delay_seconds=1.5, scheduler_seconds=0.2)
    try:
        reminder = await second.wait_for(lambda c: "还没有备注" in c.text, timeout=5)
        assert reminder.chat_id == AGENT and ORDER in reminder.text
    finally:
        await second.stop()


async def test_help_and_menu_follow_the_role(bot: BotHarness) -> None:
    await bot.send(AGENT, "/help")
    agent_help = bot.api.last(AGENT).text
    await bot.send(ADMIN, "/help")
    admin_help = bot.api.last(ADMIN).text
    assert "/greet" in agent_help and "/invite" not in agent_help
    assert "/invite" in admin_help and "/reload" in admin_help
    menus = {c.params["scope"]["chat_id"]: {x["command"] for x in c.params["commands"]}
             for c in bot.api.calls if c.method == "setMyCommands" and c.params["scope"]["type"] == "chat"}
    assert "invite" in menus[ADMIN] and "invite" not in menus[AGENT]


async def test_telegram_down_for_a_while_loses_no_reply(bot: BotHarness) -> None:
    bot.api.down = True

    async def back_up() -> None:
        await asyncio.sleep(0.8)
        bot.api.down = False

    recovery = asyncio.create_task(back_up())
    await bot.send(AGENT, "这款我们不补货了")
    await recovery
    assert "工厂不再生产了" in bot.api.last(AGENT).text


async def test_a_long_untagged_list_fits_one_message(bot: BotHarness) -> None:
    for i in range(32):
        await bot.send(AGENT, f"/order {3812345678901230000 + i}")
    await bot.send(AGENT, "/orders")
    listing = bot.api.last(AGENT)
    assert "32 个" in listing.text and "还有 2 个" in listing.text and len(listing.text) <= 4096
    assert len(listing.buttons()) == 30
