"""A button press, handled one way everywhere: parse, do the work, show it, then answer.

Every callback handler is ``@on_press(Kind, …)`` and is registered with :func:`handler`
(its pattern comes from the table in :mod:`bot.buttons`). The wrapper

1. parses the data; a forged or stale button (``tag:abc``, an unknown prefix) is answered
   "这个按钮已失效" and nothing runs;
2. runs the handler with a :class:`Press` — the typed data, :meth:`Press.answer` to say what
   the toast will say, :meth:`Press.edit` to show the result in place of the pressed message;
3. answers the callback query last. The work is done before Telegram is asked anything, so a
   failed answer (network, "query is too old") loses nothing: it is logged, and the toast is
   sent as a message when the handler showed nothing else.

A :class:`UserError` (someone else's order, a note that does not exist) is the toast, as an
alert; any other error reaches the error handler, which answers the query with a failure text
and tells the admins — the domain's transaction rolled back, nothing was half done.
"""

from __future__ import annotations

import functools
import html
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import CallbackQueryHandler

from bot.buttons import Button, parse, pattern
from bot.errors import UserError
from bot.telegram.context import KefuContext
from bot.texts import t

log = logging.getLogger(__name__)
ALERT_CHARS = 200  # Telegram's limit for the text of an answer

B = TypeVar("B", bound=Button)
PressCallback = Callable[[Update, KefuContext, "Press[Any]"], Awaitable[Any]]


def inline(label: str, button: Button) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=button.data)


class Press(Generic[B]):
    """One press of a button of ours: its typed data, and what to answer once the work is done."""

    def __init__(self, query: CallbackQuery, data: B, context: KefuContext) -> None:
        self.query, self.data, self.context = query, data, context
        self.text: str | None = None
        self.alert = False
        self.shown = False  # the result is on screen (the message edited or a new one sent)

    def answer(self, text: str | None = None, *, alert: bool = False) -> None:
        """The toast (plain text) to answer with, after the handler returns."""
        self.text, self.alert = text, alert

    async def edit(self, text: str, reply_markup: InlineKeyboardMarkup | None = None) -> None:
        """The result in place of the pressed message; in a new message when that cannot be
        edited (too old, deleted). Pressing twice (the same text) is no error. The work is
        done by now, so a failure here is logged and never reported as the press failing."""
        message = self.query.message
        if isinstance(message, Message):
            try:
                await message.edit_text(text, reply_markup=reply_markup)
                self.shown = True
                return
            except BadRequest as error:
                if "not modified" in error.message.lower():
                    self.shown = True
                    return
                log.warning("could not edit the pressed message (%s); sending the result anew", error)
            except TelegramError as error:  # the network: the edit may have happened, do not repeat it
                log.warning("could not edit the pressed message: %s", error)
                return
        try:
            await self.context.bot.send_message(_chat_id(self.query), text, reply_markup=reply_markup)
            self.shown = True
        except TelegramError:
            log.exception("a press took effect but its result could not be shown")


def on_press(*kinds: type[Button]) -> Callable[[PressCallback], Callable[[Update, KefuContext], Awaitable[Any]]]:
    """Make ``callback(update, context, press)`` a PTB callback for buttons of these kinds."""

    def decorate(callback: PressCallback) -> Callable[[Update, KefuContext], Awaitable[Any]]:
        @functools.wraps(callback)
        async def pressed(update: Update, context: KefuContext) -> Any:
            query = update.callback_query
            assert query is not None
            data = parse(query.data)
            if not isinstance(data, kinds):
                log.info("stale or forged button %r from %s", query.data, query.from_user.id)
                await _answer(query, context, t("button.stale", escape=False), alert=True)
                return None
            press = Press(query, data, context)
            try:
                result = await callback(update, context, press)
            except UserError as error:
                await _answer(query, context, t(error.key, escape=False, **error.values), alert=True)
                return None
            await _answer(query, context, press.text, alert=press.alert, shown=press.shown)
            return result

        pressed.kinds = kinds  # type: ignore[attr-defined]
        return pressed

    return decorate


def handler(callback: Callable[[Update, KefuContext], Awaitable[Any]]) -> CallbackQueryHandler:
    """The handler for an ``@on_press`` callback: offered the data with its kinds' prefixes."""
    return CallbackQueryHandler(callback, pattern=pattern(*callback.kinds))  # type: ignore[attr-defined]


async def stale(update: Update, context: KefuContext) -> None:
    """Any button no handler took: an unknown prefix, a step of a flow that has ended."""
    query = update.callback_query
    assert query is not None
    log.info("button %r from %s taken by no handler", query.data, query.from_user.id)
    await _answer(query, context, t("button.stale", escape=False), alert=True)


async def _answer(query: CallbackQuery, context: KefuContext, text: str | None, *, alert: bool = False,
                  shown: bool = False) -> None:
    """Answer the query; when that fails and the toast was all the user would have seen (nothing
    ``shown``), say it in the chat instead."""
    try:
        await query.answer(text[:ALERT_CHARS] if text else None, show_alert=alert)
        return
    except TelegramError as error:
        log.warning("could not answer the callback query %s: %s", query.id, error)
    if shown or not text:
        return
    try:
        await context.bot.send_message(_chat_id(query), html.escape(text))
    except TelegramError as error:
        log.warning("could not tell the user the result of a press: %s", error)


def _chat_id(query: CallbackQuery) -> int:
    return query.message.chat.id if query.message is not None else query.from_user.id
