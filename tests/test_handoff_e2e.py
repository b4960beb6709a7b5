"""The handoff book end to end: real Application, real Updates, offline Bot API, SQLite file."""

from __future__ import annotations

import time as systime
from collections.abc import AsyncIterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.roster.roles import Role
from bot.storage.models import HandoffNote, OutboxMessage
from bot.telegram.offline import Call
from bot.texts import t
from tests.bot_harness import BotHarness, ManualClock

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY, NIGHT, SUP, ADMIN = 1001, 1002, 3001, 9001
ORDER = "3812345678901234567"
QUIET = {"outbox_poll_seconds": 3600, "scheduler_seconds": 3600}  # the tests run the jobs themselves


async def _team(bot: BotHarness) -> None:
    await bot.add(DAY, "慧兰", agent_id="A07")
    await bot.add(NIGHT, "小雨", agent_id="A08")
    await bot.add(SUP, "王主管", Role.SUPERVISOR)
    await bot.add(ADMIN, "老板", Role.ADMIN, team="HQ")


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 11, 24, 16, 30, tzinfo=SHANGHAI))


@pytest.fixture
async def bot(sqlite_url: str, clock: ManualClock) -> AsyncIterator[BotHarness]:
    harness = await BotHarness.start(sqlite_url, clock=clock, **QUIET)
    await _team(harness)
    yield harness
    await harness.stop()


def _button(call: Call, prefix: str) -> str:
    return next(b["callback_data"] for b in call.buttons() if b.get("callback_data", "").startswith(prefix))


async def _advance(bot: BotHarness, who: int) -> None:
    """Press "next" (or "skip", on an empty step) on the latest step message."""
    step = bot.api.last(who, "editMessageText") if bot.api.sent(who, "editMessageText") else bot.api.last(who)
    latest = bot.api.last(who)
    if latest.at > step.at and latest.buttons():
        step = latest
    await bot.press(who, step, _button(step, "ho:next") if "ho:next" in str(step.buttons()) else "ho:skip")


async def _write_note(bot: BotHarness, who: int = DAY) -> Call:
    """The whole conversation: two customers waiting, one urgent item, no prospects, the open
    order, one other item; confirmed. Returns the confirmation."""
    await bot.send(who, f"/order {ORDER}")  # logged before, or now: it is open either way
    await bot.send(who, "/handoff")
    step = bot.api.last(who)
    assert "第 1/5 步" in step.text and "等待中的客户" in step.text
    await bot.send(who, "tb_小王 等退款到账")
    await bot.send(who, "李女士 等换货单号")
    step = bot.api.last(who)
    assert "已记下第 2 条" in step.text
    await bot.press(who, step, "ho:next")
    urgent = bot.api.last(who, "editMessageText")
    assert "要赶紧处理的" in urgent.text
    await bot.send(who, "SF123 快递破损 今天必须补发")
    step = bot.api.last(who)
    await bot.press(who, step, "ho:back")  # back to the customers: still there
    assert "tb_小王" in bot.api.last(who, "editMessageText").text
    await bot.press(who, bot.api.last(who, "editMessageText"), "ho:next")
    await bot.press(who, bot.api.last(who, "editMessageText"), "ho:next")
    prospects = bot.api.last(who, "editMessageText")
    assert "潜在客户" in prospects.text
    await bot.press(who, prospects, "ho:skip")
    orders = bot.api.last(who, "editMessageText")
    assert "还没备注的订单" in orders.text and ORDER in orders.text
    await bot.press(who, orders, "ho:next")
    await bot.send(who, "打印机没纸了")
    await bot.press(who, bot.api.last(who), "ho:next")
    confirm = bot.api.last(who, "editMessageText")
    assert "请确认交接记录" in confirm.text
    for text in ("tb_小王 等退款到账", "SF123 快递破损", ORDER, "打印机没纸了"):
        assert text in confirm.text
    await bot.press(who, confirm, "ho:file")
    return bot.api.last(who, "editMessageText")


