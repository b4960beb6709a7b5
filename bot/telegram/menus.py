"""The command menu (``setMyCommands``) per role, and ``/help`` text per role."""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import TelegramError

from bot.roster.people import Member
from bot.roster.roles import Role
from bot.texts import t

log = logging.getLogger(__name__)

# (command, description, lowest role that may use it), in menu order.
COMMANDS: tuple[tuple[str, str, Role], ...] = (
    ("greet", "问候语（按时间）", Role.AGENT),
    ("sorry", "道歉语，可加情境：/sorry 快递延迟", Role.AGENT),
    ("refuse", "婉转拒绝，可加情境：/refuse 砍价", Role.AGENT),
    ("phrase", "按情境找话术：/phrase 客户嫌贵", Role.AGENT),
    ("order", "记录订单，生成后台备注：/order 订单号 [备注]", Role.AGENT),
    ("orders", "还没备注的订单", Role.AGENT),
    ("on", "上班", Role.AGENT),
    ("off", "下班", Role.AGENT),
    ("handoff", "写交接记录", Role.AGENT),
    ("shift", "谁在班上", Role.AGENT),
    ("practice", "上机练习（我扮演顾客）", Role.AGENT),
    ("propose", "提议新的标准话术：/propose 话术", Role.AGENT),
    ("thanks", "道谢语", Role.AGENT),
    ("bye", "告别语", Role.AGENT),
    ("wait", "等待语", Role.AGENT),
    ("explain", "解释语", Role.AGENT),
    ("consent", "商量语", Role.AGENT),
    ("congrats", "祝贺语", Role.AGENT),
    ("ask", "征询语", Role.AGENT),
    ("reply", "应答语", Role.AGENT),
    ("help", "我能做什么", Role.AGENT),
    ("handoffs", "交接记录与阅读情况：/handoffs [日期] [团队]", Role.SUPERVISOR),
    ("report", "日报：/report [日期] [团队]", Role.SUPERVISOR),
    ("proposals", "待审批的提议", Role.SUPERVISOR),
    ("rule", "提议新的禁用语", Role.SUPERVISOR),
    ("flags", "客服申诉的标记（这句没问题）", Role.SUPERVISOR),
    ("missed", "漏标的违规：/missed 规则或类别 原句", Role.SUPERVISOR),
    ("knowledge", "知识库版本与回滚：/knowledge [版本号]", Role.SUPERVISOR),
    ("usage", "话术使用情况与退役：/usage [天数]", Role.SUPERVISOR),
    ("invite", "生成邀请码：/invite agent A07 慧兰", Role.ADMIN),
    ("roster", "查看名单", Role.ADMIN),
    ("reload", "重新加载知识库", Role.ADMIN),
    ("outbox", "待发与失败的消息", Role.ADMIN),
)


def commands_for(role: Role) -> list[BotCommand]:
    return [BotCommand(name, description) for name, description, lowest in COMMANDS if role.at_least(lowest)]


def help_text(role: Role) -> str:
    parts = [t("help.agent"), t("help.shift"), t("help.practice")]
    parts += [t(f"help.{r.value}") for r in (Role.SUPERVISOR, Role.TEAM_LEAD, Role.ADMIN) if role.at_least(r)]
    return "".join(parts)


async def set_default_menu(bot: Bot) -> None:
    try:
        await bot.set_my_commands(
            [BotCommand("start", t("menu.start")), BotCommand("help", t("menu.help"))], scope=BotCommandScopeDefault()
        )
    except TelegramError as error:
        log.warning("could not set the default command menu: %s", error)


async def set_menu(bot: Bot, member: Member, done: set[tuple[int, str]]) -> None:
    """The member's own menu, once per role; a failure is logged, never fatal (a convenience)."""
    try:
        await bot.set_my_commands(commands_for(member.role), scope=BotCommandScopeChat(member.telegram_id))
        done.add((member.telegram_id, member.role))
    except TelegramError as error:
        log.warning("could not set the command menu of %s: %s", member.label, error)
