"""Contexts in which a rule's words mean no harm, as general mechanisms rather than lists of
sentences. A rule opts in with ``unless: [negated, question]``:

* ``negated`` — the words follow a negation: 这**不**是您的问题 reassures, 不怪您 comforts,
  不用您自己查 offers help, **没法**保证明天到 is the honest opposite of a promise, and so are
  **不敢给您**打包票, **没有谁能**保证几天见效, **不跟您说**绝对不缩 — unless the
  clause is a rhetorical question, which turns the negation back (你**不会**自己去找快递**吗**).
  (A rule whose words are themselves a denial, like 不是我们的问题, does not opt in.)
* ``question`` — the words open a question put to the customer: 不知道您方便什么时候收货呢？
  and 不知道宝宝现在多重呢？ ask (the customer addressed, or a fact only the customer knows
  asked for), where 我也不知道 refuses and 不知道怎么回事呢 shrugs.

* ``alternative`` — the draft offers something instead: 地址改不了，**我帮您联系快递转寄** is
  the handbooks' way to refuse (先理解，再说明，给一个选择); 地址改不了 alone is not. An offer
  counts only in a clause that refuses nothing itself: 没办法**给您**包邮 offers nothing.
* ``asked`` — the words sit in a question: 是不是地址改不了呀？ asks what the customer ran
  into, and refuses nothing.
* ``owned`` — the clause takes the fault on the shop (任何错误都是我们的): 运输途中破损的**责任在
  我们**, **是我们仓库的疏忽**, 运费**我们来承担** answer the opposite of passing the buck.
* ``backed`` — the draft says the shop stays on it (**我们也会积极配合处理**, **我这边也帮您催**): 您可以
  找平台客服 then shares the work instead of passing it on; 您去找快递问问吧 alone does not.
* ``hedged`` — the clause leaves room (承诺和问题语言不能肯定的回答要留余地): 正常使用**一般**
  不会坏, **大部分**顾客穿着都合适 state what is usual, not a guarantee.

All look only where a rule hit, so they cost nothing on a clean draft.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.checker.normalize import SEPARATOR

NEGATED, QUESTION, ALTERNATIVE = "negated", "question", "alternative"
ASKED, HEDGED, OWNED, BACKED = "asked", "hedged", "owned", "backed"
CONTEXTS = (NEGATED, QUESTION, ALTERNATIVE, ASKED, HEDGED, OWNED, BACKED)

_NEGATION_BEFORE = re.compile(
    r"(不|没|没有|别|并非|并不|非|不用|无需|无须|不需要|不必|不会|哪里|怎么会|没办法|没有办法|没法|无法|不敢"
    r"|很难|不好)"
    r"(谁|人|任何人|哪家|哪个)?(是|算|能|会|要|用|敢)?"
    r"(说|讲|给|跟|向|和|对)?(您|你|亲|顾客|客户|买家)?(说|讲|打|保证|承诺|确保|担保|确定)?(自己)?$"
)
_ADDRESS = re.compile(
    r"您|亲|你|是否|能否|可否|有没有|方不方便|要不要|喜不喜欢|满不满意|合不合"
    r"|哪(个|里|儿|边|件|款|天|位)|多(重|大|高|长|久|少|宽)|几(个|件|号|天|点|月|岁|斤|码)|是不是"
)
_FIRST_PERSON = re.compile(r"我|俺|咱")
_QUESTION_END = re.compile(r"([？?]|[吗呢么嘛][^|，。！？?!,.\s]{0,2})[\s~～。…！!]*$")
# What an offer looks like: something done for the customer (帮您/给您/我们可以/我去问问), a
# choice (建议/推荐/或者/您看…可以吗/其他款), a way to get it later (到货通知您/可以预订/登记).
# Every branch opens with its words, the look-behinds after them: a pattern whose branches all
# start with a character lets the regex engine skip to those characters (measured: 29 µs → 4
# µs a draft of 85 characters); one opening with a look-behind is tried at every position.
_OFFER = re.compile(
    r"帮(?<!想帮)(您|你|亲)|为(?<!想为)(您|你|亲)|给(?<!想给)(您|你|亲)|替(?<!想替)(您|你|亲)|可以(?<!不可以)"
    r"|建议|推荐|或者|要不|您看|换成|改为|改成|其他|其它|别的"
    r"|类似|替代|代替|差不多的|很接近|到货|补货|有货(?<!没有货)|预计|预订|预约|登记|留意|通知|提醒|答复|争取"
    r"|反映|反馈|请示|链接|问一下|问问|确认一下|看看|加购|拍照|发给我|告诉我|联系我|找我|告诉您|考虑"
    r"|还会有|会原路|负责(?<![不没]负责)|更(划算|实惠|便宜|合适|快)|也(很|挺|都|蛮)?(好看|受欢迎|合适|不错|好用|划算|很像|快)"
    r"|我们(来)?(出|承担)|本店(来)?(出|承担)|送(您|你|亲)|赠(您|你|亲)|不过(?![这那是没不])|但是(?![这那是没不])"
    + "".join(f"|{we}(这边|那边)?(也)?(可以|会|能|来|先|再|去|马上|立刻|尽快|尽量|尽力|直接|免费|一定|负责|包)"
              for we in ("我(们)?", "咱们", "这边"))  # one branch per opening word, for the same reason
)
_REASSURING = re.compile(r"(亲|您|你)?(也|都|就|完全|真的)?(不用|不必|无需|无须|不需要|用不着)")
# A clause that itself refuses, or closes the chat (还有什么可以帮您的吗): an offer-looking word
# inside it (没办法给您…) offers nothing.
_NO_OFFER = re.compile(
    r"不能|不可以|不可|不可能|没法|没办法|没有办法|无法|不了|不到|不给|不予|恕不|不支持|不提供|不接受|不行"
    r"|没有权限|没权限|还有(什么|其他|其它|别的)|(其他|其它|别的)(问题|疑问|需要)"
)
# A consent question on its own (您看可以吗？) proposes nothing: the 商量语 asks about an offer.
_BARE_ASK = re.compile(r"(您|你)?(看)?(这样)?(可以|行|好)(吗|么|嘛|不)?")
_CLAUSE_END = re.compile(r"[，。！？；,.!?;\n]")
# Everything up to the last clause end: one C-level match (backtracking from the end) finds where
# a clause opens, where walking every earlier clause end in Python cost a generator per hit.
_UP_TO_CLAUSE_END = re.compile(r"[\s\S]*[，。！？；,.!?;\n]")
_RHETORICAL = re.compile(r"难道|[吗嘛么][\s~～？?！!…。]*$")
_HEDGE = re.compile(r"一般|通常|大部分|大多|多数|正常情况|正常使用|基本|应该|大概|尽量|尽快|尽力|预计|可能(?<!不可能)")
# Words no hedge softens: 一般保证三天到 still guarantees.
_UNHEDGED = re.compile(r"保证|绝对|百分百|百分之百|100%|打包票")
_WE = r"(我们|我|本店|店铺|我方|咱们|我们这边|这边)"
_OWNED = re.compile(
    rf"(责任|问题|错|失误|过错|疏忽)(完全|全)?(在于|在|是|属于|归){_WE}(?![^|]{{0,2}}[不没])"
    rf"|(?<![不没说])(是|属于){_WE}(仓库|店铺|工作人员|客服)?的(责任|问题|错|失误|疏忽|过错)"
    rf"|(?<!不在)(?<!不归){_WE}(来|会|全额|全部)?(承担|负责|买单|兜底)(?![不了范])"
)
_BACKED = re.compile(
    rf"{_WE}(也|这边)?(会|来|一定|马上|随时|一起|继续|同步)?(积极|全力|尽力|及时|主动|一直)?(帮您|帮亲|为您|给您|替您)?"
    r"(跟进|配合|协助|处理|联系|催|督促|追踪|核实|登记|沟通|对接|反馈)(?!不)"
)
_QUESTION_MARK = re.compile(r"([？?]|[吗么][\s~～！!…。]*)$")


def negated(normalised: str, start: int) -> bool:
    """True when the words at ``start`` (normalised text) follow a negation in their clause."""
    before = normalised[max(0, start - 8):start].rsplit("|", 1)[-1]
    return bool(_NEGATION_BEFORE.search(before))


def _clause(original: str, start: int, end: int) -> tuple[int, int]:
    """Where the clause holding ``start``–``end`` (original text) opens, and where it stops
    (after its closing mark, if it has one)."""
    before = _UP_TO_CLAUSE_END.match(original, 0, start)
    opening = before.end() if before else 0
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
    ``normalised[start:end]``: it opens reassuring (``negated``), the draft offers something
    instead (``alternative``) or says the shop stays on it (``backed``), the clause leaves room
    (``hedged``) or owns the fault (``owned``).
    ``question`` and ``asked`` look at the words around a rule's hit, which a clause-wide score
    does not have."""
    return (NEGATED in unless and reassuring(normalised[start:end])) or \
        (ALTERNATIVE in unless and offers_an_alternative(normalised)) or \
        (HEDGED in unless and hedged(normalised, start)) or \
        (OWNED in unless and owned(normalised, start)) or \
        (BACKED in unless and backed(normalised))


