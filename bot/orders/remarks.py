"""The remark an agent pastes into the back-office order (备注 "内容 + 工号", 小红旗).

Taobao remarks hold at most 1000 bytes and carry a flag colour 0–5. The shop chooses the
format; the default puts the order number, the note, the agent ID and the date.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from datetime import datetime

from bot.errors import UserError

MAX_REMARK_BYTES = 1000
FIELDS = frozenset({"order_id", "note", "agent_id", "agent_name", "date", "time"})
# Taobao's flag colours, by number.
FLAG_COLOURS: dict[int, tuple[str, str]] = {
    0: ("⚪", "灰旗"),
    1: ("🔴", "红旗"),
    2: ("🟡", "黄旗"),
    3: ("🟢", "绿旗"),
    4: ("🔵", "蓝旗"),
    5: ("🩷", "粉旗"),
}


def check_remark_format(template: str) -> None:
    """Raise ValueError when the format names an unknown field or cannot be parsed."""
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError as exc:
        raise ValueError(f"order remark format: {exc}") from exc
    unknown = names - FIELDS
    if unknown:
        raise ValueError(f"order remark format: unknown fields {sorted(unknown)}; known: {sorted(FIELDS)}")
    if "agent_id" not in names:
        raise ValueError("order remark format must contain {agent_id} (the commission depends on it)")


@dataclass(frozen=True, slots=True)
class Remark:
    text: str
    flag_colour: int

    @property
    def flag(self) -> str:
        emoji, label = FLAG_COLOURS[self.flag_colour]
        return f"{emoji} {label}"


def build_remark(
    template: str, *, order_id: str, note: str, agent_id: str, agent_name: str, at: datetime, flag_colour: int
) -> Remark:
    """The exact text to paste; refused (nothing logged) when it would not fit Taobao's field."""
    text = template.format(
        order_id=order_id, note=note.strip(), agent_id=agent_id, agent_name=agent_name,
        date=at.strftime("%m-%d"), time=at.strftime("%H:%M"),
    )
    text = re.sub(r"\s{2,}", " ", text).strip()
    size = len(text.encode("utf-8"))
    if size > MAX_REMARK_BYTES:
        raise UserError("order.remark_too_long", size=size, limit=MAX_REMARK_BYTES)
    return Remark(text, flag_colour)
