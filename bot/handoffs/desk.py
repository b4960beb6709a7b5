"""The handoff book over the database: drafts, filing, reading, and the scheduled checks.

Every notification is queued in the outbox in the same transaction as the change it
reports, so a note is stored before anyone is told and nothing is told twice. The checks
(show the note at the next shift's start, escalate an unread note, report a missing note)
are a sweep over the database: whatever was due while the bot was down is done on the next
sweep after it is back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.errors import UserError
from bot.events import EventType, event
from bot.handoffs import messages
from bot.handoffs.note import CONFIRM_STEP, SECTIONS, TYPED_SECTIONS, Draft, Item, NoteView, valid_item
from bot.outbox import Outgoing, Revision, delivered, queue
from bot.roster.people import Member
from bot.roster.roles import Role
from bot.roster.service import member_of
from bot.shifts.config import ShiftBook
from bot.shifts.schedule import ShiftTime
from bot.storage.db import Database
from bot.storage.models import HandoffDraft, HandoffItem, HandoffNote, Order, ShiftSession
from bot.storage.repositories import Repositories


CARRY_DAYS = timedelta(days=7)  # open items older than this are not carried into new notes
CARRY_MAX = 10  # open items carried into one note (oldest first); the rest wait for the next note


@dataclass(frozen=True, slots=True)
class HandoffTiming:
    read_within: timedelta  # after the next shift starts, before the supervisors hear of an unread note
    missing_after: timedelta  # after going off without a note, before the supervisors hear of it
    early: timedelta  # how long before a shift's start going on counts for that shift


@dataclass(frozen=True, slots=True)
class WentOn:
    shift: ShiftTime | None
    notes_queued: int


@dataclass(frozen=True, slots=True)
class Marked:
    """A note read or an item done: what the pressed message and every delivered copy now show."""

    changed: bool  # False: it had been marked already
    item: str  # the item's text ("" for reading)
    text: str  # the last part of the member's copy (the one with the buttons), as it now reads
    markup: dict[str, Any] | None
    copies: list[Revision]


@dataclass(frozen=True, slots=True)
class WentOff:
    shift_name: str | None
    has_note: bool
    untagged: list[str]


class HandoffDesk:
    def __init__(self, db: Database, shifts: ShiftBook, timing: HandoffTiming, tz: ZoneInfo) -> None:
        self.db = db
        self.shifts = shifts
        self.timing = timing
        self.tz = tz

    # --- going on and off shift -------------------------------------------------------

    async def go_on(self, member: Member, now: datetime, shift_name: str | None = None) -> WentOn:
        """``/on [班次]``: the member works the current (or imminent) shift; unread notes for it are queued."""
        schedule = self.shifts.of(member.team)
        shift = schedule.for_going_on(now, self.timing.early, shift_name)
        if shift is None:
            hours = "、".join(s.hours for s in schedule.shifts)
            raise UserError("shift.none_now" if shift_name is None else "shift.no_such", name=shift_name or "",
                            hours=hours)
        async with self.db.transaction() as repos:
            session = await repos.shifts.of(member.id, shift.start)
            if session is None:
                await repos.shifts.add(ShiftSession(  # no note by the end (and a while) is reported too
                    person_id=member.id, team=member.team, shift_name=shift.name, shift_start=shift.start,
                    shift_end=shift.end, on_at=now, missing_note_due=shift.end + self.timing.missing_after))
                await repos.events.add_all([event(EventType.SHIFT_ON, member, now, subject=shift.name)])
            elif session.off_at is not None:  # back on the same shift
                session.off_at, session.missing_note_due = None, session.shift_end + self.timing.missing_after
            queued = await self._queue_notes_for(repos, member, shift, now)
        return WentOn(shift, queued)

    async def _queue_notes_for(self, repos: Repositories, member: Member, shift: ShiftTime, now: datetime) -> int:
        """Notes of the member's team handed over to this shift, unread by the member."""
        notes = await repos.handoffs.unread_for_shift(member.team, member.id, shift.start)
        outgoing = []
        for note in notes:
            view = await self._view(repos, note)
            texts, markup = messages.for_next_shift(view, self.tz)
            outgoing += parts(member.telegram_id, "handoff_note", note.id, texts, markup)
        return await queue(repos, outgoing, now)

    async def go_off(self, member: Member, now: datetime) -> WentOff:
        """``/off``: off shift; without a filed note the supervisors hear of it after a while."""
        async with self.db.transaction() as repos:
            session = await repos.shifts.latest_open(member.id)
            if session is None:
                shift = self.shifts.of(member.team).current(now)
                if shift is None:
                    raise UserError("shift.not_on")
                session = await repos.shifts.add(ShiftSession(
                    person_id=member.id, team=member.team, shift_name=shift.name,
                    shift_start=shift.start, shift_end=shift.end, on_at=now))
            session.off_at = now
            has_note = await repos.handoffs.has_note(member.id, session.shift_start)
            session.missing_note_due = None if has_note else now + self.timing.missing_after
            await repos.events.add_all([event(EventType.SHIFT_OFF, member, now, subject=session.shift_name)])
            untagged = [o.number for o in await repos.orders.untagged(member.id)]
            return WentOff(session.shift_name, has_note, untagged)

    async def on_shift(self, team: str, now: datetime) -> list[tuple[str, str]]:
        """(name, shift) of everyone of ``team`` on shift now."""
        async with self.db.transaction() as repos:
            rows = await repos.shifts.on_now(team, now + self.timing.early, now)
            return [(member_of(p).label, shift) for p, shift in rows]

    # --- the draft ------------------------------------------------------------------

    async def draft(self, member: Member, chat_id: int, now: datetime) -> Draft:
        """The member's draft, started now if there is none, with the team's open items carried in."""
        async with self.db.transaction() as repos:
            row = await repos.handoffs.draft(member.id)
            if row is None:
                carried = await repos.handoffs.open_items(member.team, now - CARRY_DAYS)
                row = await repos.handoffs.add_draft(HandoffDraft(
                    person_id=member.id, chat_id=chat_id, step=0, carried=[i.id for i in carried[:CARRY_MAX]],
                    sections={}, updated_at=now))
            return await self._draft_view(repos, row, member, now)

    async def not_carried(self, member: Member, now: datetime) -> list[Item]:
        """The team's open items that the member's draft does not carry (past the cap)."""
        async with self.db.transaction() as repos:
            row = await repos.handoffs.draft(member.id)
            carried = set(row.carried or []) if row is not None else set()
            return [Item(i.id, i.section, i.text) for i in await repos.handoffs.open_items(member.team, now - CARRY_DAYS)
                    if i.id not in carried]

    async def _draft_view(self, repos: Repositories, row: HandoffDraft, member: Member, now: datetime) -> Draft:
        items: list[Item] = []
        carried = {i.id: i for i in await repos.handoffs.items(row.carried or [])}
        for section in SECTIONS:
            if section == "orders":
                items += [Item(None, "orders", _order_line(o)) for o in await repos.orders.untagged(member.id)]
                continue
            items += [Item(i.id, section, i.text, carried=True) for i in carried.values() if i.section == section]
            items += [Item(None, section, text) for text in (row.sections or {}).get(section, [])]
        still_open = await repos.handoffs.open_items(member.team, now - CARRY_DAYS)
        return Draft(row.step, items, more_open=sum(1 for i in still_open if i.id not in carried))

    async def _change(self, member: Member, now: datetime, change: Callable[[HandoffDraft], None]) -> Draft:
        async with self.db.transaction() as repos:
            row = await repos.handoffs.draft(member.id, lock=True)
            if row is None:
                raise UserError("handoff.no_draft")
            change(row)
            return await self._draft_view(repos, row, member, now)

    async def add(self, member: Member, text: str, now: datetime) -> Draft:
        def add_item(row: HandoffDraft) -> None:
            section = SECTIONS[row.step] if row.step < len(SECTIONS) else None
            if section not in TYPED_SECTIONS:
                raise UserError("handoff.no_typing_here")
            sections = dict(row.sections or {})
            items = list(sections.get(section, []))
            items.append(valid_item(text, sum(len(typed) for typed in sections.values())))
            sections[section] = items
            row.sections, row.updated_at = sections, now

        return await self._change(member, now, add_item)

    async def move(self, member: Member, steps: int, now: datetime) -> Draft:
        """Next (+1, also "skip") or back (-1), between the first step and the confirmation."""
        def step(row: HandoffDraft) -> None:
            row.step, row.updated_at = max(0, min(CONFIRM_STEP, row.step + steps)), now

        return await self._change(member, now, step)

    async def cancel(self, member: Member) -> None:
        async with self.db.transaction() as repos:
            await repos.handoffs.drop_draft(member.id)

    async def file(self, member: Member, now: datetime) -> NoteView:
        """File the draft: the note and its items stored, the summary queued for the supervisors,
        and the note queued for whoever is already on the next shift — one transaction."""
        async with self.db.transaction() as repos:
            row = await repos.handoffs.draft(member.id, lock=True)
            if row is None:
                raise UserError("handoff.no_draft")
            draft = await self._draft_view(repos, row, member, now)
            schedule = self.shifts.of(member.team)
            session = await repos.shifts.latest_started(member.id, now, now - timedelta(hours=12))
            mine = schedule.current(session.shift_start if session is not None else now)
            following = schedule.after(mine) if mine is not None else schedule.next_after(now)
            assert following is not None, "a team's shifts repeat within a week"
            note = await repos.handoffs.add_note(HandoffNote(
                person_id=member.id, team=member.team, shift_name=mine.name if mine else None,
                shift_start=mine.start if mine else None, next_shift_name=following.name,
                next_shift_start=following.start, filed_at=now,
            ), [HandoffItem(section=item.section, position=position, text=item.text,
                            carried_from=item.id if item.carried else None)
                for position, item in enumerate(draft.items)])
            for old in await repos.handoffs.items(row.carried or []):
                old.carried_at = now
            await repos.handoffs.remove_draft(row)
            if session is not None:
                session.missing_note_due = None
            view = await self._view(repos, note)
            texts, markup = messages.summary(view, self.tz)
            outgoing = [message for s in await self._supervisors(repos, member.team)
                        for message in parts(s.telegram_id, "handoff_summary", note.id, texts, markup)]
            if following.start <= now:  # the next shift has begun: its agents see the note now
                note.shown_at_start = now
                outgoing += await self._for_agents_on(repos, view, following.start)
            await queue(repos, outgoing, now)
            await repos.events.add_all([event(EventType.HANDOFF_FILED, member, now, subject=str(note.id))])
            return view

    async def _supervisors(self, repos: Repositories, team: str) -> list[Member]:
        """The team's supervisors; failing those its team leads, then the admins: never nobody."""
        people = await repos.people.first_active(
            [([Role.SUPERVISOR.value], team), ([Role.TEAM_LEAD.value], team), ([Role.ADMIN.value], None)])
        return [member_of(p) for p in people]

    async def _for_agents_on(self, repos: Repositories, note: NoteView, shift_start: datetime) -> list[Outgoing]:
        people = await repos.shifts.people_on(note.team, shift_start)
        texts, markup = messages.for_next_shift(note, self.tz)
        return [message for p in people for message in parts(p.telegram_id, "handoff_note", note.id, texts, markup)]

    # --- the next shift ------------------------------------------------------------------

    async def read(self, member: Member, note_id: int, now: datetime) -> Marked:
        """Mark read by the member (``changed`` False if they had already)."""
        async with self.db.transaction() as repos:
            note = await repos.handoffs.note(note_id)
            if note is None or note.team != member.team:
                raise UserError("handoff.not_found")
            first = not await repos.handoffs.has_read(note_id, member.id)
            if first:
                await repos.handoffs.add_read(note_id, member.id, now)
                await repos.events.add_all([event(EventType.HANDOFF_READ, member, now, subject=str(note_id))])
            return await self._marked(repos, note, member, first, "")

    async def done(self, member: Member, item_id: int, now: datetime) -> Marked:
        """Mark an item done (``changed`` False if someone had already)."""
        async with self.db.transaction() as repos:
            item = await repos.handoffs.item(item_id)
            note = await repos.handoffs.note(item.note_id) if item else None
            if item is None or note is None or note.team != member.team:
                raise UserError("handoff.not_found")
            first = item.done_at is None
            if first:
                item.done_at, item.done_by = now, member.id
            return await self._marked(repos, note, member, first, item.text)

    async def _marked(self, repos: Repositories, note: HandoffNote, member: Member, changed: bool,
                      item: str) -> Marked:
        """The note as it now reads, in the member's copy and in every copy delivered."""
        view = await self._view(repos, note)
        mine = messages.for_next_shift(view, self.tz, read=member.telegram_id in view.read_by)
        shown = []
        for purpose in ("handoff_note", "handoff_summary"):
            for copy in await delivered(repos, purpose, note.id):
                texts, markup = (messages.summary(view, self.tz) if purpose == "handoff_summary" else
                                 messages.for_next_shift(view, self.tz, read=copy.chat_id in view.read_by))
                if copy.part <= len(texts):
                    shown.append(Revision(copy.chat_id, copy.message_id, texts[copy.part - 1],
                                          markup if copy.part == len(texts) else None))
        return Marked(changed, item, mine[0][-1], mine[1], shown)

    async def note(self, note_id: int, viewer: Member) -> NoteView:
        async with self.db.transaction() as repos:
            note = await repos.handoffs.note(note_id)
            if note is None or (note.team != viewer.team and not viewer.role.at_least(Role.ADMIN)):
                raise UserError("handoff.not_found")
            return await self._view(repos, note)

    async def notes(self, team: str | None, day: date) -> list[NoteView]:
        """The notes filed on ``day`` (shop time), of one team or all."""
        start = datetime.combine(day, time(0), self.tz)
        async with self.db.transaction() as repos:
            return [await self._view(repos, n)
                    for n in await repos.handoffs.filed_between(team, start, start + timedelta(days=1))]

    async def _view(self, repos: Repositories, note: HandoffNote) -> NoteView:
        author = await repos.people.get(note.person_id)
        items = await repos.handoffs.items_of(note.id)
        readers = await repos.handoffs.readers(note.id)
        return NoteView(
            id=note.id, author=member_of(author).label if author else "?", team=note.team,
            shift_name=note.shift_name, next_shift_name=note.next_shift_name, next_shift_start=note.next_shift_start,
            filed_at=note.filed_at,
            items=[Item(i.id, i.section, i.text, done=i.done_at is not None, carried=i.carried_from is not None)
                   for i in items],
            readers=[member_of(p).label for p in readers], escalated=note.escalated_at is not None,
            read_by=frozenset(p.telegram_id for p in readers),
        )

    # --- the sweep ----------------------------------------------------------------------

    async def sweep(self, now: datetime) -> int:
        """Do what has fallen due; returns how many messages were queued. Safe to repeat."""
        queued = 0
        async with self.db.transaction() as repos:
            for note in await repos.handoffs.not_shown_by(now):
                note.shown_at_start = now
                queued += await queue(repos, await self._for_agents_on(repos, await self._view(repos, note),
                                                                        note.next_shift_start), now)
            queued += await self._escalate(repos, now)
            queued += await self._report_missing(repos, now)
        return queued

    async def _escalate(self, repos: Repositories, now: datetime) -> int:
        unread = await repos.handoffs.unread_since(now - self.timing.read_within)
        queued = 0
        minutes = int(self.timing.read_within.total_seconds() // 60)
        for note in unread:
            note.escalated_at = now
            view = await self._view(repos, note)
            texts = messages.escalation(view, self.tz, minutes)
            supervisors = await self._supervisors(repos, note.team)
            queued += await queue(repos, [message for s in supervisors
                                          for message in parts(s.telegram_id, "handoff_escalation", note.id, texts)], now)
            author = await repos.people.get(note.person_id)
            if author is not None:
                await repos.events.add_all([event(EventType.HANDOFF_ESCALATED, member_of(author), now,
                                                  subject=str(note.id))])
        return queued

    async def _report_missing(self, repos: Repositories, now: datetime) -> int:
        sessions = await repos.shifts.missing_note_due(now)
        queued = 0
        for session in sessions:
            if await repos.handoffs.has_note(session.person_id, session.shift_start):
                session.missing_note_due = None
                continue
            session.missing_note_reported_at = now
            author = await repos.people.get(session.person_id)
            if author is None:
                continue
            text = messages.missing(member_of(author).label, session.shift_name, session.off_at or session.shift_end,
                                    self.tz)
            queued += await queue(repos, [Outgoing(s.telegram_id, "handoff_missing", session.id, text)
                                          for s in await self._supervisors(repos, session.team)], now)
            await repos.events.add_all([event(EventType.HANDOFF_MISSING, member_of(author), now,
                                              subject=session.shift_name)])
        return queued


def parts(chat_id: int, purpose: str, ref_id: int, texts: list[str],
          markup: dict[str, Any] | None = None) -> list[Outgoing]:
    """A message of several parts as several outbox rows, in order, the buttons under the last.
    The first keeps the plain purpose (``handoff_summary``), the others are ``handoff_summary_2`` …"""
    return [Outgoing(chat_id, purpose if n == 1 else f"{purpose}_{n}", ref_id, text,
                     markup if n == len(texts) else None)
            for n, text in enumerate(texts, 1)]


def _order_line(order: Order) -> str:
    return f"{order.number} {order.note}".strip()

