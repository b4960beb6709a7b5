"""Finding the best approved phrasings for a situation described in plain words.

An agent types ``客户说快递三天没到很生气`` or ``/sorry 快递延迟``; the words are matched
against the situations' and kinds' vocabularies (containment: exact, cheap, explainable) and
against each phrasing's text and keywords (rapidfuzz, for everything the vocabularies miss).
Greetings follow the shop's local time of day.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time

from rapidfuzz import fuzz, process

from bot.checker.normalize import normalise_pattern
from bot.knowledge.models import PLACEHOLDER_RE, Knowledge, Phrasing, TimeOfDay

# Weights of the score (0–100 scale each before weighting).
# A phrasing is offered for words only when it is about them: the whole query in its text (a
# text score of 84), half its situation's vocabulary, keywords with part of the text, or its
# kind named ("道歉"). Below that it would only be a filler ("哈哈哈" → greetings).
RELEVANT = 25.0
# Words name a situation when its vocabulary makes up enough of them (a two-character word in
# up to five): then only that situation's phrasings are offered, ranked as the buttons under
# them ("更多", a situation picked) rank them, so every page is of that one situation.
SITUATION_NAMED = 40.0
_SITUATION_WEIGHT = 0.5
_TEXT_WEIGHT = 0.3
_KEYWORD_POINTS = 8.0
_KIND_BONUS = 25.0
_TIME_BONUS = 20.0
_WRONG_TIME_PENALTY = 60.0


def time_of_day(at: time) -> TimeOfDay:
    """早上 before noon (from 05:00), 下午 until 18:00, 晚上 otherwise."""
    if time(5) <= at < time(12):
        return TimeOfDay.MORNING
    if time(12) <= at < time(18):
        return TimeOfDay.AFTERNOON
    return TimeOfDay.EVENING


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A phrasing ready to show: its text with what is known filled in."""

    phrasing: Phrasing
    score: float
    text: str
    missing: tuple[str, ...]  # placeholders still to be filled


def render(phrasing: Phrasing, values: Mapping[str, str] | None = None) -> tuple[str, tuple[str, ...]]:
    """Fill the placeholders we know; return the text and the names still missing."""
    return fill_placeholders(phrasing.text, values)


def fill_placeholders(text: str, values: Mapping[str, str] | None = None) -> tuple[str, tuple[str, ...]]:
    """``{name}`` replaced where ``values`` has it; the names still missing, in order."""
    values = values or {}
    missing: list[str] = []

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if values.get(name):
            return str(values[name])
        missing.append(name)
        return match.group(0)

    return PLACEHOLDER_RE.sub(fill, text), tuple(dict.fromkeys(missing))


class Phrasebook:
    """Ranks the approved phrasings of one knowledge version."""

    def __init__(self, knowledge: Knowledge) -> None:
        self.knowledge = knowledge
        self._kinds = {k.id: k for k in knowledge.kinds}
        self._situation_words = {
            s.id: tuple(normalise_pattern(w) for w in (*s.words, s.label)) for s in knowledge.situations
        }
        self._kind_words = {
            k.id: tuple(normalise_pattern(w) for w in (*k.words, k.label)) for k in knowledge.kinds
        }
        labels = {s.id: s.label for s in knowledge.situations}
        self._search_text = [
            normalise_pattern(" ".join((p.text, *p.keywords, *(labels.get(s, "") for s in p.situations))))
            for p in knowledge.phrasings
        ]
        self._keywords = [tuple(normalise_pattern(k) for k in p.keywords) for p in knowledge.phrasings]

    def kind_of(self, words: str) -> str | None:
        """The kind the words ask for (``道歉`` → apology), if any."""
        scores = self._containment(normalise_pattern(words), self._kind_words)
        return max(scores, key=scores.__getitem__) if scores else None

    def situations_of(self, words: str) -> dict[str, float]:
        """Situations the words describe, scored 0–100 by how much of their vocabulary appears."""
        return self._containment(normalise_pattern(words), self._situation_words)

    def situation_of(self, words: str) -> str | None:
        """The situation the words name, if one clearly is (:data:`SITUATION_NAMED`)."""
        scores = {s: score for s, score in self.situations_of(words).items() if score >= SITUATION_NAMED}
        return max(scores, key=scores.__getitem__) if scores else None

    def situation_label(self, situation: str | None) -> str:
        return next((s.label for s in self.knowledge.situations if s.id == situation), "")

    @staticmethod
    def _containment(query: str, vocabularies: Mapping[str, tuple[str, ...]]) -> dict[str, float]:
        scores: dict[str, float] = {}
        for key, words in vocabularies.items():
            covered = sum(len(w) for w in words if w and w in query)
            if covered:
                scores[key] = min(100.0, 100.0 * covered / max(2, min(len(query), 6)))
        return scores

    def suggest(
        self,
        words: str = "",
        kind: str | None = None,
        *,
        situation: str | None = None,
        limit: int = 5,
        at: time | None = None,
        values: Mapping[str, str] | None = None,
    ) -> list[Suggestion]:
        """The best ``limit`` phrasings for the words (and kind), best first: those of the
        situation given or named by the words, ranked by its label; else those the words are
        about (:data:`RELEVANT`); none when nothing is."""
        situation = situation or (self.situation_of(words) if words else None)
        if situation is not None:
            words = self.situation_label(situation)
        query = normalise_pattern(words)
        asked_kind = self.kind_of(words) if query else None
        situations = self.situations_of(words) if query else {}
        text_scores = self._text_scores(query)
        period = time_of_day(at) if at else None
        scored: list[tuple[float, int]] = []
        for index, phrasing in enumerate(self.knowledge.phrasings):
            if (kind and phrasing.kind != kind) or (situation and situation not in phrasing.situations):
                continue
            score = _TEXT_WEIGHT * text_scores[index]
            score += _SITUATION_WEIGHT * max((situations.get(s, 0.0) for s in phrasing.situations), default=0.0)
            score += _KEYWORD_POINTS * sum(1 for k in self._keywords[index] if k and k in query)
            if asked_kind and phrasing.kind == asked_kind:
                score += _KIND_BONUS
            if query and situation is None and score < RELEVANT:
                continue
            if period and phrasing.time_of_day is not TimeOfDay.ANY:
                score += _TIME_BONUS if phrasing.time_of_day is period else -_WRONG_TIME_PENALTY
            scored.append((score, index))
        best = heapq.nlargest(limit, scored, key=lambda item: (item[0], -item[1]))
        results = []
        for score, index in best:
            phrasing = self.knowledge.phrasings[index]
            text, missing = render(phrasing, values)
            results.append(Suggestion(phrasing, round(score, 1), text, missing))
        return results

    def _text_scores(self, query: str) -> list[float]:
        if not query:
            return [0.0] * len(self._search_text)
        matches = process.extract(query, self._search_text, scorer=fuzz.partial_ratio, limit=None)
        scores = [0.0] * len(self._search_text)
        for _, score, index in matches:
            scores[index] = score
        return scores
