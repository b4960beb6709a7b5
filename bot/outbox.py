"""The outbox: messages the bot owes someone, written in the same transaction as the change
they report, and sent until they are sent — by one replica, once.

A handoff summary is queued with the note it summarises, an escalation with the flag that
says it happened: a crash before sending loses nothing, and ``(purpose, ref_id, chat_id)``
being unique means the same notification is never queued twice (queueing it again is a
no-op that leaves the caller's transaction intact).

Sending (see :mod:`bot.telegram.outbox_sender`): a replica claims a few due rows for
``claim_for``, renews the claim of each just before sending it, and settles it (sent,
retry later, failed, uncertain) only while the claim is still its own. The sender bounds
a send well inside the claim, so another replica can take a row over only once no send of
it can still be in flight. A send whose answer never came (a timeout, a connection lost
after the request was written, a 5xx) is ``uncertain``: Telegram may have delivered it, so
it is not sent again; the admins hear of it once and ``/outbox`` lists it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot.storage.db import Database
from bot.storage.repositories import Repositories

MAX_BACKOFF = timedelta(minutes=5)
CLAIM_BATCH = 5  # rows claimed at a time: a pass holds few it has not yet tried
# How long a claim lasts from its last renewal; the sender bounds a send well inside it.
CLAIM_FOR = timedelta(seconds=120)
REFUSED_RETRY = timedelta(hours=1)  # a user who blocked the bot may unblock it


@dataclass(frozen=True, slots=True)
class Outgoing:
    chat_id: int
    purpose: str  # handoff_summary, handoff_note, handoff_escalation, handoff_missing, …
    ref_id: int
    text: str  # the message, or the caption of the photo
    markup: dict[str, Any] | None = None
    photo: bytes | None = None  # a PNG chart


@dataclass(frozen=True, slots=True)
class Revision:
    """A message the outbox delivered, as it should now read (edited in place): a decision
    taken, an item done — every copy shows it, not only the one that was pressed."""

    chat_id: int
    message_id: int
    text: str
    markup: dict[str, Any] | None = None  # None: no buttons any more


@dataclass(frozen=True, slots=True)
class Delivered:
    """One delivered part of a notification: where it is, and which part (1, 2 … for a note
    sent in several messages)."""

    chat_id: int
    message_id: int
    part: int


async def delivered(repos: Repositories, purpose: str, ref_id: int) -> list[Delivered]:
    """The delivered messages of a notification (``purpose`` and its parts ``purpose_2`` …,
    or ``order_reminder`` for ``order_reminder_1`` …), in the order they were queued."""
    rows = await repos.outbox.delivered(purpose, ref_id)
    return [Delivered(r.chat_id, r.message_id, _part(purpose, r.purpose)) for r in rows if r.message_id is not None]


def _part(purpose: str, sent_as: str) -> int:
    tail = sent_as[len(purpose) + 1:]
    return int(tail) if tail.isdigit() else 1


@dataclass(frozen=True, slots=True)
class Pending:
    id: int
    chat_id: int
    text: str
    markup: dict[str, Any] | None
    attempts: int
    photo: bytes | None = None


@dataclass(frozen=True, slots=True)
class Uncertain:
    """A message whose send got no answer: Telegram may or may not have delivered it."""

    id: int
    chat_id: int
    purpose: str
    text: str
    at: datetime
    error: str


@dataclass(frozen=True, slots=True)
class Backlog:
    pending: int
    failed: int
    oldest_pending: datetime | None
    uncertain: int = 0
    recent_uncertain: list[Uncertain] = field(default_factory=list)


def backoff(attempts: int) -> timedelta:
    """2 s, 4 s, 8 s … up to five minutes between tries."""
    return min(MAX_BACKOFF, timedelta(seconds=2 ** min(attempts, 16)))


async def queue(repos: Repositories, messages: Iterable[Outgoing], now: datetime) -> int:
    """Queue inside the caller's transaction; a message already queued is skipped (and the
    caller's transaction goes on). Returns how many were added."""
    return await repos.outbox.add_all([
        {"chat_id": m.chat_id, "purpose": m.purpose, "ref_id": m.ref_id, "text": m.text, "markup": m.markup,
         "photo": m.photo, "created_at": now, "due_at": now} for m in messages])


