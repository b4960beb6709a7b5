"""``/start [CODE]``, ``/help`` and what is left over (unknown commands, non-text)."""

from __future__ import annotations

from telegram import Update

from bot.telegram.context import KefuContext
from bot.telegram.menus import help_text, set_menu
from bot.texts import role_label, t


async def start(update: Update, context: KefuContext) -> None:
    message = update.message
    if message is None or update.effective_user is None:
        return
    if context.member is not None:
        await message.reply_text(t("start.again", name=context.member.name))
        return
    services = context.services
    member = await services.roster.redeem(context.arguments["code"], update.effective_user.id, services.now())
    await set_menu(context.bot, member, context.bot_data.menus)
    await message.reply_text(t("start.welcome", name=member.name, team=member.team, role=role_label(member.role)))


async def show_help(update: Update, context: KefuContext) -> None:
    if update.message is not None:
        await update.message.reply_text(help_text(context.me.role))


async def unknown_command(update: Update, context: KefuContext) -> None:
    message = update.message
    if message is not None and message.text:
        command = message.text.split()[0].lstrip("/").split("@")[0]
        await message.reply_text(t("access.unknown_command", command=command))


async def not_text(update: Update, context: KefuContext) -> None:
    if update.message is not None:
        await update.message.reply_text(t("draft.not_text"))
