"""Shift times in the shop's zone, crossing midnight, and the shifts file's errors."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.knowledge.loader import KnowledgeError
from bot.shifts.config import load_shifts
from bot.shifts.schedule import Shift, TeamSchedule

SH = ZoneInfo("Asia/Shanghai")
DAY = Shift("白班", time(8, 30), time(17, 0))
NIGHT = Shift("晚班", time(17, 0), time(1, 0))
TEAM = TeamSchedule((DAY, NIGHT), SH)
EARLY = timedelta(hours=1)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=SH)


@pytest.mark.parametrize(("when", "shift", "start"), [
    (at(24, 9), "白班", at(24, 8, 30)),
    (at(24, 17), "晚班", at(24, 17)),
    (at(24, 23, 59), "晚班", at(24, 17)),
    (at(25, 0, 30), "晚班", at(24, 17)),  # after midnight: still the night shift that began the day before
])
def test_the_shift_in_progress(when: datetime, shift: str, start: datetime) -> None:
    current = TEAM.current(when)
    assert current is not None and (current.name, current.start) == (shift, start)


def test_no_shift_between_one_and_half_past_eight() -> None:
    assert TEAM.current(at(25, 3)) is None
    nxt = TEAM.next_after(at(25, 3))
    assert nxt is not None and (nxt.name, nxt.start) == ("白班", at(25, 8, 30))


def test_the_same_instant_from_a_utc_clock() -> None:
    utc = datetime(2026, 11, 24, 16, 30, tzinfo=ZoneInfo("UTC"))  # 00:30 on the 25th in Shanghai
    current = TEAM.current(utc)
    assert current is not None and current.start == at(24, 17) and current.end == at(25, 1)


@pytest.mark.parametrize(("when", "name", "expected"), [
    (at(24, 8, 20), None, "白班"),  # arriving early for the day shift
    (at(24, 16, 55), None, "晚班"),  # the night shift's agent, a little early
    (at(24, 16, 55), "白班", "白班"),  # a day agent who forgot /on in the morning
    (at(24, 12), None, "白班"),
])
def test_going_on(when: datetime, name: str | None, expected: str) -> None:
    shift = TEAM.for_going_on(when, EARLY, name)
    assert shift is not None and shift.name == expected


def test_the_shift_after() -> None:
    night = TEAM.current(at(24, 20))
    assert night is not None
    following = TEAM.after(night)
    assert following is not None and (following.name, following.start) == ("白班", at(25, 8, 30))


def test_weekdays() -> None:
    weekend = TeamSchedule((Shift("周末班", time(10), time(18), frozenset({5, 6})),), SH)
    nxt = weekend.next_after(at(23, 12))  # a Monday
    assert nxt is not None and nxt.start == at(28, 10)


def test_the_shipped_shifts_file_loads() -> None:
    book = load_shifts(Path(__file__).resolve().parents[1] / "knowledge", SH)
    assert [s.name for s in book.of("any team").shifts] == ["白班", "晚班"]


@pytest.mark.parametrize(("text", "line", "message"), [
    ('default:\n  - {name: 白班, start: "8点", end: "17:00"}\n', 2, "start and end are times"),
    ('default:\n  - {name: 白班, start: "08:30", end: "17:00", days: [funday]}\n', 2, "days:"),
    ('default:\n  - {name: 白班, start: "08:30", end: "08:30"}\n', 2, "the same time"),
    ('default:\n  - {start: "08:30", end: "17:00"}\n', 2, "needs a name"),
    ('default: []\n', 1, "expected a list"),
    ('default:\n  - {name: 白班, start: "08:30", end: "17:00"}\nteams:\n  T2: oops\n', 4, "expected a list"),
])
def test_mistakes_in_the_shifts_file_name_the_line(tmp_path: Path, text: str, line: int, message: str) -> None:
    (tmp_path / "shifts.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeError) as error:
        load_shifts(tmp_path, SH)
    assert any(p.line == line and message in p.message for p in error.value.problems), error.value.problems
