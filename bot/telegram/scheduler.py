"""The repeating checks (``handoff:sweep``): order reminders, the handoff book's checks, the
daily reports and the retirement offer that have fallen due, and forgetting old webhook
update ids. What fell due is queued in the outbox, then the outbox is kicked. The truth is in
the database, so a restart only delays a check until the first sweep after start-up; a lease
lets one replica at a time sweep."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from telegram.ext import Application

from bot.orders.desk import OrderView
from bot.storage.claims import forget_claims
from bot.telegram import outbox_sender
from bot.telegram.context import KefuContext
from bot.telegram.render import reminder_message

JOB = "handoff:sweep"
LEASE_MIN_SECONDS = 10.0
KEEP_CLAIMS = timedelta(hours=48)  # webhook update ids: Telegram retries an update for up to 24 h


def reminder_for_outbox(order: OrderView, now: datetime) -> tuple[str, dict[str, Any]]:
    text, keyboard = reminder_message(order, now)
    return text, keyboard.to_dict()


async def sweep(context: KefuContext) -> int:
    services = context.services
    ttl = timedelta(seconds=max(LEASE_MIN_SECONDS, 3 * services.settings.scheduler_seconds))
    if not await services.leases.acquire(JOB, ttl, services.now()):
        return 0  # another replica sweeps
    queued = await services.orders.queue_due_reminders(services.now(), reminder_for_outbox)
    queued += await services.handoffs.sweep(services.now())
    queued += await services.reports.send_due(services.now())
    queued += await services.usage.offer_retirement(services.now())
    await forget_claims(services.db, services.now() - KEEP_CLAIMS)
    if queued:
        outbox_sender.kick(context)
    return queued


async def sweep_now(application: Application) -> None:
    """The sweep at once, ahead of its schedule: local mode's page then opens with what was
    already owed (the demo day's reminders and notes) queued, not arriving a moment later."""
    assert application.job_queue is not None
    for job in application.job_queue.get_jobs_by_name(JOB):
        await job.run(application)


def start_sweeping(application: Application) -> None:
    assert application.job_queue is not None
    seconds = application.bot_data.services.settings.scheduler_seconds
    application.job_queue.run_repeating(sweep, interval=seconds, first=1.0, name=JOB)
