"""Proposals, from what someone typed to an approved phrasing or banned rule.

An agent proposes a phrasing (from a draft that passed, a variant of a suggestion, or typed);
a supervisor proposes a banned rule. Both are checked before anyone sees them — a phrasing
that the rules would flag, or that repeats an approved one, is refused with the reason; a rule
that would flag approved text is refused naming it — and checked again when approved, since
the knowledge may have changed meanwhile. A reviewer (a supervisor or team lead of the team,
never the proposer; the admins when the team has nobody else) edits, approves or rejects
with a reason; approving is a knowledge change like any other (see KnowledgeKeeper) and the
proposer is told either way through the outbox. Supervisors also propose what teaches the
checker (an allowed context, an example: see :mod:`bot.proposals.teaching`); whoever waits on
a decision (a dispute) listens for it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Protocol

from rapidfuzz import fuzz, process

from bot.checker.normalize import normalise_pattern
from bot.errors import UserError
from bot.knowledge.edits import NewPhrasing, NewRule, add_phrasing, add_rule
from bot.knowledge.keeper import Edit, KnowledgeKeeper, VersionView
from bot.knowledge.models import Knowledge
from bot.knowledge.snapshot import Snapshot
from bot.knowledge.store import KnowledgeStore
from bot.orders.numbers import OrderNumbers
from bot.outbox import Outgoing, Revision, delivered, queue
from bot.proposals import messages
from bot.proposals.forms import Particulars, phrasing_text, rule_form
from bot.proposals.teaching import TEACHING, teaching_edit
from bot.roster.people import Member
from bot.roster.roles import Role
from bot.roster.service import member_of
from bot.storage.db import Database
from bot.storage.models import Person, Proposal, ReplyPrompt
from bot.storage.repositories import Repositories
from bot.texts import t

PHRASING, RULE = "phrasing", "rule"
DRAFT, PENDING, APPROVING, APPROVED, REJECTED, WITHDRAWN = (
    "draft", "pending", "approving", "approved", "rejected", "withdrawn")
STALE_APPROVING = timedelta(minutes=2)  # a replica died while approving: another may try again
DUPLICATE_SCORE = 92  # rapidfuzz ratio (0–100) above which a proposal repeats an approved phrasing
MIN_REASON, MAX_REASON = 2, 200


@dataclass(frozen=True, slots=True)
class ProposalView:
    id: int
    kind: str  # phrasing | rule
    status: str
    team: str
    proposer: Member
    payload: dict[str, Any]
    based_on: str | None = None
    reviewer: str | None = None
    review_note: str | None = None
    result_id: str | None = None
    version_number: int | None = None

    @property
    def text(self) -> str:
        return str(self.payload.get("text", ""))

    @property
    def rule(self) -> NewRule:
        p = self.payload
        return NewRule(phrases=tuple(p["phrases"]), reason=p["reason"], category=p["category"],
                       severity=p["severity"], allowed=tuple(p.get("allowed", ())), replace=tuple(p.get("replace", ())),
                       name=p.get("name", ""))


class DecisionListener(Protocol):
    async def decided(self, repos: Repositories, view: ProposalView, now: datetime) -> None:
        """A proposal was approved or rejected (in the transaction that records it)."""


class ProposalDesk:
    def __init__(self, db: Database, knowledge: KnowledgeStore, keeper: KnowledgeKeeper, numbers: OrderNumbers,
                 shop_name: str) -> None:
        self.db = db
        self.knowledge = knowledge
        self.keeper = keeper
        self.numbers = numbers
        self.shop_name = shop_name
        self.listeners: list[DecisionListener] = []

    # --- proposing ----------------------------------------------------------------------

    async def propose_phrasing(self, member: Member, text: str, now: datetime, *,
                               based_on: str | None = None) -> ProposalView:
        """A draft proposal (kind and situation still to be chosen, unless ``based_on`` gives them)."""
        clean = self._clean_phrasing(member, text)
        knowledge = self.knowledge.current.knowledge
        kind, situations = self.knowledge.current.phrasebook.kind_of(clean), []
        if based_on is not None:
            base = knowledge.find_phrasing(based_on)
            if base is None:
                raise UserError("phrasing.gone")
            kind, situations = base.kind, list(base.situations)
        async with self.db.transaction() as repos:
            proposal = await repos.proposals.add(Proposal(
                kind=PHRASING, status=DRAFT, team=member.team, proposer_id=member.id, based_on=based_on,
                payload={"text": clean, "kind": kind, "situations": situations}, created_at=now,
            ))
            return _view(proposal, member)

    async def choose(self, member: Member, proposal_id: int, *, kind: str | None = None,
                     situation: str | None = None) -> ProposalView:
        """Set a draft's kind, or its situation (``""``: any situation)."""
        knowledge = self.knowledge.current.knowledge
        if kind is not None and kind not in {k.id for k in knowledge.kinds}:
            raise UserError("proposal.unknown_kind")
        if situation and situation not in {s.id for s in knowledge.situations}:
            raise UserError("proposal.unknown_situation")
        async with self.db.transaction() as repos:
            proposal = await self._own(repos, member, proposal_id, (DRAFT,))
            payload = dict(proposal.payload)
            if kind is not None:
                payload["kind"] = kind
            if situation is not None:
                payload["situations"] = [situation] if situation else []
            proposal.payload = payload
            return _view(proposal, member)

    async def submit(self, member: Member, proposal_id: int, now: datetime) -> ProposalView:
        """Send a draft to the reviewers (checked again: the knowledge may have changed)."""
        async with self.db.transaction() as repos:
            proposal = await self._own(repos, member, proposal_id, (DRAFT,))
            if not proposal.payload.get("kind"):
                raise UserError("proposal.no_kind")
            self._check_phrasing(proposal.payload["text"])
            proposal.status, proposal.submitted_at = PENDING, now
            view = _view(proposal, member)
            await self._ask_reviewers(repos, view, now)
            return view

    async def withdraw(self, member: Member, proposal_id: int) -> ProposalView:
        async with self.db.transaction() as repos:
            proposal = await self._own(repos, member, proposal_id, (DRAFT, PENDING))
            proposal.status = WITHDRAWN
            return _view(proposal, member)

    async def propose_rule(self, member: Member, rule: NewRule, now: datetime) -> ProposalView:
        """A banned rule, sent to the reviewers at once if it conflicts with nothing approved."""
        if not member.role.at_least(Role.SUPERVISOR):
            raise UserError("proposal.rule_role")
        await self.keeper.preview(_adding_rule(rule, "团队提议"))
        async with self.db.transaction() as repos:
            proposal = await repos.proposals.add(Proposal(
                kind=RULE, status=PENDING, team=member.team, proposer_id=member.id, created_at=now,
                submitted_at=now, payload=_rule_payload(rule),
            ))
            view = _view(proposal, member)
            await self._ask_reviewers(repos, view, now)
            return view

    async def preview_teaching(self, kind: str, payload: dict[str, Any]) -> None:
        """Refuses (UserError) what the knowledge would not take; nothing is written."""
        await self.keeper.preview(teaching_edit(kind, payload, 0, []))

    async def propose_teaching(self, repos: Repositories, member: Member, kind: str, payload: dict[str, Any],
                               now: datetime, *, draft: bool = False) -> ProposalView:
        """A teaching proposal, in the caller's transaction: sent to the reviewers at once, or
        (``draft``) kept until :meth:`submit_teaching` completes it."""
        if not member.role.at_least(Role.SUPERVISOR):
            raise UserError("proposal.rule_role")
        proposal = await repos.proposals.add(Proposal(
            kind=kind, status=DRAFT if draft else PENDING, team=member.team, proposer_id=member.id, created_at=now,
            submitted_at=None if draft else now, payload=payload,
        ))
        view = _view(proposal, member)
        if not draft:
            await self._ask_reviewers(repos, view, now)
        return view

    async def teaching_draft(self, member: Member, proposal_id: int) -> ProposalView:
        async with self.db.transaction() as repos:
            return _view(await self._own(repos, member, proposal_id, (DRAFT,)), member)

    async def submit_teaching(self, member: Member, proposal_id: int, changes: dict[str, Any],
                              now: datetime) -> ProposalView:
        """A teaching draft completed with ``changes`` and sent to the reviewers."""
        async with self.db.transaction() as repos:
            proposal = await self._own(repos, member, proposal_id, (DRAFT,))
            proposal.payload = {**proposal.payload, **changes}
            proposal.status, proposal.submitted_at = PENDING, now
            view = _view(proposal, member)
            await self._ask_reviewers(repos, view, now)
            return view

    # --- reviewing ----------------------------------------------------------------------

    async def get(self, reviewer: Member, proposal_id: int) -> ProposalView:
        async with self.db.transaction() as repos:
            proposal, proposer = await self._reviewable(repos, reviewer, proposal_id)
            return _view(proposal, proposer)

    async def pending(self, reviewer: Member) -> list[ProposalView]:
        """What waits for this reviewer (their team's; every team's for an admin)."""
        teams = None if reviewer.role.at_least(Role.ADMIN) else [reviewer.team]
        async with self.db.transaction() as repos:
            found = []
            for proposal in await repos.proposals.pending(teams):
                person = await repos.people.get(proposal.proposer_id)
                if person is not None and person.id != reviewer.id:
                    found.append(_view(proposal, member_of(person)))
            return found

    async def edit(self, reviewer: Member, proposal_id: int, text: str) -> ProposalView:
        """The reviewer's wording replaces the proposal's (checked like a new one); still pending."""
        current = await self.get(reviewer, proposal_id)  # refuses early what may not be reviewed
        if current.kind in TEACHING:
            raise UserError("teaching.no_edit")
        if current.kind == PHRASING:
            changed = {"text": self._clean_phrasing(current.proposer, text)}
        else:
            rule = rule_form(text)
            await self.keeper.preview(_adding_rule(rule, "团队提议"))  # compiles: outside any transaction
            changed = _rule_payload(rule)
        async with self.db.transaction() as repos:
            proposal, proposer = await self._reviewable(repos, reviewer, proposal_id)
            payload = {**proposal.payload, **changed}
            payload.setdefault("original", proposal.payload)
            payload["edited_by"] = reviewer.label
            proposal.payload = payload
            return _view(proposal, proposer)

    async def approve(self, reviewer: Member, proposal_id: int, now: datetime) -> ProposalView:
        """Make it part of the knowledge (a new version) and tell the proposer."""
        async with self.db.transaction() as repos:
            proposal, proposer = await self._reviewable(repos, reviewer, proposal_id, now)
            proposal.status, proposal.reviewer_id, proposal.reviewed_at = APPROVING, reviewer.id, now
            view = _view(proposal, proposer)
        try:
            version, result_id = await self._apply(view, reviewer, now)
        except UserError:
            async with self.db.transaction() as repos:
                proposal = await repos.proposals.get_for_update(proposal_id)
                if proposal is not None:
                    proposal.status = PENDING
            raise
        async with self.db.transaction() as repos:
            proposal = await repos.proposals.get_for_update(proposal_id)
            assert proposal is not None
            proposal.status, proposal.result_id, proposal.version_number = APPROVED, result_id, version.number
            view = _view(proposal, proposer, reviewer.label)
            await queue(repos, [self._decision(view)], now)
            await self._tell_listeners(repos, view, now)
            return view

    async def reject(self, reviewer: Member, proposal_id: int, reason: str, now: datetime) -> ProposalView:
        reason = " ".join(reason.split())
        if not MIN_REASON <= len(reason) <= MAX_REASON:
            raise UserError("proposal.reason", low=MIN_REASON, high=MAX_REASON)
        async with self.db.transaction() as repos:
            proposal, proposer = await self._reviewable(repos, reviewer, proposal_id)
            proposal.status, proposal.reviewer_id, proposal.reviewed_at = REJECTED, reviewer.id, now
            proposal.review_note = reason
            view = _view(proposal, proposer, reviewer.label)
            await queue(repos, [self._decision(view)], now)
            await self._tell_listeners(repos, view, now)
            return view

    async def decided(self, reviewer: Member, proposal_id: int) -> ProposalView | None:
        """The proposal if it is decided (approved, rejected, withdrawn) and ``reviewer`` may
        review its team's proposals: a stale review button then shows the outcome. None
        otherwise (the review itself says what is wrong)."""
        async with self.db.transaction() as repos:
            proposal = await repos.proposals.get(proposal_id)
            if proposal is None or proposal.status not in (APPROVED, REJECTED, WITHDRAWN) or not (
                    reviewer.role.at_least(Role.ADMIN)
                    or (reviewer.role.at_least(Role.SUPERVISOR) and reviewer.team == proposal.team)):
                return None
            proposer = await repos.people.get(proposal.proposer_id)
            decider = await repos.people.get(proposal.reviewer_id) if proposal.reviewer_id else None
            if proposer is None:
                return None
            return _view(proposal, member_of(proposer), member_of(decider).label if decider else None)

    def for_reviewers(self, view: ProposalView) -> tuple[str, dict[str, Any] | None]:
        """A reviewer's copy: while pending the proposal and its buttons, then what was decided."""
        body = self.body(view)
        if view.status == PENDING:
            return "\n".join(body), messages.review_buttons(view.id, view.kind not in TEACHING)
        return messages.with_outcome(body, view), None

    async def copies(self, view: ProposalView) -> list[Revision]:
        """Every reviewer's delivered copy as it should now read (:meth:`for_reviewers`)."""
        text, markup = self.for_reviewers(view)
        async with self.db.transaction() as repos:
            return [Revision(c.chat_id, c.message_id, text, markup)
                    for c in await delivered(repos, "proposal_review", view.id)]

    # --- questions asked with a reply prompt --------------------------------------------

    async def asked(self, member: Member, chat_id: int, message_id: int, purpose: str, ref: str, now: datetime) -> None:
        """Remember a reply prompt sent to ``member``: its answer may come after a restart."""
        async with self.db.transaction() as repos:
            await repos.reply_prompts.add(ReplyPrompt(chat_id=chat_id, message_id=message_id, person_id=member.id,
                                                      purpose=purpose, ref=ref, created_at=now))

    async def prompt_for(self, member: Member, chat_id: int, message_id: int) -> tuple[str, str] | None:
        """(purpose, ref) of the prompt this message answers, if it is one asked of ``member``."""
        async with self.db.transaction() as repos:
            prompt = await repos.reply_prompts.take(chat_id, message_id, member.id)
            return None if prompt is None else (prompt.purpose, prompt.ref)

    async def answered(self, member: Member, chat_id: int, message_id: int) -> None:
        """The prompt's answer was taken: it answers nothing more (a failed answer keeps it open)."""
        async with self.db.transaction() as repos:
            prompt = await repos.reply_prompts.take(chat_id, message_id, member.id)
            if prompt is not None:
                await repos.reply_prompts.remove(prompt)

    def kind_label(self, kind: str | None) -> str:
        return {k.id: k.label for k in self.knowledge.current.knowledge.kinds}.get(kind or "", "—")

    def situation_labels(self, situations: list[str]) -> str:
        labels = {s.id: s.label for s in self.knowledge.current.knowledge.situations}
        return "、".join(labels.get(s, s) for s in situations)

    def kinds(self) -> list[tuple[str, str]]:
        return [(k.id, k.label) for k in self.knowledge.current.knowledge.kinds]

    def situations(self, text: str | None = None) -> list[tuple[str, str]]:
        """(id, label) of every situation; with ``text``, only those it seems to describe, best first."""
        situations = self.knowledge.current.knowledge.situations
        if text is None:
            return [(s.id, s.label) for s in situations]
        scores = self.knowledge.current.phrasebook.situations_of(text)
        return [(s.id, s.label) for s in sorted(situations, key=lambda s: -scores.get(s.id, 0)) if s.id in scores][:6]

    def body(self, view: ProposalView) -> list[str]:
        if view.kind in TEACHING:
            return messages.teaching_body(view, self.knowledge.current.knowledge)
        return messages.body(view, self.kind_label(view.payload.get("kind")),
                             self.situation_labels(view.payload.get("situations", [])))

    # --- inside -------------------------------------------------------------------------

    def _clean_phrasing(self, member: Member, text: str) -> str:
        loaded = self.knowledge.current
        personal = loaded.personal_spans(loaded.checker.check(text))
        particulars = Particulars(member.name, self.shop_name, tuple(self.numbers.find(text, personal)))
        clean = phrasing_text(text, particulars)
        self._check_phrasing(clean)
        return clean

    def _check_phrasing(self, text: str) -> None:
        loaded = self.knowledge.current
        flags = loaded.checker.check(text).flags
        if flags:
            raise UserError("proposal.flagged", reasons="；".join(f"「{f.matched}」{f.reason}" for f in flags[:3]))
        same = _most_alike(text, loaded.knowledge)
        if same is not None:
            raise UserError("proposal.duplicate", text=same[1])

    async def _apply(self, view: ProposalView, reviewer: Member, now: datetime) -> tuple[VersionView, str]:
        made: list[str] = []
        if view.kind in TEACHING:
            edit = teaching_edit(view.kind, view.payload, view.id, made)
        elif view.kind == PHRASING:
            self._check_phrasing(view.text)
            edit = _adding_phrasing(
                NewPhrasing(view.payload["kind"], view.text, tuple(view.payload.get("situations", ()))), made)
        else:
            source = f"团队提议 #{view.id}：{view.proposer.label} 提出，{reviewer.label} 批准"
            edit = _adding_rule(view.rule, source, made)
        reason = f"采纳提议 #{view.id}（{view.proposer.label}）"
        version = await self.keeper.change(reviewer, reason, edit, now)
        return version, made[-1]

    async def _own(self, repos: Repositories, member: Member, proposal_id: int, states: tuple[str, ...]) -> Proposal:
        proposal = await repos.proposals.get_for_update(proposal_id)
        if proposal is None or proposal.proposer_id != member.id:
            raise UserError("proposal.not_found", id=proposal_id)
        if proposal.status not in states:
            raise UserError("proposal.decided", id=proposal_id, status=t(f"proposal.status.{proposal.status}"))
        return proposal

    async def _reviewable(self, repos: Repositories, reviewer: Member, proposal_id: int,
                          now: datetime | None = None) -> tuple[Proposal, Member]:
        proposal = await repos.proposals.get_for_update(proposal_id)
        person = None if proposal is None else await repos.people.get(proposal.proposer_id)
        if proposal is None or person is None or proposal.status == DRAFT:
            raise UserError("proposal.not_found", id=proposal_id)
        stale = (proposal.status == APPROVING and now is not None and proposal.reviewed_at is not None
                 and now - proposal.reviewed_at > STALE_APPROVING)
        if proposal.status != PENDING and not stale:
            raise UserError("proposal.decided", id=proposal_id, status=t(f"proposal.status.{proposal.status}"))
        if proposal.proposer_id == reviewer.id:
            raise UserError("proposal.own")
        if not reviewer.role.at_least(Role.SUPERVISOR) or (
                not reviewer.role.at_least(Role.ADMIN) and reviewer.team != proposal.team):
            raise UserError("proposal.not_reviewer")
        return proposal, member_of(person)

    async def _ask_reviewers(self, repos: Repositories, view: ProposalView, now: datetime) -> None:
        text, markup = self.for_reviewers(view)
        reviewers = await _reviewers(repos, view.team, view.proposer.id)
        if not reviewers:
            raise UserError("proposal.no_reviewer")
        await queue(repos, [Outgoing(p.telegram_id, "proposal_review", view.id, text, markup) for p in reviewers], now)

    async def _tell_listeners(self, repos: Repositories, view: ProposalView, now: datetime) -> None:
        for listener in self.listeners:
            await listener.decided(repos, view, now)

    def _decision(self, view: ProposalView) -> Outgoing:
        return Outgoing(view.proposer.telegram_id, "proposal_decision", view.id, messages.decision(view))


