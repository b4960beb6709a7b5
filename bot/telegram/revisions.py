"""Showing a change on the copies the outbox delivered: each edited in place.

A note goes to everyone on the next shift, a proposal to every reviewer: when one of them
acts, the others' copies should not keep offering what is done. The change is already
recorded when this runs, so an edit that fails (the message deleted, too old, Telegram
away) is logged and skipped — the buttons on a copy left as it was still answer correctly
when pressed (the domain checks again).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import Any

from telegram import Bot, InlineKeyboardMarkup, MaybeInaccessibleMessage
from telegram.error import BadRequest, TelegramError

from bot.outbox import Revision

log = logging.getLogger(__name__)


def keyboard(markup: dict[str, Any] | None, bot: Bot) -> InlineKeyboardMarkup | None:
    """Bot API JSON of an inline keyboard as the library's object (None: no buttons)."""
    return InlineKeyboardMarkup.de_json(markup, bot) if markup and markup.get("inline_keyboard") else None


async def revise(bot: Bot, revisions: Iterable[Revision], *, besides: MaybeInaccessibleMessage | None = None) -> None:
    """Edit every copy (but ``besides``, the message pressed, which the press shows itself)."""
    skipped = (besides.chat.id, besides.message_id) if besides is not None else None
    await asyncio.gather(*(_edit(bot, r) for r in revisions if (r.chat_id, r.message_id) != skipped))


async def _edit(bot: Bot, revision: Revision) -> None:
    try:
        await bot.edit_message_text(revision.text, chat_id=revision.chat_id, message_id=revision.message_id,
                                    reply_markup=keyboard(revision.markup, bot))
    except BadRequest as error:
        if "not modified" not in error.message.lower():
            log.info("could not edit message %s in chat %s: %s", revision.message_id, revision.chat_id, error)
    except TelegramError as error:
        log.warning("could not edit message %s in chat %s: %s", revision.message_id, revision.chat_id, error)
