"""The compiled knowledge cache: used on the next start, never stale, never trusted when broken."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.knowledge.cache import CompiledCache, content_key
from bot.knowledge.store import LoadedKnowledge

DRAFTS = [
    "亲，在的", "这不是我们的问题，你自己找快递去", "但是这款我们不补货了", "喂，不知道，不关我的事",
    "您的手机号是13812345678吗", "這不是我們的問題，呵呵", "这不 是我们这边的问题", "我们不进新货了",
]


class Counting:
    """``LoadedKnowledge.compile`` that counts how often it ran."""

    def __init__(self) -> None:
        self.compiles = 0

    def __call__(self, directory: Path) -> LoadedKnowledge:
        self.compiles += 1
        return LoadedKnowledge.compile(directory)


def _answers(loaded: LoadedKnowledge) -> list[dict[str, object]]:
    return [loaded.checker.check(d).to_json() for d in DRAFTS + [p.text for p in loaded.knowledge.phrasings]]


def test_a_second_load_is_unpickled_and_checks_exactly_like_a_compile(knowledge_copy: Path, tmp_path: Path) -> None:
    cache, build = CompiledCache(tmp_path / "cache"), Counting()
    fresh = cache.get(knowledge_copy, build)
    cached = cache.get(knowledge_copy, build)
    assert build.compiles == 1 and cached is not fresh
    assert cached.knowledge == fresh.knowledge
    assert list(cached.checker._automaton.items()) == list(fresh.checker._automaton.items())
    assert _answers(cached) == _answers(fresh)
    assert cached.phrasebook.suggest("快递延迟") == fresh.phrasebook.suggest("快递延迟")


def _add_rule(directory: Path) -> None:
    with (directory / "rules" / "taboo.yaml").open("a", encoding="utf-8") as out:
        out.write("  - id: taboo.no_way\n    severity: block\n    category: 禁用语\n    reason: 消极\n"
                  "    phrases: [没辙了]\n    replace: [我再帮您想想办法]\n")


def _write_corpus(name: str, text: str) -> Callable[[Path], None]:
    def edit(directory: Path) -> None:
        (directory / "corpus").mkdir(exist_ok=True)
        (directory / "corpus" / name).write_text(text, encoding="utf-8")
    return edit


def _touch_only(directory: Path) -> None:
    path = directory / "rules" / "taboo.yaml"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))


@pytest.mark.parametrize(
    ("edit", "recompiled"),
    [
        (_add_rule, True),
        (_write_corpus("team.jsonl", '{"text": "在吗", "label": "clean", "rule": null}\n'), True),
        (_touch_only, False),  # the key is the content, not the time
    ],
)
def test_an_edit_is_a_new_entry(knowledge_copy: Path, tmp_path: Path, edit: Callable[[Path], None],
                                recompiled: bool) -> None:
    _write_corpus("team.jsonl", '{"text": "您好", "label": "clean", "rule": null}\n')(knowledge_copy)
    cache, build = CompiledCache(tmp_path / "cache"), Counting()
    before = content_key(knowledge_copy)
    cache.get(knowledge_copy, build)
    edit(knowledge_copy)
    assert (content_key(knowledge_copy) != before) is recompiled
    cache.get(knowledge_copy, build)
    assert build.compiles == (2 if recompiled else 1)


def test_a_rule_added_is_found_through_the_cache(knowledge_copy: Path, tmp_path: Path) -> None:
    cache = CompiledCache(tmp_path / "cache")
    assert LoadedKnowledge.from_directory(knowledge_copy, cache).checker.check("没辙了").verdict == "ok"
    _add_rule(knowledge_copy)
    assert LoadedKnowledge.from_directory(knowledge_copy, cache).checker.check("没辙了").verdict == "block"


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x05\x95garbage"])
def test_a_broken_entry_is_ignored_and_rebuilt(knowledge_copy: Path, tmp_path: Path, damage: bytes) -> None:
    cache, build = CompiledCache(tmp_path / "cache"), Counting()
    cache.get(knowledge_copy, build)
    (entry,) = (tmp_path / "cache").glob("*.pickle")
    entry.write_bytes(damage)
    assert _answers(cache.get(knowledge_copy, build)) == _answers(LoadedKnowledge.compile(knowledge_copy))
    assert build.compiles == 2
    cache.get(knowledge_copy, build)  # written again, whole
    assert build.compiles == 2


def test_only_the_newest_entries_are_kept(knowledge_copy: Path, tmp_path: Path) -> None:
    cache = CompiledCache(tmp_path / "cache", keep=2)
    keys = []
    for number in range(4):
        _write_corpus("n.jsonl", f"{number}\n")(knowledge_copy)
        cache.get(knowledge_copy, lambda _: number)
        keys.append(content_key(knowledge_copy))
    assert sorted(p.stem for p in (tmp_path / "cache").iterdir()) == sorted(keys[2:])


def test_the_cache_can_be_turned_off(knowledge_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEFU_CACHE_DIR", "off")
    build = Counting()
    CompiledCache.from_env().get(knowledge_copy, build)
    CompiledCache.from_env().get(knowledge_copy, build)
    assert build.compiles == 2
