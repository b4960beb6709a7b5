"""The handoff conversation's state, read back from the drafts in the database.

PTB's ConversationHandler keeps its states in memory and asks a persistence for them at
start-up. The draft rows already hold each writer's step (written at every step, in the
same transaction as the content), so this persistence stores nothing of its own: it answers
``get_conversations`` from the drafts, and every write is a no-op.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from telegram.ext import BasePersistence, PersistenceInput

from bot.storage.db import Database
from bot.storage.models import HandoffDraft, Person
from bot.telegram.handlers.handoff import NAME


class DraftPersistence(BasePersistence[dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    def __init__(self, db: Database) -> None:
        super().__init__(store_data=PersistenceInput(bot_data=False, chat_data=False, user_data=False,
                                                     callback_data=False), update_interval=3600)
        self.db = db

    async def get_conversations(self, name: str) -> dict[tuple[int, ...], object]:
        if name != NAME:
            return {}
        async with self.db.transaction() as repos:
            rows = await repos.session.execute(
                select(HandoffDraft.chat_id, Person.telegram_id, HandoffDraft.step)
                .join(Person, Person.id == HandoffDraft.person_id))
            return {(chat_id, telegram_id): step for chat_id, telegram_id, step in rows.all()}

    async def update_conversation(self, name: str, key: tuple[int, ...], new_state: object | None) -> None:
        return None  # the handlers have written the draft already

    async def get_user_data(self) -> dict[int, dict[Any, Any]]:
        return {}

    async def get_chat_data(self) -> dict[int, dict[Any, Any]]:
        return {}

    async def get_bot_data(self) -> dict[Any, Any]:
        return {}

    async def get_callback_data(self) -> None:
        return None

    async def update_user_data(self, user_id: int, data: dict[Any, Any]) -> None:
        return None

    async def update_chat_data(self, chat_id: int, data: dict[Any, Any]) -> None:
        return None

    async def update_bot_data(self, data: dict[Any, Any]) -> None:
        return None

    async def update_callback_data(self, data: Any) -> None:
        return None

    async def drop_chat_data(self, chat_id: int) -> None:
        return None

    async def drop_user_data(self, user_id: int) -> None:
        return None

    async def refresh_user_data(self, user_id: int, user_data: dict[Any, Any]) -> None:
        return None

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[Any, Any]) -> None:
        return None

    async def refresh_bot_data(self, bot_data: dict[Any, Any]) -> None:
        return None

    async def flush(self) -> None:
        return None
