"""``/greet``, ``/sorry``, ``/refuse`` … and ``/phrase``: approved phrasings, ready to copy."""

from __future__ import annotations

from telegram import ForceReply, Update

from bot.assist.phrasings import FillStep, Offers
from bot.telegram.context import KefuContext
from bot.telegram.handlers import proposals
from bot.telegram.handlers.drafts import check_draft
from bot.telegram.render import filled_message, offers_message, situations_keyboard
from bot.texts import placeholder_label, t

# Command → kind of phrasing (knowledge/kinds.yaml).
KIND_COMMANDS = {
    "greet": "greeting",
    "sorry": "apology",
    "refuse": "refusal",
    "thanks": "thanks",
    "bye": "farewell",
    "wait": "waiting",
    "explain": "explanation",
    "consent": "consent",
    "congrats": "congratulation",
    "ask": "question",
    "reply": "response",
}


def _render(context: KefuContext, offers: Offers) -> tuple[str, object]:
    phrases = context.services.phrases
    return offers_message(offers, phrases.kind_label(offers.kind), phrases.situation_label(offers.situation))


async def by_kind(update: Update, context: KefuContext) -> None:
    message = update.message
    if message is None or not message.text:
        return
    command = message.text.split()[0].lstrip("/").split("@")[0].lower()
    services = context.services
    offers = await services.phrases.suggest(
        context.me, services.now(), kind=KIND_COMMANDS[command], words=" ".join(context.args or ())
    )
    text, keyboard = _render(context, offers)
    await message.reply_text(text, reply_markup=keyboard)


async def by_words(update: Update, context: KefuContext) -> None:
    message = update.message
    if message is None:
        return
    words = " ".join(context.args or ())
    if not words:
        await message.reply_text(t("phrasing.words_hint"))
        return
    offers = await context.services.phrases.suggest(context.me, context.services.now(), words=words)
    text, keyboard = _render(context, offers)
    await message.reply_text(text, reply_markup=keyboard)


async def more(update: Update, context: KefuContext) -> None:
    """``more:KIND:SITUATION:PAGE`` — the next few, in place of the current ones."""
    query = update.callback_query
    assert query is not None and query.data
    _, kind, situation, page = query.data.split(":")
    offers = await context.services.phrases.suggest(
        context.me, context.services.now(), kind=None if kind == "-" else kind,
        situation=None if situation == "-" else situation, page=int(page),
    )
    await query.answer()
    text, keyboard = _render(context, offers)
    await query.edit_message_text(text, reply_markup=keyboard)


async def pick_situation(update: Update, context: KefuContext) -> None:
    """``sits:KIND`` — the situations this kind has phrasings for, as buttons."""
    query = update.callback_query
    assert query is not None and query.data
    kind = query.data.split(":")[1]
    phrases = context.services.phrases
    await query.answer()
    await query.edit_message_text(
        t("phrasing.situations_title", kind=phrases.kind_label(kind)),
        reply_markup=situations_keyboard(kind, phrases.situations_for(kind)),
    )


async def situation(update: Update, context: KefuContext) -> None:
    """``sit:KIND:SITUATION`` — the best phrasings of that kind for that situation."""
    query = update.callback_query
    assert query is not None and query.data
    _, kind, situation_id = query.data.split(":")
    offers = await context.services.phrases.suggest(
        context.me, context.services.now(), kind=kind, situation=situation_id
    )
    await query.answer()
    text, keyboard = _render(context, offers)
    await query.edit_message_text(text, reply_markup=keyboard)


async def fill(update: Update, context: KefuContext) -> None:
    """``fill:PHRASING`` — ask for the first value the bot cannot know."""
    query = update.callback_query
    assert query is not None and query.data and query.message
    services = context.services
    step = await services.phrases.start_fill(
        context.me, query.message.chat.id, query.data.split(":", 1)[1], services.now()
    )
    await query.answer()
    await _send_step(update, context, step)


async def answer_prompt(update: Update, context: KefuContext) -> None:
    """A reply to a fill prompt fills it, to a proposal's prompt goes there; any other reply is
    a draft like any text."""
    message = update.message
    assert message is not None and message.reply_to_message is not None and message.text
    services = context.services
    step = await services.phrases.answer(
        context.me, message.chat.id, message.reply_to_message.message_id, message.text, services.now()
    )
    if step is None:
        if not await proposals.answer_prompt(update, context):
            await check_draft(update, context)
        return
    await _send_step(update, context, step)


async def _send_step(update: Update, context: KefuContext, step: FillStep) -> None:
    chat = update.effective_chat
    assert chat is not None
    if step.placeholder is None or step.request_id is None:
        text, keyboard = filled_message(step.offer)
        await context.bot.send_message(chat.id, text, reply_markup=keyboard)
        return
    label = placeholder_label(step.placeholder)
    prompt = await context.bot.send_message(
        chat.id, t("fill.prompt", label=label, text=step.offer.text),
        reply_markup=ForceReply(selective=True, input_field_placeholder=t("fill.placeholder", label=label)),
    )
    await context.services.phrases.prompt_sent(step.request_id, prompt.message_id)
