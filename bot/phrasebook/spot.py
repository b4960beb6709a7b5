"""Which approved phrasings a draft contains: how use is seen when the copy itself is not.

Telegram says nothing when an agent taps a copy button; what the bot does see is the draft the
agent sends to be checked. A phrasing counts as used in it when its own words (the text
between its placeholders and punctuation, normalised like every draft) make up most of it
there. Runs of fewer than
``MIN_RUN`` characters (对不起, 实在抱歉) are too common to tell anything and are not looked
for, but they still count in the whole: 给您添麻烦了 alone is not 给您添麻烦了，实在抱歉。
"""

from __future__ import annotations

import re

import ahocorasick

from bot.checker.normalize import normalise_pattern
from bot.knowledge.models import PLACEHOLDER_RE, Knowledge

MIN_RUN = 6
COVERED = 0.7
_CLAUSE_BREAK = re.compile(r"\W+")


class PhrasingSpotter:
    def __init__(self, knowledge: Knowledge) -> None:
        self._automaton = ahocorasick.Automaton()
        self._needed: dict[str, int] = {}
        runs: dict[str, list[tuple[str, int]]] = {}
        for phrasing in knowledge.phrasings:
            pieces = [clause for piece in PLACEHOLDER_RE.split(phrasing.text)[::2]
                      for clause in _CLAUSE_BREAK.split(normalise_pattern(piece))]
            long_runs = [piece for piece in pieces if len(piece) >= MIN_RUN]
            if not long_runs:
                continue
            self._needed[phrasing.id] = sum(len(piece) for piece in pieces)  # short clauses count, unseen
            for number, piece in enumerate(long_runs):
                runs.setdefault(piece, []).append((phrasing.id, number))
        for piece, owners in runs.items():
            self._automaton.add_word(piece, (len(piece), owners))
        if runs:
            self._automaton.make_automaton()

    def spot(self, draft: str) -> list[str]:
        """Ids of the approved phrasings the draft contains."""
        if not self._needed:
            return []
        seen: set[tuple[str, int]] = set()
        covered: dict[str, int] = {}
        for _, (length, owners) in self._automaton.iter(normalise_pattern(draft)):
            for owner in owners:
                if owner not in seen:
                    seen.add(owner)
                    covered[owner[0]] = covered.get(owner[0], 0) + length
        return [pid for pid, got in covered.items() if got >= COVERED * self._needed[pid]]
