"""Proposals in the chat: ``/propose``, "propose as approved" under a draft that passed,
"rewrite" under a suggestion, ``/rule`` for supervisors; reviewers approve, edit or reject.

Every step is a button whose data carries the proposal id, and every question asked with a
reply prompt is kept in the database: nothing depends on this process's memory.
"""

from __future__ import annotations

from telegram import ForceReply, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from bot.errors import UserError
from bot.proposals.desk import ProposalView
from bot.proposals.forms import rule_as_form, rule_form
from bot.proposals.messages import review_buttons
from bot.proposals.teaching import TEACHING
from bot.roster.roles import Role
from bot.telegram import outbox_sender
from bot.telegram.access import requires
from bot.telegram.context import KefuContext
from bot.telegram.render import grid
from bot.texts import t

PROPOSE, PROPOSE_FROM, EDIT, REJECT = "propose", "propose_from", "edit", "reject"


def _draft_view(context: KefuContext, view: ProposalView) -> tuple[str, InlineKeyboardMarkup]:
    text = "\n".join([*context.services.proposals.body(view), t("proposal.confirm")])
    keyboard = InlineKeyboardMarkup([
        [InlineKeyboardButton(t("proposal.button_submit"), callback_data=f"ps:{view.id}")],
        [InlineKeyboardButton(t("proposal.button_kind"), callback_data=f"pk:{view.id}"),
         InlineKeyboardButton(t("proposal.button_situation"), callback_data=f"pt:{view.id}"),
         InlineKeyboardButton(t("proposal.button_cancel"), callback_data=f"px:{view.id}")],
    ])
    return text, keyboard


async def _ask(context: KefuContext, chat_id: int, text: str, purpose: str, ref: str) -> None:
    prompt = await context.bot.send_message(chat_id, text, reply_markup=ForceReply(selective=True))
    services = context.services
    await services.proposals.asked(context.me, chat_id, prompt.message_id, purpose, ref, services.now())


async def _start(context: KefuContext, chat_id: int, text: str, based_on: str | None = None) -> None:
    services = context.services
    view = await services.proposals.propose_phrasing(context.me, text, services.now(), based_on=based_on)
    if view.payload.get("kind"):
        body, keyboard = _draft_view(context, view)
        await context.bot.send_message(chat_id, body, reply_markup=keyboard)
    else:
        await _pick_kind(context, chat_id, view.id)


async def _pick_kind(context: KefuContext, chat_id: int, proposal_id: int, message: Message | None = None) -> None:
    buttons = [InlineKeyboardButton(label, callback_data=f"pkk:{proposal_id}:{kind}")
               for kind, label in context.services.proposals.kinds()]
    await _show(context, chat_id, message, t("proposal.choose_kind", id=proposal_id), grid(buttons, 3))


async def _show(context: KefuContext, chat_id: int, message: Message | None, text: str,
                keyboard: InlineKeyboardMarkup | None) -> None:
    """In place of the pressed message, or as a new one."""
    if message is not None:
        await message.edit_text(text, reply_markup=keyboard)
    else:
        await context.bot.send_message(chat_id, text, reply_markup=keyboard)


# --- proposing ------------------------------------------------------------------------------


async def propose(update: Update, context: KefuContext) -> None:
    """``/propose 文本``, or ``/propose`` alone to be asked for the text."""
    message = update.message
    assert message is not None and message.text is not None
    text = message.text.partition(" ")[2].strip()
    if not text:
        await _ask(context, message.chat.id, t("proposal.ask_text"), PROPOSE, "")
        return
    await _start(context, message.chat.id, text)


async def from_draft(update: Update, context: KefuContext) -> None:
    """``pd`` under a verdict: propose the draft it answers (the text comes with the button press)."""
    query = update.callback_query
    assert query is not None and query.message is not None
    draft = getattr(query.message, "reply_to_message", None)
    if draft is None or not draft.text:
        raise UserError("proposal.draft_gone")
    await _start(context, query.message.chat.id, draft.text)
    await query.answer()


async def from_phrasing(update: Update, context: KefuContext) -> None:
    """``pf:PHRASING`` under a suggestion: ask for the agent's better wording of it."""
    query = update.callback_query
    assert query is not None and query.data and query.message is not None
    phrasing_id = query.data.split(":", 1)[1]
    phrasing = context.services.knowledge.current.knowledge.find_phrasing(phrasing_id)
    if phrasing is None:
        raise UserError("phrasing.gone")
    await query.answer()
    await _ask(context, query.message.chat.id, t("proposal.ask_variant", id=phrasing_id, text=phrasing.text),
               PROPOSE_FROM, phrasing_id)


