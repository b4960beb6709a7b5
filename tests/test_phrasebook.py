"""Suggestions: the right phrasings for words an agent types, greetings by time of day."""

from __future__ import annotations

from datetime import time

import pytest

from bot.knowledge.store import LoadedKnowledge
from bot.phrasebook.suggest import Phrasebook, render, time_of_day


@pytest.fixture(scope="module")
def phrasebook(loaded: LoadedKnowledge) -> Phrasebook:
    return loaded.phrasebook


@pytest.mark.parametrize(
    ("words", "kind", "situation"),
    [
        ("客户说快递三天没到很生气", None, "late_delivery"),
        ("快递延迟", "apology", "late_delivery"),
        ("砍价", "refusal", "bargaining"),
        ("顾客想便宜点", None, "bargaining"),
        ("这款没货了", None, "out_of_stock"),
        ("商品压坏了", None, "damaged"),
        ("发错颜色了", None, "wrong_item"),
        ("改地址", "refusal", "unsupported_request"),
    ],
)
def test_best_suggestions_fit_the_situation(phrasebook: Phrasebook, words: str, kind: str | None, situation: str) -> None:
    suggestions = phrasebook.suggest(words, kind, limit=3)
    assert len(suggestions) == 3
    assert situation in suggestions[0].phrasing.situations, [s.phrasing.id for s in suggestions]
    if kind:
        assert all(s.phrasing.kind == kind for s in suggestions)


def test_kind_is_understood_from_words(phrasebook: Phrasebook) -> None:
    assert phrasebook.kind_of("帮我道个歉") == "apology"
    assert phrasebook.kind_of("怎么婉拒") == "refusal"


@pytest.mark.parametrize(
    ("at", "expected"),
    [(time(8), "早上好"), (time(14), "下午好"), (time(21), "晚上好"), (time(0, 30), "晚上好")],
)
def test_greetings_follow_the_time_of_day(phrasebook: Phrasebook, at: time, expected: str) -> None:
    (best,) = phrasebook.suggest(kind="greeting", at=at, limit=1)
    assert expected in best.text


def test_time_of_day_bounds() -> None:
    assert time_of_day(time(4, 59)).value == "evening"
    assert time_of_day(time(5)).value == "morning"
    assert time_of_day(time(12)).value == "afternoon"
    assert time_of_day(time(18)).value == "evening"


def test_placeholders_filled_when_known_and_reported_when_not(loaded: LoadedKnowledge) -> None:
    phrasing = next(p for p in loaded.knowledge.phrasings if p.id == "apology.late_delivery.02")
    text, missing = render(phrasing, {"order_id": "123456789012345678"})
    assert "123456789012345678" in text and not missing
    text, missing = render(phrasing)
    assert missing == ("order_id",) and "{order_id}" in text
