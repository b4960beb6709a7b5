"""Disputed and missed flags in the chat: "这句没问题" under a verdict, ``/flags`` with
confirm / reject buttons for supervisors, ``/missed`` for a violation the checker let pass.

Button data carries ids only (bot/buttons.py); the disputed draft comes with the press (the
message the verdict answers).
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError

from bot.buttons import ConfirmDispute, DisputeFlags, MissedCategory, MissedRule, RejectDispute
from bot.disputes.desk import LIST_LIMIT
from bot.disputes.missed import MissedStep
from bot.roster.roles import Role
from bot.telegram import outbox_sender
from bot.telegram.context import KefuContext
from bot.telegram.presses import Press, inline, on_press
from bot.telegram.render import grid
from bot.texts import MESSAGE_LIMIT, t

log = logging.getLogger(__name__)


@on_press(DisputeFlags)
async def dispute(update: Update, context: KefuContext, press: Press[DisputeFlags]) -> None:
    """Under a flagged verdict: record the dispute once; the button says it was sent."""
    message = press.query.message
    assert message is not None
    draft = getattr(message, "reply_to_message", None)
    services = context.services
    view = await services.disputes.dispute(context.me, message.chat.id, message.message_id,
                                           draft.text if draft is not None else None, services.now())
    if view.already:
        press.answer(t("dispute.already", escape=False, id=view.id))
        return
    outbox_sender.kick(context)
    press.answer(t("dispute.sent", escape=False, id=view.id))
    if isinstance(message, Message):  # the other buttons (copy the rewrite) stay
        sent = inline(t("dispute.button_sent", id=view.id), DisputeFlags())
        rows = [[sent if b.callback_data == sent.callback_data else b for b in row]
                for row in (message.reply_markup.inline_keyboard if message.reply_markup else ((sent,),))]
        try:
            await message.edit_reply_markup(InlineKeyboardMarkup(rows))
        except TelegramError as error:  # recorded already: the button's look is all that is lost
            log.warning("could not mark the dispute button as sent: %s", error)


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
            inline(t("dispute.button_confirm"), ConfirmDispute(view.id)),
            inline(t("dispute.button_reject"), RejectDispute(view.id)),
        ]])
        await message.reply_text("\n".join(services.disputes.body(view, at)), reply_markup=keyboard)
    if len(views) >= LIST_LIMIT:
        await message.reply_text(t("dispute.more", count=LIST_LIMIT))


@on_press(ConfirmDispute, RejectDispute)
async def decide(update: Update, context: KefuContext, press: Press[ConfirmDispute | RejectDispute]) -> None:
    """Confirm (becomes a proposal for another reviewer) or reject a dispute."""
    services, dispute_id = context.services, press.data.dispute_id
    if isinstance(press.data, ConfirmDispute):
        proposal = await services.disputes.confirm(context.me, dispute_id, services.now())
        done = t("dispute.done_confirmed", id=dispute_id, proposal=proposal.id)
    else:
        view = await services.disputes.reject(context.me, dispute_id, services.now())
        done = t("dispute.done_rejected", id=dispute_id, who=view.agent.label)
    outbox_sender.kick(context)
    message = press.query.message
    text = message.text_html if isinstance(message, Message) and message.text else ""
    await press.edit(f"{text}\n\n{done}" if text and len(text) + len(done) < MESSAGE_LIMIT - 96 else done)


async def missed(update: Update, context: KefuContext) -> None:
    """``/missed 规则或类别 原句``: a violation the checker let pass, as a proposal."""
    message = update.message
    assert message is not None and message.text is not None
    text = message.text.split(None, 1)[1].strip()  # there is one (bot.commands), with its line breaks
    step = await context.services.missed.start(context.me, text, context.services.now())
    await _show_step(context, message, step)


@on_press(MissedCategory, MissedRule)
async def missed_pick(update: Update, context: KefuContext, press: Press[MissedCategory | MissedRule]) -> None:
    """The category of that rule, or that rule."""
    desk, now = context.services.missed, context.services.now()
    pick = desk.pick_category if isinstance(press.data, MissedCategory) else desk.pick_rule
    step = await pick(context.me, press.data.draft_id, press.data.rule_id, now)
    await _show_step(context, press, step)


async def _show_step(context: KefuContext, where: Message | Press[Any], step: MissedStep) -> None:
    """The submitted proposal, or the next choice: in reply to ``/missed``, or in place of the
    pressed message."""
    keyboard = None
    if step.proposal is not None:
        outbox_sender.kick(context)
        text = "\n".join([*context.services.proposals.body(step.proposal),
                          t("proposal.submitted", id=step.proposal.id)])
    else:
        kind = MissedCategory if step.categories else MissedRule
        buttons = []
        for rule_id, label in step.choices:
            try:
                buttons.append(inline(label, kind(step.draft_id, rule_id)))
            except ValueError:  # a rule id too long for a button: typed, not pressed
                continue
        text, keyboard = t("missed.pick_category" if step.categories else "missed.pick_rule"), grid(buttons, 2)
    if isinstance(where, Press):
        await where.edit(text, reply_markup=keyboard)
    else:
        await where.reply_text(text, reply_markup=keyboard)
