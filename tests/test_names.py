"""People read a rule's name, never its id: every text a person reads about a flagged draft."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.assist.drafts import DraftOutcome
from bot.audit.summary import AuditSummary, format_summary
from bot.checker.result import CheckResult, Flag
from bot.cli.check import format_result
from bot.knowledge.models import Severity
from bot.knowledge.store import LoadedKnowledge
from bot.practice.grading import Grader
from bot.practice.scenarios import load_scenarios
from bot.reports.figures import AgentLine, Comparison, DailyFigures, Figures
from bot.reports.text import report_lines
from bot.telegram.handlers.practice import flagged_text, score_text
from bot.telegram.render import draft_message
from tests.knowledge_fixtures import KNOWLEDGE_DIR

AS_OF = datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _verdict(loaded: LoadedKnowledge, result: CheckResult) -> str:
    return draft_message(DraftOutcome(result), {}, edited=False)[0]


def _check_cli(loaded: LoadedKnowledge, result: CheckResult) -> str:
    return format_result(result)


def _report(loaded: LoadedKnowledge, result: CheckResult) -> str:
    figures = Figures(drafts_checked=1, drafts_flagged=1, flags=Counter(f.rule for f in result.flags))
    report = DailyFigures("T1", date(2026, 11, 23), AS_OF, [AgentLine(1, "慧兰", "A07", figures)], figures,
                          Comparison({}, {}), [])
    return "\n".join(report_lines(report, loaded.knowledge.rule_names(), {}, AS_OF))


def _practice(loaded: LoadedKnowledge, result: CheckResult) -> str:
    grader = Grader(loaded.knowledge, loaded.checker)
    scenario = load_scenarios(KNOWLEDGE_DIR)[0]
    return flagged_text(grader.grade(1, result.text)) + "\n" + score_text(grader.score(scenario, [result.text]))


def _audit(loaded: LoadedKnowledge, result: CheckResult) -> str:
    summary = AuditSummary("chat.txt", "utf-8", "text")
    summary.add("A07", result)
    return format_summary(summary)


OUTPUTS: dict[str, Callable[[LoadedKnowledge, CheckResult], str]] = {
    "verdict": _verdict, "check": _check_cli, "report": _report, "practice": _practice, "audit": _audit,
}
DRAFTS = [
    "这不是我们的问题，你自己找快递去",  # two rules, block
    "但是这款我们不补货了",  # warn and block
    "喂，不知道，不关我的事",  # three taboo rules
    "您的手机号是13812345678吗",  # a detector's rule
    "這不是我們的問題，呵呵",  # traditional characters
]


@pytest.mark.parametrize("draft", DRAFTS)
@pytest.mark.parametrize("output", OUTPUTS)
def test_people_read_rule_names_not_ids(loaded: LoadedKnowledge, output: str, draft: str) -> None:
    result = loaded.checker.check(draft)
    assert result.flags, draft
    text = OUTPUTS[output](loaded, result)
    assert [r.id for r in loaded.knowledge.rules if r.id in text] == []
    for flag in result.flags:
        assert flag.name in text, (flag.rule, text)


def test_a_flag_the_model_is_not_sure_of_asks_the_agent_to_look_again(loaded: LoadedKnowledge) -> None:
    rule = loaded.knowledge.rule("conduct.argue")
    unsure = Flag(rule.id, Severity.WARN, 0, 6, "您这么说不对", rule.reason, rule.name, rule.replace,
                  "intent", 0.9, sure=False)
    text = _verdict(loaded, CheckResult("您这么说不对", (unsure,)))
    assert f"{rule.name}：「您这么说不对」（读起来可能是这个意思，请再看一下）" in text
    assert "建议修改" in text and "改写后" not in text  # a warning, and no guess at a rewrite
    line = _check_cli(loaded, CheckResult("您这么说不对", (unsure,))).splitlines()[1]
    assert line.endswith("(0–6)（读起来可能是这个意思，请再看一下）")  # the command line says so too


def test_a_flag_quoting_a_whole_long_clause_is_cut_so_the_verdict_fits_a_message(loaded: LoadedKnowledge) -> None:
    """The intent model's flag quotes its whole clause: a 2,000-character draft without a comma,
    read as two rules, would quote it twice (over Telegram's 4,096)."""
    draft = "您这个要求我们真的做不到" * 166 + "您再看看"  # 2,000 characters, one clause
    flags = tuple(Flag(rule.id, Severity.WARN, 0, len(draft), draft, rule.reason, rule.name, rule.replace, "intent",
                       0.9, sure=False)
                  for rule in (loaded.knowledge.rule("conduct.argue"), loaded.knowledge.rule("conduct.impatient")))
    text = _verdict(loaded, CheckResult(draft, flags))
    assert len(text) <= 4096
    assert text.count("「您这个要求我们真的做不到您这个要求") == 2 and "…」" in text  # both quoted, cut
