"""The banned-phrase checker: knowledge compiled once, drafts checked in linear time.

One Aho–Corasick automaton holds every literal the rules need: exact phrases, the anchors of
regular-expression patterns and the triggers of the near-miss layer. A clean draft costs a
normalisation and one automaton pass; patterns, fuzzy windows, allowed contexts, spans in the
original and suggestions are only worked out where something was found.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import NamedTuple

import ahocorasick

from bot.checker.anchors import compile_pattern
from bot.checker.context import harmless, harmless_clause
from bot.checker.detectors import DETECTORS, HAS_DIGIT
from bot.checker.fuzzy import MIN_LENGTH, FuzzyPhrase
from bot.checker.intent import IntentHit, IntentModel, IntentScorer
from bot.checker.normalize import SEPARATOR, Normalised, normalise, normalise_pattern, use_tables, warm_up
from bot.checker.result import CheckResult, Flag
from bot.checker.rewrite import rewrite
from bot.knowledge.models import BannedRule, Knowledge, Severity

_PHRASE, _ANCHOR, _TRIGGER, _ALLOWED, _INTENT = 0, 1, 2, 3, 4
# The value of a key that is only an intent trigger (most matches on a clean draft): the pass
# records where it ends without looking further.
_ONLY_INTENT = None

# A hit: (rule index, start, end) in the normalised text. A plain tuple, not a NamedTuple: it is
# built per match on the hot path, and plain tuples sort (by rule, then place) and hash in C.
_Hit = tuple[int, int, int]
_NearMisses = tuple[tuple[int, tuple[tuple[FuzzyPhrase, int], ...]], ...]


class _Key(NamedTuple):
    """What one automaton key stands for, sorted by kind at compile time so that the pass does
    no per-entry dispatch."""

    length: int
    phrases: tuple[int, ...]  # rules whose exact phrase the key is
    anchors: tuple[tuple[int, int, re.Pattern[str]], ...]  # (rule, pattern index, pattern) the key anchors
    near: _NearMisses  # per rule, in rule order: the near-miss phrases it triggers, with offsets
    allowed: tuple[int, ...]  # rules one of whose allowed contexts the key is
    intent: bool  # also an intent-layer trigger


@dataclass(frozen=True, slots=True)
class _CompiledRule:
    rule: BannedRule
    patterns: tuple  # tuple[re.Pattern[str], ...]
    allowed: tuple[str, ...]
    fuzzy: tuple[FuzzyPhrase, ...]
    suggestions: tuple[str, ...]


class Checker:
    """Checks drafts against one version of the knowledge. Immutable and thread-safe.

    It pickles whole (the compiled knowledge cache), with the normalisation tables it was built
    with, so that an unpickled checker starts without building them again.
    """

    def __init__(self, knowledge: Knowledge, intent: IntentModel | None = None) -> None:
        self._tables = warm_up()
        self.knowledge = knowledge
        self._intent = IntentScorer(intent) if intent else None
        self._rules: list[_CompiledRule] = []
        self._detectors: list[tuple[int, object]] = []
        entries: dict[str, list[tuple[int, int, object]]] = {}

        def add(key: str, entry: tuple[int, int, object]) -> None:
            entries.setdefault(key, []).append(entry)

        for index, rule in enumerate(knowledge.rules):
            self._rules.append(self._compile(rule, knowledge))
            for phrase in rule.phrases:
                key = normalise_pattern(phrase)
                add(key, (_PHRASE, index, len(key)))
            for pattern_index, pattern in enumerate(rule.patterns):
                compiled_pattern = self._rules[-1].patterns[pattern_index]
                for anchor in compile_pattern(pattern)[1]:
                    add(anchor, (_ANCHOR, index, (pattern_index, compiled_pattern)))
            for fuzzy in self._rules[-1].fuzzy:
                for trigger, offset in fuzzy.triggers():
                    add(trigger, (_TRIGGER, index, (fuzzy, offset)))
            for context in self._rules[-1].allowed:
                add(context, (_ALLOWED, index, None))
            if rule.detector:
                self._detectors.append((index, DETECTORS[rule.detector]))
        for trigger in intent.triggers if intent else ():
            add(trigger, (_INTENT, -1, None))  # the intent layer's evidence, found in the same pass
        self._rule_index = {r.rule.id: i for i, r in enumerate(self._rules)}
        self._unless = tuple(r.rule.unless for r in self._rules)
        # What a rule's flags share, looked up once per flag rather than attribute by attribute.
        self._flag_fields = tuple(
            (r.rule.id, r.rule.severity, r.rule.reason, r.rule.name, r.suggestions) for r in self._rules
        )
        self._automaton = ahocorasick.Automaton()
        for key, values in entries.items():
            only_intent = all(kind == _INTENT for kind, _, _ in values)
            self._automaton.add_word(key, _ONLY_INTENT if only_intent else _key(len(key), values))
        if entries:
            self._automaton.make_automaton()
        self._empty = not entries
        self._contextual = any(rule.unless for rule in knowledge.rules)

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        use_tables(self._tables)

    @staticmethod
    def _compile(rule: BannedRule, knowledge: Knowledge) -> _CompiledRule:
        phrases = {normalise_pattern(p) for p in rule.phrases}
        fuzzy = tuple(
            FuzzyPhrase.of(p) for p in sorted(phrases) if rule.fuzzy and len(p) >= MIN_LENGTH
        )
        suggestions = rule.replace + tuple(knowledge.phrasing(p).text for p in rule.phrasings)
        return _CompiledRule(
            rule=rule,
            patterns=tuple(compile_pattern(p)[0] for p in rule.patterns),
            allowed=tuple(normalise_pattern(a) for a in rule.allowed),
            fuzzy=fuzzy,
            suggestions=suggestions,
        )

    # -- checking -------------------------------------------------------------------------

    def check(self, draft: str) -> CheckResult:
        """Flags, verdict and rewrite for one draft."""
        flags = self.flags(draft)
        if not flags:
            return CheckResult(draft)
        return CheckResult(draft, flags, partial(rewrite, draft, flags, self.flags, self.suspect))

    def intent_rules(self) -> tuple[str, ...]:
        """The rules the intent layer has a model for (none without one)."""
        return self._intent.model.rules if self._intent is not None else ()

    def suspect(self, clause: str) -> bool:
        """Whether a clause next to a wrong one reads as part of it (the intent layer's lower
        bar for a neighbour); False without an intent layer."""
        if self._intent is None:
            return False
        return any(self._intent.model.suspect(c) for c in normalise(clause).text.split(SEPARATOR) if c)

    def flags(self, draft: str) -> tuple[Flag, ...]:
        """What is wrong with a draft, in the order it appears."""
        normalised = normalise(draft)
        text = normalised.text
        hits, allowed, evidence = ([], [], []) if self._empty else self._automaton_hits(text)
        if self._detectors and HAS_DIGIT(text):
            for index, detector in self._detectors:
                for start, end in detector(text):  # type: ignore[operator]
                    hits.append((index, start, end))
        if len(hits) > 1:
            # a phrase and a pattern of one rule often find the same words; sorted, as _merge needs
            hits = sorted(set(hits))
        if allowed:
            hits = [h for h in hits if not _inside_any(h, allowed)]
        excused: list[_Hit] = []
        if hits and self._contextual:
            unless = self._unless
            excused = [h for h in hits if unless[h[0]] and self._harmless(h, normalised, draft)]
            if excused:
                hits = [h for h in hits if h not in excused]
        intent = self._intent.hits(text, evidence) if evidence and self._intent else ()
        if not hits and not intent:
            return ()
        flag = self._flag
        flags = [flag(normalised, hit) for hit in _merge(hits)]
        if intent:
            flags += self._intent_flags(normalised, intent, hits + allowed + excused)
        if len(flags) > 1:
            flags.sort(key=_position)
        return tuple(flags)

    def _flag(self, normalised: Normalised, hit: _Hit) -> Flag:
        """The flag of a rule's hit, its span mapped back to the original."""
        index, start, end = hit
        start, end = normalised.span_in_original(start, end)
        rule, severity, reason, name, suggestions = self._flag_fields[index]
        return Flag(rule, severity, start, end, normalised.original[start:end], reason, name, suggestions)

    def _harmless(self, hit: _Hit, normalised: Normalised, draft: str) -> bool:
        index, start, end = hit
        return harmless(self._unless[index], normalised.text, start, draft, normalised.span_in_original(start, end))

    # -- the intent layer (bot/checker/intent.py) -------------------------------------------

    def _intent_flags(self, normalised: Normalised, intent: Iterable[IntentHit], seen: list[_Hit]) -> list[Flag]:
        """A flag per clause the intent model flags for a rule, unless the rule's words were
        already seen in the clause — flagged, in one of its allowed contexts (what the team
        confirmed harmless silences the model too) or in a harmless context (不敢给您打包票: the
        model reads words, not the negation before them) — or one rule's words make up the clause
        (闭眼入 is an over-promise, whatever else the model reads in it), or the rule's harmless
        contexts hold for the clause: the flag of the rule, its span the clause;
        a warning where the model is not sure enough to block."""
        flags = []
        for found in intent:
            index = self._rule_index.get(found.rule)
            if index is None or any(
                (rule == index and found.start <= start < found.end)
                or _explains(start, end, found.start, found.end) for rule, start, end in seen
            ) or harmless_clause(self._unless[index], normalised.text, found.start, found.end):
                continue
            start, end = normalised.span_in_original(found.start, found.end)
            rule, severity, reason, name, suggestions = self._flag_fields[index]
            flags.append(
                Flag(rule, severity if found.sure else Severity.WARN, start, end, normalised.original[start:end],
                     reason, name, suggestions, "intent", found.probability, found.sure)
            )
        return flags

    def _automaton_hits(self, text: str) -> tuple[list[_Hit], list[_Hit], list[int]]:
        """Exact and pattern hits, allowed-context spans, where intent triggers end; near
        misses where nothing exact hit."""
        hits: list[_Hit] = []
        allowed: list[_Hit] = []
        evidence: list[int] = []
        near: list[tuple[int, _NearMisses]] = []
        anchors: list[tuple[int, int, int, re.Pattern[str]]] = []
        for end_index, key in self._automaton.iter(text):
            if key is _ONLY_INTENT:
                evidence.append(end_index)
                continue
            length, phrases, anchored, near_misses, contexts, intent = key
            start = end_index - length + 1
            for rule_index in phrases:
                hits.append((rule_index, start, end_index + 1))
            for rule_index, pattern_index, pattern in anchored:
                anchors.append((start, rule_index, pattern_index, pattern))
            for rule_index in contexts:
                allowed.append((rule_index, start, end_index + 1))
            if near_misses:
                near.append((start, near_misses))
            if intent:
                evidence.append(end_index)
        if anchors:
            _run_patterns(text, anchors, hits)
        if near:
            _near_misses(text, near, hits)
        return hits, allowed, evidence


