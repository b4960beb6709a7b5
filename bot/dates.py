"""A day named by a user (``/report 11-24``, ``/handoffs 昨天``): parsed, and kept to days the
bot can work with — the figures look a week back and a day ahead, so a day at the calendar's
edge (0001-01-01, 9999-12-31) would overflow; such a day is a user's mistake, told as one."""

from __future__ import annotations

import re
from datetime import date, timedelta

from bot.errors import UserError

FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2099, 12, 31)
_DATE = re.compile(r"^(?:(\d{4})-)?(\d{1,2})-(\d{1,2})$")


def parse_day(word: str, today: date, command: str) -> date | None:
    """``2026-11-24``, ``11-24``, ``今天``/``today``, ``昨天``/``yesterday``; None if not a day.
    A date that does not exist or is out of range: :class:`UserError` ``{command}.bad_day``,
    which says what was wrong and how ``/command`` is used."""
    if word.lower() in ("今天", "today"):
        return today
    if word.lower() in ("昨天", "yesterday"):
        return today - timedelta(days=1)
    match = _DATE.match(word)
    if not match:
        return None
    try:
        day = date(int(match.group(1) or today.year), int(match.group(2)), int(match.group(3)))
    except ValueError as error:
        raise UserError(f"{command}.bad_day", why=f"没有 {word} 这一天。") from error
    if not FIRST_DAY <= day <= LAST_DAY:
        raise UserError(f"{command}.bad_day", why=f"日期 {word} 超出范围：只能是 {FIRST_DAY} 至 {LAST_DAY}。")
    return day
