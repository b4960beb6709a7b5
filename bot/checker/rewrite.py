"""The draft rewritten by the smallest faithful edit, or no rewrite at all.

An agent copies the rewrite only if it still says what they meant. So:

* a short replacement (``你`` → ``您``, ``但是`` → ``不过``, a masked card number) takes the
  place of the matched characters only;
* a flag whose remedy is a whole approved sentence drops the clause it was found in (that
  clause is what is wrong); one approved sentence — the one closest to the rest of the draft —
  takes the place of a run of dropped clauses, and no sentence is used twice; for a run only
  warned about (style, a refusal not soft enough), only a sentence that shares words with it:
  没货了 is not mended by a sentence about the price;
* every other clause is kept as typed.

A rewrite that would lose a number or a Latin word (an order number, an amount, a product
code), repeat a passage, grow past twice the draft's length + 40 characters, or still be
flagged is not offered: the approved phrasings under each flag are the better answer then.
A flag the intent model is not sure of (a warning short of its blocking bar) asks the agent to
look again: the rewrite leaves that clause as typed rather than guess, and so is offered only
where the clause no longer reads that way once its neighbours are mended.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

from bot.checker.result import Flag
from bot.knowledge.models import PLACEHOLDER_RE, Severity

SENTENCE_ENDS = "。！？!?~～"
_CLAUSE_BREAKS = "，。！？；：,.!?;:\n…～~"
_OPENER = re.compile(r"^(亲爱的|亲亲|亲)[，,！!]?")
_KEPT_TOKENS = re.compile(r"[0-9]+(?:[.,][0-9]+)*|[A-Za-z][A-Za-z0-9_-]*")
_PARTICLES = r"\s亲哈呢呀啊哦噢喔吧嘛啦了的呐嗯～~，,。.！!？?、…"  # and punctuation: words about nothing
_FILLER = re.compile(f"[{_PARTICLES}😀-🙏]*")
_PARTICLE = re.compile(f"[{_PARTICLES}]")
_COMMON_BIGRAMS = {"亲，", "您的", "我们", "一下", "非常", "抱歉", "您看", "可以", "这个", "为您", "给您", "帮您"}
WORD_MAX = 12  # a suggestion longer than this is a sentence even without closing punctuation
REPEAT_MIN = 8  # a passage this long appearing twice (and not twice in the draft) is a repetition

Recheck = Callable[[str], Sequence[Flag]]
Suspect = Callable[[str], bool]


def _is_sentence(suggestion: str) -> bool:
    """An approved sentence (it replaces a clause), not a word (it replaces the matched words)."""
    return suggestion[-1] in SENTENCE_ENDS or len(suggestion) > WORD_MAX


def _ready(suggestions: tuple[str, ...]) -> list[str]:
    """Suggestions that can stand in a rewrite: nothing to fill in, not a lead-in ending in ：."""
    return [s for s in suggestions if s and not PLACEHOLDER_RE.search(s) and s[-1] not in "：:"]


@lru_cache(maxsize=4096)
def _bigrams(text: str) -> frozenset[str]:
    """The character pairs of a text, but for those every reply has (the approved sentences
    are few, so theirs are remembered)."""
    return frozenset({text[i:i + 2] for i in range(len(text) - 1)} - _COMMON_BIGRAMS)


def _words(text: str) -> frozenset[str]:
    """The character pairs that carry meaning: no particle or punctuation in them (了哦 says
    nothing about what a sentence is about)."""
    return frozenset(pair for pair in _bigrams(text) if not _PARTICLE.search(pair))


def closest_first(suggestions: tuple[str, ...], draft: str) -> list[str]:
    """A flag's suggestions, those that share most words with the draft first (the rule
    author's order among equals): 这款没货了哦 is offered the out-of-stock apology before the
    rule's refusal about the price, where only the first few are shown."""
    words = _words(draft)
    return sorted(suggestions, key=lambda s: -len(_words(s) & words))


def clauses(text: str) -> list[tuple[int, int]]:
    """The draft cut into clauses, each with its closing punctuation."""
    spans, start = [], 0
    for index, ch in enumerate(text):
        if ch in _CLAUSE_BREAKS and (index + 1 == len(text) or text[index + 1] not in _CLAUSE_BREAKS):
            spans.append((start, index + 1))
            start = index + 1
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def rewrite(text: str, flags: tuple[Flag, ...], recheck: Recheck | None = None,
            suspect: Suspect | None = None) -> str | None:
    """The draft with every flag mended, or None when no faithful rewrite exists. ``suspect``
    tells a clause next to a wrong one that carries on the same thought (是您搞混了 after
    我们没有发错): it goes with its neighbour rather than stay in the rewrite."""
    flags = tuple(f for f in flags if f.sure)
    if not flags:
        return None
    candidate = _mend(text, flags, suspect)
    if candidate is None or not _faithful(text, candidate, flags):
        return None
    if recheck is not None and recheck(candidate):
        return None
    return candidate


