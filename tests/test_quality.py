"""``knowledge/quality.yaml``: the handbooks' service limits, validated line by line in Chinese,
part of every knowledge version (checked, cached, reloaded)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.audit.quality import MEASURES
from bot.audit.quality_file import load_quality
from bot.knowledge.cache import CompiledCache
from bot.knowledge.problems import KnowledgeError
from bot.knowledge.store import KnowledgeStore, LoadedKnowledge
from tests.knowledge_fixtures import edit_file

ROOT = Path(__file__).resolve().parents[1]




def test_the_shipped_file_holds_the_handbooks_numbers(loaded: LoadedKnowledge) -> None:
    quality = loaded.quality
    assert (quality.greeting_seconds, quality.answer_seconds) == (25, 20)  # 电商客服手册 六、服务要求
    assert quality.address_words == ("亲", "您")  # 五、语言规范
    assert set(quality.rules) == set(MEASURES)
    assert "25秒" in quality.rules["late_greeting"].quote and "20秒" in quality.rules["slow_answer"].quote
    assert all(rule.source and rule.quote and rule.name for rule in quality.rules.values())


@pytest.mark.parametrize(("old", "new", "words"), [
    ("limit_seconds: 25", "limit_seconds: -1", "limit_seconds 应当大于 0"),
    ("limit_seconds: 20", "limit_seconds: 二十", "limit_seconds 应当是数字"),
    ("points: 10", "points: true", "points 应当是数字"),
    ("max_points: 30", "max_points: 1", "max_points 不能比 points 小"),
    ("id: unanswered", "id: no_reply", "规则 id「no_reply」不认识"),
    ("name: 首次回复超时", "name: " + "很" * 31, "name 太长"),
    ("words: [亲, 您]", "words: []", "words 应当是不空的词语列表"),
    ("limit_chars: 100", "limit_seconds: 100", "规则 long_message 不用 limit_seconds"),
    ('    quote: "如回答太长,宜分次回答"', '    quote: ""', "quote 应当是一段文字"),
    ("idle_minutes: 30", "idle_minutes: 0.3", "idle_minutes 应当比 late_greeting 的时限长"),
    ("score: 100", "stars: 5\nscore: 100", "不认识的键「stars」"),
    ("idle_minutes: 30", "idle_minutes: 8:30", "六十进制数"),
])
def test_mistakes_are_named_with_their_line(knowledge_copy: Path, old: str, new: str, words: str) -> None:
    line = edit_file(knowledge_copy / "quality.yaml", old, new)
    with pytest.raises(KnowledgeError) as error:
        load_quality(knowledge_copy)
    assert [(p.file, p.line) for p in error.value.problems if words in p.message] == [("quality.yaml", line)]


def test_a_missing_rule_and_a_missing_file(knowledge_copy: Path) -> None:
    path = knowledge_copy / "quality.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  - id: banned_warn")
    path.write_text(text[:start], encoding="utf-8")
    with pytest.raises(KnowledgeError) as error:
        load_quality(knowledge_copy)
    (problem,) = error.value.problems
    assert "缺少规则：banned_warn" in problem.message and problem.line == text[:text.index("rules:")].count("\n") + 2
    path.unlink()
    with pytest.raises(KnowledgeError, match="缺少这个文件"):
        load_quality(knowledge_copy)


def test_a_broken_quality_file_is_a_broken_version_never_cached(knowledge_copy: Path, tmp_path: Path) -> None:
    line = edit_file(knowledge_copy / "quality.yaml", "points: 20", "points: -20")
    cache = CompiledCache(tmp_path / "cache")
    for _ in range(2):
        with pytest.raises(KnowledgeError) as error:
            LoadedKnowledge.from_directory(knowledge_copy, cache)
        assert [(p.file, p.line) for p in error.value.problems] == [("quality.yaml", line)]
    assert not list((tmp_path / "cache").glob("*.pickle"))


def test_knowledge_check_covers_it(knowledge_copy: Path) -> None:
    line = edit_file(knowledge_copy / "quality.yaml", "limit_seconds: 25", "limit_seconds: 0")
    done = subprocess.run([sys.executable, "-m", "bot", "knowledge", "check", str(knowledge_copy)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 2
    assert f"quality.yaml:{line}: limit_seconds 应当大于 0" in done.stderr and "Traceback" not in done.stderr


def test_a_reload_takes_a_good_change_and_keeps_the_last_good_one_over_a_bad(
    knowledge_copy: Path, tmp_path: Path
) -> None:
    store = KnowledgeStore(knowledge_copy, CompiledCache(tmp_path / "cache"))
    assert store.load().quality.greeting_seconds == 25
    edit_file(knowledge_copy / "quality.yaml", "limit_seconds: 25", "limit_seconds: 30")
    assert store.changed_on_disk()
    assert store.reload() == []
    assert store.current.quality.greeting_seconds == 30
    edit_file(knowledge_copy / "quality.yaml", "limit_seconds: 30", "limit_seconds: 30 秒")
    problems = store.reload()
    assert [p.file for p in problems] == ["quality.yaml"]
    assert store.current.quality.greeting_seconds == 30
