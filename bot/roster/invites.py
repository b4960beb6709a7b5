"""Invite codes: what ``/invite agent A07 慧兰 [T1]`` asks for, and fresh codes.

Codes are short, unambiguous (no 0/O, 1/I) and random enough that guessing one inside its
validity is hopeless (8 characters of 32 = 40 bits).
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from bot.errors import UserError
from bot.roster.people import NewMember
from bot.roster.roles import Role

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    return text.strip().upper().replace("-", "")


def parse_invite(args: Sequence[str], default_team: str) -> NewMember:
    """``agent A07 慧兰 [team]`` or ``supervisor 王主管 [team]`` (the team defaults to the inviter's)."""
    if not args:
        raise UserError("invite.usage")
    role = Role.parse(args[0])
    rest = list(args[1:])
    agent_id = rest.pop(0) if role is Role.AGENT and rest else None
    if not rest or len(rest) > 2:
        raise UserError("invite.usage")
    name = rest[0]
    team = rest[1] if len(rest) == 2 else default_team
    return NewMember(name=name, role=role, team=team, agent_id=agent_id)
