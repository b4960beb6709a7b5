"""Matching words to phrasings (nothing matched is said so; a situation's pages stay in it),
drafts with no words, and how long ago in words."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bot.knowledge.store import LoadedKnowledge
from bot.phrasebook.suggest import Phrasebook
from bot.texts import t
from bot.wording import ago, span
from tests.bot_harness import BotHarness, ManualClock
from tests.report_fixture import SH


@pytest.fixture(scope="module")
def phrasebook(loaded: LoadedKnowledge) -> Phrasebook:
    return loaded.phrasebook


@pytest.mark.parametrize(("words", "kind"), [
    ("哈哈哈", None), ("asdf", None), ("哈哈哈", "thanks"), ("好评", "farewell"), ("生日", "apology"),
])
def test_words_about_no_phrasing_get_none(phrasebook: Phrasebook, words: str, kind: str | None) -> None:
    assert phrasebook.suggest(words, kind) == []


@pytest.mark.parametrize(("words", "kind", "situation"), [
    ("好评", None, "good_review"), ("好评", "thanks", "good_review"), ("差评", None, "bad_review"),
    ("快递延迟", "apology", "late_delivery"), ("发错颜色了", None, "wrong_item"),
])
def test_a_named_situation_limits_the_offers_to_it(phrasebook: Phrasebook, words: str, kind: str | None,
                                                   situation: str) -> None:
    offered = phrasebook.suggest(words, kind, limit=50)
    assert offered and all(situation in s.phrasing.situations for s in offered)


@pytest.mark.parametrize(("words", "kind"), [("早上", "greeting"), ("道歉", None), ("谢谢", None), ("急", None)])
def test_words_that_are_about_phrasings_still_find_them(phrasebook: Phrasebook, words: str, kind: str | None) -> None:
    assert phrasebook.suggest(words, kind)


@pytest.mark.parametrize(("delta", "as_ago", "as_span"), [
    (timedelta(seconds=0), "刚刚", "0 分钟"),
    (timedelta(seconds=59), "刚刚", "0 分钟"),
    (timedelta(minutes=5), "5 分钟前", "5 分钟"),
    (timedelta(hours=2), "2 小时前", "2 小时"),
    (timedelta(hours=2, minutes=3), "2 小时 3 分钟前", "2 小时 3 分钟"),
    (timedelta(days=1, hours=5), "1 天前", "1 天"),
    (timedelta(seconds=-30), "刚刚", "0 分钟"),  # a clock a little behind
])
def test_how_long_ago_in_words(delta: timedelta, as_ago: str, as_span: str) -> None:
    assert (ago(delta), span(delta)) == (as_ago, as_span)


def test_a_shift_name_reads_as_part_of_the_sentence() -> None:
    assert "白班的同事会收到" in t("handoff.filed", id=3, next="白班")
    assert "1 天前记录" in t("order.reminder", number="1", ago=ago(timedelta(days=1)), flag="红", remark="r")


# --- through real Updates -------------------------------------------------------------------

AGENT = 1


@pytest.fixture
async def bot(sqlite_url: str):  # type: ignore[no-untyped-def]
    clock = ManualClock(datetime(2026, 11, 24, 10, 0, tzinfo=SH))
    harness = await BotHarness.start(sqlite_url, clock=clock, outbox_poll_seconds=3600, scheduler_seconds=3600)
    await harness.add(AGENT, "慧兰", agent_id="A07")
    harness.clock = clock  # type: ignore[attr-defined]
    try:
        yield harness
    finally:
        await harness.stop()


@pytest.mark.parametrize(("text", "kind"), [("/bye 好评", "告别语"), ("/phrase 哈哈哈", "话术"), ("/thanks 哈哈哈", "道谢语")])
async def test_nothing_matched_is_said_so(bot: BotHarness, text: str, kind: str) -> None:
    await bot.send(AGENT, text)
    reply = bot.api.last(AGENT)
    assert reply.text.startswith(f"没有找到与「{text.split()[1]}」相符的{kind}"), reply.text
    assert "中差评" not in reply.text and "早上好" not in reply.text
    assert all("copy_text" not in b for b in reply.buttons())


async def test_more_under_a_situation_shows_only_that_situations_phrasings(bot: BotHarness, loaded: LoadedKnowledge) -> None:
    of_late = {p.text for p in loaded.knowledge.phrasings if p.kind == "apology" and "late_delivery" in p.situations}
    calls = await bot.send(AGENT, "/sorry 快递延迟")
    message, shown = calls[-1], []
    while True:
        shown += [line.split(". ", 1)[1] for line in message.text.splitlines() if line[:1].isdigit()]
        more = [b["callback_data"] for b in message.buttons() if b.get("text") == t("phrasing.more")]
        if not more:
            break
        (message,) = [c for c in await bot.press(AGENT, message, more[0]) if c.method == "editMessageText"]
    texts = [s.removeprefix("<code>").removesuffix("</code>") for s in shown]
    assert len(texts) == len(set(texts)) == len(of_late)  # every one of them, none twice
    assert all(text.replace("【订单号】", "{order_id}") in of_late for text in texts), texts


@pytest.mark.parametrize("draft", ["😀😀", "！！！", "...?", "👍 👍"])
async def test_a_draft_of_no_words_has_nothing_to_check(bot: BotHarness, draft: str) -> None:
    await bot.send(AGENT, draft)
    reply = bot.api.last(AGENT)
    assert reply.text == t("draft.no_words") and not reply.buttons()
    assert await bot.events("draft_checked") == []


async def test_an_order_logged_just_now_reads_just_now(bot: BotHarness) -> None:
    await bot.send(AGENT, "/order 3812345678901234567")
    await bot.send(AGENT, "/orders")
    assert "· 刚刚 ·" in bot.api.last(AGENT).text
    bot.clock.advance(days=1, minutes=5)  # type: ignore[attr-defined]
    await bot.send(AGENT, "/orders")
    assert "· 1 天前 ·" in bot.api.last(AGENT).text
