"""A rule as people read it: words, never its id (ids are for JSON, CSV and admin views)."""

from __future__ import annotations

from bot.knowledge.models import BannedRule


def rule_label(rule: BannedRule, *, short: bool = False) -> str:
    """The rule's name (``short``, for lines that list many rules), else ``name：reason``."""
    return rule.name if short else f"{rule.name}：{rule.reason}"
