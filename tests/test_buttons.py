"""Button data: one typed table (build → parse), forged and stale buttons answered politely,
and a press that takes effect even when Telegram loses its answer (issue 14, items 5 and 9)."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from telegram.error import BadRequest

from bot import buttons as b
from bot.roster.roles import Role
from bot.storage.events import EventRepository
from bot.storage.models import Order
from bot.telegram.offline import Call, callback_json
from bot.texts import t
from tests.bot_harness import BotHarness, ManualClock

ADMIN, AGENT, OTHER_AGENT = 9001, 1001, 1002
ORDER = "3812345678901234567"
_query_ids = itertools.count(900_000)

# --- the table, without a bot -----------------------------------------------------------------

EVERY_KIND = [
    (b.FillPhrasing("apology.late_delivery.01"), "fill:apology.late_delivery.01"),
    (b.MorePhrasings("apology", "late_delivery", 2), "more:apology:late_delivery:2"),
    (b.MorePhrasings(None, None, 1), "more:-:-:1"),
    (b.PickSituation("refusal"), "sits:refusal"),
    (b.SituationPhrasings("refusal", "bargaining"), "sit:refusal:bargaining"),
    (b.TagOrder(5), "tag:5"),
    (b.TagListedOrder(2**63 - 1), "tagl:9223372036854775807"),
    (b.HandoffStep(b.HandoffAction.FILE), "ho:file"),
    (b.ReadNote(12), "hr:read:12"),
    (b.ItemDone(7), "hr:done:7"),
    (b.NoteStatus(3), "hs:3"),
    (b.OpenNote(0), "hn:0"),
    (b.PracticeScenario("late_delivery"), "pr:late_delivery"),
    (b.ProposeDraft(), "pd"),
    (b.ProposeFromPhrasing("greeting.01"), "pf:greeting.01"),
    (b.ProposalKinds(4), "pk:4"),
    (b.ProposalKind(4, "apology"), "pkk:4:apology"),
    (b.ProposalSituations(4), "pt:4"),
    (b.ProposalAllSituations(4), "pta:4"),
    (b.ProposalSituation(4, "late_delivery"), "pts:4:late_delivery"),
    (b.ProposalSituation(4, None), "pts:4:-"),
    (b.SubmitProposal(4), "ps:4"),
    (b.WithdrawProposal(4), "px:4"),
    (b.ApproveProposal(4), "pa:4"),
    (b.EditProposal(4), "pe:4"),
    (b.RejectProposal(4), "pj:4"),
    (b.RetirePhrasing("thanks.03"), "rt:thanks.03"),
    (b.KeepPhrasing("thanks.03"), "rk:thanks.03"),
    (b.DisputeFlags(), "dsp"),
    (b.ConfirmDispute(8), "dc:8"),
    (b.RejectDispute(8), "dr:8"),
    (b.MissedCategory(3, "shirk.colleague"), "mc:3:shirk.colleague"),
    (b.MissedRule(3, "shirk.colleague"), "mr:3:shirk.colleague"),
]


def test_every_kind_in_the_table_is_tested() -> None:
    assert {type(button) for button, _ in EVERY_KIND} == set(b.KINDS.values())


@pytest.mark.parametrize(("button", "data"), EVERY_KIND, ids=[d for _, d in EVERY_KIND])
def test_a_button_builds_its_wire_data_and_parses_back(button: b.Button, data: str) -> None:
    assert button.data == data  # the format buttons already in chats and in the outbox carry
    assert b.parse(data) == button
    assert b.pattern(type(button)).match(data)
    assert button.json("标签") == {"text": "标签", "callback_data": data}


FORGED = [
    "tag:abc", "tag:", "tag", "tag:1:2", "tag:-1", "tag:+1", "tag: 1", "tag:01", "tag:١", "tag:99999999999999999999",
    "hr:read", "hr:read:x", "hr:bogus:1", "hr", "more:", "more:-:-", "more:a:b:c", "pd:x:y", "pd:", "ho:jump", "ho:",
    "fill:", "fill:-", "pts:1", "zz:1", "", "tag:1" + "0" * 60, "fill:" + "a" * 60,
]


@pytest.mark.parametrize("data", FORGED)
def test_forged_data_parses_to_nothing(data: str) -> None:
    assert b.parse(data) is None


def test_parse_takes_anything_telegram_may_hand_back() -> None:
    assert b.parse(None) is None and b.parse(b"tag:1") is None and b.parse(1) is None


@pytest.mark.parametrize("button", [
    b.FillPhrasing("a" * 60),  # over 64 bytes
    b.FillPhrasing("a:b"),  # would not parse back
    b.FillPhrasing(""),
    b.FillPhrasing("-"),  # reads as "none"
    b.SituationPhrasings("refusal", "问题" * 10),  # 60 bytes of UTF-8 in 20 characters: over with the prefix
    b.TagOrder(-1),
    b.TagOrder(True),  # type: ignore[arg-type]
])
def test_building_data_that_would_not_come_back_is_a_bug(button: b.Button) -> None:
    with pytest.raises(ValueError):
        button.data


# --- pressed in the bot -----------------------------------------------------------------------


@pytest.fixture
async def bot(sqlite_url: str) -> AsyncIterator[BotHarness]:
    harness = await BotHarness.start(sqlite_url, telegram_network_retries=0)
    await harness.add(ADMIN, "老板", Role.ADMIN)
    await harness.add(AGENT, "慧兰", agent_id="A07")
    await harness.add(OTHER_AGENT, "小周", agent_id="A08")
    yield harness
    await harness.stop()


async def press_data(bot: BotHarness, user_id: int, data: str, under: Call | None = None) -> list[Call]:
    """A press with any data at all, as a forged or stale button sends it."""
    message_id = under.message_id if under is not None and under.message_id else 1
    text = under.text if under is not None else "…"
    return await bot.feed({"callback_query": callback_json(
        str(next(_query_ids)), user_id, data, message_id=message_id, message_text=text, name=bot.names[user_id])})


async def log_order(bot: BotHarness, user_id: int = AGENT) -> tuple[Call, int]:
    await bot.send(user_id, f"/order {ORDER} 赠品已备注")
    remark = bot.api.last(user_id)
    (tag,) = [x["callback_data"] for x in remark.buttons() if x.get("callback_data", "").startswith("tag:")]
    return remark, int(tag.split(":")[1])


async def tagged_at(bot: BotHarness, order_id: int) -> object:
    async with bot.services.db.transaction() as repos:
        return await repos.session.scalar(select(Order.tagged_at).where(Order.id == order_id))


def answers(calls: list[Call]) -> list[Call]:
    return [c for c in calls if c.method == "answerCallbackQuery"]


def messages(calls: list[Call]) -> list[Call]:
    """Messages sent or edited (to anyone: the admins would get a fault's traceback)."""
    return [c for c in calls if c.method.startswith(("send", "edit"))]


STALE = [
    "tag:abc", "hr:read", "more:", "pd:x:y", "tag:1" + "0" * 61,  # 65 bytes
    "zz:1", "hr:bogus:1",
    "tag:99999999999999999999", "",
]


async def test_a_step_of_a_handoff_nobody_is_writing_says_how_to_start_one(bot: BotHarness) -> None:
    calls = await press_data(bot, AGENT, "ho:next")
    (answer,) = answers(calls)
    assert "/handoff" in answer.params["text"] and answer.params["show_alert"] is True
    assert messages(calls) == []


@pytest.mark.parametrize("data", STALE)
async def test_a_forged_or_stale_button_is_answered_politely_and_changes_nothing(bot: BotHarness, data: str) -> None:
    _, order_id = await log_order(bot)
    bot.api.clear()
    calls = await press_data(bot, AGENT, data)
    (answer,) = answers(calls)
    assert answer.params["text"] == t("button.stale", escape=False) and answer.params["show_alert"] is True
    assert messages(calls) == []  # no admin told, no message edited
    assert await tagged_at(bot, order_id) is None


@pytest.mark.parametrize(("data", "key", "values"), [
    ("hr:read:424242", "handoff.not_found", {}),  # an id that does not exist
    ("hn:424242", "handoff.not_found", {}),
    ("pa:424242", "proposal.not_found", {"id": 424242}),
    ("fill:no.such.phrasing", "phrasing.gone", {}),
    ("pr:no_such_scenario", "practice.unknown", {"given": "no_such_scenario"}),
])
async def test_a_button_for_something_that_does_not_exist_says_so(
    bot: BotHarness, data: str, key: str, values: dict[str, object],
) -> None:
    await bot.add(3001, "王主管", Role.SUPERVISOR)
    calls = await press_data(bot, 3001, data)
    (answer,) = answers(calls)
    assert answer.params["text"] == t(key, escape=False, **values)
    assert messages(calls) == []


async def test_someone_elses_order_is_not_tagged(bot: BotHarness) -> None:
    _, order_id = await log_order(bot, OTHER_AGENT)
    calls = await press_data(bot, AGENT, f"tag:{order_id}")
    (answer,) = answers(calls)
    assert answer.params["text"] == t("order.not_yours", escape=False)
    assert messages(calls) == []
    assert await tagged_at(bot, order_id) is None


@pytest.mark.parametrize("refusal", [
    "Bad Request: query is too old and response timeout expired or query id is invalid",
    None,  # the network
])
async def test_a_press_whose_answer_fails_still_takes_effect(bot: BotHarness, refusal: str | None) -> None:
    """Before: the handler answered first, the failed answer ended it, the order stayed untagged."""
    remark, order_id = await log_order(bot)
    bot.api.failing["answerCallbackQuery"] = refusal
    calls = await bot.press(AGENT, remark, f"tag:{order_id}")
    assert await tagged_at(bot, order_id) is not None
    (edit,) = [c for c in calls if c.method == "editMessageText"]
    assert "已备注" in edit.text and edit.params["message_id"] == remark.message_id
    assert bot.api.sent(ADMIN) == []  # not a fault: nobody is sent a traceback
    assert [c.method for c in bot.api.refused] == (["answerCallbackQuery"] if refusal else [])


async def test_a_lost_answer_that_was_all_the_user_would_see_is_said_in_the_chat(bot: BotHarness) -> None:
    """A refusal (or a toast-only result such as 已读 ✅) lives in the answer: lost, it comes as a message."""
    _, order_id = await log_order(bot, OTHER_AGENT)
    bot.api.failing["answerCallbackQuery"] = "Bad Request: query is too old and response timeout expired"
    calls = await press_data(bot, AGENT, f"tag:{order_id}")
    assert [c.text for c in calls if c.method == "sendMessage"] == [t("order.not_yours")]
    assert await tagged_at(bot, order_id) is None


async def test_a_fault_during_the_work_rolls_it_back_and_says_the_press_failed(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch,
) -> None:
    remark, order_id = await log_order(bot)

    async def broken(self: EventRepository, rows: object) -> None:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(EventRepository, "add_all", broken)  # inside tag's transaction, after the change
    calls = await bot.press(AGENT, remark, f"tag:{order_id}")
    (answer,) = answers(calls)
    assert answer.params["text"] == t("button.failed", escape=False) and answer.params["show_alert"] is True
    assert [c for c in calls if c.method == "editMessageText"] == []
    assert await tagged_at(bot, order_id) is None  # rolled back
    assert "the disk is full" in bot.api.last(ADMIN).text  # a fault: the admins are told


async def test_pressing_tagged_twice_is_no_fault(bot: BotHarness) -> None:
    remark, order_id = await log_order(bot)
    await bot.press(AGENT, remark, f"tag:{order_id}")
    calls = await bot.press(AGENT, remark, f"tag:{order_id}")
    assert len(answers(calls)) == 1 and bot.api.sent(ADMIN) == []


async def test_an_order_tagged_elsewhere_its_other_messages_say_so(sqlite_url: str) -> None:
    """Before: the reminder kept 已备注 ✅ after the order was tagged from the list, and the
    /order message's button, pressed then, answered as if it had just been tagged."""
    clock = ManualClock(datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    bot = await BotHarness.start(sqlite_url, clock=clock, outbox_poll_seconds=3600, scheduler_seconds=3600)
    try:
        await bot.add(AGENT, "慧兰", agent_id="A07")
        remark, order_id = await log_order(bot)
        clock.advance(minutes=11)
        await bot.sweep()
        reminder = bot.api.last(AGENT)
        assert "还没有备注" in reminder.text and f"tag:{order_id}" in str(reminder.buttons())
        await bot.send(AGENT, "/orders")
        await bot.press(AGENT, bot.api.last(AGENT), f"tagl:{order_id}")
        (edit,) = [c for c in bot.api.sent(AGENT, "editMessageText") if c.params["message_id"] == reminder.message_id]
        assert f"订单 <code>{ORDER}</code> 已备注" in edit.text and not edit.buttons()

        calls = await bot.press(AGENT, remark, f"tag:{order_id}")  # the /order message's button, stale now
        assert answers(calls)[0].params["text"] == t("order.tagged_before", escape=False, number=ORDER)
        (shown,) = [c for c in calls if c.method == "editMessageText"]
        assert shown.params["message_id"] == remark.message_id and "已备注" in shown.text and not shown.buttons()
        assert len(await bot.events("order_tagged")) == 1
    finally:
        await bot.stop()


# --- the offline Bot API keeps Telegram's limits ------------------------------------------------


@pytest.mark.parametrize(("send", "description"), [
    (lambda bot: bot.send_message(AGENT, "字" * 4097), "message is too long"),
    (lambda bot: bot.send_message(AGENT, ""), "message text is empty"),
    (lambda bot: bot.send_photo(AGENT, b"png", caption="字" * 1025), "caption is too long"),
    (lambda bot: bot.send_message(AGENT, "好", reply_markup=_keyboard(101, "x")), "REPLY_MARKUP_TOO_LONG"),
    (lambda bot: bot.send_message(AGENT, "好", reply_markup=_keyboard(1, "x" * 65)), "BUTTON_DATA_INVALID"),
    (lambda bot: bot.edit_message_text("字" * 4097, chat_id=AGENT, message_id=1), "message is too long"),
])
async def test_the_offline_bot_api_refuses_what_telegram_refuses(bot: BotHarness, send: object, description: str) -> None:
    with pytest.raises(BadRequest, match="(?i)" + description):
        await send(bot.app.bot)  # type: ignore[operator]
    assert bot.api.sent(AGENT) == [] and len(bot.api.refused) == 1


async def test_the_limits_count_what_telegram_counts(bot: BotHarness) -> None:
    """4096 characters after HTML parsing (tags do not count), 64 bytes of UTF-8, 100 buttons."""
    await bot.app.bot.send_message(AGENT, "<b>" + "&lt;" * 4096 + "</b>")
    await bot.app.bot.send_message(AGENT, "好", reply_markup=_keyboard(100, "x" * 64))
    await bot.app.bot.send_photo(AGENT, b"png", caption="字" * 1024)
    assert bot.api.refused == []


def _keyboard(count: int, data: str) -> object:
    from telegram import InlineKeyboardButton, InlineKeyboardMarkup

    buttons = [InlineKeyboardButton(str(n), callback_data=data) for n in range(count)]
    return InlineKeyboardMarkup([buttons[i : i + 8] for i in range(0, count, 8)])
