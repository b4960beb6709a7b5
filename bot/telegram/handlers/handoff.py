"""``/handoff``: the note, step by step, with buttons.

The state is the draft row (its step: 0–4, then the confirmation), written at every step and
read at every update — by whichever process or replica takes it (text is routed here by
:mod:`bot.telegram.handlers.flows`), so neither a restart nor a second replica loses a step.
Buttons: :class:`bot.buttons.HandoffStep` (next, skip, back, cancel, file, open).
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.buttons import HandoffAction, HandoffStep
from bot.handoffs import messages
from bot.handoffs.note import CONFIRM_STEP, SECTIONS, Draft
from bot.telegram import outbox_sender
from bot.telegram.context import KefuContext
from bot.telegram.presses import Press, inline, on_press
from bot.texts import split_message, t


def _button(key: str, action: str) -> InlineKeyboardButton:
    return inline(t(key), HandoffStep(HandoffAction(action)))


def step_message(draft: Draft, before: str | None = None) -> tuple[str, InlineKeyboardMarkup]:
    """The step (or the confirmation) as one message, edited in place as the writer moves: it
    always fits one message (``before``: a line above it, e.g. "added")."""
    head = [before, ""] if before else []
    more = [t("handoff.more_open", count=draft.more_open)] if draft.more_open else []
    more_row = [inline(t("handoff.button_more_open", count=draft.more_open),
                       HandoffStep(HandoffAction.OPEN))] if draft.more_open else []
    if draft.step >= CONFIRM_STEP:
        text = messages.whole_or_shortened([*head, t("handoff.confirm"), *more], draft.items)
        return text, InlineKeyboardMarkup([
            [_button("handoff.button_file", "file")],
            [_button("handoff.button_back", "back"), _button("handoff.button_cancel", "cancel")],
            *([more_row] if more_row else []),
        ])
    section = SECTIONS[draft.step]
    items = draft.of(section)
    typed, skip = section != "orders", section != "orders" and not items  # what the hint says is the button shown
    then = t("handoff.then_skip") if skip else t("handoff.then_next") if typed else ""
    head += [t("handoff.step", number=draft.step + 1, total=len(SECTIONS), label=messages.section_label(section),
               hint=t(f"handoff.hint.{section}"), then=then), *more]
    empty = "handoff.no_orders" if section == "orders" else "handoff.none_yet"
    text = messages.latest_that_fit(head, messages.item_lines(items) or [t(empty)])
    first_row = [_button("handoff.button_skip", "skip") if skip else _button("handoff.button_next", "next")]
    second_row = [_button("handoff.button_cancel", "cancel")]
    if draft.step > 0:
        second_row.insert(0, _button("handoff.button_back", "back"))
    return text, InlineKeyboardMarkup([first_row, second_row, *([more_row] if more_row else [])])


async def start(update: Update, context: KefuContext) -> None:
    message = update.message
    assert message is not None
    context.services.flows.starting(context.me)
    draft = await context.services.handoffs.draft(context.me, message.chat.id, context.services.now())
    if draft.step > 0 or any(not i.carried and i.section != "orders" for i in draft.items):
        await message.reply_text(t("handoff.resumed"))
    text, keyboard = step_message(draft)
    await message.reply_text(text, reply_markup=keyboard)


async def add_item(update: Update, context: KefuContext) -> None:
    """Text while writing a note: an item of the current step (or told this step takes none)."""
    message = update.message
    assert message is not None and message.text
    draft = await context.services.handoffs.add(context.me, message.text, context.services.now())
    number = len(draft.of(SECTIONS[draft.step]))  # the new item is the section's last, numbered as the list shows it
    text, keyboard = step_message(draft, before=t("handoff.added", count=number))
    await message.reply_text(text, reply_markup=keyboard)


@on_press(HandoffStep)
async def navigate(update: Update, context: KefuContext, press: Press[HandoffStep]) -> None:
    action = press.data.action
    services, me = context.services, context.me
    if action is HandoffAction.CANCEL:
        await services.handoffs.cancel(me)
        await press.edit(t("handoff.cancelled"))
        return
    if action is HandoffAction.OPEN:  # the team's open items past the cap, to read (the step stays)
        await show_not_carried(update, context)
        return
    if action is HandoffAction.FILE:
        note = await services.handoffs.file(me, services.now())
        await press.edit(t("handoff.filed", id=note.id, next=note.next_shift_name))
        outbox_sender.kick(context)
        return
    draft = await services.handoffs.move(me, -1 if action is HandoffAction.BACK else 1, services.now())
    await press.edit(*step_message(draft))


async def show_not_carried(update: Update, context: KefuContext) -> None:
    chat = update.effective_chat
    assert chat is not None
    items = await context.services.handoffs.not_carried(context.me, context.services.now())
    if not items:
        await context.bot.send_message(chat.id, t("handoff.open_none"))
        return
    lines = [t("handoff.open_title", count=len(items)), *messages.note_body(items)]
    for chunk in split_message(lines):
        await context.bot.send_message(chat.id, chunk)


async def cancel(update: Update, context: KefuContext) -> None:
    """``/cancel`` while writing a note: the draft deleted."""
    await context.services.handoffs.cancel(context.me)
    if update.message is not None:
        await update.message.reply_text(t("handoff.cancelled"))
