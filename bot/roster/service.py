"""Roster operations over the database: look-up, add, remove, invite and redeem."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.errors import UserError
from bot.roster.invites import new_code, normalise_code
from bot.roster.people import Member, NewMember
from bot.roster.roles import Role
from bot.storage.db import Database
from bot.storage.models import Invite, Person
from bot.storage.repositories import Repositories


def member_of(person: Person) -> Member:
    return Member(
        id=person.id,
        telegram_id=person.telegram_id,
        name=person.name,
        role=Role(person.role),
        team=person.team,
        agent_id=person.agent_id,
    )


class Roster:
    """The roster, held in memory and re-read whole every ``cache_for`` (every update asks
    who sent it, and fifty agents at once must not mean fifty queries or any wait).

    Changes made through this object take effect at once; changes made elsewhere (the
    command line, another replica) within ``cache_for``. Someone not in memory is looked up
    in the database, so a newly added member is recognised on their first message.
    """

    def __init__(self, db: Database, invite_valid: timedelta, cache_for: timedelta = timedelta(0)) -> None:
        self.db = db
        self.invite_valid = invite_valid
        self.cache_for = cache_for.total_seconds()
        self._members: dict[int, Member] = {}
        self._loaded_at = float("-inf")
        self._refreshing: asyncio.Task[None] | None = None

    async def member(self, telegram_id: int) -> Member | None:
        """The active member with this Telegram account, or None for a stranger.

        A stale roster is re-read in the background while the last one keeps answering, so
        an update never waits for the database just to learn who sent it.
        """
        if time.monotonic() - self._loaded_at >= self.cache_for:
            refresh = self._refresh_soon()
            if self._loaded_at == float("-inf") or self.cache_for == 0:
                await asyncio.shield(refresh)  # nothing to answer from yet
        member = self._members.get(telegram_id)
        if member is not None:
            return member
        async with self.db.transaction() as repos:
            person = await repos.people.by_telegram_id(telegram_id)
            member = member_of(person) if person is not None and person.active else None
        if member is not None:
            self._members[telegram_id] = member
        return member

    def _refresh_soon(self) -> asyncio.Task[None]:
        if self._refreshing is None or self._refreshing.done():
            self._refreshing = asyncio.get_running_loop().create_task(self._refresh())
        return self._refreshing

    async def _refresh(self) -> None:
        members = await self.members()
        self._members = {m.telegram_id: m for m in members}
        self._loaded_at = time.monotonic()

    def _forget(self, telegram_id: int) -> None:
        self._members.pop(telegram_id, None)

    async def members(self, team: str | None = None, roles: Sequence[Role] = ()) -> list[Member]:
        async with self.db.transaction() as repos:
            people = await repos.people.active(team, [r.value for r in roles])
            return [member_of(p) for p in people]

    async def add(self, telegram_id: int, new: NewMember) -> Member:
        """Put someone on the roster (again, if they were removed: the row is reused)."""
        async with self.db.transaction() as repos:
            member = member_of(await _put(repos, telegram_id, new))
        self._forget(telegram_id)
        return member

    async def remove(self, key: str) -> Member:
        """Take someone off by Telegram id or agent ID; the last admin cannot be removed."""
        async with self.db.transaction() as repos:
            person = await repos.people.by_agent_id(key)
            if person is None and key.lstrip("-").isdigit():
                person = await repos.people.by_telegram_id(int(key))
            if person is None or not person.active:
                raise UserError("roster.not_found", who=key)
            if person.role == Role.ADMIN and await repos.people.count_active(Role.ADMIN) == 1:
                raise UserError("roster.last_admin")
            person.active = False
            member = member_of(person)
        self._forget(member.telegram_id)
        return member

    async def invite(self, by: Member, new: NewMember, now: datetime) -> tuple[str, datetime]:
        """A one-time code for ``new``; refused if the agent ID is taken or already invited."""
        async with self.db.transaction() as repos:
            if new.agent_id:
                holder = await repos.people.by_agent_id(new.agent_id)
                if holder is not None:
                    raise UserError("roster.agent_id_taken", agent_id=new.agent_id, name=holder.name)
                if await repos.invites.open_for_agent_id(new.agent_id, now):
                    raise UserError("invite.agent_id_pending", agent_id=new.agent_id)
            expires = now + self.invite_valid
            invite = Invite(
                code=new_code(), role=new.role.value, agent_id=new.agent_id, name=new.name,
                team=new.team, created_by=by.id, created_at=now, expires_at=expires,
            )
            await repos.invites.add(invite)
            return invite.code, expires

    async def redeem(self, code: str, telegram_id: int, now: datetime) -> Member:
        """Register the Telegram account that sent ``/start CODE``; a code works once."""
        async with self.db.transaction() as repos:
            invite = await repos.invites.get_for_update(normalise_code(code))
            if invite is None:
                raise UserError("invite.unknown")
            if invite.used_at is not None:
                raise UserError("invite.used")
            if invite.expires_at <= now:
                raise UserError("invite.expired")
            new = NewMember(name=invite.name, role=Role(invite.role), team=invite.team, agent_id=invite.agent_id)
            person = await _put(repos, telegram_id, new)
            invite.used_at, invite.used_by = now, person.id
            member = member_of(person)
        self._forget(telegram_id)
        return member


async def _put(repos: Repositories, telegram_id: int, new: NewMember) -> Person:
    person = await repos.people.by_telegram_id(telegram_id)
    if person is not None and person.active:
        raise UserError("roster.already_on", name=person.name, role=person.role, team=person.team)
    if new.agent_id:
        holder = await repos.people.by_agent_id(new.agent_id)
        if holder is not None and holder is not person:
            raise UserError("roster.agent_id_taken", agent_id=new.agent_id, name=holder.name)
    if person is None:
        person = Person(telegram_id=telegram_id)
        repos.session.add(person)
    person.name, person.role, person.team = new.name, new.role.value, new.team
    person.agent_id, person.active = new.agent_id, True
    await repos.session.flush()
    return person