async def test_a_day_shift_files_a_note_the_supervisor_and_the_night_shift_get_it(bot: BotHarness, clock: ManualClock) -> None:
    clock.at(8, 25)
    await bot.send(DAY, "/on")
    assert "白班" in bot.api.last(DAY).text
    await bot.send(DAY, f"/order {ORDER}")
    clock.at(16, 50)
    filed = await _write_note(bot)
    assert filed.text.startswith("✅ 交接记录 #") and "已保存" in filed.text and "晚班" in filed.text
    async with bot.services.db.transaction() as repos:
        assert await repos.session.scalar(select(func.count()).select_from(HandoffNote)) == 1

    await bot.deliver()
    summary = bot.api.last(SUP)
    assert "交接记录" in summary.text and "tb_小王 等退款到账" in summary.text and "慧兰 (A07)" in summary.text
    assert not bot.api.sent(NIGHT)

    clock.at(16, 58)
    await bot.send(NIGHT, "/on")
    assert "晚班" in bot.api.last(NIGHT).text and t("shift.on_notes") in bot.api.last(NIGHT).text
    await bot.deliver()
    note = bot.api.last(NIGHT)
    assert "上一班的交接记录" in note.text and "SF123 快递破损" in note.text
    calls = await bot.press(NIGHT, note, _button(note, "hr:read:"))
    assert next(c for c in calls if c.method == "answerCallbackQuery").params["text"] == "已读 ✅"
    await bot.press(NIGHT, note, _button(note, "hr:done:"))

    clock.at(17, 1)
    await bot.sweep()  # the shift started: nothing new for NIGHT, who has it already
    assert len([c for c in bot.api.sent(NIGHT) if "SF123" in c.text]) == 1

    await bot.send(SUP, "/handoffs")
    listing = bot.api.last(SUP)
    assert "已读 1" in listing.text and "慧兰 (A07)" in listing.text
    await bot.press(SUP, listing, _button(listing, "hn:"))
    opened = bot.api.last(SUP)
    assert "小雨 (A08)" in opened.text and "✔ tb_小王" in opened.text
    await bot.send(NIGHT, "/handoffs")
    assert "需要「主管」" in bot.api.last(NIGHT).text


async def test_an_unread_note_is_escalated_once(bot: BotHarness, clock: ManualClock) -> None:
    await bot.send(DAY, "/on 白班")
    clock.at(16, 50)
    await _write_note(bot)
    clock.at(17, 29)
    await bot.sweep()
    assert not [c for c in bot.api.sent(SUP) if "无人阅读" in c.text]
    clock.at(17, 31)
    await bot.sweep()
    await bot.sweep()
    escalations = [c for c in bot.api.sent(SUP) if "无人阅读" in c.text]
    assert len(escalations) == 1 and "tb_小王" in escalations[0].text


async def test_going_off_without_a_note_reminds_then_tells_the_supervisor(bot: BotHarness, clock: ManualClock) -> None:
    clock.at(9, 0)
    await bot.send(DAY, "/on")
    await bot.send(DAY, f"/order {ORDER}")
    clock.at(17, 0)
    await bot.send(DAY, "/off")
    reply = bot.api.last(DAY).text
    assert "还没有写交接记录" in reply and ORDER in reply
    clock.at(17, 31)
    await bot.sweep()
    await bot.sweep()
    reports = [c for c in bot.api.sent(SUP) if "没有写交接记录" in c.text]
    assert len(reports) == 1 and "慧兰 (A07)" in reports[0].text


async def test_a_night_shift_across_midnight_on_a_utc_server(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "UTC")
    systime.tzset()
    try:
        clock = ManualClock(datetime(2026, 11, 24, 0, 20, tzinfo=SHANGHAI))  # 11-23 16:20 UTC
        bot = await BotHarness.start(sqlite_url, clock=clock, **QUIET)
        try:
            await _team(bot)
            await bot.send(NIGHT, "/on")
            assert "11-23 晚班 17:00–01:00" in bot.api.last(NIGHT).text
            await bot.send(NIGHT, "/handoff")
            await bot.send(NIGHT, "张先生 凌晨问发票，等早班回复")
            for _ in range(5):
                await _advance(bot, NIGHT)
            await bot.press(NIGHT, bot.api.last(NIGHT, "editMessageText"), "ho:file")
            assert "白班" in bot.api.last(NIGHT, "editMessageText").text
            async with bot.services.db.transaction() as repos:
                note = await repos.session.scalar(select(HandoffNote))
            assert note is not None and note.shift_name == "晚班"
            assert note.next_shift_start == datetime(2026, 11, 24, 8, 30, tzinfo=SHANGHAI)
            clock.now = datetime(2026, 11, 24, 0, 58, tzinfo=SHANGHAI)
            await bot.send(NIGHT, "/off")
            assert "还没有写交接记录" not in bot.api.last(NIGHT).text
            clock.now = datetime(2026, 11, 24, 8, 25, tzinfo=SHANGHAI)
            await bot.send(DAY, "/on")
            assert "11-24 白班 08:30–17:00" in bot.api.last(DAY).text
            await bot.deliver()
            assert "张先生 凌晨问发票" in bot.api.last(DAY).text
        finally:
            await bot.stop()
    finally:
        monkeypatch.undo()
        systime.tzset()