async def choose(update: Update, context: KefuContext) -> None:
    """``pk:ID`` kinds · ``pkk:ID:KIND`` set it · ``pt:ID`` situations · ``pta:ID`` all of them ·
    ``pts:ID:SITUATION`` (``-``: any) set it."""
    query = update.callback_query
    assert query is not None and query.data and query.message is not None
    verb, proposal_id, *rest = query.data.split(":")
    services, number, chat_id = context.services, int(proposal_id), query.message.chat.id
    message = query.message if isinstance(query.message, Message) else None
    await query.answer()
    if verb == "pk":
        await _pick_kind(context, chat_id, number, message)
        return
    if verb != "pts":
        view = await services.proposals.choose(context.me, number, kind=rest[0] if verb == "pkk" else None)
        situations = services.proposals.situations(None if verb == "pta" else view.text)
        buttons = [InlineKeyboardButton(label, callback_data=f"pts:{number}:{sid}") for sid, label in situations]
        buttons.append(InlineKeyboardButton(t("proposal.any_situation"), callback_data=f"pts:{number}:-"))
        if verb != "pta":
            buttons.append(InlineKeyboardButton(t("proposal.button_all_situations"), callback_data=f"pta:{number}"))
        await _show(context, chat_id, message, t("proposal.choose_situation", id=number),
                    grid(buttons, 3))
        return
    view = await services.proposals.choose(context.me, number, situation="" if rest[0] == "-" else rest[0])
    text, keyboard = _draft_view(context, view)
    await _show(context, chat_id, message, text, keyboard)


async def submit(update: Update, context: KefuContext) -> None:
    """``ps:ID`` send to the reviewers · ``px:ID`` withdraw."""
    query = update.callback_query
    assert query is not None and query.data and query.message is not None
    verb, proposal_id = query.data.split(":")
    services = context.services
    if verb == "ps":
        view = await services.proposals.submit(context.me, int(proposal_id), services.now())
        outbox_sender.kick(context)
        text = "\n".join([*services.proposals.body(view), t("proposal.submitted", id=view.id)])
    else:
        view = await services.proposals.withdraw(context.me, int(proposal_id))
        text = t("proposal.withdrawn", id=view.id)
    await query.answer()
    await query.edit_message_text(text)


@requires(Role.SUPERVISOR)
async def propose_rule(update: Update, context: KefuContext) -> None:
    """``/rule`` with the form on the following lines; ``/rule`` alone shows the form."""
    message = update.message
    assert message is not None and message.text is not None
    form = message.text.partition("\n")[2].strip() or message.text.partition(" ")[2].strip()
    if not form:
        await message.reply_text(t("rule_form.help"))
        return
    services = context.services
    view = await services.proposals.propose_rule(context.me, rule_form(form), services.now())
    outbox_sender.kick(context)
    await message.reply_text("\n".join([*services.proposals.body(view), t("proposal.submitted", id=view.id)]))


# --- reviewing ------------------------------------------------------------------------------


@requires(Role.SUPERVISOR)
async def pending(update: Update, context: KefuContext) -> None:
    """``/proposals``: what waits for this reviewer, each with its buttons."""
    message = update.message
    assert message is not None
    views = await context.services.proposals.pending(context.me)
    if not views:
        await message.reply_text(t("proposal.none_pending"))
        return
    for view in views:
        buttons = review_buttons(view.id, view.kind not in TEACHING)
        await message.reply_text("\n".join(context.services.proposals.body(view)),
                                 reply_markup=InlineKeyboardMarkup.de_json(buttons, context.bot))


async def review(update: Update, context: KefuContext) -> None:
    """``pa:ID`` approve · ``pe:ID`` ask for the edited text · ``pj:ID`` ask for the reason."""
    query = update.callback_query
    assert query is not None and query.data and query.message is not None
    verb, proposal_id = query.data.split(":")
    services, number = context.services, int(proposal_id)
    if verb == "pa":
        view = await services.proposals.approve(context.me, number, services.now())
        outbox_sender.kick(context)
        await query.answer()
        done = t("teaching.done_approved", version=view.version_number or "") if view.kind in TEACHING else t(
            "proposal.done_approved", result=view.result_id or "", version=view.version_number or "")
        await query.edit_message_text("\n".join([*services.proposals.body(view), done]))
        return
    view = await services.proposals.get(context.me, number)  # refuses early what may not be reviewed
    await query.answer()
    if verb == "pe":
        current = view.text if view.kind == "phrasing" else rule_as_form(view.rule)
        await _ask(context, query.message.chat.id, t("proposal.ask_edit", id=number, current=current), EDIT, proposal_id)
    else:
        await _ask(context, query.message.chat.id, t("proposal.ask_reason", id=number), REJECT, proposal_id)


async def answer_prompt(update: Update, context: KefuContext) -> bool:
    """A reply to one of the prompts above; False when it answers none (then it is a draft)."""
    message = update.message
    assert message is not None and message.reply_to_message is not None and message.text
    services, me, chat_id = context.services, context.me, message.chat.id
    asked = await services.proposals.prompt_for(me, chat_id, message.reply_to_message.message_id)
    if asked is None:
        return False
    purpose, ref = asked
    if purpose in (PROPOSE, PROPOSE_FROM):
        await _start(context, chat_id, message.text, based_on=ref or None)
    elif purpose == EDIT:
        view = await services.proposals.edit(me, int(ref), message.text)
        await message.reply_text("\n".join(services.proposals.body(view)),
                                 reply_markup=InlineKeyboardMarkup.de_json(review_buttons(view.id), context.bot))
    else:
        view = await services.proposals.reject(me, int(ref), message.text, services.now())
        outbox_sender.kick(context)
        await message.reply_text(t("proposal.done_rejected", id=view.id, who=view.proposer.label))
    await services.proposals.answered(me, chat_id, message.reply_to_message.message_id)
    return True
