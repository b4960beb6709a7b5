"""Literal anchors of a rule's regular expression.

A pattern is only worth trying on a clause that contains one of its literal parts; finding
those parts once, at load, lets one Aho–Corasick pass decide which patterns to run. Any match
of the pattern contains at least one of the returned anchors.
"""

from __future__ import annotations

import re
from itertools import product

try:  # Python 3.11+: the parser moved; its API is unchanged
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover
    import sre_parse  # type: ignore[no-redef]

_MAX_ALTERNATIVES = 4096
_LITERAL = sre_parse.LITERAL
_SUBPATTERN = sre_parse.SUBPATTERN
_BRANCH = sre_parse.BRANCH
_IN = sre_parse.IN
_REPEATS = {sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT}
_ZERO_WIDTH = {sre_parse.AT, sre_parse.ASSERT, sre_parse.ASSERT_NOT}
# Characters so frequent in replies that an anchor made of them fires on most drafts.
_COMMON = frozenset("我你您们的是了在有这个亲就也都吗呢吧哦")


class NoAnchor(ValueError):
    """The pattern has no literal text that every match must contain."""


def _alternatives(items: sre_parse.SubPattern) -> set[str] | None:
    """All strings ``items`` can match, if it is a small finite set of literals."""
    results = {""}
    for op, arg in items:
        if op in _ZERO_WIDTH:
            continue
        options = _item_alternatives(op, arg)
        if options is None:
            return None
        results = {a + b for a, b in product(results, options)}
        if len(results) > _MAX_ALTERNATIVES:
            return None
    return results


def _item_alternatives(op: object, arg: object) -> set[str] | None:
    if op == _LITERAL:
        return {chr(arg)}  # type: ignore[arg-type]
    if op == _IN and all(kind == _LITERAL for kind, _ in arg):  # type: ignore[attr-defined]
        return {chr(value) for _, value in arg}  # type: ignore[attr-defined]
    if op == _SUBPATTERN:
        return _alternatives(arg[-1])  # type: ignore[index]
    if op in _REPEATS and arg[1] <= 1:  # x? : x or nothing
        options = _alternatives(arg[2])  # type: ignore[index]
        return None if options is None else options | ({""} if arg[0] == 0 else set())  # type: ignore[index]
    if op == _BRANCH:
        found: set[str] = set()
        for branch in arg[1]:  # type: ignore[index]
            options = _alternatives(branch)
            if options is None:
                return None
            found |= options
        return found
    return None


def required_literals(pattern: str) -> frozenset[str]:
    """Anchors for ``pattern``: every match contains one of them (the best such set)."""
    parsed = sre_parse.parse(pattern)
    branches = parsed[0][1][1] if len(parsed) == 1 and parsed[0][0] == _BRANCH else [parsed]
    anchors: set[str] = set()
    for branch in branches:
        found = _required_literals_of(branch)
        if found is None:
            raise NoAnchor(f"pattern {pattern!r} has no literal text that every match contains")
        anchors |= found
    return frozenset(anchors)


def _selectivity(anchors: set[str]) -> float:
    """How rarely the weakest anchor will fire: longer is rarer, common characters count less."""
    return min(len(a) - 0.75 * sum(ch in _COMMON for ch in a) for a in anchors)


def _required_literals_of(items: sre_parse.SubPattern) -> set[str] | None:
    """The most selective run of consecutive bounded items of a concatenation."""
    best: set[str] | None = None
    run: set[str] = {""}

    def consider(candidate: set[str]) -> None:
        nonlocal best
        if "" in candidate:
            return
        if best is None or _selectivity(candidate) > _selectivity(best):
            best = candidate

    for op, arg in items:
        if op in _ZERO_WIDTH:
            continue
        options = _item_alternatives(op, arg)
        if options is None:
            consider(run)
            run = {""}
            if op == _BRANCH:  # 不(在…范围|符合…条件): the parser took 不 out of both branches, but
                # each branch still has a literal of its own, rarer than 不
                inner = [_required_literals_of(branch) for branch in arg[1]]  # type: ignore[index]
                if all(found is not None for found in inner):
                    consider(set().union(*inner))  # type: ignore[arg-type]
            continue
        joined = {a + b for a, b in product(run, options)}
        if len(joined) > _MAX_ALTERNATIVES:
            consider(run)
            run = set(options) if "" not in options else {""}
        else:
            run = joined
    consider(run)
    return best


def compile_pattern(pattern: str) -> tuple[re.Pattern[str], frozenset[str]]:
    """Compile and find anchors; raises ``re.error`` or :class:`NoAnchor`."""
    compiled = re.compile(pattern)
    return compiled, required_literals(pattern)
