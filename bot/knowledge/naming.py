"""A rule as people read it: words, never its id (ids are for JSON, CSV and admin views)."""

from __future__ import annotations

import re

from bot.knowledge.models import BannedRule

SHORT = 16  # characters of the reason in a short label (report lines, buttons)
_FIRST_CLAUSE = re.compile(r"[。；;！!]")


def rule_label(rule: BannedRule, *, short: bool = False) -> str:
    """``category：reason`` (a rule's ``name`` first, where the knowledge gives one); ``short``
    keeps the reason's first sentence, clipped, for lines that list many rules."""
    name = getattr(rule, "name", "") or ""
    if name:
        return name if short else f"{name}：{rule.reason}"
    reason = rule.reason
    if short:
        reason = _FIRST_CLAUSE.split(reason, 1)[0]
        reason = reason if len(reason) <= SHORT else reason[:SHORT - 1] + "…"
    return f"{rule.category}：{reason}"
