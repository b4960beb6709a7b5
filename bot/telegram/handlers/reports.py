"""``/report [date] [team]``: the daily report on demand (team leads and supervisors)."""

from __future__ import annotations

from telegram import Update

from bot.dates import parse_day
from bot.errors import UserError
from bot.roster.roles import Role
from bot.telegram.access import requires
from bot.telegram.context import KefuContext
from bot.texts import split_message


@requires(Role.SUPERVISOR)
async def report(update: Update, context: KefuContext) -> None:
    message = update.message
    assert message is not None
    services, me = context.services, context.me
    today = services.local_now().date()
    day, team = today, me.team
    for word in context.args or ():
        parsed = parse_day(word, today, "report")
        if parsed is not None:
            day = parsed
        elif me.role.at_least(Role.ADMIN) or word == me.team:
            team = word
        else:
            raise UserError("report.usage")
    if day > today:
        raise UserError("report.usage")
    figures = await services.reports.figures(team, day, services.now())
    for chunk in split_message(services.reports.lines(figures)):
        await message.reply_text(chunk)
    for _, png, caption in await services.reports.charts(figures):
        await message.reply_photo(png, caption=caption)
