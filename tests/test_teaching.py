"""Pure parts of the team teaching the checker: the allowed context of a flag, a rule's
``allowed:`` list edited in place (every way a file may write it), the team's corpus file."""

from __future__ import annotations

import pytest
import yaml

from bot.checker.engine import Checker
from bot.disputes.context import context_of
from bot.knowledge.corpus import CLEAN, Example, add_example, examples
from bot.knowledge.edits import add_allowed
from bot.knowledge.snapshot import TEAM_CORPUS, Snapshot


@pytest.mark.parametrize(("draft", "context"), [
    ("亲，这个不是我们的问题能解决的吗？我帮您问问主管", "这个不是我们的问题能解决的吗"),  # the clause, both sides
    ("亲，這 個 不是我们的问题哦，是快递那边的", "这个不是我们的问题哦"),  # traditional, spaces: normalised
    ("您好！我们不负责任何额外的费用，请见谅。", "我们不负责任何额外的费"),  # at most 6 after
    ("亲您好，这单我们不负责运费哦", "这单我们不负责运费哦"),  # never across the clause's end
    ("亲爱的顾客您好这单我们不负责运费哦", "顾客您好这单我们不负责运费哦"),  # at most 6 before
])
def test_the_context_of_a_flag(checker: Checker, draft: str, context: str) -> None:
    (flag,) = [f for f in checker.check(draft).flags if f.rule == "shirk.not_our_problem"]
    assert context_of(draft, flag).context == context


RULES = """# a comment that stays
rules:
  - {id: team.rule_01, severity: block, category: "x", reason: "y", phrases: [没辙], replace: [好]}
  - id: a.empty
    severity: warn
    category: c
    reason: r
    allowed: []
    phrases: [x1]
    replace: [z]
  - id: a.block
    severity: warn
    category: c
    reason: r
    allowed:
      - 一个
    phrases: [x2]
    replace: [z]
  - id: a.scalar
    severity: warn
    category: c
    reason: r
    allowed: 单个
    phrases: [x3]
    replace: [z]
  - id: a.none
    severity: warn
    category: c
    reason: r
    phrases: [x4]
    replace: [z]
  - id: a.flow
    severity: warn
    category: c
    reason: r
    allowed: [甲, 乙]  # trailing comment
    phrases: [x5]
    replace: [z]
"""


@pytest.mark.parametrize(("rule_id", "allowed"), [
    ("team.rule_01", ["新的", 'a"b']), ("a.empty", ["新的", 'a"b']), ("a.block", ["一个", "新的", 'a"b']),
    ("a.scalar", ["单个", "新的", 'a"b']), ("a.none", ["新的", 'a"b']), ("a.flow", ["甲", "乙", "新的", 'a"b']),
])
def test_allowed_contexts_are_added_wherever_the_rule_is_written(rule_id: str, allowed: list[str]) -> None:
    changed = add_allowed(Snapshot({"rules/t.yaml": RULES}), rule_id, ["新的", 'a"b', "新的"]).files["rules/t.yaml"]
    rules = {r["id"]: r for r in yaml.safe_load(changed)["rules"]}
    before = {r["id"]: r for r in yaml.safe_load(RULES)["rules"]}
    assert rules[rule_id].get("allowed") == allowed
    assert {k: v for k, v in rules.items() if k != rule_id} == {k: v for k, v in before.items() if k != rule_id}
    assert changed.startswith("# a comment that stays") and "# trailing comment" in changed


def test_a_context_already_allowed_changes_nothing_and_an_unknown_rule_is_named() -> None:
    snapshot = Snapshot({"rules/t.yaml": RULES})
    assert add_allowed(snapshot, "a.flow", ["甲"]) == snapshot
    with pytest.raises(ValueError, match="no rule 'a.gone'"):
        add_allowed(snapshot, "a.gone", ["x"])


def test_the_team_corpus_gets_one_line_per_example() -> None:
    first = add_example(Snapshot({}), Example("亲，没问题哦", CLEAN, None, "team-1"))
    second = add_example(first.with_file(TEAM_CORPUS, first.files[TEAM_CORPUS].rstrip("\n")),
                         Example('说"你"', "block", "honorific.ni", "team-missed-2"))
    assert second.files[TEAM_CORPUS].count("\n") == 2
    assert examples(second) == [Example("亲，没问题哦", "clean", None, "team-1"),
                                Example('说"你"', "block", "honorific.ni", "team-missed-2")]
