"""Contexts in which a rule's words mean no harm, as general mechanisms rather than lists of
sentences. A rule opts in with ``unless: [negated, question]``:

* ``negated`` — the words follow a negation: 这**不**是您的问题 reassures, 不怪您 comforts,
  不用您自己查 offers help. (A rule whose words are themselves a denial, like 不是我们的问题,
  does not opt in.)
* ``question`` — the words open a question put to the customer: 不知道您方便什么时候收货呢？
  asks, where 我也不知道 refuses.

Both look only around a hit, so they cost nothing on a clean draft.
"""

from __future__ import annotations

import re

NEGATED, QUESTION = "negated", "question"
CONTEXTS = (NEGATED, QUESTION)

_NEGATION_BEFORE = re.compile(
    r"(不|没|没有|别|并非|并不|非|不用|无需|无须|不需要|不必|不会|哪里|怎么会)(是|算|能|会|要|用)?"
    r"(您|你|亲|顾客|客户|买家)?(自己)?$"
)
_ADDRESS = re.compile(r"您|亲|你|是否|能否|可否|有没有|方不方便|要不要|喜不喜欢|满不满意|合不合")
_QUESTION_END = re.compile(r"([？?]|[吗呢么嘛][^|，。！？?!,.\s]{0,2})[\s~～。…！!]*$")
_CLAUSE_END = re.compile(r"[，。！？；,.!?;\n]")


def negated(normalised: str, start: int) -> bool:
    """True when the words at ``start`` (normalised text) follow a negation in their clause."""
    before = normalised[max(0, start - 8):start].rsplit("|", 1)[-1]
    return bool(_NEGATION_BEFORE.search(before))


def asks_the_customer(original: str, end: int) -> bool:
    """True when the rest of the clause after ``end`` (original text) addresses the customer,
    then ends as a question (不知道**您**方便吗？, not 不知道呢亲)."""
    found = _CLAUSE_END.search(original, end)
    stop = found.end() if found else len(original)
    rest = original[end:stop].rstrip()
    question = _QUESTION_END.search(rest)
    return question is not None and _ADDRESS.search(rest, 0, question.start()) is not None


def harmless(unless: tuple[str, ...], normalised: str, start: int, original: str, original_end: int) -> bool:
    """Whether one of the rule's harmless contexts holds for this hit."""
    return (NEGATED in unless and negated(normalised, start)) or \
        (QUESTION in unless and asks_the_customer(original, original_end))