def backed(normalised: str) -> bool:
    """True when the draft says the shop stays on it (我们也会积极配合处理, 我这边帮您催一下)."""
    return _BACKED.search(normalised) is not None


def owned(normalised: str, start: int) -> bool:
    """True when the clause of the words at ``start`` (normalised text) puts the fault on the
    shop (责任在我们, 是我们的失误, 我们来承担) — and not in a denial (责任不在我们, 我们承担不了)."""
    return _OWNED.search(_clause_of(normalised, start, start)) is not None


@lru_cache(maxsize=16)
def offers_an_alternative(normalised: str) -> bool:
    """True when the draft offers the customer something instead, in a clause of its own that
    refuses nothing (地址改不了，**我帮您**联系快递; not 没办法**给您**包邮, nor 还有什么可以帮您的吗).
    Remembered for the last few drafts: every hit of a refusal rule in a draft asks it again."""
    for offer in _OFFER.finditer(normalised):
        clause = _clause_of(normalised, offer.start(), offer.end())
        if not _NO_OFFER.search(clause) and not _BARE_ASK.fullmatch(clause):
            return True
    return False


def _clause_of(normalised: str, start: int, end: int) -> str:
    """The clause of the normalised text that holds ``start``–``end``."""
    opening = normalised.rfind(SEPARATOR, 0, start) + 1
    closing = normalised.find(SEPARATOR, end)
    return normalised[opening:len(normalised) if closing < 0 else closing]


