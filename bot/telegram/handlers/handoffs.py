"""Reading handoff notes: ``/handoffs`` for supervisors, and the buttons under a note
(read and done for the next shift, status for the supervisors, open from the list)."""

from __future__ import annotations

from telegram import Update

from bot.buttons import ItemDone, NoteStatus, OpenNote, ReadNote
from bot.errors import UserError
from bot.handoffs import messages
from bot.handoffs.note import NoteView
from bot.roster.roles import Role
from bot.telegram.context import KefuContext
from bot.telegram.presses import Press, inline, on_press
from bot.telegram.render import grid
from bot.telegram.revisions import keyboard, revise
from bot.texts import shorten, split_message, t


def status_text(note: NoteView, context: KefuContext) -> str:
    return t("handoff.status", escape=False,
             header=messages.note_header(note, context.services.settings.shop_tz),
             readers=", ".join(note.readers) or t("handoff.status_nobody"),
             escalated=t("handoff.status_escalated") if note.escalated else "", open=note.open_items)


async def list_notes(update: Update, context: KefuContext) -> None:
    message = update.message
    assert message is not None
    services, arguments = context.services, context.arguments
    day = arguments.get("day") or services.local_now().date()
    team = arguments["team"] if "team" in arguments else context.me.team  # None: every team (全部)
    notes = await services.handoffs.notes(team, day)
    label = team or t("handoffs.all_teams")
    if not notes:
        await message.reply_text(t("handoffs.none", team=label, day=f"{day:%Y-%m-%d}"))
        return
    tz = services.settings.shop_tz
    lines = [t("handoffs.title", team=label, day=f"{day:%Y-%m-%d}", count=len(notes))]
    lines += [t("handoffs.line", id=n.id, author=n.author, shift=n.shift_name or t("handoff.off_shift"),
                filed=n.filed_at.astimezone(tz).strftime("%H:%M"), read=len(n.readers), open=n.open_items,
                escalated=" ⚠️" if n.escalated else "") for n in notes]
    buttons = [inline(t("handoff.button_open", id=n.id), OpenNote(n.id)) for n in notes[:30]]
    keyboard = grid(buttons, 3)
    chunks = split_message(lines)
    for number, chunk in enumerate(chunks):
        await message.reply_text(chunk, reply_markup=keyboard if number == len(chunks) - 1 else None)


@on_press(OpenNote)
async def open_note(update: Update, context: KefuContext, press: Press[OpenNote]) -> None:
    """The whole note with who has read it (supervisors)."""
    if not context.me.role.at_least(Role.SUPERVISOR):
        raise UserError("handoff.not_found")
    note = await context.services.handoffs.note(press.data.note_id, context.me)
    body = messages.note_body(note.items)
    for chunk in split_message([status_text(note, context), *body]):
        await context.bot.send_message(press.query.from_user.id, chunk)


@on_press(NoteStatus)
async def status(update: Update, context: KefuContext, press: Press[NoteStatus]) -> None:
    """Under a summary: who has read it, as an alert."""
    note = await context.services.handoffs.note(press.data.note_id, context.me)
    readers = ", ".join(note.readers) or t("handoff.status_nobody", escape=False)
    press.answer(f"#{note.id} 已读：{readers}", alert=True)


@on_press(ReadNote, ItemDone)
async def read_or_done(update: Update, context: KefuContext, press: Press[ReadNote | ItemDone]) -> None:
    """The note shows it at once: who has read it, the item ticked, its button gone — in the
    message pressed and in every copy delivered (the others of the shift, the supervisors)."""
    services = context.services
    if isinstance(press.data, ReadNote):
        marked = await services.handoffs.read(context.me, press.data.note_id, services.now())
        press.answer(t("handoff.read_ok" if marked.changed else "handoff.read_again", escape=False))
    else:
        marked = await services.handoffs.done(context.me, press.data.item_id, services.now())
        key = "handoff.done_ok" if marked.changed else "handoff.done_already"
        press.answer(t(key, escape=False, text=shorten(marked.item, 150)))
    await press.edit(marked.text, keyboard(marked.markup, context.bot))
    if marked.changed:  # pressed before: the other copies show it already
        await revise(context.bot, marked.copies, besides=press.query.message)
