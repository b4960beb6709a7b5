"""The whole draft rewritten with the first suggestion of each flag.

A short replacement (``你`` → ``您``) takes the place of the matched characters. A suggestion
that is a whole sentence (an approved phrasing, ending in 。！？) takes the place of the whole
clause it was found in, so the result reads as one reply rather than a patchwork.
"""

from __future__ import annotations

from bot.checker.result import Flag
from bot.knowledge.models import PLACEHOLDER_RE, Severity

SENTENCE_ENDS = "。！？!?~～"
_CLAUSE_BREAKS = "，。！？；：,.!?;:\n…～~"
_OPENERS = ("亲，", "亲,")


def _first_ready(suggestions: tuple[str, ...]) -> str | None:
    """The first suggestion with nothing left to fill in, else the first one."""
    for suggestion in suggestions:
        if not PLACEHOLDER_RE.search(suggestion):
            return suggestion
    return suggestions[0] if suggestions else None


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around ``text[start:end]``, with its closing punctuation."""
    left = max(text.rfind(ch, 0, start) for ch in _CLAUSE_BREAKS) + 1
    right = len(text)
    for ch in _CLAUSE_BREAKS:
        found = text.find(ch, end)
        if 0 <= found < right:
            right = found + 1
    while left < start and text[left].isspace():
        left += 1
    return left, right


def rewrite(text: str, flags: tuple[Flag, ...]) -> str:
    """Apply the flags' first suggestions, most serious and longest first, never overlapping."""
    edits: list[tuple[int, int, str]] = []
    order = sorted(flags, key=lambda f: (f.severity is not Severity.BLOCK, f.start - f.end, f.start))
    for flag in order:
        replacement = _first_ready(flag.suggestions)
        start, end = flag.start, flag.end
        if replacement is None:
            replacement = ""
        elif replacement[-1] in SENTENCE_ENDS:
            start, end = _clause(text, start, end)
            if start > 0 and replacement.startswith(_OPENERS):
                replacement = replacement[2:]  # the draft already opened with its own 亲，
        if any(s < end and start < e for s, e, _ in edits):
            continue
        edits.append((start, end, replacement))
    pieces: list[str] = []
    cursor = 0
    for start, end, replacement in sorted(edits):
        pieces.append(text[cursor:start])
        pieces.append(replacement)
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)
