"""Proposals in the chat: ``/propose``, "propose as approved" under a draft that passed,
"rewrite" under a suggestion, ``/rule`` for supervisors; reviewers approve, edit or reject.

Every step is a button whose data carries the proposal id, and every question asked with a
reply prompt is kept in the database: nothing depends on this process's memory.
"""

from __future__ import annotations

from telegram import ForceReply, InlineKeyboardMarkup, Message, Update

from bot.buttons import (
    ApproveProposal,
    EditProposal,
    ProposalAllSituations,
    ProposalKind,
    ProposalKinds,
    ProposalSituation,
    ProposalSituations,
    ProposeDraft,
    ProposeFromPhrasing,
    RejectProposal,
    SubmitProposal,
    WithdrawProposal,
)
from bot.errors import UserError
from bot.proposals.desk import ProposalView
from bot.proposals.forms import rule_as_form, rule_form
from bot.proposals.teaching import TEACHING
from bot.roster.roles import Role
from bot.telegram import outbox_sender
from bot.telegram.context import KefuContext
from bot.telegram.presses import Press, inline, on_press
from bot.telegram.render import grid
from bot.telegram.revisions import keyboard, revise
from bot.texts import t

PROPOSE, PROPOSE_FROM, EDIT, REJECT = "propose", "propose_from", "edit", "reject"


def _draft_view(context: KefuContext, view: ProposalView) -> tuple[str, InlineKeyboardMarkup]:
    text = "\n".join([*context.services.proposals.body(view), t("proposal.confirm")])
    buttons = InlineKeyboardMarkup([
        [inline(t("proposal.button_submit"), SubmitProposal(view.id))],
        [inline(t("proposal.button_kind"), ProposalKinds(view.id)),
         inline(t("proposal.button_situation"), ProposalSituations(view.id)),
         inline(t("proposal.button_cancel"), WithdrawProposal(view.id))],
    ])
    return text, buttons


async def _ask(context: KefuContext, chat_id: int, text: str, purpose: str, ref: str) -> None:
    prompt = await context.bot.send_message(chat_id, text, reply_markup=ForceReply(selective=True))
    services = context.services
    await services.proposals.asked(context.me, chat_id, prompt.message_id, purpose, ref, services.now())


async def _start(context: KefuContext, chat_id: int, text: str, based_on: str | None = None) -> None:
    services = context.services
    view = await services.proposals.propose_phrasing(context.me, text, services.now(), based_on=based_on)
    if view.payload.get("kind"):
        body, buttons = _draft_view(context, view)
        await context.bot.send_message(chat_id, body, reply_markup=buttons)
    else:
        text, buttons = _kind_choice(context, view.id)
        await context.bot.send_message(chat_id, text, reply_markup=buttons)


def _kind_choice(context: KefuContext, proposal_id: int) -> tuple[str, InlineKeyboardMarkup]:
    buttons = [inline(label, ProposalKind(proposal_id, kind)) for kind, label in context.services.proposals.kinds()]
    return t("proposal.choose_kind", id=proposal_id), grid(buttons, 3)


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


@on_press(ProposeDraft)
async def from_draft(update: Update, context: KefuContext, press: Press[ProposeDraft]) -> None:
    """Under a verdict: propose the draft it answers (the text comes with the button press)."""
    message = press.query.message
    draft = getattr(message, "reply_to_message", None)
    if message is None or draft is None or not draft.text:
        raise UserError("proposal.draft_gone")
    await _start(context, message.chat.id, draft.text)


@on_press(ProposeFromPhrasing)
async def from_phrasing(update: Update, context: KefuContext, press: Press[ProposeFromPhrasing]) -> None:
    """Under a suggestion: ask for the agent's better wording of it."""
    phrasing_id = press.data.phrasing_id
    phrasing = context.services.knowledge.current.knowledge.find_phrasing(phrasing_id)
    if phrasing is None:
        raise UserError("phrasing.gone")
    chat = update.effective_chat
    assert chat is not None
    await _ask(context, chat.id, t("proposal.ask_variant", id=phrasing_id, text=phrasing.text),
               PROPOSE_FROM, phrasing_id)


Choice = ProposalKinds | ProposalKind | ProposalSituations | ProposalAllSituations | ProposalSituation


@on_press(ProposalKinds, ProposalKind, ProposalSituations, ProposalAllSituations, ProposalSituation)
async def choose(update: Update, context: KefuContext, press: Press[Choice]) -> None:
    """The kinds · set the kind · the situations its text suggests · all of them · set the
    situation (None: any)."""
    services, data, number = context.services, press.data, press.data.proposal_id
    if isinstance(data, ProposalKinds):
        await press.edit(*_kind_choice(context, number))
        return
    if isinstance(data, ProposalSituation):
        view = await services.proposals.choose(context.me, number, situation=data.situation or "")
        await press.edit(*_draft_view(context, view))
        return
    kind = data.kind if isinstance(data, ProposalKind) else None
    view = await services.proposals.choose(context.me, number, kind=kind)
    everything = isinstance(data, ProposalAllSituations)
    situations = services.proposals.situations(None if everything else view.text)
    buttons = [inline(label, ProposalSituation(number, sid)) for sid, label in situations]
    buttons.append(inline(t("proposal.any_situation"), ProposalSituation(number, None)))
    if not everything:
        buttons.append(inline(t("proposal.button_all_situations"), ProposalAllSituations(number)))
    await press.edit(t("proposal.choose_situation", id=number), grid(buttons, 3))


