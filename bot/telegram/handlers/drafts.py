"""Any plain text an agent sends is a draft to check; an edited message is checked again."""

from __future__ import annotations

from telegram import Update

from bot.telegram import webhook_reply
from bot.telegram.context import KefuContext
from bot.telegram.handlers.orders import send_logged
from bot.telegram.render import draft_message, draft_orders_notes


async def check_draft(update: Update, context: KefuContext) -> None:
    message = update.effective_message
    if message is None or not message.text:
        return
    services, member = context.services, context.me
    outcome = services.drafts.check(member, message.text, services.now())
    for flag in outcome.result.flags:
        services.metrics.flags.labels(flag.severity.value).inc()
    text, keyboard = draft_message(
        outcome, services.phrases.known_values(member), edited=update.edited_message is not None
    )
    await webhook_reply.reply(context.bot, message, text, keyboard)  # quoting the draft it is for
    if not outcome.order_numbers:
        return
    orders = await services.drafts.log_orders(member, message.chat.id, outcome.order_numbers, services.now())
    for logged in orders.logged:
        await send_logged(context, message.chat.id, logged)
    notes = draft_orders_notes(orders)
    if notes:
        await message.reply_text(notes)
