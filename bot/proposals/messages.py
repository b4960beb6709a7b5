"""Proposal messages as Bot API data (HTML text, inline-keyboard JSON) for the outbox and
the handlers: nothing here needs Telegram's library."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.proposals import teaching
from bot.buttons import ApproveProposal, EditProposal, RejectProposal
from bot.texts import MESSAGE_LIMIT, shorten, t

if TYPE_CHECKING:
    from bot.knowledge.models import Knowledge
    from bot.proposals.desk import ProposalView


def body(view: ProposalView, kind_label: str, situations: str) -> list[str]:
    """What is proposed, as the reviewer and the proposer see it."""
    if view.kind == "rule":
        rule = view.rule
        lines = [t("proposal.rule_title", id=view.id, who=view.proposer.label, team=view.team)]
        lines += [t("proposal.rule_name", name=rule.name)] if rule.name else []
        lines += [t("proposal.rule_phrases", phrases="、".join(rule.phrases)),
                  t("proposal.rule_reason", reason=rule.reason,
                    severity=t("proposal.severity_block" if rule.severity == "block" else "proposal.severity_warn"))]
        lines += [t(key, items="、".join(items)) for key, items in
                  (("proposal.rule_replace", rule.replace), ("proposal.rule_allowed", rule.allowed)) if items]
    else:
        lines = [t("proposal.phrasing_title", id=view.id, who=view.proposer.label, team=view.team),
                 t("proposal.phrasing_kind", kind=kind_label, situations=situations or t("proposal.any_situation")),
                 t("proposal.phrasing_text", text=view.text)]
        if view.based_on:
            lines.append(t("proposal.based_on", id=view.based_on))
    if "edited_by" in view.payload:
        lines.append(t("proposal.edited_by", who=view.payload["edited_by"]))
    return lines


def teaching_body(view: ProposalView, knowledge: Knowledge) -> list[str]:
    return teaching.body(view.kind, view.id, view.proposer.label, view.team, view.payload, knowledge)


def review_buttons(proposal_id: int, editable: bool = True) -> dict[str, Any]:
    """Approve, edit, reject (a teaching proposal is taken or left as it is: no edit)."""
    row = [ApproveProposal(proposal_id).json(t("proposal.button_approve")),
           EditProposal(proposal_id).json(t("proposal.button_edit")),
           RejectProposal(proposal_id).json(t("proposal.button_reject"))]
    return {"inline_keyboard": [row if editable else [row[0], row[2]]]}


def with_outcome(body: list[str], view: ProposalView) -> str:
    """The proposal and what became of it, in one message (the body cut to its title if the
    two would not fit)."""
    if view.status == "approved":
        outcome = t("proposal.outcome_approved", reviewer=view.reviewer or "", version=view.version_number or "")
    elif view.status == "rejected":
        outcome = t("proposal.outcome_rejected", reviewer=view.reviewer or "", reason=view.review_note or "")
    else:
        outcome = t("proposal.outcome_withdrawn")
    text = "\n".join([*body, outcome])
    return text if len(text) <= MESSAGE_LIMIT else "\n".join([body[0], outcome])


def decision(view: ProposalView) -> str:
    if view.kind in teaching.TEACHING:
        what = shorten(view.text, 60)
        if view.status == "approved":
            return t("teaching.approved", id=view.id, what=what, reviewer=view.reviewer or "",
                     version=view.version_number or "")
        return t("proposal.rejected", id=view.id, what=what, reviewer=view.reviewer or "", reason=view.review_note or "")
    what = view.text if view.kind == "phrasing" else "、".join(view.rule.phrases)
    if view.status == "approved":
        return t("proposal.approved", id=view.id, what=what, reviewer=view.reviewer or "",
                 version=view.version_number or "")
    return t("proposal.rejected", id=view.id, what=what, reviewer=view.reviewer or "", reason=view.review_note or "")
