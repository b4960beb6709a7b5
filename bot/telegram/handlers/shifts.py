"""``/on`` (上班), ``/off`` (下班) and ``/shift`` (who is on)."""

from __future__ import annotations

from telegram import Update

from bot.telegram import outbox_sender
from bot.telegram.context import KefuContext
from bot.texts import t


async def go_on(update: Update, context: KefuContext) -> None:
    message = update.message
    assert message is not None
    services = context.services
    went = await services.handoffs.go_on(context.me, services.now(), context.arguments.get("shift"))
    assert went.shift is not None
    lines = [t("shift.on", shift=went.shift.label())]
    if went.notes_queued:
        lines.append(t("shift.on_notes"))
    await message.reply_text("\n".join(lines))
    if went.notes_queued:
        outbox_sender.kick(context)


async def go_off(update: Update, context: KefuContext) -> None:
    message = update.message
    assert message is not None
    services = context.services
    went = await services.handoffs.go_off(context.me, services.now())
    lines = [t("shift.off", shift=went.shift_name or "")]
    if not went.has_note:
        lines.append(t("shift.off_no_note", minutes=int(services.settings.handoff_missing_after_minutes)))
    if went.untagged:
        lines.append(t("shift.off_untagged", count=len(went.untagged), numbers="、".join(went.untagged[:10])))
    await message.reply_text("\n".join(lines))


async def who_is_on(update: Update, context: KefuContext) -> None:
    message = update.message
    assert message is not None
    team = context.me.team
    people = await context.services.handoffs.on_shift(team, context.services.now())
    if not people:
        await message.reply_text(t("shift.who_none", team=team))
        return
    lines = [t("shift.who_title", team=team, count=len(people))]
    lines += [t("shift.who_line", name=name, shift=shift) for name, shift in people]
    await message.reply_text("\n".join(lines))
