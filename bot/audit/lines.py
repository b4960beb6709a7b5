"""The line audit's step: one message checked and counted (the banned-phrase 质检).

Both audits run it — :func:`bot.audit.audit` alone, the conversation audit beside its own
measures — so each agent line is checked once and the line figures are the same in both.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.audit.summary import AuditSummary
from bot.audit.transcript import Message, Transcript
from bot.checker.engine import Checker
from bot.checker.result import CheckResult

# The bot refuses drafts longer than this; a longer transcript line is checked on its start.
MAX_CHECK_CHARS = 10_000

OnFlagged = Callable[[Message, CheckResult], None]


class LineAudit:
    """Counts into ``summary``; hands each flagged line to ``on_flagged`` as it is found."""

    def __init__(self, transcript: Transcript, checker: Checker, on_flagged: OnFlagged | None = None) -> None:
        self.summary = AuditSummary(str(transcript.path), transcript.encoding, transcript.format)
        self._check = checker.check
        self._on_flagged = on_flagged

    def __call__(self, message: Message) -> CheckResult | None:
        """The check of an agent line (None for a line not checked: a customer's, an empty one)."""
        if message.skip is not None:
            self.summary.skip(message.skip)
            return None
        text = message.text
        truncated = len(text) > MAX_CHECK_CHARS
        if truncated:
            text = text[:MAX_CHECK_CHARS]
            message = message._replace(text=text)
        result = self._check(text)
        self.summary.add(message.agent, result, truncated)
        if result.flags and self._on_flagged is not None:
            self._on_flagged(message, result)
        return result
