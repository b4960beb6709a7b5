"""Typed text and ``/cancel`` inside a multi-step flow (a handoff note, a practice run).

The flow is looked up in the database for each update (:class:`bot.flows.Flows`), so any
process or replica routes it alike. The text handler runs in its own group before the
ordinary handlers: in a flow it handles the text and stops the update there (errors too,
reported by the error handler, so that an item refused is not then checked as a draft);
in none it lets the update go on to them.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.telegram.context import KefuContext
from bot.telegram.handlers import handoff, practice
from bot.texts import t

_TYPED = {"handoff": handoff.add_item, "practice": practice.reply}
_CANCEL = {"handoff": handoff.cancel, "practice": practice.cancel}


async def typed(update: Update, context: KefuContext) -> None:
    flow = await context.services.flows.current(context.me, context.services.now())
    if flow is None:
        return
    try:
        await _TYPED[flow](update, context)
    except Exception as error:  # noqa: BLE001 — handed to the error handler, as PTB would
        await context.application.process_error(update, error)
    raise ApplicationHandlerStop


async def cancel(update: Update, context: KefuContext) -> None:
    """``/cancel``: ends the flow the member is in (the one touched last)."""
    flow = await context.services.flows.current(context.me, context.services.now())
    if flow is None:
        if update.message is not None:
            await update.message.reply_text(t("flow.nothing_to_cancel"))
        return
    await _CANCEL[flow](update, context)
