"""Shift times as aware datetimes in the shop's time zone, whatever the server's zone is.

A shift is named, has a start and an end time of day and the weekdays it *starts* on; one
that ends at or before its start crosses midnight (晚班 17:00–01:00 ends the next day).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True, slots=True)
class Shift:
    name: str
    start: time
    end: time
    days: frozenset[int] = frozenset(range(7))  # weekday the shift starts on, Monday = 0

    @property
    def hours(self) -> str:
        """``白班 08:30–17:00``: the shift as people read it."""
        return f"{self.name} {self.start:%H:%M}–{self.end:%H:%M}"

    @property
    def crosses_midnight(self) -> bool:
        return self.end <= self.start

    def on(self, day: date, tz: ZoneInfo) -> ShiftTime | None:
        """This shift starting on ``day`` (local), if it runs that day."""
        if day.weekday() not in self.days:
            return None
        end_day = day + timedelta(days=1) if self.crosses_midnight else day
        return ShiftTime(self, datetime.combine(day, self.start, tz), datetime.combine(end_day, self.end, tz))


@dataclass(frozen=True, slots=True)
class ShiftTime:
    """One occurrence of a shift: 晚班 of 11-23, 17:00 to 01:00 on 11-24."""

    shift: Shift
    start: datetime
    end: datetime

    @property
    def name(self) -> str:
        return self.shift.name

    def contains(self, at: datetime) -> bool:
        return self.start <= at < self.end

    def label(self) -> str:
        return f"{self.start:%m-%d} {self.name} {self.start:%H:%M}–{self.end:%H:%M}"


@dataclass(frozen=True, slots=True)
class TeamSchedule:
    shifts: tuple[Shift, ...]
    tz: ZoneInfo

    def _around(self, at: datetime, days_back: int = 1, days_ahead: int = 1) -> list[ShiftTime]:
        today = at.astimezone(self.tz).date()
        times = []
        for offset in range(-days_back, days_ahead + 1):
            for shift in self.shifts:
                occurrence = shift.on(today + timedelta(days=offset), self.tz)
                if occurrence is not None:
                    times.append(occurrence)
        return sorted(times, key=lambda s: (s.start, s.name))

    def current(self, at: datetime) -> ShiftTime | None:
        """The shift in progress at ``at`` (the one that started last, when two overlap)."""
        running = [s for s in self._around(at) if s.contains(at)]
        return running[-1] if running else None

    def next_after(self, at: datetime) -> ShiftTime | None:
        """The first shift starting strictly after ``at`` (within a week)."""
        later = [s for s in self._around(at, days_back=0, days_ahead=8) if s.start > at]
        return later[0] if later else None

    def for_going_on(self, at: datetime, early: timedelta, name: str | None = None) -> ShiftTime | None:
        """The shift someone going on at ``at`` works: of the one in progress and one starting
        within ``early``, the one whose start is nearest (an agent arrives at the start of
        their shift); ``name`` (``/on 白班``) settles it when shifts overlap."""
        candidates = [s for s in self._around(at) if s.contains(at) or timedelta(0) < s.start - at <= early]
        if name is not None:
            candidates = [s for s in candidates if s.name == name]
        return min(candidates, key=lambda s: abs(s.start - at), default=None)

    def after(self, occurrence: ShiftTime) -> ShiftTime | None:
        """The shift that takes over from ``occurrence``: the next one to start after it did."""
        return self.next_after(occurrence.start)
