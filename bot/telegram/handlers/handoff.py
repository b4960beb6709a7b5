"""``/handoff``: the note, step by step (PTB ConversationHandler with buttons).

States are the draft's step (0–4, then the confirmation); the draft is written to the
database at every step, and the conversation's state is read back from it at start-up
(:mod:`bot.telegram.persistence`), so a restart half-way loses nothing. Buttons:
:class:`bot.buttons.HandoffStep` (next, skip, back, cancel, file).
"""

from __future__ import annotations

import warnings

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.warnings import PTBUserWarning
from telegram.ext import CommandHandler, ConversationHandler, MessageHandler, filters

from bot.buttons import HandoffAction, HandoffStep
from bot.handoffs import messages
from bot.handoffs.note import CONFIRM_STEP, SECTIONS, Draft
from bot.telegram import outbox_sender
from bot.telegram.context import KefuContext
from bot.telegram.presses import Press, handler, inline, on_press
from bot.texts import t

NAME = "handoff"


def _button(key: str, action: str) -> InlineKeyboardButton:
    return inline(t(key), HandoffStep(HandoffAction(action)))


def step_message(draft: Draft) -> tuple[str, InlineKeyboardMarkup]:
    if draft.step >= CONFIRM_STEP:
        text = "\n".join([t("handoff.confirm"), *messages.note_body(draft.items)])
        return text, InlineKeyboardMarkup([
            [_button("handoff.button_file", "file")],
            [_button("handoff.button_back", "back"), _button("handoff.button_cancel", "cancel")],
        ])
    section = SECTIONS[draft.step]
    items = draft.of(section)
    lines = [t("handoff.step", number=draft.step + 1, total=len(SECTIONS),
               label=messages.section_label(section), hint=t(f"handoff.hint.{section}"))]
    empty = "handoff.no_orders" if section == "orders" else "handoff.none_yet"
    lines += messages.item_lines(items) or [t(empty)]
    first_row = [_button("handoff.button_next", "next")]
    if section != "orders" and not items:
        first_row = [_button("handoff.button_skip", "skip")]
    second_row = [_button("handoff.button_cancel", "cancel")]
    if draft.step > 0:
        second_row.insert(0, _button("handoff.button_back", "back"))
    return "\n".join(lines), InlineKeyboardMarkup([first_row, second_row])


async def start(update: Update, context: KefuContext) -> int:
    message = update.message
    assert message is not None
    draft = await context.services.handoffs.draft(context.me, message.chat.id, context.services.now())
    if draft.step > 0 or any(not i.carried and i.section != "orders" for i in draft.items):
        await message.reply_text(t("handoff.resumed"))
    text, keyboard = step_message(draft)
    await message.reply_text(text, reply_markup=keyboard)
    return draft.step


async def add_item(update: Update, context: KefuContext) -> int:
    message = update.message
    assert message is not None and message.text
    draft = await context.services.handoffs.add(context.me, message.text, context.services.now())
    count = len([i for i in draft.of(SECTIONS[draft.step]) if not i.carried])
    text, keyboard = step_message(draft)
    await message.reply_text(t("handoff.added", count=count) + "\n\n" + text, reply_markup=keyboard)
    return draft.step


@on_press(HandoffStep)
async def navigate(update: Update, context: KefuContext, press: Press[HandoffStep]) -> int:
    action = press.data.action
    services, me = context.services, context.me
    if action is HandoffAction.CANCEL:
        await services.handoffs.cancel(me)
        await press.edit(t("handoff.cancelled"))
        return ConversationHandler.END
    if action is HandoffAction.FILE:
        note = await services.handoffs.file(me, services.now())
        outbox_sender.kick(context)
        await press.edit(t("handoff.filed", id=note.id, next=note.next_shift_name))
        return ConversationHandler.END
    draft = await services.handoffs.move(me, -1 if action is HandoffAction.BACK else 1, services.now())
    await press.edit(*step_message(draft))
    return draft.step


async def cancel_command(update: Update, context: KefuContext) -> int:
    await context.services.handoffs.cancel(context.me)
    if update.message is not None:
        await update.message.reply_text(t("handoff.cancelled"))
    return ConversationHandler.END


async def typing_not_expected(update: Update, context: KefuContext) -> int | None:
    if update.message is not None:
        await update.message.reply_text(t("handoff.no_typing_here"))
    return None


def conversation() -> ConversationHandler:
    typing = filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND
    buttons = handler(navigate)
    states: dict[object, list] = {
        step: [MessageHandler(typing, add_item), buttons] for step, section in enumerate(SECTIONS)
        if section != "orders"
    }
    states[SECTIONS.index("orders")] = [buttons, MessageHandler(typing, typing_not_expected)]
    states[CONFIRM_STEP] = [buttons, MessageHandler(typing, typing_not_expected)]
    with warnings.catch_warnings():
        # per_message=False is meant: the note belongs to the writer, not to one message.
        warnings.filterwarnings("ignore", message=".*per_message=False.*", category=PTBUserWarning)
        return ConversationHandler(
            entry_points=[CommandHandler("handoff", start, filters=filters.UpdateType.MESSAGE)],
            states=states,  # type: ignore[arg-type]
            fallbacks=[CommandHandler("cancel", cancel_command), CommandHandler("handoff", start)],
            name=NAME,
            persistent=True,
            allow_reentry=True,
        )
