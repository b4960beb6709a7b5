"""What the bot records for the reports: event types and building one event.

An event says who, when, what and which rule or phrasing, never what the agent typed: a
draft holds customers' names, phones and addresses. Order events point at the order row
(number, note, remark), which the agent entered to have it logged.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum
from typing import Any

from bot.roster.people import Member
from bot.storage.db import Database

log = logging.getLogger(__name__)
EventRow = dict[str, Any]


class EventType(StrEnum):
    DRAFT_CHECKED = "draft_checked"  # detail: verdict ok / warn / block
    DRAFT_FLAGGED = "draft_flagged"  # subject: rule id; detail: severity
    PHRASING_SUGGESTED = "phrasing_suggested"  # subject: phrasing id; detail: kind
    PHRASING_FILLED = "phrasing_filled"  # subject: phrasing id; its placeholders filled in
    PHRASING_USED = "phrasing_used"  # subject: phrasing id; seen in a draft the agent had checked
    PHRASING_KEPT = "phrasing_kept"  # by a lead; subject: phrasing id offered for retirement and kept
    ORDER_LOGGED = "order_logged"  # detail: where from (draft / command)
    ORDER_TAGGED = "order_tagged"
    ORDER_REMINDED = "order_reminded"  # detail: the reminder's number (1, 2, …)
    SHIFT_ON = "shift_on"  # subject: shift name
    SHIFT_OFF = "shift_off"
    HANDOFF_FILED = "handoff_filed"  # subject: note id
    HANDOFF_READ = "handoff_read"  # by the reader; subject: note id
    HANDOFF_ESCALATED = "handoff_escalated"  # against the author; subject: note id
    HANDOFF_MISSING = "handoff_missing"  # went off without a note; subject: shift name
    FLAG_DISPUTED = "flag_disputed"  # by the agent ("这句没问题"); subject: rule id; detail: severity
    FLAG_CONFIRMED = "flag_confirmed"  # against the agent who disputed it, when approved; subject: rule id
    REPORT_SENT = "report_sent"  # a team's daily report queued; subject: the day


def event(
    type_: EventType,
    member: Member,
    at: datetime,
    *,
    subject: str | None = None,
    detail: str | None = None,
    order_id: int | None = None,
) -> EventRow:
    """One ``events`` row (inserted in bulk, without the ORM's per-object cost)."""
    return {
        "type": type_.value, "person_id": member.id, "team": member.team, "at": at,
        "subject": subject, "detail": detail, "order_id": order_id,
    }


class EventLog:
    """Write-behind for the high-volume events (checks, flags, suggestions).

    A draft check must not wait for a database round trip just to be counted: events are
    buffered and written in one transaction every ``delay`` seconds. A crash of the bot can
    lose at most that window of counts, never an order, an invite or anything an agent
    entered (those are written in their own transactions before the reply).
    """

    def __init__(self, db: Database, delay: float = 0.2) -> None:
        self.db = db
        self.delay = delay
        self._pending: list[EventRow] = []
        self._flusher: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()
        self._waiting = False  # the flusher is asleep, not writing: only then may close() cancel it

    def record(self, rows: Iterable[EventRow]) -> None:
        self._pending.extend(rows)
        if self._pending and (self._flusher is None or self._flusher.done()):
            self._flusher = asyncio.get_running_loop().create_task(self._flush_later())

    async def _flush_later(self) -> None:
        self._waiting = True
        try:
            await asyncio.sleep(self.delay)
        finally:
            self._waiting = False
        await self.flush()

    async def flush(self) -> None:
        """Write what is buffered now; on failure keep it for the next attempt."""
        async with self._lock:
            batch, self._pending = self._pending, []
            if not batch:
                return
            try:
                async with self.db.transaction() as repos:
                    await repos.events.add_all(batch)
            except Exception:
                log.exception("could not write %d events; kept for the next attempt", len(batch))
                self._pending[:0] = batch
                if self._flusher is None or self._flusher.done() or self._flusher is asyncio.current_task():
                    self._flusher = asyncio.get_running_loop().create_task(self._flush_later())

    async def close(self) -> None:
        """Write what is left. A flusher still asleep is cancelled; one already writing is awaited,
        since cancelling it mid-write would drop the batch it holds."""
        while (flusher := self._flusher) is not None and not flusher.done() and flusher is not asyncio.current_task():
            if self._waiting:
                flusher.cancel()
            await asyncio.gather(flusher, return_exceptions=True)  # a failed write schedules a new one
        await self.flush()
