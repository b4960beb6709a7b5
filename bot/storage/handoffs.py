"""Handoff storage: drafts, filed notes, their items and who has read them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import and_, delete, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import HandoffDraft, HandoffItem, HandoffNote, HandoffRead, Person


class HandoffRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # --- drafts

    async def draft(self, person_id: int, *, lock: bool = False) -> HandoffDraft | None:
        """The person's draft; ``lock``: held until the transaction ends (PostgreSQL), so that two
        replicas changing it at once take turns instead of one undoing the other."""
        query = select(HandoffDraft).where(HandoffDraft.person_id == person_id)
        return await self.session.scalar(query.with_for_update() if lock else query)

    async def add_draft(self, draft: HandoffDraft) -> HandoffDraft:
        self.session.add(draft)
        await self.session.flush()
        return draft

    async def remove_draft(self, draft: HandoffDraft) -> None:
        await self.session.delete(draft)

    async def drop_draft(self, person_id: int) -> bool:
        """Delete the person's draft; True if there was one."""
        result = await self.session.execute(delete(HandoffDraft).where(HandoffDraft.person_id == person_id))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    # --- notes and items

    async def add_note(self, note: HandoffNote, items: Iterable[HandoffItem]) -> HandoffNote:
        self.session.add(note)
        await self.session.flush()
        for item in items:
            item.note_id = note.id
            self.session.add(item)
        await self.session.flush()
        return note

    async def note(self, note_id: int) -> HandoffNote | None:
        return await self.session.get(HandoffNote, note_id)

    async def item(self, item_id: int) -> HandoffItem | None:
        return await self.session.get(HandoffItem, item_id)

    async def items(self, ids: Sequence[int]) -> Sequence[HandoffItem]:
        if not ids:
            return []
        return (await self.session.scalars(select(HandoffItem).where(HandoffItem.id.in_(ids)))).all()

    async def items_of(self, note_id: int) -> Sequence[HandoffItem]:
        return (await self.session.scalars(
            select(HandoffItem).where(HandoffItem.note_id == note_id).order_by(HandoffItem.position))).all()

    async def open_items(self, team: str, filed_after: datetime) -> Sequence[HandoffItem]:
        """Items of the team's notes filed after ``filed_after``, neither done nor carried on yet
        (untagged orders are not carried: each agent's own open orders fill that section)."""
        return (await self.session.scalars(
            select(HandoffItem).join(HandoffNote, HandoffNote.id == HandoffItem.note_id)
            .where(HandoffNote.team == team, HandoffItem.done_at.is_(None), HandoffItem.carried_at.is_(None),
                   HandoffItem.section != "orders", HandoffNote.filed_at > filed_after)
            .order_by(HandoffItem.note_id, HandoffItem.position))).all()

    async def has_note(self, person_id: int, shift_start: datetime) -> bool:
        return await self.session.scalar(select(HandoffNote.id).where(
            HandoffNote.person_id == person_id, HandoffNote.shift_start == shift_start).limit(1)) is not None

    async def unread_for_shift(self, team: str, person_id: int, shift_start: datetime) -> Sequence[HandoffNote]:
        """Notes of others in the team handed over to the shift starting at ``shift_start``
        (not those for an earlier shift: those were another shift's to read), that
        ``person_id`` has not read."""
        return (await self.session.scalars(select(HandoffNote).where(
            HandoffNote.team == team, HandoffNote.person_id != person_id, HandoffNote.next_shift_start == shift_start,
            ~exists().where(and_(HandoffRead.note_id == HandoffNote.id, HandoffRead.person_id == person_id)),
        ).order_by(HandoffNote.filed_at))).all()

    async def filed_between(self, team: str | None, start: datetime, end: datetime) -> Sequence[HandoffNote]:
        query = select(HandoffNote).where(HandoffNote.filed_at >= start, HandoffNote.filed_at < end)
        if team is not None:
            query = query.where(HandoffNote.team == team)
        return (await self.session.scalars(query.order_by(HandoffNote.filed_at))).all()

    async def not_shown_by(self, now: datetime) -> Sequence[HandoffNote]:
        """Notes whose next shift has started and that were not shown at its start yet."""
        return (await self.session.scalars(select(HandoffNote).where(
            HandoffNote.shown_at_start.is_(None), HandoffNote.next_shift_start <= now))).all()

    async def unread_since(self, next_shift_started_by: datetime) -> Sequence[HandoffNote]:
        """Notes not escalated yet, read by nobody but their author, whose next shift started
        at ``next_shift_started_by`` or before."""
        return (await self.session.scalars(select(HandoffNote).where(
            HandoffNote.escalated_at.is_(None), HandoffNote.next_shift_start <= next_shift_started_by,
            ~exists().where(and_(HandoffRead.note_id == HandoffNote.id, HandoffRead.person_id != HandoffNote.person_id)),
        ))).all()

    # --- reading

    async def has_read(self, note_id: int, person_id: int) -> bool:
        return await self.session.get(HandoffRead, (note_id, person_id)) is not None

    async def add_read(self, note_id: int, person_id: int, at: datetime) -> None:
        self.session.add(HandoffRead(note_id=note_id, person_id=person_id, read_at=at))
        await self.session.flush()

    async def readers(self, note_id: int) -> Sequence[Person]:
        return (await self.session.scalars(
            select(Person).join(HandoffRead, HandoffRead.person_id == Person.id)
            .where(HandoffRead.note_id == note_id).order_by(HandoffRead.read_at))).all()
