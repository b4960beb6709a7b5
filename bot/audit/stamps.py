"""Time cells of a chat export read as naive datetimes in the transcript's own clock.

Shops export times in many forms: ``2026-05-01 09:00:05``, ``2026/5/1 9:00``,
``2026年5月1日 09:00:05``, ISO with ``T`` (an offset, if any, is dropped: the transcript's
clock is the shop's), ``下午 3:05``. Some print only the time of day on each row; the date then
comes from the last dated cell above it (or the file's title line or name), and a clock that
jumps back by more than twelve hours means midnight was passed. A cell that gives no date
anywhere reads as None: a response time needs both.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

_DATE = r"(?P<y>\d{4})\s*[-/.年]\s*(?P<mo>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
_CLOCK = (
    r"(?P<half>上午|中午|下午|晚上|凌晨|AM|PM|am|pm)?\s*(?P<h>\d{1,2})\s*[:：时点]\s*(?P<mi>\d{1,2})"
    r"(?:\s*[:：分]\s*(?P<s>\d{1,2})(?:[.,]\d+)?\s*秒?)?\s*(?P<half2>AM|PM|am|pm)?"
)
_STAMP = re.compile(rf"^\s*(?:{_DATE})?\s*[T\s]?\s*(?:{_CLOCK})?\s*(?:Z|[+-]\d{{2}}:?\d{{2}})?\s*$")
_AFTERNOON = ("下午", "晚上", "PM", "pm")
_DATE_IN_TEXT = re.compile(r"(20\d\d)[-/.年_]?([01]?\d)[-/.月_]?([0-3]?\d)")
_ROLLOVER = timedelta(hours=12)


def date_in(text: str) -> date | None:
    """A date written in ``text`` (a title line, a file name: ``聊天记录 2026-05-01``, ``0501``
    alone is not enough), or None."""
    for match in _DATE_IN_TEXT.finditer(text):
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            continue
    return None


class StampReader:
    """Reads the time cells of one transcript, top to bottom (it remembers the last date)."""

    def __init__(self, default_day: date | None = None) -> None:
        self.day = default_day  # for time-only cells
        self.last: datetime | None = None

    def read(self, text: str) -> datetime | None:
        """The cell as a naive datetime; None when it is no time, or a time with no known date."""
        if ":" in text:
            try:  # the common ISO-like forms, in C
                stamp = datetime.fromisoformat(text)
            except ValueError:
                pass
            else:
                if stamp.tzinfo is not None:
                    stamp = stamp.replace(tzinfo=None)
                self.last = stamp
                return stamp
        match = _STAMP.match(text)
        if match is None or match["h"] is None:
            if match is not None and match["y"] is not None:
                self._set_day(match)  # a date alone (a date column without time): remembered
            return None
        hour, minute, second = int(match["h"]), int(match["mi"]), int(match["s"] or 0)
        half = match["half"] or match["half2"]
        if half in _AFTERNOON and hour < 12:
            hour += 12
        elif half in ("AM", "am", "凌晨", "上午") and hour == 12:
            hour = 0
        if hour > 23 or minute > 59 or second > 59:
            return None
        if match["y"] is not None:
            day = self._set_day(match)
            if day is None:
                return None
            return self._dated(datetime(day.year, day.month, day.day, hour, minute, second))
        day = self.last.date() if self.last is not None else self.day
        if day is None:
            return None
        stamp = datetime(day.year, day.month, day.day, hour, minute, second)
        if self.last is not None and stamp < self.last - _ROLLOVER:  # 23:59 → 00:01: the next day
            stamp += timedelta(days=1)
        return self._dated(stamp)

    def _set_day(self, match: re.Match[str]) -> date | None:
        try:
            self.day = date(int(match["y"]), int(match["mo"]), int(match["d"]))
        except ValueError:
            return None
        self.last = None  # a new date: no rollover against the old one
        return self.day

    def _dated(self, stamp: datetime) -> datetime:
        self.last = stamp
        return stamp