@on_press(SubmitProposal, WithdrawProposal)
async def submit(update: Update, context: KefuContext, press: Press[SubmitProposal | WithdrawProposal]) -> None:
    """Send to the reviewers · withdraw."""
    services, number = context.services, press.data.proposal_id
    if isinstance(press.data, SubmitProposal):
        view = await services.proposals.submit(context.me, number, services.now())
        outbox_sender.kick(context)
        text = "\n".join([*services.proposals.body(view), t("proposal.submitted", id=view.id)])
    else:
        view = await services.proposals.withdraw(context.me, number)
        text = t("proposal.withdrawn", id=view.id)
        await revise(context.bot, await services.proposals.copies(view))  # the reviewers' buttons go
    await press.edit(text)


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


async def pending(update: Update, context: KefuContext) -> None:
    """``/proposals``: what waits for this reviewer, each with its buttons."""
    message = update.message
    assert message is not None
    views = await context.services.proposals.pending(context.me)
    if not views:
        await message.reply_text(t("proposal.none_pending"))
        return
    for view in views:
        text, buttons = context.services.proposals.for_reviewers(view)
        await message.reply_text(text, reply_markup=keyboard(buttons, context.bot))


@on_press(ApproveProposal, EditProposal, RejectProposal)
async def review(update: Update, context: KefuContext,
                 press: Press[ApproveProposal | EditProposal | RejectProposal]) -> None:
    """Approve · ask for the edited text · ask for the reason. A button left on a proposal
    decided meanwhile shows what was decided instead of its buttons."""
    services, data, number = context.services, press.data, press.data.proposal_id
    chat = update.effective_chat
    assert chat is not None
    decided = await services.proposals.decided(context.me, number)
    if decided is not None:
        await press.edit(services.proposals.for_reviewers(decided)[0])
        press.answer(t("proposal.decided", escape=False, id=number, status=t(f"proposal.status.{decided.status}")),
                     alert=True)
        return
    if isinstance(data, ApproveProposal):
        view = await services.proposals.approve(context.me, number, services.now())
        outbox_sender.kick(context)
        done = t("teaching.done_approved", version=view.version_number or "") if view.kind in TEACHING else t(
            "proposal.done_approved", version=view.version_number or "")
        await press.edit("\n".join([*services.proposals.body(view), done]))
        await revise(context.bot, await services.proposals.copies(view), besides=press.query.message)
        return
    view = await services.proposals.get(context.me, number)  # refuses early what may not be reviewed
    if isinstance(data, EditProposal):
        current = view.text if view.kind == "phrasing" else rule_as_form(view.rule)
        await _ask(context, chat.id, t("proposal.ask_edit", id=number, current=current), EDIT, str(number))
    else:
        await _ask(context, chat.id, t("proposal.ask_reason", id=number), REJECT, str(number))


async def answer_prompt(update: Update, context: KefuContext) -> bool:
    """A reply to one of the prompts above; False when it answers none (then it is a draft)."""
    message = update.message
    assert message is not None and message.reply_to_message is not None and message.text
    services, me, chat_id = context.services, context.me, message.chat.id
    asked = await services.proposals.prompt_for(me, chat_id, message.reply_to_message.message_id)
    if asked is None:
        return False
    purpose, ref = asked
    try:
        await _answer(context, message, purpose, ref)
    except UserError as refusal:  # asked again, so that the corrected text answers it (not checked as a draft)
        await _ask(context, chat_id, t("proposal.refused_again", escape=False, refusal=t(refusal.key, **refusal.values)),
                   purpose, ref)
        return True
    await services.proposals.answered(me, chat_id, message.reply_to_message.message_id)
    return True


async def _answer(context: KefuContext, message: Message, purpose: str, ref: str) -> None:
    """Take the answer to a prompt: the proposal's text, the reviewer's edit or reason. The
    other reviewers' copies show the edit, or the decision in place of their buttons."""
    services, me, chat_id = context.services, context.me, message.chat.id
    assert message.text is not None
    if purpose in (PROPOSE, PROPOSE_FROM):
        await _start(context, chat_id, message.text, based_on=ref or None)
        return
    if purpose == EDIT:
        view = await services.proposals.edit(me, int(ref), message.text)
        text, buttons = services.proposals.for_reviewers(view)
        await message.reply_text(text, reply_markup=keyboard(buttons, context.bot))
    else:
        view = await services.proposals.reject(me, int(ref), message.text, services.now())
        outbox_sender.kick(context)
        await message.reply_text(t("proposal.done_rejected", id=view.id, who=view.proposer.label))
    await revise(context.bot, await services.proposals.copies(view))