async def test_a_restart_in_the_middle_of_the_conversation_loses_nothing(sqlite_url: str, clock: ManualClock) -> None:
    first = await BotHarness.start(sqlite_url, clock=clock, **QUIET)
    await _team(first)
    await first.send(DAY, "/handoff")
    await first.send(DAY, "tb_小王 等退款到账")
    await first.press(DAY, first.api.last(DAY), "ho:next")
    await first.send(DAY, "SF123 快递破损")
    await first.stop()

    second = await BotHarness.start(sqlite_url, clock=clock, **QUIET)
    second.names.update(first.names)
    try:
        await second.send(DAY, "顾客催补发，下午三点前回电")  # still in the urgent step after the restart
        step = second.api.last(DAY)
        assert "已记下第 2 条" in step.text and "SF123 快递破损" in step.text
        for _ in range(4):
            await _advance(second, DAY)
        confirm = second.api.last(DAY, "editMessageText")
        await second.press(DAY, confirm, "ho:file")
        note = await second.services.handoffs.notes("T1", clock.now.date())
        assert [i.text for i in note[0].items] == ["tb_小王 等退款到账", "SF123 快递破损", "顾客催补发，下午三点前回电"]
    finally:
        await second.stop()


async def test_a_restart_between_filing_and_notification_sends_it_once(sqlite_url: str, clock: ManualClock) -> None:
    first = await BotHarness.start(sqlite_url, clock=clock, **QUIET)
    await _team(first)
    first.api.unreachable.add(SUP)  # the summary cannot go out before the bot stops
    await _write_note(first)
    await first.deliver()
    assert not first.api.sent(SUP)
    await first.stop()

    second = await BotHarness.start(sqlite_url, clock=clock, **QUIET)
    try:
        clock.advance(seconds=5)
        await second.deliver()
        await second.deliver()
        summaries = [c for c in second.api.sent(SUP) if "交接记录" in c.text]
        assert len(summaries) == 1
    finally:
        await second.stop()


async def test_the_bot_api_failing_for_a_while_the_notification_arrives_when_it_is_back(sqlite_url: str, clock: ManualClock) -> None:
    bot = await BotHarness.start(sqlite_url, clock=clock, outbox_alert_after_attempts=2, **QUIET)
    try:
        await _team(bot)
        bot.api.unreachable.add(SUP)
        await _write_note(bot)
        for _ in range(2):
            await bot.deliver()
            clock.advance(seconds=10)
        assert not bot.api.sent(SUP)
        assert "发送失败" in bot.api.last(ADMIN).text  # the admins see it
        async with bot.services.db.transaction() as repos:
            row = await repos.session.scalar(select(OutboxMessage).where(OutboxMessage.chat_id == SUP))
        assert row is not None and row.attempts == 2 and row.sent_at is None
        await bot.send(ADMIN, "/outbox")
        assert "待发消息</b>：1 条" in bot.api.last(ADMIN).text
        bot.api.unreachable.clear()
        clock.advance(seconds=10)
        await bot.deliver()
        assert len([c for c in bot.api.sent(SUP) if "交接记录" in c.text]) == 1
    finally:
        await bot.stop()


