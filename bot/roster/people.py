"""A roster entry as the rest of the code sees it, and the checks on what may be entered."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.errors import UserError
from bot.roster.roles import Role

_AGENT_ID = re.compile(r"^\S{1,32}$")
MAX_NAME = 100
MAX_TEAM = 50


@dataclass(frozen=True, slots=True)
class Member:
    """One active person on the roster (a snapshot, safe to keep for one update)."""

    id: int
    telegram_id: int
    name: str
    role: Role
    team: str
    agent_id: str | None = None

    @property
    def label(self) -> str:
        """``慧兰 (A07)`` — how the bot names someone to others."""
        return f"{self.name} ({self.agent_id})" if self.agent_id else self.name


@dataclass(frozen=True, slots=True)
class NewMember:
    """What is needed to put someone on the roster, validated on creation."""

    name: str
    role: Role
    team: str
    agent_id: str | None = None

    def __post_init__(self) -> None:
        name, team = self.name.strip(), self.team.strip()
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "team", team)
        if not name or len(name) > MAX_NAME:
            raise UserError("roster.bad_name", limit=MAX_NAME)
        if not team or len(team) > MAX_TEAM or " " in team:
            raise UserError("roster.bad_team", limit=MAX_TEAM)
        if self.agent_id is not None and not _AGENT_ID.match(self.agent_id):
            raise UserError("roster.bad_agent_id", given=self.agent_id)
        if self.role is Role.AGENT and not self.agent_id:
            raise UserError("roster.agent_needs_id")