def _run_patterns(text: str, anchors: list[tuple[int, int, int, re.Pattern[str]]], hits: list[_Hit]) -> None:
    """Each pattern whose anchor was seen, once per clause, unless the anchor lies inside
    one of its rule's exact phrases (the rule has hit there already)."""
    phrases = tuple(hits)
    tried: set[tuple[int, int, int]] = set()
    for at, rule_index, pattern_index, pattern in anchors:
        if phrases and _inside_phrase(phrases, rule_index, at):
            continue
        clause_start = text.rfind(SEPARATOR, 0, at) + 1
        key = (rule_index, pattern_index, clause_start)
        if key in tried:
            continue
        tried.add(key)
        clause_end = text.find(SEPARATOR, at)
        if clause_end < 0:
            clause_end = len(text)
        for match in pattern.finditer(text[clause_start:clause_end]):
            start, end = match.span()
            if end > start:
                hits.append((rule_index, clause_start + start, clause_start + end))


def _key(length: int, entries: list[tuple[int, int, object]]) -> _Key:
    """A key's entries sorted by kind (their order within a kind kept). An anchor of a rule
    whose exact phrase the key also is never runs its pattern (the anchor lies inside that
    phrase's hit): it is left out."""
    near: dict[int, list[tuple[FuzzyPhrase, int]]] = {}
    for kind, rule_index, payload in entries:
        if kind == _TRIGGER:
            near.setdefault(rule_index, []).append(payload)  # type: ignore[arg-type]
    phrases = tuple(rule for kind, rule, _ in entries if kind == _PHRASE)
    return _Key(
        length,
        phrases,
        tuple((rule, *payload) for kind, rule, payload in entries if kind == _ANCHOR and rule not in phrases),  # type: ignore[misc]
        tuple((rule, tuple(phrases)) for rule, phrases in near.items()),
        tuple(rule for kind, rule, _ in entries if kind == _ALLOWED),
        any(kind == _INTENT for kind, _, _ in entries),
    )


