"""Batch audit (质检): the checker run over an exported chat transcript.

:func:`audit` streams the transcript through the checker once: counts go to an
:class:`~bot.audit.summary.AuditSummary`, each flagged line to ``on_flagged`` as it is found,
so nothing grows with the size of the file.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from bot.audit.summary import AuditSummary, format_summary
from bot.audit.transcript import Message, Transcript, TranscriptError, open_transcript
from bot.checker.engine import Checker
from bot.checker.result import CheckResult

# The bot refuses drafts longer than this; a longer transcript line is checked on its start.
MAX_CHECK_CHARS = 10_000

__all__ = [
    "MAX_CHECK_CHARS", "AuditSummary", "Message", "Transcript", "TranscriptError", "audit",
    "format_summary", "open_transcript",
]


def audit(
    transcript: Transcript,
    checker: Checker,
    on_flagged: Callable[[Message, CheckResult], None] | None = None,
    progress: Callable[[AuditSummary], None] | None = None,
    messages: Iterable[Message] | None = None,
) -> AuditSummary:
    """Check every agent line of ``transcript``; return the counts.

    ``progress`` is called after every message (it throttles itself); ``messages`` replaces
    reading the file (tests, or a caller that already has the messages).
    """
    summary = AuditSummary(str(transcript.path), transcript.encoding, transcript.format)
    check = checker.check
    started = time.perf_counter()
    for message in transcript if messages is None else messages:
        if message.skip is not None:
            summary.skip(message.skip)
        else:
            text = message.text
            truncated = len(text) > MAX_CHECK_CHARS
            if truncated:
                text = text[:MAX_CHECK_CHARS]
                message = message._replace(text=text)
            result = check(text)
            summary.add(message.agent, result, truncated)
            if result.flags and on_flagged is not None:
                on_flagged(message, result)
        if progress is not None:
            progress(summary)
    summary.elapsed = time.perf_counter() - started
    return summary
