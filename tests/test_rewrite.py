"""The rewrite: the smallest faithful edit, or none (parametrized tables)."""

from __future__ import annotations

import re

import pytest

from bot.checker.engine import Checker
from bot.checker.rewrite import REPEAT_MIN, clauses, closest_first

TOKENS = re.compile(r"[0-9]+|[A-Za-z]+")

BLOCKED = [
    "亲，这不是我们的问题，您去找快递吧",
    "是你自己拍错了尺码，订单3812345678901234567我看了",
    "这款我们不补货了哦，您看看别的",
    "喂，在吗，您的快递到了",
    "这个我不知道，也不关我的事",
    "亲，您的订单已经发了，单号SF1234567890，这个锅我们不背",
    "收件人手机13912345678，地址没问题",
    "爱买不买，不买拉倒",
    "你自己去详情页看吧，尺码表写得很清楚",
    "亲 這不是我們的問題 您理解一下",
]


@pytest.mark.parametrize("draft", BLOCKED)
def test_an_offered_rewrite_passes_keeps_numbers_and_repeats_nothing(checker: Checker, draft: str) -> None:
    result = checker.check(draft)
    assert result.verdict == "block"
    if result.rewrite is None:
        return  # no faithful rewrite: the approved phrasings under each flag are offered instead
    rewrite = result.rewrite
    assert checker.check(rewrite).verdict == "ok", rewrite
    assert len(rewrite) <= 2 * len(draft) + 40
    flagged = [(f.start, f.end) for f in result.flags]
    for token in TOKENS.finditer(draft):
        if not any(s <= token.start() < e for s, e in flagged):
            assert token.group() in rewrite, (token.group(), rewrite)
    for start in range(len(rewrite) - REPEAT_MIN + 1):
        assert rewrite.count(rewrite[start:start + REPEAT_MIN]) == 1, rewrite


def test_most_blocked_drafts_get_a_rewrite(checker: Checker) -> None:
    offered = [checker.check(d).rewrite is not None for d in BLOCKED]
    assert sum(offered) >= 0.8 * len(BLOCKED)


@pytest.mark.parametrize(("draft", "kept"), [
    ("这款我们不补货了，给您推荐一款相似的", "给您推荐一款相似的"),  # the fine clause stays as typed
    ("亲，这不是我们的问题，物流那边我帮您催一下", "物流那边我帮您催一下"),
    ("你好，这款有货", "这款有货"),
])
def test_fine_clauses_are_kept_as_typed(checker: Checker, draft: str, kept: str) -> None:
    rewrite = checker.check(draft).rewrite
    assert rewrite is not None and kept in rewrite


def test_two_flags_in_one_clause_give_one_approved_sentence(checker: Checker) -> None:
    result = checker.check("这不是我们的问题我们不负责")
    assert len(result.flags) >= 1 and result.rewrite is not None
    assert result.rewrite.count("。") + result.rewrite.count("！") + result.rewrite.count("？") == 1


def test_a_number_in_the_wrong_clause_means_no_rewrite(checker: Checker) -> None:
    result = checker.check("订单3812345678901234567是你自己填错地址了")
    assert result.verdict == "block" and result.rewrite is None


def test_a_word_replacement_does_not_double_the_particle(checker: Checker) -> None:
    assert checker.check("这个颜色不补货了").rewrite == "这个颜色工厂不再生产了"


@pytest.mark.parametrize(("text", "expected"), [
    ("你好，在吗？好的。", ["你好，", "在吗？", "好的。"]),
    ("没有标点", ["没有标点"]),
    ("好的！！谢谢", ["好的！！", "谢谢"]),
])
def test_clauses_keep_their_punctuation(text: str, expected: list[str]) -> None:
    assert [text[s:e] for s, e in clauses(text)] == expected


@pytest.mark.parametrize(("draft", "suspect", "expected"), [
    # the neighbour carrying on the wrong thought goes with it; a fine one stays
    ("嫌贵就去拼多多呗，我们这不是给您这种消费水平开的", "消费水平", "非常抱歉给您带来不便。"),
    ("嫌贵就去拼多多呗，我帮您申请个优惠券", "消费水平", "非常抱歉给您带来不便。我帮您申请个优惠券"),
    # a neighbour holding a number stays (dropping it would lose the number)
    ("嫌贵就去拼多多呗，这是给您这种消费水平的3号款", "消费水平", "非常抱歉给您带来不便。这是给您这种消费水平的3号款"),
])
def test_a_clause_carrying_on_the_wrong_thought_goes_with_it(draft: str, suspect: str, expected: str | None) -> None:
    from bot.checker.result import Flag
    from bot.checker.rewrite import rewrite
    from bot.knowledge.models import Severity

    end = draft.index("，")
    flag = Flag("conduct.mocking", Severity.BLOCK, 0, end, draft[:end], "不要讽刺客户", "讽刺顾客",
                ("非常抱歉给您带来不便。",))
    assert rewrite(draft, (flag,), suspect=lambda clause: suspect in clause) == expected


def test_thanks_to_you_is_only_an_honorific(checker: Checker) -> None:
    result = checker.check("感谢你的支持，祝你生活愉快")
    assert result.verdict == "warn" and {f.rule for f in result.flags} == {"honorific.ni"}
    assert result.rewrite == "感谢您的支持，祝您生活愉快"


def test_the_opener_is_not_said_twice(checker: Checker) -> None:
    rewrite = checker.check("好的亲，这个我不知道，您问问快递吧").rewrite
    assert rewrite is not None and rewrite.count("亲") == 1


@pytest.mark.parametrize(("draft", "rewrite"), [
    ("这款没货了哦", None),  # a refusal warned about: an approved sentence about the price is no mend
    ("亲，不好意思，这个颜色没货了", None),
    ("这个价格便宜不了", "亲，非常理解您想要实惠一点，这个价格已经是活动最低价了哦，您再对比考虑下吧。"),
])
def test_a_warning_is_mended_only_by_a_sentence_about_the_same_thing(
        checker: Checker, draft: str, rewrite: str | None) -> None:
    result = checker.check(draft)
    assert result.verdict == "warn"
    assert result.rewrite == rewrite


def test_the_suggestions_shown_first_are_those_about_the_draft(checker: Checker) -> None:
    from bot.assist.drafts import DraftOutcome
    from bot.telegram.render import SUGGESTIONS_PER_FLAG, draft_message

    draft = "这款没货了哦"
    flag = checker.check(draft).flags[0]
    stock_apology = "亲，很抱歉这款暂时缺货，到货后我第一时间通知您，可以吗？"
    assert flag.suggestions.index(stock_apology) >= SUGGESTIONS_PER_FLAG  # the rule lists it third
    assert closest_first(flag.suggestions, draft)[0] == stock_apology
    assert sorted(closest_first(flag.suggestions, draft)) == sorted(flag.suggestions)  # nothing lost
    text, _ = draft_message(DraftOutcome(checker.check(draft)), {}, edited=False)
    assert stock_apology in text