async def test_open_items_carry_into_the_next_note_and_done_ones_do_not(bot: BotHarness, clock: ManualClock) -> None:
    clock.at(8, 25)
    await bot.send(DAY, "上班")  # typed as a word, not as /on
    assert "白班" in bot.api.last(DAY).text
    clock.at(16, 50)
    await _write_note(bot)
    clock.at(16, 58)
    await bot.send(NIGHT, "/on")
    await bot.deliver()
    note = bot.api.last(NIGHT)
    done_first = next(b["callback_data"] for b in note.buttons() if "tb_小王" in b["text"])
    await bot.press(NIGHT, note, done_first)
    await bot.press(NIGHT, note, _button(note, "hr:read:"))
    clock.at(23, 55)
    await bot.send(NIGHT, "/handoff")
    first_step = bot.api.last(NIGHT)
    assert "↪ 李女士 等换货单号" in first_step.text and "tb_小王" not in first_step.text
    for _ in range(5):
        await _advance(bot, NIGHT)
    confirm = bot.api.last(NIGHT, "editMessageText")
    assert "↪ SF123 快递破损" in confirm.text and "↪ 打印机没纸了" in confirm.text
    await bot.press(NIGHT, confirm, "ho:file")
    notes = await bot.services.handoffs.notes("T1", clock.now.date())
    assert [i.text for i in notes[1].items if i.carried] == ["李女士 等换货单号", "SF123 快递破损 今天必须补发", "打印机没纸了"]
    clock.advance(days=1)
    await bot.send(DAY, "/handoff")  # still open: carried on again, from the night's note only
    assert bot.api.last(DAY).text.count("李女士 等换货单号") == 1


async def test_a_shift_that_ends_without_off_and_without_a_note_is_reported(bot: BotHarness, clock: ManualClock) -> None:
    clock.at(8, 30)
    await bot.send(DAY, "/on")
    clock.at(17, 20)
    await bot.sweep()
    assert not [c for c in bot.api.sent(SUP) if "没有写交接记录" in c.text]
    clock.at(17, 31)
    await bot.sweep()
    assert len([c for c in bot.api.sent(SUP) if "没有写交接记录" in c.text]) == 1


async def test_a_supervisor_who_blocked_the_bot_is_kept_and_the_admins_told(bot: BotHarness, clock: ManualClock) -> None:
    bot.api.blocked.add(SUP)
    await _write_note(bot)
    await bot.deliver()
    assert "拒收" in bot.api.last(ADMIN).text
    clock.advance(minutes=30)
    await bot.deliver()
    assert len([c for c in bot.api.calls if c.chat_id == SUP]) == 1  # not hammered
    bot.api.blocked.clear()
    clock.advance(minutes=31)
    await bot.deliver()
    assert "tb_小王" in bot.api.last(SUP).text
    assert len([c for c in bot.api.sent(ADMIN) if "拒收" in c.text]) == 1


NIGHT2 = 1003


def _edits_of(bot: BotHarness, call: Call) -> list[Call]:
    """The edits of the message ``call`` sent, oldest first."""
    return [c for c in bot.api.sent(call.chat_id, "editMessageText") if c.params.get("message_id") == call.message_id]


async def test_read_and_done_show_in_the_note_on_every_copy(bot: BotHarness, clock: ManualClock) -> None:
    """Before: pressing 已读 ✅ or ✔ only answered with a toast; every copy kept its buttons."""
    await bot.add(NIGHT2, "小周", agent_id="A09")
    clock.at(8, 25)
    await bot.send(DAY, "/on")
    clock.at(16, 50)
    await _write_note(bot)
    await bot.deliver()
    summary = bot.api.last(SUP)
    assert "还没有人点「已读」" in summary.text
    clock.at(16, 58)
    await bot.send(NIGHT, "/on")
    await bot.send(NIGHT2, "/on")
    await bot.deliver()
    mine, theirs = bot.api.last(NIGHT), bot.api.last(NIGHT2)
    done = next(b for b in mine.buttons() if "tb_小王" in b["text"])
    assert done["text"] == "✔ tb_小王 等退款到账"

    await bot.press(NIGHT, mine, done["callback_data"])
    for copy in (mine, theirs, summary):  # the pressed message, the other agent's, the supervisor's
        (edit,) = _edits_of(bot, copy)
        assert "✔ tb_小王 等退款到账" in edit.text and "SF123 快递破损" in edit.text
        assert done["callback_data"] not in str(edit.buttons())
    assert _edits_of(bot, summary)[-1].buttons() == summary.buttons()  # "who has read it" stays

    calls = await bot.press(NIGHT, mine, _button(mine, "hr:read:"))
    assert next(c for c in calls if c.method == "answerCallbackQuery").params["text"] == "已读 ✅"
    for copy in (mine, theirs, summary):
        assert "已读（1）：小雨 (A08)" in _edits_of(bot, copy)[-1].text
    assert "hr:read:" not in str(_edits_of(bot, mine)[-1].buttons())  # read: nothing more to press for it
    assert "hr:read:" in str(_edits_of(bot, theirs)[-1].buttons())  # the other agent has not read it yet
    again = await bot.press(NIGHT2, theirs, done["callback_data"])  # their stale ✔: said, nothing changes
    assert "之前已处理" in next(c for c in again if c.method == "answerCallbackQuery").params["text"]
    assert not bot.api.refused


