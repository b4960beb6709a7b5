"""Reading handoff notes: ``/handoffs`` for supervisors, and the buttons under a note
(``hr:read:NOTE``, ``hr:done:ITEM`` for the next shift; ``hs:NOTE`` status, ``hn:NOTE`` open)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, Update

from bot.dates import parse_day
from bot.errors import UserError
from bot.handoffs import messages
from bot.handoffs.note import NoteView
from bot.roster.roles import Role
from bot.telegram.access import requires
from bot.telegram.context import KefuContext
from bot.telegram.render import grid
from bot.texts import split_message, t


def status_text(note: NoteView, context: KefuContext) -> str:
    return t("handoff.status", escape=False,
             header=messages.note_header(note, context.services.settings.shop_tz),
             readers=", ".join(note.readers) or t("handoff.status_nobody"),
             escalated=t("handoff.status_escalated") if note.escalated else "", open=note.open_items)


@requires(Role.SUPERVISOR)
async def list_notes(update: Update, context: KefuContext) -> None:
    message = update.message
    assert message is not None
    services, me = context.services, context.me
    day, team = services.local_now().date(), me.team
    for word in context.args or ():
        parsed = parse_day(word, services.local_now().date(), "handoffs")
        if parsed is not None:
            day = parsed
        elif me.role.at_least(Role.ADMIN) and word.lower() in ("all", "全部"):
            team = None  # type: ignore[assignment]
        elif me.role.at_least(Role.ADMIN) or word == me.team:
            team = word
        else:
            raise UserError("handoff.not_found")
    notes = await services.handoffs.notes(team, day)
    label = team or t("handoffs.all_teams")
    if not notes:
        await message.reply_text(t("handoffs.none", team=label, day=f"{day:%Y-%m-%d}"))
        return
    tz = services.settings.shop_tz
    lines = [t("handoffs.title", team=label, day=f"{day:%Y-%m-%d}", count=len(notes))]
    lines += [t("handoffs.line", id=n.id, author=n.author, shift=n.shift_name or "—",
                filed=n.filed_at.astimezone(tz).strftime("%H:%M"), read=len(n.readers), open=n.open_items,
                escalated=" ⚠️" if n.escalated else "") for n in notes]
    buttons = [InlineKeyboardButton(t("handoff.button_open", id=n.id), callback_data=f"hn:{n.id}") for n in notes[:30]]
    keyboard = grid(buttons, 3)
    chunks = split_message(lines)
    for number, chunk in enumerate(chunks):
        await message.reply_text(chunk, reply_markup=keyboard if number == len(chunks) - 1 else None)


async def open_note(update: Update, context: KefuContext) -> None:
    """``hn:NOTE`` — the whole note with who has read it (supervisors)."""
    query = update.callback_query
    assert query is not None and query.data
    if not context.me.role.at_least(Role.SUPERVISOR):
        raise UserError("handoff.not_found")
    note = await context.services.handoffs.note(int(query.data.split(":")[1]), context.me)
    await query.answer()
    body = messages.note_body(note.items)
    for chunk in split_message([status_text(note, context), *body]):
        await context.bot.send_message(query.from_user.id, chunk)


async def status(update: Update, context: KefuContext) -> None:
    """``hs:NOTE`` under a summary — who has read it, as an alert."""
    query = update.callback_query
    assert query is not None and query.data
    note = await context.services.handoffs.note(int(query.data.split(":")[1]), context.me)
    readers = ", ".join(note.readers) or t("handoff.status_nobody", escape=False)
    await query.answer(f"#{note.id} 已读：{readers}"[:200], show_alert=True)


async def read_or_done(update: Update, context: KefuContext) -> None:
    query = update.callback_query
    assert query is not None and query.data
    _, action, ref = query.data.split(":")
    services = context.services
    if action == "read":
        first = await services.handoffs.read(context.me, int(ref), services.now())
        await query.answer(t("handoff.read_ok" if first else "handoff.read_again", escape=False))
    else:
        text = await services.handoffs.done(context.me, int(ref), services.now())
        await query.answer(t("handoff.done_ok", escape=False, text=text[:150]))
