"""The conversation audit: 质检 of whole conversations, in one pass over the transcript.

API::

    audit_conversations(transcript, checker, quality, on_conversation=None, on_flagged=None,
                        progress=None, messages=None) -> ConversationAudit

``transcript`` must be keyed (``transcript.keyed``: its rows name their conversation and
sender; :class:`~bot.audit.transcript.TranscriptError` otherwise). Every message is read once:
each agent line is checked by the line audit's step (so ``ConversationAudit.lines`` is the
same :class:`~bot.audit.summary.AuditSummary` :func:`bot.audit.audit` gives, and
``on_flagged`` gets the same flagged lines), then measured as part of its conversation.
``on_conversation`` gets each :class:`~bot.audit.service_figures.ConversationFigures` when the
conversation closes, its problems in words (``at`` in ISO form, the transcript's own clock;
at most :data:`MAX_PROBLEMS` listed, all deducted); ``progress`` gets the audit so far every :data:`PROGRESS_EVERY` messages
(throttle it further by time yourself). ``ConversationAudit.agent_days`` holds one
:class:`~bot.audit.service_figures.AgentDayFigures` per agent per transcript day, the team's
(agent None) first.

What is measured, with the limits and deductions of ``quality.yaml``
(:class:`~bot.audit.quality.Quality`):

* first response: the customer's first message → the next agent message; within the greeting
  limit it is ``greeted_in_time``. An agent message with no customer message waiting (the
  agent opens, or writes twice) answers nothing.
* waits: a customer message → the next agent message, counted from the *first* unanswered
  one (three messages before an answer are one wait). Every later wait over the answer limit
  counts (the first response is judged by the greeting limit). The customer messages of a
  wait are all answered in time or none. ``longest_wait_seconds`` includes the first response.
* ``unanswered``: the conversation ends with the customer waiting.
* long agent messages, no 亲/您 in the whole conversation, banned-phrase flags (per flagged
  line, block or warn).

A conversation is closed when neither side has written for ``quality.idle_minutes`` (the same
key after that is a new conversation), when more than :data:`MAX_OPEN` are open (the least
recently active first: a file sorted by conversation rather than by time), and at the end of
the file. Only open conversations are held, so memory is bounded whatever the file's size.
A conversation belongs to the day of its first message; it counts for the agent who answered
first (else the one who wrote; ``-`` when no agent wrote), transfers included. Lines of
a known side without a usable time or conversation are counted in ``ConversationAudit.untimed``
and left out of the conversations (the line audit still checks an agent's line).

The problems of a conversation are put in words only when someone reads them: every one when
``on_conversation`` is given, else those of the conversations that make a worst list — most
conversations of a day do not, and their words would cost more than measuring them.
"""

from __future__ import annotations

import re
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from bot.audit.agent_days import AgentDays
from bot.audit.lines import LineAudit, OnFlagged
from bot.audit.quality import (
    BANNED_BLOCK, BANNED_WARN, LATE_GREETING, LONG_MESSAGE, NO_ADDRESS, SLOW_ANSWER, UNANSWERED, Quality,
)
from bot.audit.service_figures import AgentDayFigures, ConversationFigures, Problem
from bot.audit.summary import AuditSummary
from bot.audit.transcript import Message, Transcript, TranscriptError
from bot.checker.engine import Checker
from bot.checker.result import CheckResult
from bot.wording import duration_text

MAX_OPEN = 200_000  # open conversations at once; ~1 KB each
MAX_PROBLEMS = 20  # problems listed per conversation (all are counted and deducted)
PROGRESS_EVERY = 1024
MAX_MATCHED = 20  # characters of a flagged phrase quoted in a problem


@dataclass(slots=True)
class ConversationAudit:
    """What the audit found: the line figures, the agent-days, and counts."""

    lines: AuditSummary
    agent_days: list[AgentDayFigures] = field(default_factory=list)
    conversations: int = 0
    untimed: int = 0  # lines of a known side left out of the conversations (no time or key)
    elapsed: float = 0.0




def _stamp(at: datetime) -> str:
    return at.isoformat()  # 2026-05-01T09:00:05 (a separator argument would double its cost)


class _Open:
    """One conversation still open: counters only, never its messages."""

    __slots__ = ("key", "started", "last", "opener", "agent", "customer_messages", "agent_messages",
                 "first_response", "pending", "burst", "waits_over", "longest", "answered_in_time",
                 "long_messages", "blocked", "warned", "addressed", "problems", "problem_count")

    def __init__(self, key: str, at: datetime) -> None:
        self.key, self.started, self.last = key, at, at
        self.opener: str | None = None
        self.agent: str | None = None
        self.customer_messages = self.agent_messages = self.burst = self.waits_over = 0
        self.answered_in_time = self.long_messages = self.blocked = self.warned = self.problem_count = 0
        self.first_response: float | None = None
        self.longest: float | None = None
        self.pending: datetime | None = None  # the first customer message not answered yet
        self.addressed = False
        self.problems: list[tuple[str, datetime | None, Any]] = []  # (rule, when, what): see _detail

    def problem(self, rule: str, at: datetime | None, value: Any = None) -> None:
        """Note a deduction; its words are written only when someone reads them (see _figures)."""
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append((rule, at, value))


