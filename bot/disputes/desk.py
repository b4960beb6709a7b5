"""Disputed flags: an agent says "这句没问题" under a verdict; a supervisor confirms or rejects.

Pressing the button records a dispute once per verdict (the draft is re-checked from the
message the verdict answers, and kept: the agent chose to submit it). The team's supervisors
are told. A rejection closes it and the agent is told. A confirmation becomes a proposal
(:mod:`bot.proposals.teaching`, kind ``allowed``) proposed by the confirming supervisor and
reviewed like any other; its approval — a new knowledge version — confirms the dispute and
tells the agent, its rejection rejects the dispute with the reviewer's reason.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError

from bot.checker.normalize import normalise_pattern
from bot.disputes.context import context_of
from bot.errors import UserError
from bot.events import EventType, event
from bot.knowledge.naming import rule_label
from bot.knowledge.store import KnowledgeStore
from bot.outbox import Outgoing, queue
from bot.proposals.desk import APPROVED, REJECTED, ProposalDesk, ProposalView
from bot.proposals.teaching import ALLOWED, allowed_payload
from bot.roster.people import Member
from bot.roster.roles import Role
from bot.roster.service import member_of
from bot.storage.db import Database
from bot.storage.models import Dispute
from bot.storage.repositories import Repositories
from bot.texts import MESSAGE_LIMIT, shorten, t

PENDING, CONFIRMED = "pending", "confirmed"
LIST_LIMIT = 20  # disputes shown by one /flags
SHOWN_CHARS, SHORT_CHARS = 1500, 300  # of a draft in a message (a message holds 4096 after escaping)
RULE_LINES = 8  # flagged words shown with their rule, at most
SHORT_DRAFT = 60  # of a draft quoted back to the agent with the decision


@dataclass(frozen=True, slots=True)
class DisputeView:
    id: int
    state: str
    team: str
    agent: Member
    created_at: datetime
    draft: str
    flags: list[dict[str, Any]]  # {rule, matched, start, end, context}
    proposal_id: int | None = None
    already: bool = False  # the button was pressed before: nothing new recorded


class DisputeDesk:
    def __init__(self, db: Database, knowledge: KnowledgeStore, proposals: ProposalDesk) -> None:
        self.db = db
        self.knowledge = knowledge
        self.proposals = proposals
        proposals.listeners.append(self)

    async def dispute(self, member: Member, chat_id: int, message_id: int, draft: str | None,
                      now: datetime) -> DisputeView:
        """Record the dispute of the verdict ``message_id`` about ``draft`` (once)."""
        found = await self._recorded(member, chat_id, message_id)
        if found is not None:
            return found
        if not draft or not draft.strip():
            raise UserError("dispute.draft_gone")
        result = self.knowledge.current.checker.check(draft)
        if not result.flags:
            raise UserError("dispute.no_flags")
        flags = [{**context_of(draft, f).as_json(), "start": f.start, "end": f.end} for f in result.flags]
        rules = list(dict.fromkeys(f.rule for f in result.flags))
        severities = {f.rule: f.severity.value for f in result.flags}
        try:
            async with self.db.transaction() as repos:
                row = await repos.disputes.add(Dispute(
                    person_id=member.id, team=member.team, created_at=now, chat_id=chat_id, message_id=message_id,
                    rules=rules, flags=flags, draft=draft, state=PENDING))
                await repos.events.add_all(
                    event(EventType.FLAG_DISPUTED, member, now, subject=r, detail=severities[r]) for r in rules)
                await self._notify_supervisors(repos, row, member, now)
                return _view(row, member)
        except IntegrityError:  # pressed twice at once: the other press recorded it
            found = await self._recorded(member, chat_id, message_id)
            if found is None:
                raise
            return found

    async def open(self, reviewer: Member) -> list[DisputeView]:
        """Pending disputes of the reviewer's team (every team's for an admin), oldest first."""
        teams = None if reviewer.role.at_least(Role.ADMIN) else [reviewer.team]
        async with self.db.transaction() as repos:
            views = []
            for row in await repos.disputes.open(teams, LIST_LIMIT):
                person = await repos.people.get(row.person_id)
                if person is not None:
                    views.append(_view(row, member_of(person)))
            return views

    async def reject(self, reviewer: Member, dispute_id: int, now: datetime) -> DisputeView:
        """The flag stands: closed, and the agent is told."""
        async with self.db.transaction() as repos:
            row, agent = await self._decidable(repos, reviewer, dispute_id)
            row.state, row.reviewer_id, row.decided_at = REJECTED, reviewer.id, now
            await queue(repos, [Outgoing(agent.telegram_id, "dispute_decision", row.id, t(
                "dispute.told_rejected", draft=shorten(row.draft, SHORT_DRAFT), who=reviewer.label))], now)
            return _view(row, agent)

    async def confirm(self, reviewer: Member, dispute_id: int, now: datetime) -> ProposalView:
        """The draft was fine: a proposal (by the reviewer) to allow the flagged words in their
        context and to keep the draft as a clean example; another reviewer approves it."""
        async with self.db.transaction() as repos:
            row, agent = await self._decidable(repos, reviewer, dispute_id)
            payload = allowed_payload(row.id, row.draft, _contexts(row.flags), agent.label)
        hollow = [f["matched"] for f in row.flags if f["context"] == normalise_pattern(f["matched"])]
        if hollow:
            raise UserError("dispute.no_context", words="、".join(dict.fromkeys(hollow)))
        await self.proposals.preview_teaching(ALLOWED, payload)  # compiles: outside any transaction
        async with self.db.transaction() as repos:
            row, agent = await self._decidable(repos, reviewer, dispute_id)
            view = await self.proposals.propose_teaching(repos, reviewer, ALLOWED, payload, now)
            row.proposal_id, row.reviewer_id = view.id, reviewer.id
            return view

    async def decided(self, repos: Repositories, view: ProposalView, now: datetime) -> None:
        """A proposal made from a dispute was decided: so is the dispute; the agent is told."""
        if view.kind != ALLOWED:
            return
        row = await repos.disputes.by_proposal(view.id)
        person = None if row is None else await repos.people.get(row.person_id)
        if row is None or person is None or row.state != PENDING:
            return
        agent = member_of(person)
        row.decided_at = now
        if view.status == APPROVED:
            row.state = CONFIRMED
            await repos.events.add_all(
                event(EventType.FLAG_CONFIRMED, agent, now, subject=r) for r in row.rules)
            text = t("dispute.told_confirmed", draft=shorten(row.draft, SHORT_DRAFT), version=view.version_number or "")
        else:
            row.state, row.note = REJECTED, view.review_note
            text = t("dispute.told_rejected_review", draft=shorten(row.draft, SHORT_DRAFT), reason=view.review_note or "")
        await queue(repos, [Outgoing(agent.telegram_id, "dispute_decision", row.id, text)], now)

    def body(self, view: DisputeView, local_time: str) -> list[str]:
        """A dispute as a supervisor reads it: the draft with the flagged words marked, each rule
        by its name, who disputed it and when."""
        rules = {r.id: r for r in self.knowledge.current.knowledge.rules}
        gone = t("teaching.rule_gone", escape=False)
        for shown, short in ((SHOWN_CHARS, False), (SHORT_CHARS, True)):  # the short form if the long is too long
            lines = [t("dispute.item_title", id=view.id, who=view.agent.label, at=local_time),
                     t("dispute.item_draft", escape=False, draft=_highlighted(view.draft, view.flags, shown))]
            pairs = list(dict.fromkeys((f["matched"], f["rule"]) for f in view.flags))
            lines += [t("dispute.item_rule", matched=matched,
                        rule=rule_label(rules[rule], short=short) if rule in rules else gone)
                      for matched, rule in pairs[:RULE_LINES]]
            if len(pairs) > RULE_LINES:
                lines.append(t("dispute.item_more", count=len(pairs) - RULE_LINES))
            if len("\n".join(lines)) <= MESSAGE_LIMIT:
                break
        return lines

    # --- inside ---------------------------------------------------------------------------

    async def _recorded(self, member: Member, chat_id: int, message_id: int) -> DisputeView | None:
        async with self.db.transaction() as repos:
            row = await repos.disputes.by_message(chat_id, message_id)
            if row is None:
                return None
            if row.person_id != member.id:
                raise UserError("dispute.not_yours")
            return replace(_view(row, member), already=True)

    async def _decidable(self, repos: Repositories, reviewer: Member, dispute_id: int) -> tuple[Dispute, Member]:
        row = await repos.disputes.get_for_update(dispute_id)
        person = None if row is None else await repos.people.get(row.person_id)
        if row is None or person is None:
            raise UserError("dispute.not_found", id=dispute_id)
        if row.state != PENDING or row.proposal_id is not None:
            status = t(f"dispute.status.{row.state}") if row.proposal_id is None else t(
                "dispute.status.proposed", proposal=row.proposal_id)
            raise UserError("dispute.decided", id=dispute_id, status=status)
        if not reviewer.role.at_least(Role.SUPERVISOR) or (
                not reviewer.role.at_least(Role.ADMIN) and reviewer.team != row.team):
            raise UserError("dispute.not_reviewer")
        if row.person_id == reviewer.id:
            raise UserError("dispute.own")
        return row, member_of(person)

    async def _notify_supervisors(self, repos: Repositories, row: Dispute, agent: Member, now: datetime) -> None:
        people = await repos.people.first_active(
            [([Role.SUPERVISOR.value, Role.TEAM_LEAD.value], agent.team), ([Role.ADMIN.value], None)],
            leaving_out=agent.id)
        names = self.knowledge.current.knowledge.rule_names()
        text = t("dispute.notice", who=agent.label, rules="、".join(names.get(r, r) for r in row.rules))
        await queue(repos, [Outgoing(p.telegram_id, "dispute_notice", row.id, text) for p in people], now)


def _contexts(flags: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [{"rule": f["rule"], "matched": f["matched"], "context": f["context"]} for f in flags]


def _highlighted(draft: str, flags: list[dict[str, Any]], shown: int) -> str:
    """The draft (escaped, clipped to ``shown`` characters) with each flagged span in bold."""
    spans = sorted({(f["start"], f["end"]) for f in flags if f["end"] <= shown})
    out, at = [], 0
    for start, end in spans:
        if start < at:
            continue
        out += [html.escape(draft[at:start], quote=False), "<b><u>", html.escape(draft[start:end], quote=False),
                "</u></b>"]
        at = end
    out.append(html.escape(draft[at:shown], quote=False) + ("…" if len(draft) > shown else ""))
    return "".join(out)


def _view(row: Dispute, agent: Member) -> DisputeView:
    return DisputeView(id=row.id, state=row.state, team=row.team, agent=agent, created_at=row.created_at,
                       draft=row.draft, flags=list(row.flags), proposal_id=row.proposal_id)
