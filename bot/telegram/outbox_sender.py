"""Sending what the outbox owes: a repeating job (``outbox:deliver``) and a kick after queueing.

Each message is tried once per pass, without the limiter's own network retries: a failure
goes back to the database with a backoff, so a long Telegram outage costs no memory and
survives a restart. Refusals for good (blocked bot, chat gone) stop the retries; both kinds
of trouble reach the admins. A user who blocked the bot is tried again hourly.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from telegram import InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError
from telegram.ext import Application, CallbackContext

from bot.telegram.admins import notify_admins
from bot.telegram.context import KefuContext
from bot.telegram.resilience import NO_RETRIES
from bot.texts import t

log = logging.getLogger(__name__)
JOB = "outbox:deliver"
LEASE_MIN_SECONDS = 10.0
_lock = asyncio.Lock()  # one pass at a time in this process


async def deliver(context: KefuContext) -> int:
    """One pass over the due messages; returns how many went out. One pass at a time in this
    process, and one replica at a time (a lease), so no message is sent twice."""
    if _lock.locked():
        return 0
    async with _lock:
        services = context.services
        ttl = timedelta(seconds=max(LEASE_MIN_SECONDS, 5 * services.settings.outbox_poll_seconds))
        if not await services.leases.acquire(JOB, ttl, services.now()):
            return 0
        return await _deliver(context)


async def _deliver(context: KefuContext) -> int:
    services = context.services
    outbox = services.outbox
    sent = 0
    for message in await outbox.due(services.now()):
        markup = InlineKeyboardMarkup.de_json(message.markup, context.bot) if message.markup else None
        try:
            if message.photo is not None:
                result = await context.bot.send_photo(
                    message.chat_id, message.photo, caption=message.text[:1024], reply_markup=markup,
                    rate_limit_args=NO_RETRIES,
                )
            else:
                result = await context.bot.send_message(
                    message.chat_id, message.text, reply_markup=markup, rate_limit_args=NO_RETRIES
                )
        except Forbidden as error:  # blocked the bot: kept, tried again hourly, the admins told once
            if await outbox.retry_later(message.id, services.now(), str(error), refused=True):
                await notify_admins(context.bot, services, t("outbox.refused", chat_id=message.chat_id, error=str(error)))
            continue
        except BadRequest as error:
            await outbox.failed(message.id, services.now(), str(error))
            await notify_admins(context.bot, services, t("outbox.failed", chat_id=message.chat_id, error=str(error)))
            continue
        except NetworkError as error:
            alert = await outbox.retry_later(message.id, services.now(), str(error))
            log.warning("outbox message %s not sent (%s); will retry", message.id, error)
            if alert:
                await notify_admins(context.bot, services, t(
                    "outbox.stuck", attempts=message.attempts + 1, chat_id=message.chat_id, error=str(error)))
            break  # Telegram is unreachable: the rest waits for the next pass
        await outbox.sent(message.id, services.now(), result.message_id)
        sent += 1
    return sent


def kick(context: CallbackContext) -> None:
    """Deliver now rather than at the next pass (after something was queued)."""
    if context.job_queue is not None:
        context.job_queue.run_once(deliver, when=0, name=f"{JOB}:now")


def start_delivering(application: Application) -> None:
    assert application.job_queue is not None
    seconds = application.bot_data.services.settings.outbox_poll_seconds
    application.job_queue.run_repeating(deliver, interval=seconds, first=0.5, name=JOB)
