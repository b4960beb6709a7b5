"""Roles on the roster, ranked: a command open to a role is open to every role above it."""

from __future__ import annotations

from enum import StrEnum

from bot.errors import UserError


class Role(StrEnum):
    AGENT = "agent"  # 客服
    SUPERVISOR = "supervisor"  # 主管
    TEAM_LEAD = "team_lead"  # 组长
    ADMIN = "admin"  # 管理员

    @property
    def rank(self) -> int:
        return _RANKS[self]

    def at_least(self, other: Role) -> bool:
        return self.rank >= other.rank

    @classmethod
    def parse(cls, text: str) -> Role:
        """``agent``/``客服``, ``supervisor``/``主管``, ``team_lead``/``lead``/``组长``, ``admin``/``管理员``."""
        role = _ALIASES.get(text.strip().lower().replace("-", "_"))
        if role is None:
            raise UserError("role.unknown", given=text)
        return role


_RANKS = {Role.AGENT: 1, Role.SUPERVISOR: 2, Role.TEAM_LEAD: 3, Role.ADMIN: 4}
_ALIASES = {
    **{role.value: role for role in Role},
    "客服": Role.AGENT,
    "主管": Role.SUPERVISOR,
    "lead": Role.TEAM_LEAD,
    "teamlead": Role.TEAM_LEAD,
    "组长": Role.TEAM_LEAD,
    "組長": Role.TEAM_LEAD,
    "管理员": Role.ADMIN,
    "管理員": Role.ADMIN,
}