class _Conversations:
    """The open conversations and the measuring of each message in its conversation."""

    def __init__(
        self, quality: Quality, close: Callable[[ConversationFigures], None],
        wants_problems: Callable[[str, date, float], bool],
    ) -> None:
        self.quality = quality
        self.wants_problems = wants_problems
        self.idle = timedelta(seconds=quality.idle_seconds)
        self.greeting, self.answer = quality.greeting_seconds, quality.answer_seconds
        self.chars, self.words = quality.message_chars, quality.address_words
        self.open: OrderedDict[str, _Open] = OrderedDict()  # least recently active first
        self.next_sweep: datetime | None = None
        self.untimed = 0
        self.address = re.compile("|".join(map(re.escape, self.words))).search
        self.close = close

    def feed(self, message: Message, result: CheckResult | None) -> None:
        """Measure ``message`` (a line of a known side without a time or conversation is only
        counted in ``untimed``; lines of no known side — empty rows, unknown roles — are the
        line audit's alone). Run on every line: written for speed."""
        _, _, agent, text, _, side, key, at = message
        if side is None:
            return
        if at is None or key is None:
            self.untimed += 1
            return
        open_ = self.open
        conversation = open_.get(key)
        if conversation is not None and at - conversation.last > self.idle:
            self._close(open_.pop(key))
            conversation = None
        if conversation is None:
            conversation = open_[key] = _Open(key, at)
            if len(open_) > MAX_OPEN:
                self._close(open_.popitem(last=False)[1])
        else:
            open_.move_to_end(key)
            if at > conversation.last:
                conversation.last = at
        next_sweep = self.next_sweep
        if next_sweep is None or at > next_sweep:  # strictly: idle means *longer* than the limit
            self._sweep(at)
        if side == "customer":
            conversation.customer_messages += 1
            if conversation.pending is None:
                conversation.pending = at
            conversation.burst += 1
            return
        # an agent's line
        conversation.agent_messages += 1
        if conversation.opener is None:
            conversation.opener = agent
        pending = conversation.pending
        if pending is not None:
            wait = (at - pending).total_seconds()
            if wait < 0:  # the export's clock went back: no wait
                wait = 0.0
            if conversation.first_response is None:
                conversation.first_response, conversation.agent, limit = wait, agent, self.greeting
                if wait > limit:
                    conversation.problem(LATE_GREETING, at, wait)
            else:
                limit = self.answer
                if wait > limit:
                    conversation.waits_over += 1
                    conversation.problem(SLOW_ANSWER, at, wait)
            if wait <= limit:
                conversation.answered_in_time += conversation.burst
            if conversation.longest is None or wait > conversation.longest:
                conversation.longest = wait
            conversation.pending, conversation.burst = None, 0
        if len(text) > self.chars:
            conversation.long_messages += 1
            conversation.problem(LONG_MESSAGE, at, len(text))
        if not conversation.addressed and self.address(text):
            conversation.addressed = True
        if result is not None and result.flags:
            flag = result.flags[0]
            if result.verdict == "block":
                conversation.blocked += 1
                conversation.problem(BANNED_BLOCK, at, flag)
            else:
                conversation.warned += 1
                conversation.problem(BANNED_WARN, at, flag)

    def _sweep(self, now: datetime) -> None:
        """Close the conversations idle past the limit at ``now``, least recently active first;
        the next look is due when the oldest left would be."""
        cutoff = now - self.idle
        open_ = self.open
        while open_:
            oldest = next(iter(open_.values()))
            if oldest.last >= cutoff:
                self.next_sweep = oldest.last + self.idle
                return
            self._close(open_.popitem(last=False)[1])
        self.next_sweep = None

    def close_all(self) -> None:
        for conversation in sorted(self.open.values(), key=lambda c: c.started):
            self._close(conversation)
        self.open.clear()

    def _close(self, conversation: _Open) -> None:
        self.close(self._figures(conversation))

    def _deducted(self, c: _Open) -> float:
        """The points ``c`` loses, each rule at most its ``max_points``."""
        counts = (
            (LATE_GREETING, c.first_response is not None and c.first_response > self.greeting),
            (SLOW_ANSWER, c.waits_over), (UNANSWERED, c.pending is not None), (LONG_MESSAGE, c.long_messages),
            (NO_ADDRESS, bool(c.agent_messages and c.customer_messages and not c.addressed)),
            (BANNED_BLOCK, c.blocked), (BANNED_WARN, c.warned),
        )
        rules = self.quality.rules
        deducted = 0.0
        for rule_id, count in counts:
            if count:
                rule = rules[rule_id]
                points = rule.points * count
                deducted += points if rule.max_points is None else min(points, rule.max_points)
        return deducted

    def _figures(self, c: _Open) -> ConversationFigures:
        """``c`` measured; its problems in words only when ``wants_problems`` says someone reads
        them (every conversation written out, or one that makes a worst list): most are not."""
        quality = self.quality
        if c.pending is not None:
            c.problem(UNANSWERED, c.pending)
        if c.agent_messages and c.customer_messages and not c.addressed:
            c.problem(NO_ADDRESS, None)
        deducted = self._deducted(c) if c.problem_count else 0.0  # every deduction is a problem
        agent, day, score = c.agent or c.opener or "-", c.started.date(), round(max(0.0, quality.score - deducted), 1)
        problems = [] if not c.problems or not self.wants_problems(agent, day, score) else [
            Problem(rule, None if at is None else _stamp(at), self._detail(rule, value)) for rule, at, value in c.problems
        ]
        return ConversationFigures(
            conversation=c.key, agent=agent, day=day, started=_stamp(c.started),
            customer_messages=c.customer_messages, answered_in_time=c.answered_in_time,
            agent_messages=c.agent_messages,
            first_response_seconds=None if c.first_response is None else round(c.first_response, 1),
            greeted_in_time=None if not c.customer_messages else (
                c.first_response is not None and c.first_response <= self.greeting),
            waits_over_limit=c.waits_over,
            longest_wait_seconds=None if c.longest is None else round(c.longest, 1),
            unanswered=c.pending is not None, long_messages=c.long_messages, flags=c.blocked + c.warned,
            score=score, problems=problems,
        )

    def _detail(self, rule: str, value: Any) -> str:
        """A problem in words, for people."""
        if rule == LATE_GREETING:
            return f"首次回复用了 {duration_text(value)}（应在 {self.greeting:g} 秒内）"
        if rule == SLOW_ANSWER:
            return f"顾客等了 {duration_text(value)}才得到回复（应在 {self.answer:g} 秒内）"
        if rule == LONG_MESSAGE:
            return f"一条消息 {value} 字（超过 {self.chars} 字宜分几条发）"
        if rule == UNANSWERED:
            return "顾客最后的消息没有得到回复"
        if rule == NO_ADDRESS:
            return f"整段对话没有用「{'」「'.join(self.words)}」称呼顾客"
        label = "禁用语" if rule == BANNED_BLOCK else "用语需改进"
        return f"{label}：{value.name}「{value.matched[:MAX_MATCHED]}」"


