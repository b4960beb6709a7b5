"""Any plain text an agent sends is a draft to check; an edited message is checked again."""

from __future__ import annotations

from telegram import Update

from bot.telegram.context import KefuContext
from bot.telegram.handlers.orders import send_logged
from bot.telegram.render import draft_message


async def check_draft(update: Update, context: KefuContext) -> None:
    message = update.effective_message
    if message is None or not message.text:
        return
    services, member = context.services, context.me
    outcome = await services.drafts.check(member, message.chat.id, message.text, services.now())
    text, keyboard = draft_message(
        outcome, services.phrases.known_values(member), edited=update.edited_message is not None
    )
    await message.reply_text(text, reply_markup=keyboard, do_quote=True)  # which draft this verdict is for
    for logged in outcome.orders:
        await send_logged(context, message.chat.id, logged)
