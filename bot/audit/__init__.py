"""Batch audit (质检): the checker run over an exported chat transcript.

:func:`audit` streams the transcript through the checker once: counts go to an
:class:`~bot.audit.summary.AuditSummary`, each flagged line to ``on_flagged`` as it is found,
so nothing grows with the size of the file. A transcript whose rows name their conversation
can also be audited as whole conversations: :func:`audit_conversations` (response times,
waits, the handbooks' service rules and the same line figures, in the same single pass).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from bot.audit.conversations import ConversationAudit, audit_conversations
from bot.audit.lines import MAX_CHECK_CHARS, LineAudit, OnFlagged
from bot.audit.summary import AuditSummary, format_summary
from bot.audit.transcript import Message, Transcript, TranscriptError, open_transcript
from bot.checker.engine import Checker

__all__ = [
    "MAX_CHECK_CHARS", "AuditSummary", "ConversationAudit", "Message", "Transcript", "TranscriptError",
    "audit", "audit_conversations", "format_summary", "open_transcript",
]


def audit(
    transcript: Transcript,
    checker: Checker,
    on_flagged: OnFlagged | None = None,
    progress: Callable[[AuditSummary], None] | None = None,
    messages: Iterable[Message] | None = None,
) -> AuditSummary:
    """Check every agent line of ``transcript``; return the counts.

    ``progress`` is called after every message (it throttles itself); ``messages`` replaces
    reading the file (tests, or a caller that already has the messages).
    """
    step = LineAudit(transcript, checker, on_flagged)
    summary = step.summary
    started = time.perf_counter()
    for message in transcript if messages is None else messages:
        step(message)
        if progress is not None:
            progress(summary)
    summary.elapsed = time.perf_counter() - started
    return summary