def audit_conversations(
    transcript: Transcript,
    checker: Checker,
    quality: Quality,
    on_conversation: Callable[[ConversationFigures], None] | None = None,
    on_flagged: OnFlagged | None = None,
    progress: Callable[[ConversationAudit], None] | None = None,
    messages: Iterable[Message] | None = None,
) -> ConversationAudit:
    """Audit ``transcript`` line by line and as conversations, in one pass (see the module)."""
    if not (transcript.keyed and transcript.timed):
        raise TranscriptError(no_conversations_reason(transcript))
    check = LineAudit(transcript, checker, on_flagged)
    result = ConversationAudit(check.summary)
    days = AgentDays(quality.score)

    def closed(figures: ConversationFigures) -> None:
        result.conversations += 1
        days.add(figures)
        if on_conversation is not None:
            on_conversation(figures)

    every = on_conversation is not None
    conversations = _Conversations(quality, closed, lambda agent, day, score: every or days.would_list(agent, day, score))
    feed = conversations.feed
    started = time.perf_counter()
    summary = check.summary
    for message in transcript if messages is None else messages:
        feed(message, check(message))
        if progress is not None and not summary.read % PROGRESS_EVERY:
            progress(result)
    conversations.close_all()
    result.untimed = conversations.untimed
    result.agent_days = days.figures()
    result.elapsed = check.summary.elapsed = time.perf_counter() - started
    return result


def no_conversations_reason(transcript: Transcript) -> str:
    """Why ``transcript`` cannot be audited as conversations (中文 / English)."""
    shown = ", ".join(h.strip() for h in transcript.header[:12]) or "(无表头 / no header)"
    if transcript.keyed:
        return (f"{transcript.path}: 找不到时间列，算不出回复用了多久，只能逐行质检 / no time column.\n"
                f"  表头 header: {shown}")
    if transcript.format != "csv":
        return (f"{transcript.path}: 纯文本聊天记录分不出对话，只能逐行质检；会话质检需要 CSV，带买家或会话列"
                " / a plain-text transcript has no conversations: a CSV with a buyer or session column is needed")
    return (f"{transcript.path}: 找不到区分对话的列（买家/顾客/旺旺/会话ID…）或发送人/角色列，只能逐行质检。\n"
            f"  表头 header: {shown}\n"
            "  需要 needed: 买家/顾客/会话 (buyer/customer/session) 列，以及 角色 (role) 或 发送人 (sender) 列")
