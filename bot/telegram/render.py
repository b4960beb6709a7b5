"""Domain results as Telegram messages: HTML text and inline keyboards, nothing else.

Callback data comes from the table in :mod:`bot.buttons` (ids only, never free text).
"""

from __future__ import annotations

from datetime import datetime

from telegram import CopyTextButton, InlineKeyboardButton, InlineKeyboardMarkup

from bot.assist.drafts import DraftOrders, DraftOutcome
from bot.assist.phrasings import PAGE, Offer, Offers, fill_and_mark
from bot.buttons import (
    DisputeFlags,
    FillPhrasing,
    MorePhrasings,
    PickSituation,
    ProposeDraft,
    ProposeFromPhrasing,
    SituationPhrasings,
    TagListedOrder,
    TagOrder,
)
from bot.checker.result import CheckResult
from bot.checker.rewrite import closest_first
from bot.knowledge.models import Severity
from bot.orders.desk import OrderView
from bot.telegram.presses import inline
from bot.texts import MESSAGE_LIMIT, placeholder_label, shorten, t
from bot.wording import ago

COPY_LIMIT = 256  # Telegram's CopyTextButton limit
LIST_LIMIT = 30
SUGGESTIONS_PER_FLAG = 2
FLAGS_SHOWN = 10  # a message holds 4096 characters
QUOTED_MAX = 60  # of a flag's words quoted: the intent model's are a whole clause, up to the whole draft


def grid(buttons: list[InlineKeyboardButton], width: int) -> InlineKeyboardMarkup:
    """The buttons in rows of ``width``."""
    return InlineKeyboardMarkup([buttons[i : i + width] for i in range(0, len(buttons), width)])


def _copy_button(label: str, text: str) -> InlineKeyboardButton | None:
    if not text or len(text) > COPY_LIMIT:
        return None
    return InlineKeyboardButton(label, copy_text=CopyTextButton(text))


def offers_message(offers: Offers, kind_label: str, situation_label: str | None) -> tuple[str, InlineKeyboardMarkup | None]:
    if not offers.offers and offers.words:
        pick = InlineKeyboardMarkup([[inline(t("phrasing.pick_situation"), PickSituation(offers.kind))]]) if offers.kind else None
        return t("phrasing.no_match", words=offers.words, kind=kind_label,
                 hint=t("phrasing.no_match_pick") if offers.kind else ""), pick
    if not offers.offers:
        return t("phrasing.none"), None
    lines = [t("phrasing.title", kind=kind_label, situation=f" · {situation_label}" if situation_label else "")]
    buttons: list[InlineKeyboardButton] = []
    for number, offer in enumerate(offers.offers, offers.page * PAGE + 1):
        lines.append(_offer_line(number, offer))
        if offer.ready:
            button = _copy_button(t("phrasing.copy", number=number), offer.text)
        else:
            button = inline(t("phrasing.fill", number=number), FillPhrasing(offer.phrasing_id))
        if button is not None:
            buttons.append(button)
    lines.append(t("phrasing.tap_to_copy"))
    rewrite = [inline(t("phrasing.rewrite", number=number), ProposeFromPhrasing(offer.phrasing_id))
               for number, offer in enumerate(offers.offers, offers.page * PAGE + 1)]
    navigation = []
    if offers.has_more:
        navigation.append(inline(t("phrasing.more"), MorePhrasings(offers.kind or None, offers.situation or None, offers.page + 1)))
    if offers.kind:
        navigation.append(inline(t("phrasing.pick_situation"), PickSituation(offers.kind)))
    return "\n".join(lines), InlineKeyboardMarkup([row for row in (buttons, rewrite, navigation) if row])


def _offer_line(number: int, offer: Offer) -> str:
    if offer.ready:
        return t("phrasing.line", number=number, text=offer.text)
    return t("phrasing.line_missing", number=number, text=offer.text, labels=_labels(offer.missing))


def _labels(names: tuple[str, ...]) -> str:
    return "、".join(placeholder_label(n) for n in names)


