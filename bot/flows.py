"""Which multi-step flow a person's typed text belongs to, read from the database per update.

A flow's state is its row — the handoff draft (its step), the practice run (its turn) — so
any replica can take any update of it: no conversation state lives in a process's memory.
Text goes to the flow the person touched last; in neither, it is a draft to check.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from bot.practice.desk import IDLE
from bot.roster.people import Member
from bot.storage.db import Database

Flow = Literal["handoff", "practice"]


class Flows:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def current(self, member: Member, now: datetime) -> Flow | None:
        """Asked of every typed text: a read, so a draft's verdict never waits for a writer."""
        async with self.db.read() as repos:
            flow = await repos.flows.latest(member.id, now - IDLE)
        return flow if flow in ("handoff", "practice") else None  # type: ignore[return-value]
