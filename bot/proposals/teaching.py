"""Proposals that teach the checker, made by supervisors from the team's own cases:

- ``allowed``: a disputed flag confirmed — the flagged words in their context join the rule's
  ``allowed:`` list, and the draft joins ``corpus/team.jsonl`` as a clean example;
- ``example``: a missed violation — the draft joins ``corpus/team.jsonl`` as an example of
  the rule (labelled with the rule's severity).

They go through the same review as every proposal (see :mod:`bot.proposals.desk`); this
module builds their payload, their knowledge edit and the lines that show them.
"""

from __future__ import annotations

from typing import Any

from bot.knowledge.corpus import CLEAN, Example, add_example
from bot.knowledge.edits import add_allowed
from bot.knowledge.keeper import Edit
from bot.knowledge.models import BannedRule, Knowledge
from bot.knowledge.naming import rule_label
from bot.knowledge.snapshot import Snapshot
from bot.texts import shorten, t

ALLOWED, EXAMPLE = "allowed", "example"
TEACHING = (ALLOWED, EXAMPLE)
SHOWN_CHARS = 600  # of a draft in a message (a message holds 4096, after escaping)
CONTEXT_LINES = 8


def allowed_payload(dispute_id: int, draft: str, contexts: list[dict[str, str]], agent: str) -> dict[str, Any]:
    return {"text": draft, "dispute_id": dispute_id, "contexts": contexts, "agent": agent}


def example_payload(draft: str, rule: BannedRule) -> dict[str, Any]:
    return {"text": draft, "rule": rule.id}


def teaching_edit(kind: str, payload: dict[str, Any], proposal_id: int, made: list[str]) -> Edit:
    """The knowledge change; ``made`` gets the rule ids it concerns (the proposal's result)."""
    def edit(snapshot: Snapshot, knowledge: Knowledge) -> Snapshot:
        if kind == ALLOWED:
            by_rule: dict[str, list[str]] = {}
            for item in payload["contexts"]:
                by_rule.setdefault(item["rule"], []).append(item["context"])
            for rule_id, contexts in by_rule.items():
                snapshot = add_allowed(snapshot, rule_id, contexts)
            example = Example(payload["text"], CLEAN, None, f"team-{payload['dispute_id']}")
            made.append(",".join(by_rule))
        else:
            rule = _rule(knowledge, payload["rule"])
            example = Example(payload["text"], rule.severity.value, rule.id, f"team-missed-{proposal_id}")
            made.append(rule.id)
        return add_example(snapshot, example)
    return edit


def body(kind: str, proposal_id: int, who: str, team: str, payload: dict[str, Any], knowledge: Knowledge) -> list[str]:
    """What is proposed, in words (rules by their names)."""
    draft = shorten(payload["text"], SHOWN_CHARS)
    if kind == ALLOWED:
        lines = [t("teaching.allowed_title", id=proposal_id, who=who, team=team, agent=payload.get("agent", "")),
                 t("teaching.draft", text=draft)]
        lines += [t("teaching.allowed_item", rule=_name(knowledge, c["rule"]), context=c["context"])
                  for c in payload["contexts"][:CONTEXT_LINES]]
        if len(payload["contexts"]) > CONTEXT_LINES:
            lines.append(t("dispute.item_more", count=len(payload["contexts"]) - CONTEXT_LINES))
        lines.append(t("teaching.allowed_effect"))
    else:
        lines = [t("teaching.example_title", id=proposal_id, who=who, team=team), t("teaching.draft", text=draft),
                 t("teaching.example_rule", rule=_name(knowledge, payload["rule"])), t("teaching.example_effect")]
    return lines


def _rule(knowledge: Knowledge, rule_id: str) -> BannedRule:
    found = {r.id: r for r in knowledge.rules}.get(rule_id)
    if found is None:
        raise ValueError(t("teaching.rule_gone", escape=False))
    return found


def _name(knowledge: Knowledge, rule_id: str) -> str:
    found = {r.id: r for r in knowledge.rules}.get(rule_id)
    return rule_label(found, short=True) if found is not None else t("teaching.rule_gone")
