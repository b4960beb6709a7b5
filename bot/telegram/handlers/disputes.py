"""Disputed and missed flags in the chat: "这句没问题" under a verdict, ``/flags`` with
confirm / reject buttons for supervisors, ``/missed`` for a violation the checker let pass.

Button data carries ids only (``dc:ID``, ``dr:ID``, ``mc:ID:RULE``, ``mr:ID:RULE``); the
disputed draft comes with the press (the message the verdict answers).
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from bot.disputes.desk import LIST_LIMIT
from bot.disputes.missed import MissedStep
from bot.errors import UserError
from bot.roster.roles import Role
from bot.telegram import outbox_sender
from bot.telegram.access import requires
from bot.telegram.context import KefuContext
from bot.telegram.render import DISPUTE, grid
from bot.texts import t

CALLBACK_LIMIT = 64  # bytes of callback data Telegram takes


async def dispute(update: Update, context: KefuContext) -> None:
    """``dsp`` under a flagged verdict: record the dispute once; the button says it was sent."""
    query = update.callback_query
    assert query is not None and query.message is not None
    message = query.message
    draft = getattr(message, "reply_to_message", None)
    services = context.services
    view = await services.disputes.dispute(context.me, message.chat.id, message.message_id,
                                           draft.text if draft is not None else None, services.now())
    if view.already:
        await query.answer(t("dispute.already", escape=False, id=view.id))
        return
    outbox_sender.kick(context)
    await query.answer(t("dispute.sent", escape=False, id=view.id))
    if isinstance(message, Message):  # the other buttons (copy the rewrite) stay
        sent = InlineKeyboardButton(t("dispute.button_sent", id=view.id), callback_data=DISPUTE)
        rows = [[sent if b.callback_data == DISPUTE else b for b in row]
                for row in (message.reply_markup.inline_keyboard if message.reply_markup else ((sent,),))]
        await message.edit_reply_markup(InlineKeyboardMarkup(rows))


@requires(Role.SUPERVISOR)
async def open_disputes(update: Update, context: KefuContext) -> None:
    """``/flags``: the pending disputes, one message each with its two buttons."""
    message = update.message
    assert message is not None
    services = context.services
    views = await services.disputes.open(context.me)
    if not views:
        await message.reply_text(t("dispute.none"))
        return
    await message.reply_text(t("dispute.list_header", count=len(views)))
    for view in views:
        at = view.created_at.astimezone(services.settings.shop_tz).strftime("%m-%d %H:%M")
        keyboard = InlineKeyboardMarkup([[
            InlineKeyboardButton(t("dispute.button_confirm"), callback_data=f"dc:{view.id}"),
            InlineKeyboardButton(t("dispute.button_reject"), callback_data=f"dr:{view.id}"),
        ]])
        await message.reply_text("\n".join(services.disputes.body(view, at)), reply_markup=keyboard)
    if len(views) >= LIST_LIMIT:
        await message.reply_text(t("dispute.more", count=LIST_LIMIT))


async def decide(update: Update, context: KefuContext) -> None:
    """``dc:ID`` confirm (becomes a proposal for another reviewer) · ``dr:ID`` reject."""
    query = update.callback_query
    assert query is not None and query.data
    verb, _, number = query.data.partition(":")
    if not number.isdigit():
        raise UserError("dispute.not_found", id=number[:20])
    services, dispute_id = context.services, int(number)
    if verb == "dc":
        proposal = await services.disputes.confirm(context.me, dispute_id, services.now())
        done = t("dispute.done_confirmed", id=dispute_id, proposal=proposal.id)
    else:
        view = await services.disputes.reject(context.me, dispute_id, services.now())
        done = t("dispute.done_rejected", id=dispute_id, who=view.agent.label)
    outbox_sender.kick(context)
    await query.answer()
    text = query.message.text_html if isinstance(query.message, Message) and query.message.text else ""
    await query.edit_message_text(f"{text}\n\n{done}" if text and len(text) + len(done) < 4000 else done)


@requires(Role.SUPERVISOR)
async def missed(update: Update, context: KefuContext) -> None:
    """``/missed 规则或类别 原句``: a violation the checker let pass, as a proposal."""
    message = update.message
    assert message is not None and message.text is not None
    text = message.text.partition(" ")[2].strip()
    if not text:
        await message.reply_text(t("missed.usage"))
        return
    step = await context.services.missed.start(context.me, text, context.services.now())
    await _show_step(context, message, step, edit=False)


async def missed_pick(update: Update, context: KefuContext) -> None:
    """``mc:ID:RULE`` the category of that rule · ``mr:ID:RULE`` that rule."""
    query = update.callback_query
    assert query is not None and query.data and isinstance(query.message, Message)
    verb, number, rule_id = (query.data.split(":", 2) + ["", ""])[:3]
    if not number.isdigit() or not rule_id:
        raise UserError("missed.gone")
    desk, now = context.services.missed, context.services.now()
    pick = desk.pick_category if verb == "mc" else desk.pick_rule
    step = await pick(context.me, int(number), rule_id, now)
    await query.answer()
    await _show_step(context, query.message, step, edit=True)


async def _show_step(context: KefuContext, message: Message, step: MissedStep, *, edit: bool) -> None:
    if step.proposal is not None:
        outbox_sender.kick(context)
        text = "\n".join([*context.services.proposals.body(step.proposal),
                          t("proposal.submitted", id=step.proposal.id)])
        keyboard = None
    else:
        verb = "mc" if step.categories else "mr"
        buttons = [InlineKeyboardButton(label, callback_data=data) for rule_id, label in step.choices
                   if len((data := f"{verb}:{step.draft_id}:{rule_id}").encode()) <= CALLBACK_LIMIT]
        text, keyboard = t("missed.pick_category" if step.categories else "missed.pick_rule"), grid(buttons, 2)
    if edit:
        await message.edit_text(text, reply_markup=keyboard)
    else:
        await message.reply_text(text, reply_markup=keyboard)
