"""A long handoff note (issue 14, item 1): nothing the bot sends exceeds Telegram's limits, the
note is filed and its summary delivered in parts, and the team's next notes still work."""

from __future__ import annotations

import html
from datetime import datetime

import pytest
from sqlalchemy import select

from bot.handoffs.desk import CARRY_MAX
from bot.handoffs.note import MAX_ITEM_CHARS
from bot.storage.models import HandoffNote, OutboxMessage
from bot.telegram.offline import Call, over_limits
from bot.texts import t
from tests.bot_harness import BotHarness, ManualClock
from tests.test_handoff_e2e import DAY, NIGHT, SHANGHAI, SUP, bot, clock  # noqa: F401  (fixtures)

ITEMS = 14


def long_item(number: int) -> str:
    """About 290 characters, each item told apart by its opening words."""
    return (f"顾客{number:02d}号 tb_buyer{number:02d} " + "等退款到账，已经催过三次，说好今天下午给答复，" * 13)[:290]


def step_of(bot: BotHarness, who: int) -> Call:
    """The message holding the latest step's buttons (sent or edited)."""
    return max((c for c in bot.api.calls if c.chat_id == who and c.buttons() and c.result), key=lambda c: c.at)


async def test_a_long_note_is_filed_delivered_in_parts_and_the_next_note_still_works(
        bot: BotHarness, clock: ManualClock) -> None:
    await bot.send(DAY, "/handoff")
    for number in range(1, ITEMS + 1):
        calls = await bot.send(DAY, long_item(number))
        answer = calls[-1].text
        assert t("handoff.added", count=number, escape=False).split("。")[0] in answer, answer
        assert "没有记录" not in answer
    too_long_item = await bot.send(DAY, "长" * (MAX_ITEM_CHARS + 1))
    assert str(MAX_ITEM_CHARS) in too_long_item[-1].text  # a clear refusal, and nothing recorded
    for _ in range(4):  # waiting → urgent → prospects → orders → other
        step = step_of(bot, DAY)
        await bot.press(DAY, step, "ho:next" if "ho:next" in str(step.buttons()) else "ho:skip")
    await bot.press(DAY, step_of(bot, DAY), "ho:skip")
    confirm = step_of(bot, DAY)
    assert "请确认交接记录" in confirm.text and "ho:file" in str(confirm.buttons())
    await bot.press(DAY, confirm, "ho:file")
    filed = bot.api.last(DAY, "editMessageText").text
    assert "已保存" in filed and "已通知" not in filed  # the outbox tells the supervisors, later

    await bot.deliver()
    parts = [c.text for c in bot.api.sent(SUP) if c.result]
    assert len(parts) >= 2
    for number in range(1, ITEMS + 1):
        assert sum(f"tb_buyer{number:02d}" in p for p in parts) == 1
    assert bot.api.sent(SUP)[-1].buttons()  # the status button under the last part
    async with bot.services.db.transaction() as repos:
        rows = (await repos.session.scalars(select(OutboxMessage))).all()
        assert rows and all(r.sent_at is not None and r.failed_at is None for r in rows)
        assert len((await repos.session.scalars(select(HandoffNote))).all()) == 1

    clock.advance(hours=7)  # the night shift writes its note: the open items are carried, capped
    await bot.send(NIGHT, "/handoff")
    first = step_of(bot, NIGHT)
    assert first.text.count("↪") == CARRY_MAX
    assert t("handoff.more_open", count=ITEMS - CARRY_MAX, escape=False) in first.text
    shown = await bot.press(NIGHT, first, "ho:open")  # the items not carried, to read in full
    listed = "\n".join(c.text for c in shown if c.method == "sendMessage")
    assert all(f"tb_buyer{n:02d}" in listed for n in range(CARRY_MAX + 1, ITEMS + 1))
    await bot.send(NIGHT, "李女士 等换货单号")  # after the carried ones: numbered as the list shows it
    added = bot.api.last(NIGHT).text
    assert f"已记下第 {CARRY_MAX + 1} 条" in added and f"{CARRY_MAX + 1}. 李女士 等换货单号" in added

    assert not bot.api.refused  # nothing the bot sent was over Telegram's limits
    for call in bot.api.calls:
        assert over_limits(call) is None, (call.method, len(call.text))


@pytest.mark.parametrize("char", ["等", "<", "🙂"])
def test_the_largest_note_fits_telegram_in_every_message(char: str) -> None:
    """MAX_ITEMS typed items and CARRY_MAX carried, each MAX_ITEM_CHARS long (``<`` grows fourfold
    when escaped): every step, the confirmation and every message about the note fit."""
    from bot.handoffs import messages
    from bot.handoffs.note import MAX_ITEMS, TYPED_SECTIONS, Draft, Item, NoteView
    from bot.telegram.handlers.handoff import step_message

    text = char * MAX_ITEM_CHARS
    items = [Item(n, TYPED_SECTIONS[n % len(TYPED_SECTIONS)], text, carried=n < CARRY_MAX)
             for n in range(MAX_ITEMS + CARRY_MAX)]
    for step in range(6):
        message, keyboard = step_message(Draft(step, items, more_open=99), before=t("handoff.added", count=40))
        assert len(message) <= 4096 and "ho:" in str(keyboard.to_dict())
    note = NoteView(1, "慧兰 (A07)", "T1", "白班", "晚班", datetime(2026, 11, 24, 17, tzinfo=SHANGHAI),
                    datetime(2026, 11, 24, 16, 50, tzinfo=SHANGHAI), items)
    summary, _ = messages.summary(note, SHANGHAI)
    shown, keyboard = messages.for_next_shift(note, SHANGHAI)
    for part in [*summary, *shown, *messages.escalation(note, SHANGHAI, 30)]:
        assert len(part) <= 4096
    assert sum(len(row) for row in keyboard["inline_keyboard"]) <= 100
    lines = "\n".join(summary).splitlines()
    assert len([line for line in lines if line.endswith(html.escape(text[-5:]))]) == len(items)  # nothing left out