async def _reviewers(repos: Repositories, team: str, proposer_id: int) -> list[Person]:
    """The team's supervisors and team leads; failing those, the admins — never the proposer."""
    return await repos.people.first_active(
        [([Role.SUPERVISOR.value, Role.TEAM_LEAD.value], team), ([Role.ADMIN.value], None)], leaving_out=proposer_id)


def _adding_phrasing(phrasing: NewPhrasing, made: list[str]) -> Edit:
    def edit(snapshot: Snapshot, knowledge: Knowledge) -> Snapshot:
        changed, made_id = add_phrasing(snapshot, phrasing, (p.id for p in knowledge.phrasings))
        made.append(made_id)
        return changed
    return edit


def _adding_rule(rule: NewRule, source: str, made: list[str] | None = None) -> Edit:
    def edit(snapshot: Snapshot, knowledge: Knowledge) -> Snapshot:
        sourced = replace(rule, source=source)
        changed, made_id = add_rule(snapshot, sourced, (r.id for r in knowledge.rules))
        if made is not None:
            made.append(made_id)
        return changed
    return edit


def _rule_payload(rule: NewRule) -> dict[str, Any]:
    return {"phrases": list(rule.phrases), "reason": rule.reason, "category": rule.category,
            "severity": rule.severity, "allowed": list(rule.allowed), "replace": list(rule.replace),
            "name": rule.name}


def _most_alike(text: str, knowledge: Knowledge) -> tuple[str, str] | None:
    """The approved phrasing this text all but repeats, if any."""
    choices = {p.id: normalise_pattern(p.text) for p in knowledge.phrasings}
    best = process.extractOne(normalise_pattern(text), choices, scorer=fuzz.ratio, score_cutoff=DUPLICATE_SCORE)
    if best is None:
        return None
    phrasing = knowledge.phrasing(best[2])
    return phrasing.id, phrasing.text


def _view(proposal: Proposal, proposer: Member, reviewer: str | None = None) -> ProposalView:
    return ProposalView(
        id=proposal.id, kind=proposal.kind, status=proposal.status, team=proposal.team, proposer=proposer,
        payload=dict(proposal.payload), based_on=proposal.based_on, reviewer=reviewer,
        review_note=proposal.review_note, result_id=proposal.result_id, version_number=proposal.version_number,
    )
