"""How long, and how long ago, in words — one way everywhere: "刚刚", "5 分钟前", "2 小时 3 分钟",
"1 天前". A sentence takes the whole phrase (``{ago}记录``), never a number with "前" glued on
by the template, so "0 分钟 前" and "1 天 前" cannot happen."""

from __future__ import annotations

from datetime import timedelta

from bot.texts import t


def span(delta: timedelta) -> str:
    """How long: minutes under an hour, hours and minutes under a day, then whole days."""
    minutes = max(0, int(delta.total_seconds() // 60))
    hours, rest = divmod(minutes, 60)
    if hours == 0:
        return t("time.minutes", minutes=minutes)
    if hours < 24:
        return t("time.hours", hours=hours) if rest == 0 else t("time.hours_minutes", hours=hours, minutes=rest)
    return t("time.days", days=hours // 24)


def ago(delta: timedelta) -> str:
    """How long ago: "刚刚" under a minute, else "5 分钟前"."""
    return t("time.just_now") if delta < timedelta(minutes=1) else t("time.ago", span=span(delta))


def duration_text(seconds: float) -> str:
    """How long to the second, for waits and response times: ``42 秒``, ``3 分 5 秒``, ``2 小时 5 分``."""
    whole = int(round(seconds))
    if whole < 60:
        return f"{whole} 秒"
    if whole < 3600:
        minutes, rest = divmod(whole, 60)
        return f"{minutes} 分 {rest} 秒" if rest else f"{minutes} 分钟"
    hours, rest = divmod(whole, 3600)
    return f"{hours} 小时 {rest // 60} 分" if rest >= 60 else f"{hours} 小时"
