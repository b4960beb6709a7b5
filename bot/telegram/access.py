"""Who may do what: the roster guard (handler group -1) and the role check on commands.

Strangers get one polite refusal per message and nothing else: what they send is neither
stored nor processed. The only thing a stranger can do is ``/start CODE`` with an invite.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from bot.roster.roles import Role
from bot.telegram.context import KefuContext
from bot.telegram.menus import set_menu
from bot.texts import role_label, t

Callback = Callable[[Update, KefuContext], Awaitable[Any]]


def _is_invite(update: Update) -> bool:
    """``/start CODE`` (or ``/start@bot CODE``): the one thing a stranger may send."""
    message = update.message
    words = (message.text or "").split() if message else []
    return len(words) == 2 and words[0].split("@")[0] == "/start"


async def identify(update: Update, context: KefuContext) -> None:
    user, chat = update.effective_user, update.effective_chat
    if user is None or (chat is not None and chat.type != ChatType.PRIVATE):
        raise ApplicationHandlerStop  # the bot works in private chats only; groups are ignored
    context.member = member = await context.services.roster.member(user.id)
    if member is not None:
        if (member.telegram_id, member.role) not in context.bot_data.menus:
            await set_menu(context.bot, member, context.bot_data.menus)  # a member added on the command line, or a new role
        return
    if _is_invite(update):
        return
    if update.callback_query is not None:
        await update.callback_query.answer(t("access.stranger", escape=False), show_alert=True)
    elif update.message is not None:
        await update.message.reply_text(t("access.stranger"))
    raise ApplicationHandlerStop


def requires(role: Role) -> Callable[[Callback], Callback]:
    """Refuse, clearly, a command above the sender's role."""

    def decorate(callback: Callback) -> Callback:
        @functools.wraps(callback)
        async def guarded(update: Update, context: KefuContext) -> Any:
            if context.me.role.at_least(role):
                return await callback(update, context)
            message = update.effective_message
            if message is not None and message.document is not None:  # a file sent for 质检
                text = t("access.denied_upload", needed=role_label(role), role=role_label(context.me.role))
            else:
                text = t("access.denied", command=_command(update), needed=role_label(role),
                         role=role_label(context.me.role))
            if message is not None:
                await message.reply_text(text)
            return None

        return guarded

    return decorate


def _command(update: Update) -> str:
    text = update.effective_message.text if update.effective_message else None
    return (text or "/").split()[0].lstrip("/").split("@")[0]
