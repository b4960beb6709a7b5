"""Sending what the outbox owes: a repeating job (``outbox:deliver``) and a kick after queueing.

Every replica delivers; a message goes out from the one that claimed it (see
:mod:`bot.outbox`). For each message of a claimed batch: renew the claim, send within
:data:`SEND_BOUND` of the claim (so no other replica can take it over while a send of it
may still be in flight), settle it only while the claim is still ours:

- sent → recorded; a 429 → put back until ``retry_after``, the pass ends;
- never written (connection refused, reset before writing: :class:`NotSent`) → tried again
  after a backoff, the pass ends (Telegram is unreachable); after
  ``OUTBOX_ALERT_AFTER_ATTEMPTS`` tries the admins hear of it;
- refused for good (blocked bot: hourly; bad request: never again) → the admins hear of it;
- no answer (a timeout after writing, a connection lost while waiting, a 5xx, the bound
  reached) → ``uncertain``: Telegram may have delivered it, so it is not sent again; the
  admins hear of it once, ``/outbox`` lists it.

No send here goes through the limiter's retries (``NO_RETRIES``): a failure goes back to
the database, so a long outage costs no memory and survives a restart.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from datetime import timedelta
from enum import Enum

from telegram import InlineKeyboardMarkup, Message
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter
from telegram.ext import Application, CallbackContext
from telegram.warnings import PTBDeprecationWarning

from bot.outbox import Pending
from bot.telegram.admins import notify_admins
from bot.telegram.context import KefuContext
from bot.telegram.resilience import NO_RETRIES, NotSent
from bot.texts import t

log = logging.getLogger(__name__)
JOB = "outbox:deliver"
MAX_PER_PASS = 50
SEND_BOUND = 0.75  # a send may take this share of a claim; past it, it is cut short (uncertain)
READ_TIMEOUT = 30.0  # seconds an outbox send waits for Telegram's answer (a direct reply: 5)


class Outcome(Enum):
    SENT = "sent"
    SETTLED = "settled"  # not sent, and the next message may go (refused, failed, uncertain)
    STOP = "stop"  # not sent, and the pass ends (Telegram unreachable or asking us to wait)
    LOST = "lost"  # the claim was no longer ours: another replica has it


def busy(application: Application) -> bool:
    """Whether a pass is running in this application (tests wait for it)."""
    return application.bot_data.outbox_pass.locked()


async def deliver(context: KefuContext) -> int:
    """Passes until nothing due is left unclaimed (or Telegram fails); returns how many went
    out. One pass at a time in this process; replicas share the work by claims."""
    lock = context.bot_data.outbox_pass
    if lock.locked():
        return 0
    async with lock:
        return await _deliver(context)


async def _deliver(context: KefuContext) -> int:
    services = context.services
    sent = tried = 0
    uncertain: list[Pending] = []
    while tried < MAX_PER_PASS:
        batch = await services.outbox.claim(services.now())
        if not batch:
            break
        outcome = Outcome.SETTLED
        for n, message in enumerate(batch):
            tried += 1
            outcome = await _send_one(context, message, uncertain)
            sent += outcome is Outcome.SENT
            if outcome is Outcome.STOP:
                for rest in batch[n + 1:]:  # not tried: another pass, here or in another replica
                    await services.outbox.release(rest.id)
                break
        if outcome is Outcome.STOP:
            break
    if uncertain:
        await notify_admins(context.bot, services, t(
            "outbox.uncertain", escape=False, count=len(uncertain),
            chats=", ".join(f"<code>{m.chat_id}</code>" for m in uncertain[:10])))
    return sent


async def _send_one(context: KefuContext, message: Pending, uncertain: list[Pending]) -> Outcome:
    services = context.services
    outbox = services.outbox
    if not await outbox.renew(message.id, services.now()):
        return Outcome.LOST
    try:
        async with asyncio.timeout(outbox.claim_for.total_seconds() * SEND_BOUND):
            result = await _send(context, message)
    except Forbidden as error:  # blocked the bot: kept, tried again hourly, the admins told once
        if await outbox.retry_later(message.id, services.now(), str(error), refused=True):
            await notify_admins(context.bot, services, t("outbox.refused", chat_id=message.chat_id, error=str(error)))
        return Outcome.SETTLED
    except BadRequest as error:
        await outbox.failed(message.id, services.now(), str(error))
        await notify_admins(context.bot, services, t("outbox.failed", chat_id=message.chat_id, error=str(error)))
        return Outcome.SETTLED
    except RetryAfter as error:  # Telegram did nothing and asks us to wait
        await outbox.put_back(message.id, services.now() + _seconds(error), str(error))
        log.warning("outbox message %s: Telegram asks to wait (%s)", message.id, error)
        return Outcome.STOP
    except NotSent as error:  # never reached Telegram: safe to try again
        alert = await outbox.retry_later(message.id, services.now(), str(error))
        log.warning("outbox message %s not sent (%s); will retry", message.id, error)
        if alert:
            await notify_admins(context.bot, services, t(
                "outbox.stuck", attempts=message.attempts + 1, chat_id=message.chat_id, error=str(error)))
        return Outcome.STOP
    except (NetworkError, TimeoutError) as error:  # may have been delivered: never sent blindly again
        reason = str(error) or error.__class__.__name__
        log.warning("outbox message %s: no answer from Telegram (%s); marked uncertain", message.id, reason)
        if await outbox.uncertain(message.id, services.now(), reason):
            uncertain.append(message)
        return Outcome.SETTLED
    if not await outbox.sent(message.id, services.now(), result.message_id):
        log.error("outbox message %s was sent after its claim was lost (another replica may send it too)",
                  message.id)
    return Outcome.SENT


def _seconds(error: RetryAfter) -> timedelta:
    with warnings.catch_warnings():  # PTB 22 warns that the int will become a timedelta: either is fine
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value if isinstance(value, timedelta) else timedelta(seconds=value)


async def _send(context: KefuContext, message: Pending) -> Message:
    markup = InlineKeyboardMarkup.de_json(message.markup, context.bot) if message.markup else None
    if message.photo is not None:
        return await context.bot.send_photo(
            message.chat_id, message.photo, caption=message.text[:1024], reply_markup=markup,
            read_timeout=READ_TIMEOUT, rate_limit_args=NO_RETRIES)
    return await context.bot.send_message(message.chat_id, message.text, reply_markup=markup,
                                          read_timeout=READ_TIMEOUT, rate_limit_args=NO_RETRIES)


def kick(context: CallbackContext) -> None:
    """Deliver now rather than at the next pass (after something was queued)."""
    if context.job_queue is not None:
        context.job_queue.run_once(deliver, when=0, name=f"{JOB}:now")


def start_delivering(application: Application) -> None:
    assert application.job_queue is not None
    seconds = application.bot_data.services.settings.outbox_poll_seconds
    application.job_queue.run_repeating(deliver, interval=seconds, first=0.5, name=JOB)
