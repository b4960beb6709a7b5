"""Every command's words: read into typed values, or told what was wrong with that command's own
usage — first as pure reading (a table of words), then through real Updates for every command."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime
from typing import Any

import pytest

from bot.arguments import Given
from bot.commands import BY_NAME, COMMANDS
from bot.errors import UserError
from bot.roster.roles import Role
from bot.telegram.menus import commands_for
from bot.texts import ZH, t
from tests.bot_harness import BotHarness, ManualClock
from tests.report_fixture import SH

TODAY = date(2026, 11, 24)
SUPERVISOR = Given(TODAY, "T1", teams=frozenset({"T1", "T2"}))
ADMIN = Given(TODAY, "T1", any_team=True, teams=frozenset({"T1", "T2"}))


def usage_of(name: str) -> str:
    return t(BY_NAME[name].usage.usage, escape=False, command=name)


@pytest.mark.parametrize(("command", "words", "given", "expected"), [
    ("report", [], SUPERVISOR, {}),
    ("report", ["2026-11-23"], SUPERVISOR, {"day": date(2026, 11, 23)}),
    ("report", ["T1", "昨天"], SUPERVISOR, {"day": date(2026, 11, 23), "team": "T1"}),
    ("report", ["11月20日", "T2"], ADMIN, {"day": date(2026, 11, 20), "team": "T2"}),
    ("report", ["2026/11/24"], SUPERVISOR, {"day": TODAY}),
    ("handoffs", ["全部"], ADMIN, {"team": None}),
    ("usage", ["30"], SUPERVISOR, {"days": 30}),
    ("knowledge", [], SUPERVISOR, {}),
    ("knowledge", ["历史"], SUPERVISOR, {"keyword": "history"}),
    ("knowledge", ["v12"], SUPERVISOR, {"version": 12}),
    ("knowledge", ["回滚", "3", "误删", "了"], SUPERVISOR, {"keyword": "rollback", "version": 3, "reason": "误删 了"}),
    ("order", ["3812345678901234567", "赠品", "已备注"], SUPERVISOR, {"number": "3812345678901234567", "note": "赠品 已备注"}),
    ("sorry", ["快递", "延迟"], SUPERVISOR, {"words": "快递 延迟"}),
    ("orders", [], SUPERVISOR, {}),
])
def test_words_that_fit_are_read_into_typed_values(command: str, words: list[str], given: Given,
                                                   expected: dict[str, Any]) -> None:
    assert dict(BY_NAME[command].usage.read(command, words, given)) == expected


@pytest.mark.parametrize(("command", "words", "given", "why"), [
    ("report", ["2026-13-45"], SUPERVISOR, "没有 2026-13-45 这一天。"),
    ("report", ["明天"], SUPERVISOR, "2026-11-25 还没到"),
    ("report", ["2026-12-01"], SUPERVISOR, "2026-12-01 还没到"),
    ("report", ["1999-01-01"], SUPERVISOR, "超出范围"),
    ("report", ["T9"], SUPERVISOR, "没有「T9」这个团队（现有：T1、T2）"),
    ("report", ["T2"], SUPERVISOR, "只能查看本团队（T1）的"),
    ("report", ["昨天", "T1", "x"], SUPERVISOR, "多写了「x」"),
    ("handoffs", ["T9"], SUPERVISOR, "没有「T9」这个团队"),
    ("handoffs", ["全部"], SUPERVISOR, "没有「全部」这个团队"),  # every team: admins only
    ("handoffs", ["明天"], ADMIN, "还没到"),
    ("usage", ["0"], SUPERVISOR, "「0」不是天数：请写 1–365 的整数。"),
    ("usage", ["abc"], SUPERVISOR, "「abc」不是天数"),
    ("usage", ["30", "40"], SUPERVISOR, "多写了「40」"),
    ("knowledge", ["foo"], SUPERVISOR, "「foo」不是版本号"),
    ("knowledge", ["rollback"], SUPERVISOR, "缺少版本号。"),
    ("knowledge", ["rollback", "x", "原因"], SUPERVISOR, "「x」不是版本号"),
    ("knowledge", ["rollback", "3"], SUPERVISOR, "缺少原因。"),
    ("knowledge", ["3", "x"], SUPERVISOR, "多写了「x」"),
    ("order", [], SUPERVISOR, "缺少订单号。"),
    ("phrase", [], SUPERVISOR, "缺少情境描述。"),
    ("missed", [], SUPERVISOR, "缺少原句。"),
    ("invite", [], ADMIN, "缺少角色和名字。"),
    *((c.name, ["x"], SUPERVISOR, "多写了「x」") for c in COMMANDS if c.usage.usage == "args.nothing"),
])
def test_a_bad_word_is_told_with_that_commands_usage(command: str, words: list[str], given: Given, why: str) -> None:
    with pytest.raises(UserError) as raised:
        BY_NAME[command].usage.read(command, words, given)
    told = str(raised.value)
    assert why in told
    assert told.endswith(usage_of(command)), told


def test_every_command_has_a_usage_and_a_menu_line_and_menus_follow_the_roles() -> None:
    for command in COMMANDS:
        assert command.usage.usage in ZH and "用法" in usage_of(command.name), command.name
        assert not command.menu or f"menu.{command.name}" in ZH, command.name
    agent = {c.command for c in commands_for(Role.AGENT)}
    admin = {c.command for c in commands_for(Role.ADMIN)}
    assert "sorry" in agent and "report" not in agent and "invite" not in agent
    assert admin == {c.name for c in COMMANDS if c.menu}


# --- through real Updates -------------------------------------------------------------------

AGENT, SUP, ADMIN_ID = 1, 2, 3
WHO = {Role.AGENT: AGENT, Role.SUPERVISOR: SUP, Role.ADMIN: ADMIN_ID}


@pytest.fixture
async def bot(sqlite_url: str) -> AsyncIterator[BotHarness]:
    clock = ManualClock(datetime(2026, 11, 24, 10, 0, tzinfo=SH))
    harness = await BotHarness.start(sqlite_url, clock=clock, outbox_poll_seconds=3600, scheduler_seconds=3600)
    await harness.add(AGENT, "慧兰", agent_id="A07")
    await harness.add(SUP, "王主管", Role.SUPERVISOR)
    await harness.add(ADMIN_ID, "管理员", Role.ADMIN)
    await harness.add(4, "李主管", Role.SUPERVISOR, team="T2")
    try:
        yield harness
    finally:
        await harness.stop()


# (who, what is sent, what was wrong): at least one bad use of every command the bot has.
BAD = [
    (SUP, "/report 2026-13-45", "没有 2026-13-45 这一天。"),
    (SUP, "/report 明天", "2026-11-25 还没到"),
    (SUP, "/report 2026-12-01", "还没到"),
    (SUP, "/report T9", "没有「T9」这个团队（现有：T1、T2）"),
    (SUP, "/report T2", "只能查看本团队（T1）的"),
    (SUP, "/handoffs T9", "没有「T9」这个团队"),
    (SUP, "/handoffs 明天", "还没到"),
    (SUP, "/usage 0", "「0」不是天数"),
    (SUP, "/knowledge foo", "「foo」不是版本号"),
    (SUP, "/knowledge 999", "没有版本 v999。"),
    (SUP, "/knowledge rollback 1", "缺少原因。"),
    (SUP, "/missed", "缺少原句。"),
    (AGENT, "/order", "缺少订单号。"),
    (AGENT, "/order abc", "「abc」不是本店的订单号格式"),
    (AGENT, "/phrase", "缺少情境描述。"),
    (AGENT, "/on 夜班", "现在没有叫「夜班」的班次"),
    (AGENT, "/practice nope", "没有「nope」这个练习场景。"),
    (ADMIN_ID, "/invite", "缺少角色和名字。"),
    (ADMIN_ID, "/invite boss 小王", "没有「boss」这个角色"),
    *((AGENT if c.role is Role.AGENT else WHO[c.role], f"/{c.name} x", "多写了「x」")
      for c in COMMANDS if c.usage.usage == "args.nothing" and c.role is not None),
]


@pytest.mark.parametrize(("who", "text", "why"), BAD, ids=[text for _, text, _ in BAD])
async def test_every_command_tells_a_bad_argument_with_its_own_usage(bot: BotHarness, who: int, text: str,
                                                                       why: str) -> None:
    calls = await bot.send(who, text)
    replies = [c for c in calls if c.method in ("sendMessage", "sendPhoto")]
    assert len(replies) == 1, [c.text for c in replies]
    name = text.split()[0].lstrip("/")
    assert why in replies[0].text
    assert replies[0].text.endswith(t(BY_NAME[name].usage.usage, command=name)), replies[0].text


def test_the_table_of_bad_uses_covers_every_command() -> None:
    sent = {text.split()[0].lstrip("/") for _, text, _ in BAD}
    takes_words = {c.name for c in COMMANDS if c.usage.usage != "args.nothing"}
    untested = takes_words - sent - {"start", "propose", "rule"} - {c for c in takes_words if BY_NAME[c].usage.usage == "args.situation"}
    assert not untested, untested  # /start, /propose and /rule take any words; the kinds: see the matching tests


async def test_a_refused_argument_changes_nothing(bot: BotHarness) -> None:
    await bot.send(AGENT, "/on")
    await bot.send(AGENT, "/off 现在")  # a word too many: not gone off
    assert "多写了「现在」" in bot.api.last(AGENT).text
    await bot.send(AGENT, "/shift")
    assert "慧兰" in bot.api.last(AGENT).text
    await bot.send(AGENT, "/order abc 备注")
    await bot.send(AGENT, "/orders")
    assert bot.api.last(AGENT).text == t("order.list_empty")


async def test_good_arguments_still_work_and_the_role_comes_first(bot: BotHarness) -> None:
    await bot.send(AGENT, "/report T9")  # an agent: refused for the role, not told about teams
    assert "需要「主管」" in bot.api.last(AGENT).text
    await bot.send(SUP, "/report 11-23 T1")
    assert "T1 · 2026-11-23 日报" in bot.api.sent(SUP)[-1].text
    await bot.send(ADMIN_ID, "/handoffs 昨天 全部")
    assert bot.api.last(ADMIN_ID).text == t("handoffs.none", team=t("handoffs.all_teams"), day="2026-11-23")
    await bot.send(ADMIN_ID, "/report 昨天 T2")
    assert "T2 · 2026-11-23 日报" in bot.api.sent(ADMIN_ID)[-1].text
