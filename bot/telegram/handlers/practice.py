"""``/practice``: the bot plays a customer from ``knowledge/scenarios.yaml``; the trainee replies.

The run is a row in the database (:mod:`bot.practice.desk`), read at every reply — text is
routed here by :mod:`bot.telegram.handlers.flows` — so any replica takes any reply, and a run
left idle ends by itself. Buttons: :class:`bot.buttons.PracticeScenario`.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot.buttons import PracticeScenario
from bot.practice.grading import ReplyGrade, Score
from bot.telegram.context import KefuContext
from bot.telegram.presses import Press, inline, on_press
from bot.texts import t


async def choose(update: Update, context: KefuContext) -> None:
    message = update.message
    assert message is not None
    desk = context.services.practice
    if "scenario" in context.arguments:
        await _start(update, context, context.arguments["scenario"])
        return
    if not desk.scenarios:
        await message.reply_text(t("practice.none"))
        return
    buttons = [[inline(s.title, PracticeScenario(s.id))] for s in desk.scenarios]
    await message.reply_text(t("practice.choose"), reply_markup=InlineKeyboardMarkup(buttons))


@on_press(PracticeScenario)
async def picked(update: Update, context: KefuContext, press: Press[PracticeScenario]) -> None:
    await _start(update, context, press.data.scenario_id)


async def _start(update: Update, context: KefuContext, scenario_id: str) -> None:
    services = context.services
    services.flows.starting(context.me)
    session = await services.practice.start(context.me, scenario_id, services.now())
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_message(chat.id, t("practice.start", title=session.scenario.title,
                                               turns=len(session.scenario.customer)))
    await context.bot.send_message(chat.id, t("practice.customer", text=session.customer_says))


async def reply(update: Update, context: KefuContext) -> None:
    """Text during a run: the trainee's reply, graded; the customer's next line, or the score."""
    message = update.message
    assert message is not None and message.text
    services = context.services
    replied = await services.practice.reply(context.me, message.text, services.now())
    if replied.grade.verdict != "ok":
        await message.reply_text(flagged_text(replied.grade))
    if replied.score is None:
        await message.reply_text(t("practice.customer", text=replied.session.customer_says))
    else:
        await message.reply_text(score_text(replied.score))


def flagged_text(grade: ReplyGrade) -> str:
    """What a trainee is told at once about a reply that broke a rule."""
    rules = _names(grade.rules)
    if grade.rewrite:
        return t("practice.flagged", rules=rules, rewrite=grade.rewrite)
    return t("practice.flagged_no_rewrite", rules=rules)


def score_text(score: Score) -> str:
    lines = [t("practice.score", points=score.points),
             t("practice.greeted" if score.greeted else "practice.not_greeted")]
    if score.needs_apology:
        lines.append(t("practice.apologised" if score.apologised else "practice.not_apologised"))
    for grade in score.replies:
        if grade.verdict == "ok":
            lines.append(t("practice.reply_ok", number=grade.reply_number))
        else:
            mark = "⛔" if grade.verdict == "block" else "⚠️"
            lines.append(t("practice.reply_bad", number=grade.reply_number, mark=mark, rules=_names(grade.rules)))
    return "\n".join(lines)


def _names(rules: tuple[str, ...]) -> str:
    """Rule names quoted: a name can hold 、 itself (讽刺、挖苦顾客)."""
    return "、".join(f"「{name}」" for name in rules)


async def cancel(update: Update, context: KefuContext) -> None:
    """``/cancel`` during a run: it ends, without a score."""
    await context.services.practice.cancel(context.me)
    if update.message is not None:
        await update.message.reply_text(t("practice.cancelled"))
