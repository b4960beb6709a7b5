"""``/knowledge``: the history of the knowledge and rolling back; ``/usage``: which phrasings
are used, and retiring those nobody uses (a lead's decision, by button)."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot.buttons import KeepPhrasing, RetirePhrasing
from bot.errors import UserError
from bot.knowledge.diff import Change
from bot.knowledge.keeper import VersionView
from bot.phrasebook.usage import PhrasingUsage
from bot.roster.roles import Role
from bot.telegram.context import KefuContext
from bot.telegram.presses import Press, inline, on_press
from bot.texts import shorten, split_message, t

HISTORY = 10
SHOWN_CHANGES = 20
USAGE_LINES = 8


def change_line(change: Change) -> str:
    return t(f"change.{change.what}.{change.change}", id=change.id, label=change.label, before=change.before, after=change.after)


def version_lines(version: VersionView, tz: object, limit: int = SHOWN_CHANGES) -> list[str]:
    when = version.created_at.astimezone(tz).strftime("%m-%d %H:%M")  # type: ignore[arg-type]
    lines = [t("knowledge.version", number=version.number, at=when, author=version.author,
               reason=version.reason or "—", changes=len(version.changes))]
    lines += [change_line(c) for c in version.changes[:limit]]
    if len(version.changes) > limit:
        lines.append(t("knowledge.more_changes", count=len(version.changes) - limit))
    return lines


async def knowledge(update: Update, context: KefuContext) -> None:
    """``/knowledge`` or ``/knowledge history`` · ``/knowledge N`` · ``/knowledge rollback N 原因``."""
    message = update.message
    assert message is not None
    services, arguments = context.services, context.arguments
    tz = services.settings.shop_tz
    if arguments.get("keyword") == "rollback":
        if not context.me.role.at_least(Role.TEAM_LEAD):
            raise UserError("knowledge.rollback_role")
        version = await services.keeper.rollback(context.me, arguments["version"], arguments["reason"], services.now())
        lines = [t("knowledge.rolled_back", number=version.number), *version_lines(version, tz)]
    elif "version" in arguments:
        version, _ = await services.keeper.version(arguments["version"])
        lines = version_lines(version, tz)
    else:
        versions = await services.keeper.history(HISTORY)
        lines = [t("knowledge.history_title")]
        for version in versions:
            lines += version_lines(version, tz, limit=3)
        lines.append(t("knowledge.history_hint"))
    for chunk in split_message(lines):
        await message.reply_text(chunk)


def _usage_line(row: PhrasingUsage) -> str:
    return t("usage.line", text=shorten(row.text, 30), suggested=row.suggested, filled=row.filled,
             used=row.used, proposed=row.proposed_from)


async def usage(update: Update, context: KefuContext) -> None:
    """``/usage [天数]``: most and least used; for team leads, retirement offers with buttons."""
    message = update.message
    assert message is not None
    services = context.services
    days = context.arguments.get("days") or services.settings.phrasing_unused_days
    rows = await services.usage.usage(services.now(), days)
    lines = [t("usage.title", days=days), t("usage.most")]
    lines += [_usage_line(r) for r in rows[:USAGE_LINES]]
    lines += [t("usage.least"), *[_usage_line(r) for r in rows[::-1][:USAGE_LINES]]]
    for chunk in split_message(lines):
        await message.reply_text(chunk)
    candidates = await services.usage.retirement_candidates(services.now())
    if not candidates:
        await message.reply_text(t("usage.no_candidates", days=services.settings.phrasing_unused_days))
        return
    lead = context.me.role.at_least(Role.TEAM_LEAD)
    await message.reply_text(t("usage.candidates", count=len(candidates), days=services.settings.phrasing_unused_days))
    for row in candidates[:USAGE_LINES]:
        keyboard = InlineKeyboardMarkup([[
            inline(t("usage.button_retire"), RetirePhrasing(row.phrasing_id)),
            inline(t("usage.button_keep"), KeepPhrasing(row.phrasing_id)),
        ]]) if lead else None
        await message.reply_text(t("usage.candidate", text=row.text), reply_markup=keyboard)


@on_press(RetirePhrasing, KeepPhrasing)
async def retire_or_keep(update: Update, context: KefuContext, press: Press[RetirePhrasing | KeepPhrasing]) -> None:
    """Retire it (a new knowledge version) · keep it."""
    services, me, phrasing_id = context.services, context.me, press.data.phrasing_id
    if not me.role.at_least(Role.TEAM_LEAD):
        raise UserError("usage.lead_only")
    phrasing = services.knowledge.current.knowledge.find_phrasing(phrasing_id)
    words = shorten(phrasing.text, 30) if phrasing else phrasing_id  # people read the words, not the id
    if isinstance(press.data, RetirePhrasing):
        version = await services.usage.retire(me, phrasing_id, services.now())
        text = t("usage.retired", text=words, number=version.number)
    else:
        await services.usage.keep(me, phrasing_id, services.now())
        text = t("usage.kept", text=words, days=services.settings.phrasing_unused_days)
    await press.edit(text)
