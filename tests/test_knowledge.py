"""Knowledge files: the shipped phrasebook is complete, and a broken file is reported with
file and line while the last good knowledge stays in use."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.knowledge.loader import KnowledgeError, load_knowledge
from bot.knowledge.models import PLACEHOLDER_NAMES
from bot.knowledge.store import KnowledgeStore, LoadedKnowledge
from tests.knowledge_fixtures import KNOWLEDGE_DIR

ROOT = KNOWLEDGE_DIR.parent
KINDS = {
    "greeting", "apology", "refusal", "thanks", "farewell", "waiting", "explanation",
    "consent", "congratulation", "question", "response",
}


def _problems(directory: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as error:
        load_knowledge(directory)
    return [str(p) for p in error.value.problems]


def test_shipped_phrasebook_covers_every_kind(loaded: LoadedKnowledge) -> None:
    knowledge = loaded.knowledge
    assert len(knowledge.phrasings) >= 150
    assert {p.kind for p in knowledge.phrasings} >= KINDS
    assert sum(1 for p in knowledge.phrasings if p.source == "seed") >= 30
    for phrasing in knowledge.phrasings:
        assert phrasing.keywords, phrasing.id
        assert set(phrasing.placeholders) <= PLACEHOLDER_NAMES


@pytest.mark.parametrize(
    "seed_text",
    ["您好", "早上好", "对不起，让您久等了", "请问您还有其他需要帮助吗？", "您看这样可以吗", "这是我应该做的"],
)
def test_phrasings_printed_in_the_handbooks_are_there(loaded: LoadedKnowledge, seed_text: str) -> None:
    texts = [p.text for p in loaded.knowledge.phrasings if p.source == "seed"]
    assert any(seed_text.rstrip("？") in text for text in texts), seed_text


def test_every_rule_has_a_reason_and_a_replacement(loaded: LoadedKnowledge) -> None:
    for rule in loaded.knowledge.rules:
        assert rule.reason and rule.source, rule.id
        assert rule.replace or rule.phrasings, rule.id


def test_yaml_syntax_error_names_file_and_line(knowledge_copy: Path) -> None:
    path = knowledge_copy / "rules" / "taboo.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    quoted = next(i for i, line in enumerate(lines) if "reason: \"" in line)  # a quoted scalar, then junk
    lines[quoted] = lines[quoted] + ' "unclosed'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = _problems(knowledge_copy)
    assert any(p.startswith("rules/taboo.yaml:") for p in problems), problems


def test_bad_values_are_reported_with_their_lines(knowledge_copy: Path) -> None:
    (knowledge_copy / "rules" / "zz_broken.yaml").write_text(
        "rules:\n"
        "  - id: broken.one\n"
        "    severity: blok\n"
        "    category: 测试\n"
        "    reason: 测试\n"
        "    phrases: [坏话]\n"
        "    replace: [好话]\n"
        "  - id: broken.two\n"
        "    severity: warn\n"
        "    category: 测试\n"
        "    reason: 测试\n"
        "    patterns: ['(未闭合']\n"
        "    phrasings: [no.such.phrasing]\n",
        encoding="utf-8",
    )
    problems = _problems(knowledge_copy)
    assert "rules/zz_broken.yaml:3: 'severity' is 'blok'; expected block or warn" in problems
    assert any(p.startswith("rules/zz_broken.yaml:12: pattern '(未闭合'") for p in problems), problems


def test_duplicate_ids_are_reported(knowledge_copy: Path) -> None:
    source = (knowledge_copy / "rules" / "taboo.yaml").read_text(encoding="utf-8")
    (knowledge_copy / "rules" / "zz_copy.yaml").write_text(source, encoding="utf-8")
    problems = _problems(knowledge_copy)
    assert any("rule id 'taboo.wei' already used in rules/taboo.yaml" in p for p in problems)


def test_reload_keeps_the_last_good_knowledge(knowledge_copy: Path) -> None:
    store = KnowledgeStore(knowledge_copy)
    store.load()
    assert store.current.checker.check("我们不补货了").verdict == "block"

    rules = knowledge_copy / "rules" / "responsibility.yaml"
    good = rules.read_text(encoding="utf-8")
    rules.write_text(good.replace("severity: block", "severity: maybe", 1), encoding="utf-8")
    problems = store.reload()
    assert problems and problems[0].file == "rules/responsibility.yaml" and problems[0].line
    assert store.current.checker.check("我们不补货了").verdict == "block"  # still the old rules

    rules.write_text(good.replace("phrases: [我们不补货了,", "phrases: [我们不进新货了, 我们不补货了,"), encoding="utf-8")
    assert store.reload() == []
    assert store.current.checker.check("我们不进新货了").verdict == "block"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], capture_output=True, text=True, cwd=ROOT, timeout=60
    )


def test_knowledge_check_command_prints_a_summary() -> None:
    done = _cli("knowledge", "check", str(KNOWLEDGE_DIR))
    assert done.returncode == 0, done.stderr
    assert "knowledge OK" in done.stdout and "banned rules" in done.stdout


def test_knowledge_check_command_names_the_broken_line(knowledge_copy: Path) -> None:
    kinds = knowledge_copy / "kinds.yaml"
    kinds.write_text(kinds.read_text(encoding="utf-8").replace("id: apology", "id: Apology!", 1), encoding="utf-8")
    done = _cli("knowledge", "check", str(knowledge_copy))
    assert done.returncode == 2
    assert "kinds.yaml:" in done.stderr and "'Apology!'" in done.stderr


_ONE_RULE = (
    "rules:\n"
    "  - id: test.one\n"
    "{name}"
    "    severity: block\n"
    "    category: 测试类\n"
    "    reason: 嚴禁使用測試語\n"
    "    source: 客服部規章制度 篇3\n"
    "    phrases: [测试坏话]\n"
    "    replace: [测试好话]\n"
)


@pytest.mark.parametrize(
    ("name_line", "name", "problem"),
    [
        ("    name: 说测试坏话\n", "说测试坏话", None),
        ("", "测试类", None),  # optional: the category stands in
        ("    name: 說測試壞話\n", "说测试坏话", None),  # traditional, made simplified at load
        ("    name: ''\n", None, "rules/zz_test.yaml:3: 'name' must be non-empty text"),
        ("    name: [一, 二]\n", None, "rules/zz_test.yaml:3: 'name' must be non-empty text"),
        (f"    name: {'长' * 31}\n", None, "rules/zz_test.yaml:3: 'name' is longer than 30 characters"),
    ],
)
def test_a_rule_name_is_optional_checked_and_simplified(
    knowledge_copy: Path, name_line: str, name: str | None, problem: str | None
) -> None:
    (knowledge_copy / "rules" / "zz_test.yaml").write_text(_ONE_RULE.format(name=name_line), encoding="utf-8")
    if problem is not None:
        assert problem in _problems(knowledge_copy)
        return
    rule = load_knowledge(knowledge_copy).rule("test.one")
    assert rule.name == name
    assert (rule.reason, rule.source) == ("严禁使用测试语", "客服部规章制度 篇3")  # read by people: simplified


def test_every_shipped_rule_has_a_name_of_its_own(loaded: LoadedKnowledge) -> None:
    import yaml

    written = [r for path in (KNOWLEDGE_DIR / "rules").glob("*.yaml")
               for r in yaml.safe_load(path.read_text(encoding="utf-8"))["rules"]]
    assert all(r.get("name") for r in written), [r["id"] for r in written if not r.get("name")]
    names = [r.name for r in loaded.knowledge.rules]
    assert len(set(names)) == len(names)
