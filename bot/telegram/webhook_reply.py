"""The draft's verdict as the answer to Telegram's webhook request: one Bot API call saved.

Telegram lets the answer to a webhook POST carry one Bot API method, which it then executes.
A replica answering the verdict that way skips the outgoing request, its answer and the
``Message`` built from it — about a quarter of a replica's CPU per update (measured with
``scripts/load_webhook.py``). The price: Telegram does not say whether it could deliver
that message (the bot learns no message id and no error). So it is used for the verdict
only — the one reply whose result the bot never needs; if it is lost the agent sees no
verdict and sends the draft again — never for anything the bot must know was delivered
(reminders, handoffs and reports go through the outbox), only while the overall rate limit
has room (see :meth:`RetryingRateLimiter.take_now`), and only in webhook mode with
``WEBHOOK_REPLY_IN_RESPONSE`` on. Anywhere else :func:`reply` is ``reply_text``.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.ext import ExtBot

from bot.telegram.resilience import RetryingRateLimiter


@dataclass
class Answer:
    """The webhook request being handled: its chat, and the method to answer it with, if any."""

    chat_id: int | None
    method: dict[str, Any] | None = None


_answer: ContextVar[Answer | None] = ContextVar("kefu_webhook_answer", default=None)


def expect(update: Update) -> Answer:
    """Called by the webhook handler before it handles ``update`` (in the same task)."""
    answer = Answer(update.effective_chat.id if update.effective_chat else None)
    _answer.set(answer)
    return answer


async def reply(bot: ExtBot[Any], message: Message, text: str, keyboard: InlineKeyboardMarkup | None) -> None:
    """Reply quoting ``message``: in the webhook's answer when allowed, else through the Bot API."""
    answer = _answer.get()
    limiter = bot.rate_limiter
    if (answer is not None and answer.method is None and answer.chat_id == message.chat.id
            and (not isinstance(limiter, RetryingRateLimiter) or await limiter.take_now())):
        answer.method = {
            "method": "sendMessage", "chat_id": message.chat.id, "text": text, "parse_mode": "HTML",
            "link_preview_options": {"is_disabled": True}, "reply_parameters": {"message_id": message.message_id},
        }
        if keyboard is not None:
            answer.method["reply_markup"] = keyboard.to_dict()
        return
    await message.reply_text(text, reply_markup=keyboard, do_quote=True)