def _near_misses(text: str, near: list[tuple[int, _NearMisses]], hits: list[_Hit]) -> None:
    """Near misses of a rule's phrases, only in clauses where that rule hit nothing exact
    (there a variant adds nothing: the clause is flagged); one per rule and clause."""
    clause_of = {start: text.rfind(SEPARATOR, 0, start) for _, start, _ in hits}
    hit = {(rule, clause_of[start]) for rule, start, _ in hits}
    for at, per_rule in near:
        separator = text.rfind(SEPARATOR, 0, at)
        for rule_index, phrases in per_rule:
            key = (rule_index, separator)
            if key in hit:
                continue
            for fuzzy, offset in phrases:
                span = fuzzy.find_near(text, at, offset)
                if span:
                    hits.append((rule_index, span[0], span[1]))
                    hit.add(key)
                    break


def _inside_phrase(phrases: tuple[_Hit, ...], rule_index: int, at: int) -> bool:
    """Whether position ``at`` lies inside an exact phrase hit of the rule."""
    for rule, start, end in phrases:
        if rule == rule_index and start <= at < end:
            return True
    return False


def _explains(hit_start: int, hit_end: int, start: int, end: int) -> bool:
    """Whether a hit makes up (at least three quarters of) the clause ``start``–``end``."""
    return start <= hit_start and hit_end <= end and 4 * (hit_end - hit_start) >= 3 * (end - start)


def _position(flag: Flag) -> tuple[int, int]:
    return flag.start, flag.end


def _inside_any(hit: _Hit, allowed: list[_Hit]) -> bool:
    """True when the hit lies inside an allowed context of its own rule."""
    rule, start, end = hit
    return any(a_rule == rule and a_start <= start and end <= a_end for a_rule, a_start, a_end in allowed)


def _merge(hits: list[_Hit]) -> list[_Hit]:
    """One hit per rule and overlapping region (the union of the overlapping spans), from hits
    sorted as plain tuples (rule, start, end): hits are never empty, so that order merges as
    (rule, start, -end) would."""
    if len(hits) < 2:
        return hits
    merged: list[_Hit] = []
    for hit in hits:
        if merged and merged[-1][0] == hit[0] and hit[1] < merged[-1][2]:
            last = merged[-1]
            merged[-1] = (last[0], last[1], max(last[2], hit[2]))
        else:
            merged.append(hit)
    return merged
