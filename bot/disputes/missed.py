"""A missed violation: a supervisor sends ``/missed 规则或类别 原句`` and the draft becomes a
proposal (kind ``example``: see :mod:`bot.proposals.teaching`) to keep it as an example of
that rule for the intent classifier.

The first word names the rule: a rule's name or category (or, for admins, its id). A
category with several rules, or no rule named at all, asks with buttons of human names; the
draft then waits as a draft proposal (its text is in the database, never in the buttons).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.errors import UserError
from bot.knowledge.models import BannedRule
from bot.knowledge.naming import rule_label
from bot.knowledge.store import KnowledgeStore
from bot.proposals.desk import ProposalDesk, ProposalView
from bot.proposals.teaching import EXAMPLE, example_payload
from bot.roster.people import Member
from bot.storage.db import Database

MIN_CHARS, MAX_CHARS = 2, 2000


@dataclass(frozen=True, slots=True)
class MissedStep:
    """Either the proposal made, or the draft proposal's id and the choices to offer:
    (rule id, label) of rules, or of one rule per category when ``categories``."""

    proposal: ProposalView | None = None
    draft_id: int | None = None
    choices: list[tuple[str, str]] = field(default_factory=list)
    categories: bool = False


class MissedDesk:
    def __init__(self, db: Database, knowledge: KnowledgeStore, proposals: ProposalDesk) -> None:
        self.db = db
        self.knowledge = knowledge
        self.proposals = proposals

    async def start(self, member: Member, text: str, now: datetime) -> MissedStep:
        """``规则或类别 原句``, or just ``原句``."""
        text = text.strip()
        if not text:
            raise UserError("missed.usage")
        word, _, rest = text.partition(" ")
        named = self._named(word.strip(), member) if rest.strip() else []
        draft = rest.strip() if named else text
        if not MIN_CHARS <= len(draft) <= MAX_CHARS:
            raise UserError("missed.length", low=MIN_CHARS, high=MAX_CHARS)
        if len(named) == 1:
            return MissedStep(proposal=await self._propose(member, draft, named[0], now))
        async with self.db.transaction() as repos:
            view = await self.proposals.propose_teaching(
                repos, member, EXAMPLE, {"text": draft, "rule": None}, now, draft=True)
        if named:
            return MissedStep(draft_id=view.id, choices=_labels(named))
        return MissedStep(draft_id=view.id, choices=self._categories(), categories=True)

    async def pick_category(self, member: Member, draft_id: int, rule_id: str, now: datetime) -> MissedStep:
        """The rules of ``rule_id``'s category (the rule itself when it is alone in it)."""
        await self.proposals.teaching_draft(member, draft_id)  # still this supervisor's draft?
        rules = self.knowledge.current.knowledge.rules
        category = next((r.category for r in rules if r.id == rule_id), None)
        if category is None:
            raise UserError("missed.gone")
        same = [r for r in rules if r.category == category]
        if len(same) == 1:
            return await self.pick_rule(member, draft_id, same[0].id, now)
        return MissedStep(draft_id=draft_id, choices=_labels(same))

    async def pick_rule(self, member: Member, draft_id: int, rule_id: str, now: datetime) -> MissedStep:
        draft = await self.proposals.teaching_draft(member, draft_id)
        rule = next((r for r in self.knowledge.current.knowledge.rules if r.id == rule_id), None)
        if rule is None:
            raise UserError("missed.gone")
        self._not_flagged(draft.text, rule)
        payload = example_payload(draft.text, rule)
        await self.proposals.preview_teaching(EXAMPLE, payload)
        return MissedStep(proposal=await self.proposals.submit_teaching(member, draft_id, payload, now))

    # --- inside ---------------------------------------------------------------------------

    async def _propose(self, member: Member, draft: str, rule: BannedRule, now: datetime) -> ProposalView:
        self._not_flagged(draft, rule)
        payload = example_payload(draft, rule)
        await self.proposals.preview_teaching(EXAMPLE, payload)
        async with self.db.transaction() as repos:
            return await self.proposals.propose_teaching(repos, member, EXAMPLE, payload, now)

    def _named(self, word: str, member: Member) -> list[BannedRule]:
        rules = self.knowledge.current.knowledge.rules
        exact = [r for r in rules if word in (r.name, rule_label(r), rule_label(r, short=True))
                 or (r.id == word and member.role.value == "admin")]
        return exact or [r for r in rules if r.category == word]

    def _categories(self) -> list[tuple[str, str]]:
        first: dict[str, str] = {}
        for rule in self.knowledge.current.knowledge.rules:
            first.setdefault(rule.category, rule.id)
        return [(rule_id, category) for category, rule_id in first.items()]

    def _not_flagged(self, draft: str, rule: BannedRule) -> None:
        if any(f.rule == rule.id for f in self.knowledge.current.checker.check(draft).flags):
            raise UserError("missed.already_flagged", rule=rule_label(rule, short=True))


def _labels(rules: list[BannedRule]) -> list[tuple[str, str]]:
    return [(r.id, rule_label(r, short=True)) for r in rules]
