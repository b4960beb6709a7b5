"""The repeating checks (``handoff:sweep``): the handoff book's, and the daily reports that
have fallen due. What fell due is queued in the outbox, then the outbox is kicked. The truth
is in the database, so a restart only delays a check until the first sweep after start-up."""

from __future__ import annotations

from telegram.ext import Application

from bot.telegram import outbox_sender
from bot.telegram.context import KefuContext

JOB = "handoff:sweep"


async def sweep(context: KefuContext) -> int:
    services = context.services
    queued = await services.handoffs.sweep(services.now())
    queued += await services.reports.send_due(services.now())
    if queued:
        outbox_sender.kick(context)
    return queued


def start_sweeping(application: Application) -> None:
    assert application.job_queue is not None
    seconds = application.bot_data.services.settings.scheduler_seconds
    application.job_queue.run_repeating(sweep, interval=seconds, first=1.0, name=JOB)
