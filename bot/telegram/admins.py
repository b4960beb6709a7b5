"""Telling the admins: errors, broken knowledge files. Never raises (it runs in error paths)."""

from __future__ import annotations

import logging

from telegram import Bot
from telegram.error import TelegramError

from bot.roster.roles import Role
from bot.services import Services

log = logging.getLogger(__name__)
MAX_TEXT = 4096


async def notify_admins(bot: Bot, services: Services, text: str) -> None:
    try:
        admins = await services.roster.members(roles=[Role.ADMIN])
    except Exception:  # the database may be what failed
        log.exception("could not read the admins from the roster")
        return
    for admin in admins:
        try:
            await bot.send_message(admin.telegram_id, text[:MAX_TEXT])
        except TelegramError as error:
            log.warning("could not tell admin %s: %s", admin.label, error)
