"""The near-miss layer: long banned phrases typed with small changes.

``这不是我们这边的问题`` is ``这不是我们的问题`` with two characters added. Exact matching
misses it; a plain similarity score would also "find" it in ``是我们的问题`` — the very
opposite. So a window only counts when it starts and ends like the phrase, is close by
rapidfuzz's Indel similarity, and carries exactly the same negations.

It is meant for the phrases whose meaning hangs on a negation (推卸责任, 强硬拒绝), and only
runs where the Aho–Corasick pass found one of their negation pieces (``不是我``, ``不负责``), so
clean drafts rarely pay for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import Indel

from bot.checker.normalize import SEPARATOR

NEGATIONS = frozenset("不没无别非未莫勿甭")
MIN_LENGTH = 5
MIN_SIMILARITY = 0.8
_EXTRA = 3  # characters a variant may add


@dataclass(frozen=True, slots=True)
class FuzzyPhrase:
    phrase: str
    negations: str  # the phrase's negation characters, sorted

    @property
    def needed(self) -> float:
        """How many of the phrase's characters a window needs at least: the similarity
        2·common / (len(phrase) + len(window)) reaches MIN_SIMILARITY, and a window is never
        shorter than the phrase less one character."""
        return MIN_SIMILARITY * (2 * len(self.phrase) - 1) / 2

    @classmethod
    def of(cls, phrase: str) -> FuzzyPhrase:
        return cls(phrase, "".join(sorted(c for c in phrase if c in NEGATIONS)))

    def triggers(self) -> list[tuple[str, int]]:
        """Three-character pieces starting at each negation (``不是我``), with their offset.

        Three characters, not two: ``不是``/``没有`` alone occur in most replies, and a
        variant keeps the words right after its negation (that is what makes it one).
        """
        offsets = [i for i, c in enumerate(self.phrase[:-2]) if c in NEGATIONS]
        return [(self.phrase[i : i + 3], i) for i in dict.fromkeys(offsets)]

    def find_near(self, text: str, at: int, offset: int) -> tuple[int, int] | None:
        """The best window around trigger position ``at`` that is a variant of the phrase."""
        phrase, size = self.phrase, len(self.phrase)
        clause_start = text.rfind(SEPARATOR, 0, at) + 1
        clause_end = text.find(SEPARATOR, at)
        clause_end = len(text) if clause_end < 0 else clause_end
        first = max(clause_start, at - offset - _EXTRA)
        region = text[first : min(clause_end, at + size + _EXTRA)]
        if phrase[-1] not in region or sum(map(region.__contains__, phrase)) < self.needed - 1e-9:
            return None  # no window can end like the phrase, or be close to it
        best: tuple[float, int, int] | None = None
        for start in range(first, at + 1):
            if text[start] != phrase[0]:
                continue
            for end in range(start + size - 1, min(clause_end, start + size + _EXTRA) + 1):
                if text[end - 1] != phrase[-1]:
                    continue
                window = text[start:end]
                score = Indel.normalized_similarity(phrase, window, score_cutoff=MIN_SIMILARITY)
                if score and (best is None or score > best[0]) and self._same_negations(window):
                    best = (score, start, end)
        return (best[1], best[2]) if best else None

    def _same_negations(self, window: str) -> bool:
        return "".join(sorted(c for c in window if c in NEGATIONS)) == self.negations
