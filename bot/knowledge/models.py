"""The knowledge as typed objects: built once at load, read everywhere after.

These are plain frozen dataclasses (no Telegram, no database) so that the checker, the
phrasebook and the command line share one vocabulary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

PLACEHOLDER_NAMES = frozenset(
    {"customer", "order_id", "agent", "shop", "tracking_no", "product", "days"}
)
PLACEHOLDER_RE = re.compile(r"\{([a-z_]+)\}")


class Severity(StrEnum):
    BLOCK = "block"  # must never reach a customer
    WARN = "warn"  # style or risk: the agent decides


class TimeOfDay(StrEnum):
    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"
    ANY = "any"


@dataclass(frozen=True, slots=True)
class Kind:
    id: str
    label: str
    words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Situation:
    id: str
    label: str
    words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Phrasing:
    id: str
    kind: str
    text: str
    situations: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    source: str = "team"
    time_of_day: TimeOfDay = TimeOfDay.ANY

    @property
    def placeholders(self) -> tuple[str, ...]:
        """Names of the ``{placeholders}`` in the text, in order of appearance."""
        return tuple(dict.fromkeys(PLACEHOLDER_RE.findall(self.text)))


@dataclass(frozen=True, slots=True)
class BannedRule:
    """``id`` is for machines (JSON, CSV, admin views); people read ``name``."""

    id: str
    severity: Severity
    category: str
    reason: str
    source: str = ""
    name: str = ""  # what the rule forbids, in words; the category when not written
    phrases: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    fuzzy: bool = True
    allowed: tuple[str, ...] = ()
    replace: tuple[str, ...] = ()
    phrasings: tuple[str, ...] = ()
    detector: str | None = None
    unless: tuple[str, ...] = ()  # contexts where the words mean no harm (bot/checker/context.py)

    def __post_init__(self) -> None:
        if not self.name:
            object.__setattr__(self, "name", self.category)


@dataclass(frozen=True, slots=True)
class Knowledge:
    """One consistent, validated version of everything in the knowledge directory."""

    kinds: tuple[Kind, ...]
    situations: tuple[Situation, ...]
    phrasings: tuple[Phrasing, ...]
    rules: tuple[BannedRule, ...]
    files: tuple[str, ...] = ()
    _phrasing_index: dict[str, Phrasing] = field(default_factory=dict, compare=False, repr=False)
    _rule_index: dict[str, BannedRule] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._phrasing_index.update((p.id, p) for p in self.phrasings)
        self._rule_index.update((r.id, r) for r in self.rules)

    def phrasing(self, phrasing_id: str) -> Phrasing:
        return self._phrasing_index[phrasing_id]

    def find_phrasing(self, phrasing_id: str) -> Phrasing | None:
        """None when the id is gone (a knowledge reload can retire a phrasing)."""
        return self._phrasing_index.get(phrasing_id)

    def rule(self, rule_id: str) -> BannedRule:
        return self._rule_index[rule_id]

    def rule_names(self) -> dict[str, str]:
        """Rule id → the name people read, for texts that count rules by id (a report, a chart)."""
        return {r.id: r.name for r in self.rules}
