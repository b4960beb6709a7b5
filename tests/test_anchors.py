"""Anchors derived from rule patterns: every match must contain one, and they must be selective."""

from __future__ import annotations

import re

import pytest

from bot.checker.anchors import NoAnchor, required_literals


@pytest.mark.parametrize(
    ("pattern", "samples"),
    [
        ("不是我们(这边|家)?的(问题|责任)", ["不是我们的问题", "不是我们家的责任", "这不是我们这边的问题"]),
        ("(我们|本店)(这边)?(没有|没)(任何)?(错|责任)", ["我们没错", "本店这边没有任何责任"]),
        ("^(真的)?(不行|不可以)(的|哦)*$", ["不行", "真的不可以哦"]),
        ("(?<!我)(自己|自行)(去)?(看|查)", ["您自己去看", "自行查"]),
        ("你(?!们)", ["你好"]),
    ],
)
def test_every_match_contains_an_anchor(pattern: str, samples: list[str]) -> None:
    anchors = required_literals(pattern)
    for sample in samples:
        match = re.search(pattern, sample)
        assert match, sample
        assert any(anchor in match.group(0) for anchor in anchors), (sample, anchors)


def test_optional_groups_extend_the_anchor_instead_of_breaking_it() -> None:
    anchors = required_literals("(没有|没)(任何)?(错|责任)")
    assert anchors == {"没有任何错", "没有错", "没任何错", "没错", "没有任何责任", "没有责任", "没任何责任", "没责任"}


def test_common_characters_make_a_weak_anchor() -> None:
    # 我们 is in most replies; the negated verb is the better anchor.
    assert required_literals("(我们|本店)(这边)?.{0,2}(不负责|不承担)") == {"不负责", "不承担"}


def test_a_pattern_without_literal_text_is_refused() -> None:
    with pytest.raises(NoAnchor, match="no literal text"):
        required_literals(".{2,5}")


@pytest.mark.parametrize(("pattern", "anchors", "matching"), [
    # the parser takes the shared 不 out of both branches; each branch keeps a rarer literal
    (r"不在[^|]{0,6}(范围|之列)|不符合[^|]{0,6}(条件|要求)", {"范围", "之列", "符合"}, "这个不在活动范围内"),
    (r"一点(儿)?(都|也)不会(哦|哈)*$|一天(都|也)不(会)?晚", {"点都不会", "点也不会", "点儿都不会", "点儿也不会",
                                                       "天都不晚", "天也不晚", "天都不会晚", "天也不会晚"},
     "放心，一天都不会晚"),
])
def test_a_prefix_shared_by_every_branch_is_not_the_anchor(pattern: str, anchors: set[str], matching: str) -> None:
    found = required_literals(pattern)
    assert found == anchors
    match = re.search(pattern, matching)
    assert match is not None and any(a in match.group() for a in found)
