"""A day named by a user (``/report 11-24``, ``/handoffs 昨天``): parsed, and kept to days the
bot can work with — the figures look a week back and a day ahead, so a day at the calendar's
edge (0001-01-01, 9999-12-31) would overflow; such a day is a user's mistake, told as one."""

from __future__ import annotations

import re
from datetime import date, timedelta

from bot.errors import UserError

FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)
_DATE = re.compile(r"^(?:(\d{4})[-/.年])?(\d{1,2})[-/.月](\d{1,2})日?$")
_RELATIVE = {"今天": 0, "today": 0, "昨天": -1, "yesterday": -1, "前天": -2, "明天": 1, "tomorrow": 1}


def read_day(word: str, today: date) -> date | None:
    """``2026-11-24``, ``2026/11/24``, ``11-24``, ``11月24日``, ``今天``, ``昨天``, ``前天``, ``明天``;
    None if the word is no day at all. A date that does not exist or is out of range:
    :class:`UserError` ``day.no_such`` / ``day.out_of_range``."""
    if word.lower() in _RELATIVE:
        return today + timedelta(days=_RELATIVE[word.lower()])
    match = _DATE.match(word)
    if not match:
        return None
    try:
        day = date(int(match.group(1) or today.year), int(match.group(2)), int(match.group(3)))
    except ValueError as error:
        raise UserError("day.no_such", word=word) from error
    if not FIRST_DAY <= day <= LAST_DAY:
        raise UserError("day.out_of_range", word=word, first=FIRST_DAY.isoformat(), last=LAST_DAY.isoformat())
    return day