def situations_keyboard(kind: str, situations: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    buttons = [inline(label, SituationPhrasings(kind, sid)) for sid, label in situations]
    return grid(buttons, 3)


def filled_message(offer: Offer) -> tuple[str, InlineKeyboardMarkup | None]:
    button = _copy_button(t("phrasing.copy", number=1), offer.text)
    return t("fill.done", text=offer.text), InlineKeyboardMarkup([[button]]) if button else None


def draft_message(outcome: DraftOutcome, values: dict[str, str], edited: bool) -> tuple[str, InlineKeyboardMarkup | None]:
    result = outcome.result
    prefix = t("draft.edited") + " " if edited else ""
    lines = [prefix + _verdict_line(result)]
    for number, flag in enumerate(result.flags[:FLAGS_SHOWN], 1):
        severity = t("draft.flag_block" if flag.severity is Severity.BLOCK
                     else "draft.flag_warn" if flag.sure else "draft.flag_unsure")
        lines.append(t("draft.flag", number=number, name=flag.name, matched=shorten(flag.matched, QUOTED_MAX),
                       severity=severity, reason=flag.reason))
        for suggestion in closest_first(flag.suggestions, result.text)[:SUGGESTIONS_PER_FLAG]:
            text, missing = fill_and_mark(suggestion, values)
            lines.append(t("draft.suggestion_missing" if missing else "draft.suggestion", text=text))
    if len(result.flags) > FLAGS_SHOWN:
        lines.append(t("draft.more_flags", count=len(result.flags) - FLAGS_SHOWN))
    if not result.flags:  # a reply that passed may be worth making approved
        return "\n".join(lines), InlineKeyboardMarkup([[inline(t("draft.propose"), ProposeDraft())]])
    rows = []
    if result.rewrite:
        rewrite, missing = fill_and_mark(result.rewrite, values)
        if missing:
            lines.append(t("draft.rewrite_missing", labels=_labels(missing), text=rewrite))
        else:
            lines.append(t("draft.rewrite", text=rewrite))
            button = _copy_button(t("draft.copy_rewrite"), rewrite)
            rows += [[button]] if button else []
        if len("\n".join(lines)) > MESSAGE_LIMIT:  # a long draft full of flags: the rewrite does not fit
            lines[-1] = t("draft.rewrite_too_long")
    rows.append([inline(t("dispute.button"), DisputeFlags())])  # the agent thinks it is fine
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def draft_orders_notes(orders: DraftOrders) -> str:
    """What went wrong logging a draft's orders (empty when nothing did)."""
    lines = [t(p.key, **p.values) for p in orders.problems]
    if orders.unlogged:
        lines.append(t("draft.unlogged_orders", numbers="、".join(orders.unlogged)))
    return "\n".join(lines)


def _verdict_line(result: CheckResult) -> str:
    if not result.flags:
        return t("draft.ok")
    key = "draft.block" if result.verdict == Severity.BLOCK.value else "draft.warn"
    return t(key, count=len(result.flags))


def order_message(order: OrderView, new: bool, tz_now: datetime) -> tuple[str, InlineKeyboardMarkup | None]:
    if order.tagged_at is not None:
        return t("order.already_tagged", number=order.number, at=_clock(order.tagged_at, tz_now)), None
    key = "order.logged" if new else "order.logged_again"
    text = t(key, number=order.number, flag=order.remark.flag, remark=order.remark.text)
    return text, order_keyboard(order)


def order_keyboard(order: OrderView) -> InlineKeyboardMarkup:
    row = [inline(t("order.tagged_button"), TagOrder(order.id))]
    copy = _copy_button(t("order.copy_remark"), order.remark.text)
    if copy is not None:
        row.append(copy)
    return InlineKeyboardMarkup([row])


def reminder_message(order: OrderView, now: datetime) -> tuple[str, InlineKeyboardMarkup]:
    text = t("order.reminder", number=order.number, ago=ago(now - order.logged_at), flag=order.remark.flag,
             remark=order.remark.text)
    return text, order_keyboard(order)


def untagged_message(orders: list[OrderView], now: datetime) -> tuple[str, InlineKeyboardMarkup | None]:
    """The oldest ``LIST_LIMIT`` untagged orders (a message holds 4096 characters)."""
    if not orders:
        return t("order.list_empty"), None
    lines = [t("order.list_header", count=len(orders))]
    buttons = []
    for number, order in enumerate(orders[:LIST_LIMIT], 1):
        lines.append(t("order.list_line", number=number, order=order.number, ago=ago(now - order.logged_at),
                       reminders=order.reminders_sent))
        buttons.append(inline(t("order.list_button", number=number), TagListedOrder(order.id)))
    if len(orders) > LIST_LIMIT:
        lines.append(t("order.list_more", count=len(orders) - LIST_LIMIT))
    return "\n".join(lines), grid(buttons, 4)





def tagged_text(order: OrderView, tz_now: datetime) -> str:
    return t("order.tagged", number=order.number, at=_clock(order.tagged_at or tz_now, tz_now))


def _clock(at: datetime, tz_now: datetime) -> str:
    local = at.astimezone(tz_now.tzinfo)
    return local.strftime("%H:%M") if local.date() == tz_now.date() else local.strftime("%m-%d %H:%M")