def hedged(normalised: str, start: int) -> bool:
    """True when the clause of the words at ``start`` (normalised text) leaves room (一般, 大部分,
    正常使用 …) and guarantees nothing (保证, 绝对)."""
    clause = _clause_of(normalised, start, start)
    return _HEDGE.search(clause) is not None and _UNHEDGED.search(clause) is None


def in_question(original: str, start: int, end: int) -> bool:
    """True when the clause around ``start``–``end`` (original text) ends as a question (…吗？,
    …呀？): 是不是地址改不了呀？ asks, it does not refuse."""
    opening, stop = _clause(original, start, end)
    return _QUESTION_MARK.search(original[opening:stop]) is not None


def harmless(
    unless: tuple[str, ...], normalised: str, start: int, original: str, original_span: tuple[int, int]
) -> bool:
    """Whether one of the rule's harmless contexts holds for this hit."""
    original_start, original_end = original_span
    return (NEGATED in unless and negated(normalised, start)
            and not rhetorical(original, original_start, original_end)) or \
        (QUESTION in unless and asks_the_customer(original, original_start, original_end)) or \
        (ALTERNATIVE in unless and offers_an_alternative(normalised)) or \
        (ASKED in unless and in_question(original, original_start, original_end)) or \
        (HEDGED in unless and hedged(normalised, start)) or \
        (OWNED in unless and owned(normalised, start)) or \
        (BACKED in unless and backed(normalised))
