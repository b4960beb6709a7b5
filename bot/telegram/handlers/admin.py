"""Admin commands: ``/invite``, ``/roster``, ``/reload``, ``/outbox`` (the role is checked by
:mod:`bot.telegram.commands`)."""

from __future__ import annotations

from telegram import Update

from bot.roster.invites import parse_invite
from bot.telegram.context import KefuContext
from bot.telegram.knowledge_watch import reload_report
from bot.texts import role_label, split_message, t


async def invite(update: Update, context: KefuContext) -> None:
    message = update.message
    if message is None:
        return
    services, me = context.services, context.me
    new = parse_invite(context.args or [], default_team=me.team)
    code, expires = await services.roster.invite(me, new, services.now())
    expires_local = expires.astimezone(services.settings.shop_tz).strftime("%m-%d %H:%M")
    await message.reply_text(t(
        "invite.created", code=code, expires=expires_local, name=new.name, role=role_label(new.role), team=new.team
    ))


async def roster(update: Update, context: KefuContext) -> None:
    if update.message is None:
        return
    members = await context.services.roster.members()
    lines = [t("roster.list_header", count=len(members))]
    lines += [
        t("roster.list_line", team=m.team, role=role_label(m.role), name=m.name,
          agent_id=f" ({m.agent_id})" if m.agent_id else "", telegram_id=m.telegram_id)
        for m in members
    ]
    for text in split_message(lines):
        await update.message.reply_text(text)


async def reload(update: Update, context: KefuContext) -> None:
    if update.message is None:
        return
    problems, version = await context.services.reload_and_record(context.me)
    await update.message.reply_text(reload_report(context.services, problems, version))


async def outbox(update: Update, context: KefuContext) -> None:
    if update.message is None:
        return
    services = context.services
    backlog = await services.outbox.backlog()
    oldest = ""
    if backlog.oldest_pending is not None:
        oldest = t("outbox.oldest", at=backlog.oldest_pending.astimezone(services.settings.shop_tz).strftime("%m-%d %H:%M"))
    lines = [t("outbox.status", escape=False, pending=backlog.pending, oldest=oldest, failed=backlog.failed,
               uncertain=backlog.uncertain)]
    lines += [t("outbox.uncertain_line", at=m.at.astimezone(services.settings.shop_tz).strftime("%m-%d %H:%M"),
                chat_id=m.chat_id, purpose=m.purpose, text=m.text[:60]) for m in backlog.recent_uncertain]
    await update.message.reply_text("\n".join(lines))
