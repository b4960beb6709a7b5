"""``/practice``: the bot plays a customer from ``knowledge/scenarios.yaml``; the trainee replies.

A short conversation (PTB ConversationHandler) kept in ``user_data``: practice is not the
team's paperwork, so a restart half-way simply ends it (``/practice`` starts again).
"""

from __future__ import annotations

import warnings

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CommandHandler, ConversationHandler, MessageHandler, filters
from telegram.warnings import PTBUserWarning

from bot.buttons import PracticeScenario
from bot.practice.desk import Session
from bot.practice.grading import ReplyGrade, Score
from bot.telegram.context import KefuContext
from bot.telegram.presses import Press, handler, inline, on_press
from bot.texts import t

REPLYING = 0
KEY = "practice"


async def choose(update: Update, context: KefuContext) -> int:
    message = update.message
    assert message is not None
    desk = context.services.practice
    if context.args:
        return await _start(update, context, context.args[0])
    if not desk.scenarios:
        await message.reply_text(t("practice.none"))
        return ConversationHandler.END
    buttons = [[inline(s.title, PracticeScenario(s.id))] for s in desk.scenarios]
    await message.reply_text(t("practice.choose"), reply_markup=InlineKeyboardMarkup(buttons))
    return ConversationHandler.END


@on_press(PracticeScenario)
async def picked(update: Update, context: KefuContext, press: Press[PracticeScenario]) -> int:
    return await _start(update, context, press.data.scenario_id)


async def _start(update: Update, context: KefuContext, scenario_id: str) -> int:
    session = context.services.practice.start(scenario_id)
    context.user_data[KEY] = session
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_message(chat.id, t("practice.start", title=session.scenario.title,
                                               turns=len(session.scenario.customer)))
    await context.bot.send_message(chat.id, t("practice.customer", text=session.customer_says))
    return REPLYING


async def reply(update: Update, context: KefuContext) -> int:
    message = update.message
    assert message is not None and message.text
    session: Session | None = context.user_data.get(KEY)
    if session is None:
        return ConversationHandler.END
    grade = context.services.practice.reply(session, message.text)
    if grade.verdict != "ok":
        await message.reply_text(flagged_text(grade))
    if not session.finished:
        await message.reply_text(t("practice.customer", text=session.customer_says))
        return REPLYING
    await message.reply_text(score_text(context.services.practice.score(session)))
    context.user_data.pop(KEY, None)
    return ConversationHandler.END


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


async def cancel(update: Update, context: KefuContext) -> int:
    context.user_data.pop(KEY, None)
    if update.message is not None:
        await update.message.reply_text(t("practice.cancelled"))
    return ConversationHandler.END


def conversation() -> ConversationHandler:
    typing = filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*per_message=False.*", category=PTBUserWarning)
        return ConversationHandler(
            entry_points=[CommandHandler("practice", choose, filters=filters.UpdateType.MESSAGE),
                          handler(picked)],
            states={REPLYING: [MessageHandler(typing, reply)]},
            fallbacks=[CommandHandler("cancel", cancel), CommandHandler("practice", choose)],
            allow_reentry=True,
        )