async def test_the_hint_names_the_button_shown_and_the_number_is_the_lists(bot: BotHarness, clock: ManualClock) -> None:
    """Before: "没有就点「跳过」" over a step showing 下一步 only; "已记下第 1 条" for the list's no. 2."""
    clock.at(8, 25)
    await bot.send(DAY, "/on")
    clock.at(16, 50)
    await _write_note(bot)
    clock.at(16, 58)
    await bot.send(NIGHT, "/on")
    clock.at(23, 55)
    await bot.send(NIGHT, "/handoff")
    step = bot.api.last(NIGHT)
    assert "↪ tb_小王" in step.text  # carried in: the step has items, its button is 下一步
    assert "跳过" not in step.text and "跳过" not in str(step.buttons()) and "ho:next" in str(step.buttons())
    await bot.send(NIGHT, "王先生 等发票")
    added = bot.api.last(NIGHT).text
    assert "已记下第 3 条" in added and "3. 王先生 等发票" in added
    for _ in range(2):  # urgent (carried), then prospects: empty, so 跳过, and the hint says so
        await _advance(bot, NIGHT)
    prospects = bot.api.last(NIGHT, "editMessageText")
    assert "潜在客户" in prospects.text and "没有就点「跳过」" in prospects.text
    assert [b["callback_data"] for b in prospects.buttons()][0] == "ho:skip"


async def test_going_on_shows_only_the_notes_handed_to_that_shift(bot: BotHarness, clock: ManualClock) -> None:
    """Before: a 晚班 agent was shown, as the previous shift's note, a note the night before
    had addressed to 白班."""
    await bot.add(NIGHT2, "小周", agent_id="A09")
    clock.now = datetime(2026, 11, 24, 0, 20, tzinfo=SHANGHAI)
    await bot.send(NIGHT, "/on")  # the night of the 23rd, handing over to the 白班 of the 24th
    await _quick_note(bot, NIGHT, "张先生 凌晨问发票，等早班回复")
    clock.at(8, 25)
    await bot.send(DAY, "/on")
    clock.at(16, 50)
    await _quick_note(bot, DAY, "打印机没纸了")  # 白班 → 晚班
    clock.at(16, 58)
    await bot.send(NIGHT2, "/on")
    await bot.deliver()
    shown = [c.text for c in bot.api.sent(NIGHT2) if c.text.startswith("📋")]
    assert len(shown) == 1 and "打印机没纸了" in shown[0] and "→ 晚班" in shown[0]
    assert not [c for c in bot.api.sent(NIGHT2) if "→ 白班" in c.text]


async def _quick_note(bot: BotHarness, who: int, item: str) -> None:
    """A note of one item, filed."""
    await bot.send(who, "/handoff")
    await bot.send(who, item)
    for _ in range(5):
        await _advance(bot, who)
    await bot.press(who, bot.api.last(who, "editMessageText"), "ho:file")


async def test_going_on_outside_every_shift_says_when_the_shifts_are(bot: BotHarness, clock: ManualClock) -> None:
    clock.now = datetime(2026, 11, 25, 4, 0, tzinfo=SHANGHAI)  # between 晚班's end (01:00) and 白班 (08:30)
    told = (await bot.send(DAY, "/on"))[-1].text
    assert "白班 08:30–17:00" in told and "晚班 17:00–01:00" in told and "shifts.yaml" not in told
