"""The command menu (``setMyCommands``) per role, and ``/help`` text per role."""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import TelegramError

from bot.commands import COMMANDS
from bot.roster.people import Member
from bot.roster.roles import Role
from bot.texts import t

log = logging.getLogger(__name__)

def commands_for(role: Role) -> list[BotCommand]:
    """The menu of a role: the commands of :mod:`bot.commands` open to it, in table order."""
    return [BotCommand(c.name, t(f"menu.{c.name}")) for c in COMMANDS
            if c.menu and c.role is not None and role.at_least(c.role)]


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
