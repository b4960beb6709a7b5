"""The error handler: a user's mistake is explained to them; a fault is logged, then told.

Order matters: log first (the log survives when Telegram does not), then tell the user that
nothing was recorded, then the admins with the traceback, cut to fit one message.
"""

from __future__ import annotations

import html
import logging
import traceback

from telegram import Update
from telegram.error import NetworkError, TelegramError

from bot.errors import UserError
from bot.telegram.admins import notify_admins
from bot.telegram.context import KefuContext
from bot.texts import t

log = logging.getLogger(__name__)
TRACE_CHARS = 3000
ALERT_CHARS = 200


async def on_error(update: object, context: KefuContext) -> None:
    error = context.error
    if isinstance(error, UserError) and isinstance(update, Update):
        await _tell_user(update, error)
        return
    if isinstance(error, NetworkError):
        # Telegram unreachable or too slow to answer (after the retries that are safe): telling
        # the user would go the same way, and a reply that timed out has most likely arrived
        # (the user sees it, or sees nothing and sends again). Logged and counted, no traceback.
        log.warning("Telegram did not answer while handling %s: %s", _describe(update), error)
        context.services.metrics.errors.inc()
        return
    log.error("error while handling %s", _describe(update), exc_info=error)
    context.services.metrics.errors.inc()
    if isinstance(update, Update):
        await _tell_user(update, None)
    trace = "".join(traceback.format_exception(error)) if error else "?"
    details = f"{_describe(update)}\n{trace[-TRACE_CHARS:]}"
    await notify_admins(context.bot, context.services, t("error.admin", escape=False, details=html.escape(details)))


async def _tell_user(update: Update, error: UserError | None) -> None:
    try:
        if update.callback_query is not None:
            text = t(error.key, escape=False, **error.values) if error else t("button.failed", escape=False)
            await update.callback_query.answer(text[:ALERT_CHARS], show_alert=True)
        elif update.effective_message is not None:
            text = t(error.key, **error.values) if error else t("error.user")
            await update.effective_message.reply_text(text)
    except TelegramError as failure:
        log.warning("could not tell the user about an error: %s", failure)


def _describe(update: object) -> str:
    if isinstance(update, Update):
        user = update.effective_user
        kind = "callback" if update.callback_query else "message" if update.effective_message else "update"
        return f"update {update.update_id} ({kind} from {user.id if user else '?'})"
    return "a job" if update is None else repr(update)[:200]
