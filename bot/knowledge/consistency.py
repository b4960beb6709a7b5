"""Approved text must pass the checker: a rule that flags an approved phrasing is a conflict.

Asked before any change the bot makes to the knowledge is accepted, so that a new banned
rule can never start flagging what agents were told to say.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.checker.engine import Checker


@dataclass(frozen=True, slots=True, order=True)
class Conflict:
    rule: str  # the rule that fires
    item: str  # the approved phrasing's id, or "<rule name> 的替换" for a rule's own replacement
    text: str
    matched: str
    name: str  # the firing rule's name, what the supervisor reads


def conflicts(checker: Checker) -> list[Conflict]:
    """Every approved phrasing and rule replacement the rules would flag."""
    knowledge = checker.knowledge
    approved = [(p.id, p.text) for p in knowledge.phrasings]
    approved += [(f"{r.name} 的替换", text) for r in knowledge.rules for text in r.replace]
    found = []
    for item, text in approved:
        for flag in checker.check(text).flags:
            found.append(Conflict(flag.rule, item, text, flag.matched, flag.name))
    return sorted(found)
