"""Contexts in which a rule's words mean no harm, as general mechanisms rather than lists of
sentences. A rule opts in with ``unless: [negated, question]``:

* ``negated`` — the words follow a negation: 这**不**是您的问题 reassures, 不怪您 comforts,
  不用您自己查 offers help, **没法**保证明天到 is the honest opposite of a promise — unless the
  clause is a rhetorical question, which turns the negation back (你**不会**自己去找快递**吗**).
  (A rule whose words are themselves a denial, like 不是我们的问题, does not opt in.)
* ``question`` — the words open a question put to the customer: 不知道您方便什么时候收货呢？
  and 不知道宝宝现在多重呢？ ask (the customer addressed, or a fact only the customer knows
  asked for), where 我也不知道 refuses and 不知道怎么回事呢 shrugs.

* ``alternative`` — the draft offers something instead: 地址改不了，**我帮您联系快递转寄** is
  the handbooks' way to refuse (先理解，再说明，给一个选择); 地址改不了 alone is not.

All look only where a rule hit, so they cost nothing on a clean draft.
"""

from __future__ import annotations

import re

NEGATED, QUESTION, ALTERNATIVE = "negated", "question", "alternative"
CONTEXTS = (NEGATED, QUESTION, ALTERNATIVE)

_NEGATION_BEFORE = re.compile(
    r"(不|没|没有|别|并非|并不|非|不用|无需|无须|不需要|不必|不会|哪里|怎么会|没办法|没法|无法|不敢|很难|不好)"
    r"(是|算|能|会|要|用)?"
    r"(您|你|亲|顾客|客户|买家)?(自己)?$"
)
_ADDRESS = re.compile(
    r"您|亲|你|是否|能否|可否|有没有|方不方便|要不要|喜不喜欢|满不满意|合不合"
    r"|哪(个|里|儿|边|件|款|天|位)|多(重|大|高|长|久|少|宽)|几(个|件|号|天|点|月|岁|斤|码)|是不是"
)
_FIRST_PERSON = re.compile(r"我|俺|咱")
_QUESTION_END = re.compile(r"([？?]|[吗呢么嘛][^|，。！？?!,.\s]{0,2})[\s~～。…！!]*$")
_ALTERNATIVE = re.compile(
    r"(?<!不)(可以|能)(为|帮|给)(您|你|亲)"
    r"|(?<!不能)(?<!没法)(?<!无法)(?<!没办法)(?<!不可以)(?<!不好)(帮|为|给)(您|你|亲)(换|补|改|退|申请|安排|推荐|留意|登记|备注|联系|转|看看|问问|想|处理|解决|跟进|催)"
    r"|建议(您|你|亲)?|推荐|(别的|其他|其它)(办法|方法|款)|您看|要不|或者|不过可以|但可以|可以考虑|可以选|还可以|改为|换成"
)
_REASSURING = re.compile(r"(亲|您|你)?(也|都|就|完全|真的)?(不用|不必|无需|无须|不需要|用不着)")
_CLAUSE_END = re.compile(r"[，。！？；,.!?;\n]")
_RHETORICAL = re.compile(r"难道|[吗嘛么][\s~～？?！!…。]*$")


def negated(normalised: str, start: int) -> bool:
    """True when the words at ``start`` (normalised text) follow a negation in their clause."""
    before = normalised[max(0, start - 8):start].rsplit("|", 1)[-1]
    return bool(_NEGATION_BEFORE.search(before))


def _clause(original: str, start: int, end: int) -> tuple[int, int]:
    """Where the clause holding ``start``–``end`` (original text) opens, and where it stops
    (after its closing mark, if it has one)."""
    opening = max((m.end() for m in _CLAUSE_END.finditer(original, 0, start)), default=0)
    found = _CLAUSE_END.search(original, end)
    return opening, found.end() if found else len(original)


def rhetorical(original: str, start: int, end: int) -> bool:
    """True when the clause around ``start``–``end`` (original text) is a rhetorical question:
    难道…, 不是…吗, …吗？ — a negation inside it says the opposite (你不会自己查吗)."""
    opening, stop = _clause(original, start, end)
    return _RHETORICAL.search(original[opening:stop].rstrip("，,；;")) is not None


def asks_the_customer(original: str, start: int, end: int) -> bool:
    """True when the rest of the clause after ``end`` (original text) addresses the customer or
    asks what only they know, then ends as a question (不知道**您**方便吗？, 不知道**哪个**位置破了呢？;
    not 不知道呢亲, nor 我也不知道是哪个呢 — the agent's own not knowing)."""
    opening, stop = _clause(original, start, end)
    if _FIRST_PERSON.search(original, opening, end):
        return False
    rest = original[end:stop].rstrip()
    question = _QUESTION_END.search(rest)
    return question is not None and _ADDRESS.search(rest, 0, question.start()) is not None


def reassuring(clause: str) -> bool:
    """True when a clause (normalised) opens by taking something off the customer: 您不用…,
    不必…, 无需… — the whole clause a negation, where the intent model only sees its words."""
    return _REASSURING.match(clause) is not None


def harmless_clause(unless: tuple[str, ...], normalised: str, start: int, end: int) -> bool:
    """Whether one of the rule's harmless contexts holds for the intent model's clause
    ``normalised[start:end]``: it opens reassuring (``negated``), or the draft offers
    something instead (``alternative``). ``question`` looks at the words after a rule's hit,
    which a clause-wide score does not have."""
    return (NEGATED in unless and reassuring(normalised[start:end])) or \
        (ALTERNATIVE in unless and offers_an_alternative(normalised))


def offers_an_alternative(normalised: str) -> bool:
    """True when the draft offers the customer something instead."""
    return _ALTERNATIVE.search(normalised) is not None


def harmless(
    unless: tuple[str, ...], normalised: str, start: int, original: str, original_span: tuple[int, int]
) -> bool:
    """Whether one of the rule's harmless contexts holds for this hit."""
    original_start, original_end = original_span
    return (NEGATED in unless and negated(normalised, start)
            and not rhetorical(original, original_start, original_end)) or \
        (QUESTION in unless and asks_the_customer(original, original_start, original_end)) or \
        (ALTERNATIVE in unless and offers_an_alternative(normalised))
