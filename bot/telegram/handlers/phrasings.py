"""``/greet``, ``/sorry``, ``/refuse`` … and ``/phrase``: approved phrasings, ready to copy."""

from __future__ import annotations

from telegram import ForceReply, InlineKeyboardMarkup, Update

from bot.assist.phrasings import FillStep, Offers
from bot.commands import KIND_COMMANDS
from bot.buttons import FillPhrasing, MorePhrasings, PickSituation, SituationPhrasings
from bot.telegram.context import KefuContext
from bot.telegram.handlers import proposals
from bot.telegram.handlers.drafts import check_draft
from bot.telegram.presses import Press, on_press
from bot.telegram.render import filled_message, offers_message, situations_keyboard
from bot.texts import placeholder_label, t



def _render(context: KefuContext, offers: Offers) -> tuple[str, InlineKeyboardMarkup | None]:
    phrases = context.services.phrases
    return offers_message(offers, phrases.kind_label(offers.kind), phrases.situation_label(offers.situation))


async def by_kind(update: Update, context: KefuContext) -> None:
    message = update.message
    if message is None or not message.text:
        return
    command = message.text.split()[0].lstrip("/").split("@")[0].lower()
    services = context.services
    offers = await services.phrases.suggest(
        context.me, services.now(), kind=KIND_COMMANDS[command], words=context.arguments.get("words", "")
    )
    text, keyboard = _render(context, offers)
    await message.reply_text(text, reply_markup=keyboard)


async def by_words(update: Update, context: KefuContext) -> None:
    message = update.message
    if message is None:
        return
    offers = await context.services.phrases.suggest(context.me, context.services.now(), words=context.arguments["words"])
    text, keyboard = _render(context, offers)
    await message.reply_text(text, reply_markup=keyboard)


@on_press(MorePhrasings)
async def more(update: Update, context: KefuContext, press: Press[MorePhrasings]) -> None:
    """The next few, in place of the current ones."""
    data = press.data
    offers = await context.services.phrases.suggest(
        context.me, context.services.now(), kind=data.kind, situation=data.situation, page=data.page,
    )
    await press.edit(*_render(context, offers))


@on_press(PickSituation)
async def pick_situation(update: Update, context: KefuContext, press: Press[PickSituation]) -> None:
    """The situations this kind has phrasings for, as buttons."""
    kind, phrases = press.data.kind, context.services.phrases
    await press.edit(t("phrasing.situations_title", kind=phrases.kind_label(kind)),
                     situations_keyboard(kind, phrases.situations_for(kind)))


@on_press(SituationPhrasings)
async def situation(update: Update, context: KefuContext, press: Press[SituationPhrasings]) -> None:
    """The best phrasings of that kind for that situation."""
    offers = await context.services.phrases.suggest(
        context.me, context.services.now(), kind=press.data.kind, situation=press.data.situation
    )
    await press.edit(*_render(context, offers))


@on_press(FillPhrasing)
async def fill(update: Update, context: KefuContext, press: Press[FillPhrasing]) -> None:
    """Ask for the first value the bot cannot know."""
    services = context.services
    chat = update.effective_chat
    assert chat is not None
    step = await services.phrases.start_fill(context.me, chat.id, press.data.phrasing_id, services.now())
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
