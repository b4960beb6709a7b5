"""Reading ``shifts.yaml``: every team's shifts, every mistake named with file and line."""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.knowledge.loader import KnowledgeError
from bot.knowledge.yamlnodes import Mapping, Problem, Sequence, read_yaml
from bot.shifts.schedule import WEEKDAYS, Shift, TeamSchedule

FILE = "shifts.yaml"
_TIME = re.compile(r"^([01]?[0-9]|2[0-3]):([0-5][0-9])$")


class ShiftBook:
    """The shifts of every team; teams not listed get the ``default`` shifts."""

    def __init__(self, default: tuple[Shift, ...], teams: dict[str, tuple[Shift, ...]], tz: ZoneInfo) -> None:
        self.default = default
        self.teams = teams
        self.tz = tz

    def of(self, team: str) -> TeamSchedule:
        return TeamSchedule(self.teams.get(team, self.default), self.tz)


def load_shifts(directory: Path, tz: ZoneInfo) -> ShiftBook:
    """Load ``directory/shifts.yaml``; raise :class:`KnowledgeError` listing every problem."""
    path = directory / FILE
    if not path.exists():
        raise KnowledgeError([Problem(FILE, None, "missing: every team needs shifts (see knowledge/README.md)")])
    problems: list[Problem] = []
    try:
        data = read_yaml(path, FILE)
    except Problem as problem:
        raise KnowledgeError([problem]) from problem
    if not isinstance(data, Mapping):
        raise KnowledgeError([Problem(FILE, 1, "expected 'default:' and 'teams:'")])
    default = _shift_list(data.get("default"), data.key_lines.get("default", 1), problems)
    teams: dict[str, tuple[Shift, ...]] = {}
    listed = data.get("teams") or {}
    if not isinstance(listed, dict):
        problems.append(Problem(FILE, data.key_lines.get("teams"), "'teams' must map a team to its shifts"))
        listed = {}
    for team, shifts in listed.items():
        line = listed.key_lines.get(team, 1) if isinstance(listed, Mapping) else 1
        teams[str(team)] = _shift_list(shifts, line, problems)
    if not default:
        problems.append(Problem(FILE, data.key_lines.get("default", 1), "'default' needs at least one shift"))
    if problems:
        raise KnowledgeError(problems)
    return ShiftBook(default, teams, tz)


def _shift_list(value: object, line: int, problems: list[Problem]) -> tuple[Shift, ...]:
    if not isinstance(value, Sequence) or not value:
        problems.append(Problem(FILE, line, "expected a list of shifts"))
        return ()
    shifts = []
    for item, item_line in zip(value, value.item_lines):
        shift = _shift(item, item_line, problems)
        if shift is not None:
            shifts.append(shift)
    names = [s.name for s in shifts]
    if len(set(names)) != len(names):
        problems.append(Problem(FILE, line, "two shifts of one team share a name"))
    return tuple(shifts)


def _shift(item: object, line: int, problems: list[Problem]) -> Shift | None:
    if not isinstance(item, dict):
        problems.append(Problem(FILE, line, "a shift is {name, start, end, days}"))
        return None
    unknown = set(item) - {"name", "start", "end", "days"}
    name, start, end = item.get("name"), _time(item.get("start")), _time(item.get("end"))
    if unknown:
        problems.append(Problem(FILE, line, f"unknown keys: {', '.join(sorted(unknown))}"))
    if not isinstance(name, str) or not name.strip():
        problems.append(Problem(FILE, line, "a shift needs a name"))
    if start is None or end is None:
        problems.append(Problem(FILE, line, "start and end are times like \"08:30\""))
    days = _days(item.get("days", "all"))
    if days is None:
        problems.append(Problem(FILE, line, f"days: 'all' or a list of {', '.join(WEEKDAYS)}"))
    if start is None or end is None or days is None or not isinstance(name, str) or not name.strip() or unknown:
        return None
    if start == end:
        problems.append(Problem(FILE, line, "start and end are the same time"))
        return None
    return Shift(name.strip(), start, end, days)


def _time(value: object) -> time | None:
    match = _TIME.match(value) if isinstance(value, str) else None  # unquoted 8:30 is refused by read_yaml
    return time(int(match.group(1)), int(match.group(2))) if match else None


def _days(value: object) -> frozenset[int] | None:
    if value == "all":
        return frozenset(range(7))
    if isinstance(value, list) and value and all(str(d).lower() in WEEKDAYS for d in value):
        return frozenset(WEEKDAYS.index(str(d).lower()) for d in value)
    return None
