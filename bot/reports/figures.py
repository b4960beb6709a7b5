"""A day's figures, per agent and for the team, as plain data (every figure is in ``to_json``)."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from bot.reports.attention import attention

if TYPE_CHECKING:
    from bot.reports.service import ServiceSection

# Team figures compared with the day before and the 7-day average, in this order.
COMPARED = (
    "drafts_checked", "drafts_flagged", "orders_logged", "orders_tagged", "orders_untagged",
    "handoffs_filed", "handoffs_read", "handoffs_late", "handoffs_escalated", "shifts_worked",
)


def person_label(name: str, agent_id: str | None) -> str:
    """How a person on the roster is named in a report: 慧兰 (A07)."""
    return f"{name} ({agent_id})" if agent_id else name


def ranked(counts: Counter[str], limit: int | None = None) -> list[tuple[str, int]]:
    """Most frequent first, ties by name: the same order on every database."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]


@dataclass
class Figures:
    drafts_checked: int = 0
    drafts_flagged: int = 0  # warn or block
    drafts_blocked: int = 0
    flags: Counter[str] = field(default_factory=Counter)  # rule id → flags
    disputed: Counter[str] = field(default_factory=Counter)  # rule id → flags an agent said were fine (这句没问题)
    confirmed: Counter[str] = field(default_factory=Counter)  # rule id → disputes approved that day
    phrasings: Counter[str] = field(default_factory=Counter)  # kind → suggested
    phrasings_filled: int = 0
    orders_logged: int = 0
    orders_tagged: int = 0
    orders_untagged: int = 0
    untagged_oldest_minutes: int | None = None  # the longest an order of the day has waited, so far
    reminders_sent: int = 0
    handoffs_filed: int = 0
    handoffs_read: int = 0
    handoffs_late: int = 0  # read after the deadline, or not read by it
    handoffs_escalated: int = 0
    handoffs_missing: int = 0  # went off shift without a note
    shifts_worked: int = 0

    def add(self, other: Figures) -> None:
        for name, value in vars(other).items():
            mine = getattr(self, name)
            if isinstance(value, Counter):
                mine.update(value)
            elif name == "untagged_oldest_minutes":
                if value is not None:
                    setattr(self, name, max(value, mine or 0))
            else:
                setattr(self, name, mine + value)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for name in ("flags", "disputed", "confirmed"):
            data[name] = dict(ranked(getattr(self, name)))
        data["phrasings"] = dict(ranked(self.phrasings))
        return data


@dataclass
class AgentLine:
    person_id: int
    name: str
    agent_id: str | None
    figures: Figures

    @property
    def label(self) -> str:
        return person_label(self.name, self.agent_id)


@dataclass
class Comparison:
    previous_day: dict[str, int]
    week_average: dict[str, float]  # the 7 days before the report's day


@dataclass
class DailyFigures:
    team: str
    day: date
    as_of: datetime
    agents: list[AgentLine]
    team_total: Figures
    comparison: Comparison
    provisional: list[str]  # which figures can still change (untagged orders, unread notes, the day not over)
    settled: dict[str, tuple[int, int]] = field(default_factory=dict)  # yesterday's figure: as reported → final
    service: ServiceSection | None = None  # when a conversation audit covered the day

    def top_rules(self, limit: int = 5) -> list[tuple[str, int]]:
        return ranked(self.team_total.flags, limit)

    def to_json(self) -> dict[str, Any]:
        return {
            "team": self.team,
            "day": self.day.isoformat(),
            "as_of": self.as_of.isoformat(),
            "provisional": self.provisional,
            "attention": [line.to_json() for line in attention(self)],
            "team_total": self.team_total.to_json(),
            "top_rules": [{"rule": rule, "flags": count} for rule, count in self.top_rules()],
            "previous_day": self.comparison.previous_day,
            "week_average": self.comparison.week_average,
            "change_vs_previous_day": {
                name: getattr(self.team_total, name) - self.comparison.previous_day.get(name, 0) for name in COMPARED
            },
            "settled": {name: {"reported": old, "final": new} for name, (old, new) in self.settled.items()},
            "agents": [
                {"person_id": a.person_id, "name": a.name, "agent_id": a.agent_id, **a.figures.to_json()}
                for a in self.agents
            ],
            "service": self.service.to_json() if self.service else None,
        }
