"""``/report [date] [team]``: the daily report on demand (supervisors and up; the words are
read by :mod:`bot.commands`)."""

from __future__ import annotations

from telegram import Update

from bot.telegram.context import KefuContext
from bot.texts import split_message, t


async def report(update: Update, context: KefuContext) -> None:
    message = update.message
    assert message is not None
    services, arguments = context.services, context.arguments
    day = arguments.get("day") or services.local_now().date()
    team = arguments.get("team") or context.me.team
    figures = await services.reports.figures(team, day, services.now())
    for chunk in split_message(services.reports.lines(figures)):
        await message.reply_text(chunk)
    chart = await services.reports.chart(figures)
    await message.reply_photo(chart, caption=t("report.chart_caption", team=team, day=day.isoformat()))
