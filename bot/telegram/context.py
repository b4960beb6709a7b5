"""A typed callback context: ``context.services`` and ``context.member`` instead of casts.

``member`` is set once per update by the access guard (handler group -1); PTB builds one
context per update and hands it to every handler group, so later handlers see it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot

from bot.roster.people import Member
from bot.services import Services


class BotData:
    """``application.bot_data``: the services, set when the application is built."""

    services: Services | None = None

    def __init__(self) -> None:
        self.menus: set[tuple[int, str]] = set()  # (telegram id, role) whose menu this process set
        self.outbox_pass = asyncio.Lock()  # one outbox pass at a time in this application


class KefuContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    def __init__(self, application: Application, chat_id: int | None = None, user_id: int | None = None) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)
        self.member: Member | None = None
        self.arguments: Mapping[str, Any] = {}  # the command's words, read (bot/telegram/commands.py)

    @property
    def services(self) -> Services:
        services = self.bot_data.services
        if services is None:
            raise RuntimeError("the application was built without services")
        return services

    @property
    def me(self) -> Member:
        """The member this update comes from (handlers behind the access guard only)."""
        if self.member is None:
            raise RuntimeError("no member: the access guard did not run")
        return self.member


CONTEXT_TYPES = ContextTypes(context=KefuContext, bot_data=BotData)
