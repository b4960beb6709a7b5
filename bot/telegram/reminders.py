"""Reminders to tag an order, as JobQueue jobs named ``remind:{order_id}``.

The database is the truth (``orders.next_reminder_at``); jobs are its in-memory echo. At
start-up every pending reminder is scheduled again, so a restart loses none: one that fell
due while the bot was down fires at once. A reminder that could not be delivered is tried
again a minute later; it counts only once it went out.
"""

from __future__ import annotations

import logging
from datetime import datetime

from telegram.error import BadRequest, Forbidden, NetworkError
from telegram.ext import Application, CallbackContext

from bot.telegram.context import KefuContext
from bot.telegram.render import reminder_message

log = logging.getLogger(__name__)
RETRY_SECONDS = 60.0
MIN_DELAY = 0.05


def _name(order_id: int) -> str:
    return f"remind:{order_id}"


def schedule(context: CallbackContext, order_id: int, at: datetime) -> None:
    """(Re)schedule the reminder of an order for ``at`` (by the services' clock)."""
    services = context.bot_data.services
    delay = max(MIN_DELAY, (at - services.now()).total_seconds())
    _schedule_in(context.application, order_id, delay)


def _schedule_in(application: Application, order_id: int, delay: float) -> None:
    job_queue = application.job_queue
    assert job_queue is not None, "python-telegram-bot[job-queue] is required"
    for job in job_queue.get_jobs_by_name(_name(order_id)):
        job.schedule_removal()
    job_queue.run_once(remind, when=delay, name=_name(order_id), data=order_id)


def cancel(context: CallbackContext, order_id: int) -> None:
    assert context.job_queue is not None
    for job in context.job_queue.get_jobs_by_name(_name(order_id)):
        job.schedule_removal()


async def remind(context: KefuContext) -> None:
    assert context.job is not None
    order_id = int(context.job.data)  # type: ignore[arg-type]
    services = context.services
    order = await services.orders.due(order_id, services.now())
    if order is None:
        return
    text, keyboard = reminder_message(order, services.now())
    try:
        await context.bot.send_message(order.chat_id, text, reply_markup=keyboard)
    except (Forbidden, BadRequest) as error:
        log.warning("reminder for order %s not deliverable (%s); counted, not retried", order_id, error)
    except NetworkError as error:
        log.warning("reminder for order %s failed (%s); retrying in %ss", order_id, error, RETRY_SECONDS)
        _schedule_in(context.application, order_id, RETRY_SECONDS)
        return
    next_at = await services.orders.reminded(order_id, services.now())
    if next_at is not None:
        schedule(context, order_id, next_at)


async def restore(application: Application) -> int:
    """Schedule every pending reminder from the database; returns how many."""
    services = application.bot_data.services
    pending = await services.orders.pending_reminders()
    now = services.now()
    for order in pending:
        assert order.next_reminder_at is not None
        _schedule_in(application, order.id, max(MIN_DELAY, (order.next_reminder_at - now).total_seconds()))
    return len(pending)