class Outbox:
    """The outbox of one process (``holder``: the name its claims go under)."""

    def __init__(self, db: Database, alert_after: int, holder: str, claim_for: timedelta = CLAIM_FOR) -> None:
        self.db = db
        self.alert_after = alert_after
        self.holder = holder
        self.claim_for = claim_for

    async def claim(self, now: datetime, limit: int = CLAIM_BATCH) -> list[Pending]:
        """Claim up to ``limit`` due messages for this process (oldest first)."""
        async with self.db.transaction() as repos:
            rows = await repos.outbox.claim(self.holder, now, now + self.claim_for, limit)
            return [Pending(r.id, r.chat_id, r.text, r.markup, r.attempts, r.photo) for r in rows]

    async def renew(self, message_id: int, now: datetime) -> bool:
        """Renew the claim just before sending; False: it is no longer ours, do not send."""
        async with self.db.transaction() as repos:
            return await repos.outbox.renew(message_id, self.holder, now + self.claim_for)

    async def sent(self, message_id: int, now: datetime, telegram_message_id: int | None) -> bool:
        """Record a delivery; False if the claim had been lost meanwhile (then another replica
        may have sent it too — the sender's bound on a send makes this not happen)."""
        async with self.db.transaction() as repos:
            row = await repos.outbox.get(message_id)
            attempts = (row.attempts if row is not None else 0) + 1
            return await repos.outbox.settle(message_id, self.holder, sent_at=now, message_id=telegram_message_id,
                                             attempts=attempts)

    async def retry_later(self, message_id: int, now: datetime, error: str, *, refused: bool = False) -> bool:
        """Try again after a backoff (an hour when Telegram refused it: the user blocked the bot);
        True when the admins should now hear of it (once: at once when refused)."""
        async with self.db.transaction() as repos:
            row = await repos.outbox.get(message_id)
            if row is None or row.claimed_by != self.holder:
                return False
            attempts = row.attempts + 1
            alert = (refused or attempts >= self.alert_after) and row.alerted_at is None
            due = now + (REFUSED_RETRY if refused else backoff(attempts))
            settled = await repos.outbox.settle(message_id, self.holder, attempts=attempts, due_at=due,
                                                last_error=error[:500], alerted_at=now if alert else row.alerted_at)
            return settled and alert

    async def put_back(self, message_id: int, due_at: datetime, error: str) -> None:
        """Not tried (Telegram asked us to wait): due again at ``due_at``, no attempt counted."""
        async with self.db.transaction() as repos:
            await repos.outbox.settle(message_id, self.holder, due_at=due_at, last_error=error[:500])

    async def release(self, message_id: int) -> None:
        """Give the claim back untried: the message is due as it was, for any replica."""
        async with self.db.transaction() as repos:
            await repos.outbox.settle(message_id, self.holder)

    async def failed(self, message_id: int, now: datetime, error: str) -> None:
        """Telegram rejected the message itself (a bad request): trying again cannot help."""
        async with self.db.transaction() as repos:
            row = await repos.outbox.get(message_id)
            await repos.outbox.settle(message_id, self.holder, failed_at=now, last_error=error[:500],
                                      attempts=(row.attempts if row is not None else 0) + 1)

    async def uncertain(self, message_id: int, now: datetime, error: str) -> bool:
        """The send's answer never came: Telegram may have delivered it. Never sent again by
        the bot; True when the admins should hear of it (once per message)."""
        async with self.db.transaction() as repos:
            row = await repos.outbox.get(message_id)
            if row is None:
                return False
            return await repos.outbox.settle(message_id, self.holder, uncertain_at=now, last_error=error[:500],
                                             attempts=row.attempts + 1, alerted_at=now)

    async def backlog(self, listed: int = 10) -> Backlog:
        async with self.db.transaction() as repos:
            pending, oldest = await repos.outbox.pending()
            failed = await repos.outbox.count_failed()
            uncertain, rows = await repos.outbox.uncertain(listed)
            return Backlog(pending, failed, oldest, uncertain, [
                Uncertain(r.id, r.chat_id, r.purpose, r.text, r.uncertain_at, r.last_error or "")
                for r in rows if r.uncertain_at is not None])