def _mend(text: str, flags: tuple[Flag, ...], suspect: Suspect | None = None) -> str | None:
    spans = clauses(text)
    dropped: dict[int, list[Flag]] = {}  # clause index → the flags that drop it
    word_edits: list[tuple[int, int, str]] = []
    for flag in sorted(flags, key=lambda f: (f.severity is not Severity.BLOCK, f.start)):
        ready = _ready(flag.suggestions)
        short = next((s for s in ready if not _is_sentence(s)), None)
        if short is not None and not any(s < flag.end and flag.start < e for s, e, _ in word_edits):
            word_edits.append((flag.start, flag.end, short))
            continue
        for index, (start, end) in enumerate(spans):
            if start < flag.end and flag.start < end:
                dropped.setdefault(index, []).append(flag)
    if suspect is not None:
        _drop_neighbours(text, spans, dropped, suspect)
    word_edits = [e for e in word_edits if not any(spans[i][0] <= e[0] < spans[i][1] for i in dropped)]
    if len(dropped) == len(spans) and not word_edits and not _sentences(dropped):
        return None  # nothing would be left, and nothing approved to say instead
    used: set[str] = set()
    pieces: list[str] = []
    index = 0
    while index < len(spans):
        if index not in dropped:
            pieces.append(_apply(text, spans[index], word_edits))
            index += 1
            continue
        run_flags: list[Flag] = []
        run_start = spans[index][0]
        while index in dropped:
            run_flags += dropped[index]
            index += 1
        kept_so_far = "".join(pieces)
        sentence = _closest(run_flags, text, used)
        if sentence is None:
            continue  # the clause goes; what is left says the rest
        if not any(f.severity is Severity.BLOCK for f in run_flags) and \
                not _words(sentence) & _words(text[run_start:spans[index - 1][1]]):
            return None  # a style warning: an approved sentence about something else is no mend
        used.add(sentence)
        if kept_so_far and _OPENER.match(sentence) and "亲" in kept_so_far:
            sentence = _OPENER.sub("", sentence, count=1)
        if kept_so_far and kept_so_far[-1] not in _CLAUSE_BREAKS:
            pieces.append("，")
        pieces.append(sentence)
    result = "".join(pieces).strip()
    if not result or _FILLER.fullmatch(result):
        return None
    return result


def _drop_neighbours(text: str, spans: list[tuple[int, int]], dropped: dict[int, list[Flag]],
                     suspect: Suspect) -> None:
    """Add to ``dropped`` the clauses on either side of a clause dropped for a serious flag
    that carry on its thought, outward until one does not (never one with a number or a Latin
    word: that would lose it)."""
    serious = [i for i, flags in dropped.items() if any(f.severity is Severity.BLOCK for f in flags)]
    for index in serious:
        for step in (-1, 1):
            at = index + step
            while 0 <= at < len(spans) and at not in dropped:
                clause = text[spans[at][0]:spans[at][1]]
                if _KEPT_TOKENS.search(clause) or not suspect(clause):
                    break
                dropped[at] = []
                at += step


def _sentences(dropped: dict[int, list[Flag]]) -> bool:
    return any(_is_sentence(s) for flags in dropped.values() for f in flags for s in _ready(f.suggestions))


def _apply(text: str, span: tuple[int, int], edits: list[tuple[int, int, str]]) -> str:
    start, end = span
    pieces, cursor = [], start
    for s, e, replacement in sorted(edits):
        if start <= s < end:
            pieces.append(text[cursor:s])
            pieces.append(replacement)
            cursor = max(cursor, e + _overlap(replacement, text[e:end]))
    pieces.append(text[cursor:end])
    return "".join(pieces)


def _overlap(replacement: str, following: str) -> int:
    """How many characters after the matched words the replacement already ends with
    (``不补货了`` + ``了`` → ``工厂不再生产了``, not ``…生产了了``)."""
    return next((k for k in (2, 1) if following[:k] and replacement.endswith(following[:k])), 0)


def _closest(flags: list[Flag], draft: str, used: set[str]) -> str | None:
    """The approved sentence for these flags that shares most words with the draft (the rule
    author's first choice when none does), never one used already or already in the draft."""
    serious = min(f.severity is not Severity.BLOCK for f in flags)
    candidates: list[str] = []
    for flag in flags:
        if (flag.severity is not Severity.BLOCK) == serious:
            candidates += [s for s in _ready(flag.suggestions) if _is_sentence(s) and s not in candidates]
    candidates = [s for s in candidates if s not in used and _OPENER.sub("", s) not in draft]
    if not candidates:
        return None
    words = _bigrams(draft)
    return max(candidates, key=lambda s: (len(_bigrams(s) & words), -candidates.index(s)))


def _faithful(draft: str, candidate: str, flags: tuple[Flag, ...]) -> bool:
    """Numbers and Latin words kept (but for those inside the flagged words: masked personal
    data, a banned word), no passage repeated, not much longer than the draft."""
    if len(candidate) > 2 * len(draft) + 40:
        return False
    masked = [(f.start, f.end) for f in flags]
    for token in _KEPT_TOKENS.finditer(draft):
        inside_flag = any(s <= token.start() and token.end() <= e for s, e in masked)
        if not inside_flag and token.group() not in candidate:
            return False
    return not _repeats(candidate, draft)


def _repeats(candidate: str, draft: str) -> bool:
    """True when a passage of REPEAT_MIN characters occurs twice in the candidate but not in the draft."""
    seen: set[str] = set()
    for start in range(len(candidate) - REPEAT_MIN + 1):
        passage = candidate[start:start + REPEAT_MIN]
        if passage in seen and draft.count(passage) < 2:
            return True
        seen.add(passage)
    return False
