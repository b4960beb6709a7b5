"""What a handoff note holds, as plain data: its sections, in the handbooks' order.

交接记录本：登记好移交客户的情况，哪些事情是要赶紧处理的，哪些潜在客户是需要去联系的；
交接日志要对设备情况、疑难问题、人员调班等情况，记录清楚明了。
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.errors import UserError

# The conversation's steps, in order; "orders" is filled in from the agent's open orders.
SECTIONS = ("waiting", "urgent", "prospects", "orders", "other")
TYPED_SECTIONS = ("waiting", "urgent", "prospects", "other")
CONFIRM_STEP = len(SECTIONS)
MAX_ITEM_CHARS = 300
# Typed items in one note, all sections together. With the carried items (at most
# desk.CARRY_MAX) this bounds what the next shift gets: a few messages of text, and one
# "done" button per open item well within Telegram's 100 buttons.
MAX_ITEMS = 40


def valid_item(text: str, already: int) -> str:
    text = " ".join(text.split())
    if not text:
        raise UserError("handoff.empty_item")
    if len(text) > MAX_ITEM_CHARS:
        raise UserError("handoff.item_too_long", limit=MAX_ITEM_CHARS, length=len(text))
    if already >= MAX_ITEMS:
        raise UserError("handoff.too_many_items", limit=MAX_ITEMS)
    return text


@dataclass(frozen=True, slots=True)
class Item:
    id: int | None
    section: str
    text: str
    done: bool = False
    carried: bool = False  # taken over, still open, from an earlier note


@dataclass(frozen=True, slots=True)
class Draft:
    step: int
    items: list[Item]
    more_open: int = 0  # open items of the team's notes not carried into this one (past the cap)

    @property
    def section(self) -> str | None:
        return SECTIONS[self.step] if self.step < len(SECTIONS) else None

    def of(self, section: str) -> list[Item]:
        return [i for i in self.items if i.section == section]

    @property
    def typed(self) -> int:
        """Items the writer typed (neither carried in nor filled in from open orders)."""
        return sum(1 for i in self.items if not i.carried and i.section in TYPED_SECTIONS)


@dataclass(frozen=True, slots=True)
class NoteView:
    id: int
    author: str
    team: str
    shift_name: str | None
    next_shift_name: str
    next_shift_start: datetime
    filed_at: datetime
    items: list[Item]
    readers: list[str] = field(default_factory=list)
    escalated: bool = False
    read_by: frozenset[int] = frozenset()  # the readers' Telegram ids: whose copy no longer asks to be read

    def of(self, section: str) -> list[Item]:
        return [i for i in self.items if i.section == section]

    @property
    def open_items(self) -> int:
        return sum(1 for i in self.items if not i.done and i.section != "orders")
