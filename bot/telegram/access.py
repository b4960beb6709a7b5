"""Who may talk to the bot: the roster guard (handler group -2); the role each command needs is
checked by :mod:`bot.telegram.commands`.

Strangers get one polite refusal per message and nothing else: what they send is neither
stored nor processed. The only thing a stranger can do is ``/start CODE`` with an invite.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from bot.telegram.context import KefuContext
from bot.telegram.menus import set_menu
from bot.texts import t

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
