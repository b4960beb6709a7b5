"""``/report [date] [team]``: the daily report on demand (supervisors and up; the words are
read by :mod:`bot.commands`)."""

from __future__ import annotations

from telegram import Update

from bot.telegram.context import KefuContext
from bot.texts import split_message


async def report(update: Update, context: KefuContext) -> None:
    message = update.message
    assert message is not None
    services, arguments = context.services, context.arguments
    day = arguments.get("day") or services.local_now().date()
    team = arguments.get("team") or context.me.team
    figures = await services.reports.figures(team, day, services.now())
    for chunk in split_message(services.reports.lines(figures)):
        await message.reply_text(chunk)
    for _, png, caption in await services.reports.charts(figures):
        await message.reply_photo(png, caption=caption)
