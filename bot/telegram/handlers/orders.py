"""``/order``, ``/orders`` and the "tagged ✅" button."""

from __future__ import annotations

from telegram import Update

from bot.buttons import TagListedOrder, TagOrder
from bot.orders.desk import Logged
from bot.outbox import Revision
from bot.telegram.context import KefuContext
from bot.telegram.presses import Press, on_press
from bot.telegram.render import order_message, tagged_text, untagged_message
from bot.telegram.revisions import revise
from bot.texts import t


async def send_logged(context: KefuContext, chat_id: int, logged: Logged) -> None:
    """The remark to paste (its reminders come from the scheduled sweep, through the outbox)."""
    text, keyboard = order_message(logged.order, logged.new, context.services.local_now())
    await context.bot.send_message(chat_id, text, reply_markup=keyboard)


async def log_order(update: Update, context: KefuContext) -> None:
    message = update.message
    if message is None:
        return
    services, arguments = context.services, context.arguments
    number = services.orders.numbers.parse(arguments["number"])
    logged = await services.orders.log(
        context.me, message.chat.id, number, arguments.get("note", ""), services.now(), "command"
    )
    await send_logged(context, message.chat.id, logged)


async def list_untagged(update: Update, context: KefuContext) -> None:
    if update.message is None:
        return
    services = context.services
    orders = await services.orders.untagged(context.me)
    text, keyboard = untagged_message(orders, services.now())
    await update.message.reply_text(text, reply_markup=keyboard)


@on_press(TagOrder, TagListedOrder)
async def tag(update: Update, context: KefuContext, press: Press[TagOrder | TagListedOrder]) -> None:
    """``tag:ID`` under a remark or reminder; ``tagl:ID`` under the ``/orders`` list. Tagged
    before (elsewhere)? Said so, and the message pressed loses its stale button; tagged now,
    the reminders delivered about the order lose theirs too."""
    services = context.services
    tagged = await services.orders.tag(context.me, press.data.order_id, services.now())
    order = tagged.order
    press.answer(t("order.tagged_alert" if tagged.changed else "order.tagged_before", escape=False, number=order.number))
    text = tagged_text(order, services.local_now())
    if isinstance(press.data, TagListedOrder):
        await press.edit(*untagged_message(await services.orders.untagged(context.me), services.now()))
    else:
        await press.edit(text)
    if tagged.changed:
        await revise(context.bot, [Revision(r.chat_id, r.message_id, text) for r in tagged.reminders],
                     besides=press.query.message)
