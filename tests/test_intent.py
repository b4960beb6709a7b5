"""The intent layer: a small corpus teaches paraphrases the rules' words miss, and nothing else
changes — look-alikes stay clean, spans and suggestions are the rule's, held-out is never read."""

from __future__ import annotations

import json
import pickle
from dataclasses import replace
import shutil
import subprocess
import sys
from pathlib import Path

import opencc
import pytest

from bot.checker.engine import Checker
from bot.checker.intent import IntentModel
from bot.checker.intent_train import read_corpus, train
from bot.checker.normalize import SEPARATOR, normalise
from bot.knowledge.loader import load_intent
from bot.knowledge.store import LoadedKnowledge
from tests.knowledge_fixtures import KNOWLEDGE_DIR

ROOT = Path(__file__).resolve().parents[1]
TO_TRADITIONAL = opencc.OpenCC("s2t")

SUBJECTS = ["这个", "这事", "具体", "发货时间", "物流的事", "这款的情况", "库存", "赠品", "优惠", "尺码"]
DONT_KNOW = ["我也搞不清楚", "我也说不上来", "我这边搞不清楚"]  # the rules know 不知道, not these
CLEAN = ["我帮您搞清楚{}", "我们会尽快问清楚{}", "{}我这就给您查一下", "{}稍等我核实一下", "{}请您放心"]
TEAM_ONLY = "{}我心里也没谱啊"  # taught by team.jsonl only


def _row(text: str, rule: str | None, group: str) -> str:
    label = "clean" if rule is None else "block"
    return json.dumps({"text": text, "label": label, "rule": rule, "group": group, "source": "test"},
                      ensure_ascii=False)


@pytest.fixture(scope="module")
def knowledge_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped knowledge with a small corpus: train, team and held-out files."""
    directory = tmp_path_factory.mktemp("intent") / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, directory, ignore=shutil.ignore_patterns("corpus"))
    corpus = directory / "corpus"
    (corpus / "heldout").mkdir(parents=True)
    train_rows = [_row(f"亲，{s}{core}{end}", "taboo.dont_know", core)
                  for core in DONT_KNOW for s in SUBJECTS for end in ("", "呢")]
    train_rows += [_row(f"亲，{t.format(s)}", None, t) for t in CLEAN for s in SUBJECTS]
    (corpus / "train.jsonl").write_text("\n".join(train_rows) + "\n", encoding="utf-8")
    team = [_row(TEAM_ONLY.format(s) + end, "taboo.dont_know", "team") for s in SUBJECTS for end in ("", "？", "。")]
    (corpus / "team.jsonl").write_text("\n".join(team) + "\n", encoding="utf-8")
    # Were held-out read, 今天天气真好 would be taught as arguing with the customer.
    heldout = [_row(f"今天天气真好{n}", "conduct.argue", "weather") for n in range(60)]
    (corpus / "heldout" / "argue.jsonl").write_text("\n".join(heldout) + "\n", encoding="utf-8")
    return directory


@pytest.fixture(scope="module")
def checker(knowledge_dir: Path) -> Checker:
    return LoadedKnowledge.from_directory(knowledge_dir).checker


PARAPHRASES = [
    ("退款进度我也搞不清楚", "taboo.dont_know"),
    ("亲，颜色这个我也说不上来呢", "taboo.dont_know"),
    ("好的，运费我这边搞不清楚", "taboo.dont_know"),
    ("包装我心里也没谱啊", "taboo.dont_know"),  # team.jsonl
]
WORDS = {"taboo.dont_know": "这个我不知道"}  # what the rule's own words catch
LOOK_ALIKES = [
    "亲，我帮您搞清楚退款进度",
    "我们会尽快问清楚颜色的事",
    "运费我这就给您查一下",
    "今天天气真好",  # taught only by the held-out file
    "亲，您好，很高兴为您服务",
]


@pytest.mark.parametrize(("draft", "rule"), PARAPHRASES)
def test_paraphrase_the_rules_miss_is_flagged_as_the_rule(checker: Checker, draft: str, rule: str) -> None:
    bare = Checker(checker.knowledge)
    assert not bare.check(draft).flags  # the rules' words alone miss it
    (flag,) = checker.check(draft).flags
    known = checker.knowledge.rule(rule)
    assert (flag.rule, flag.source, flag.severity, flag.reason, flag.name) == (
        rule, "intent", known.severity, known.reason, known.name)
    (by_words,) = bare.check(WORDS[rule]).flags
    assert flag.suggestions and flag.suggestions == by_words.suggestions
    assert flag.probability is not None and flag.probability >= 0.5
    assert flag.to_json()["source"] == "intent"


@pytest.mark.parametrize("draft", LOOK_ALIKES)
def test_clean_look_alike_stays_clean(checker: Checker, draft: str) -> None:
    assert checker.check(draft).verdict == "ok"


@pytest.mark.parametrize(("draft", "rule"), PARAPHRASES)
def test_traditional_characters_score_like_simplified(checker: Checker, draft: str, rule: str) -> None:
    simplified, traditional = checker.check(draft), checker.check(TO_TRADITIONAL.convert(draft))
    assert traditional.text != draft
    assert [(f.rule, f.probability) for f in traditional.flags] == [(f.rule, f.probability) for f in simplified.flags]


@pytest.mark.parametrize(
    ("draft", "matched"),
    [
        ("亲，退款*进度 我也搞不清楚。您稍等", "退款*进度 我也搞不清楚"),
        ("您好！！颜色😀我也说不上来。", "颜色😀我也说不上来"),
    ],
)
def test_span_is_the_clause_in_the_original(checker: Checker, draft: str, matched: str) -> None:
    (flag,) = checker.check(draft).flags
    assert draft[flag.start : flag.end] == flag.matched == matched


def test_a_rule_hit_in_the_clause_is_not_doubled(checker: Checker) -> None:
    flags = checker.check("这个我不知道，我也搞不清楚").flags
    assert [(f.rule, f.source) for f in flags] == [("taboo.dont_know", "rule"), ("taboo.dont_know", "intent")]
    assert [f.source for f in checker.check("这个我也搞不清楚不知道").flags] == ["rule"]


def test_held_out_files_are_never_read(knowledge_dir: Path) -> None:
    examples = read_corpus(knowledge_dir / "corpus")
    assert examples and all(e.rule in (None, "taboo.dont_know") for e in examples)
    model = train(examples)
    assert model is not None and model.rules == ("taboo.dont_know",)


def test_no_corpus_no_intent_layer(checker: Checker) -> None:
    assert load_intent(KNOWLEDGE_DIR.parent / "nowhere", checker.knowledge) is None
    plain = LoadedKnowledge.from_directory(KNOWLEDGE_DIR).checker
    if not (KNOWLEDGE_DIR / "corpus").is_dir():
        assert all(not plain.check(d).flags for d, _ in PARAPHRASES)


def test_model_survives_pickle(checker: Checker, knowledge_dir: Path) -> None:
    model = load_intent(knowledge_dir, checker.knowledge)
    copy = pickle.loads(pickle.dumps(model))
    assert copy == model
    again = Checker(checker.knowledge, copy)
    for draft in [d for d, _ in PARAPHRASES] + LOOK_ALIKES:
        assert again.check(draft).to_json() == checker.check(draft).to_json()


_DUMP = """
import json, sys
from pathlib import Path
from bot.checker.intent import IntentModel
from bot.checker.intent_train import read_corpus, train
from bot.checker.normalize import SEPARATOR, normalise
m = train(read_corpus(Path(sys.argv[1])))
print(json.dumps([m.rules, m.bias, m.threshold, sorted(m.weights.items()), sorted(m.triggers)]))
"""


@pytest.mark.parametrize("seeds", [("1", "2")])
def test_training_is_deterministic_across_processes(knowledge_dir: Path, seeds: tuple[str, str]) -> None:
    dumps = [
        subprocess.run([sys.executable, "-c", _DUMP, str(knowledge_dir / "corpus")], cwd=ROOT, check=True,
                       capture_output=True, text=True, env={"PYTHONHASHSEED": seed, "PATH": ""}).stdout
        for seed in seeds
    ]
    assert dumps[0] and dumps[0] == dumps[1]


@pytest.mark.parametrize(("draft", "rule"), PARAPHRASES[:2])
def test_must_pass_texts_are_never_flagged(knowledge_dir: Path, draft: str, rule: str) -> None:
    examples = read_corpus(knowledge_dir / "corpus")
    clauses = normalise(draft).text.split(SEPARATOR)
    assert any(train(examples).clause_scores(c) for c in clauses)
    assert not any(train(examples, must_pass=[draft]).clause_scores(c) for c in clauses)


@pytest.mark.parametrize("line", ['{"text": "好的", "label": "clean"', '{"text": "好的", "label": "block", "rule": null}', "[1, 2]"])
def test_a_broken_corpus_line_is_a_file_line_problem(tmp_path: Path, line: str) -> None:
    from bot.checker.intent_train import read_examples
    from bot.knowledge.problems import KnowledgeError

    path = tmp_path / "team.jsonl"
    path.write_text('{"text": "好的", "label": "clean", "rule": null}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(KnowledgeError) as error:
        read_examples(path)
    (problem,) = error.value.problems
    assert (problem.file, problem.line) == ("corpus/team.jsonl", 2)


def _two_bar_model() -> IntentModel:
    """One rule, 推脱 weighing 2 and 甩锅 4: a clause flagged from 1, blocked from 3."""
    return IntentModel(rules=("shirk.not_our_problem",), sizes=(2,), bias=(0.0,), threshold=(1.0,), sure=(3.0,),
                       weights={"推脱": ((0, 2.0),), "甩锅": ((0, 4.0),)}, triggers=frozenset({"推脱", "甩锅"}))


@pytest.mark.parametrize(("clause", "expected"), [
    ("有点推脱", ((0, 2.0, False),)),  # over the flagging bar, short of the blocking one: a warning
    ("就是甩锅", ((0, 4.0, True),)),
    ("没问题的", ()),
])
def test_two_bars_a_warning_under_the_blocking_one(clause: str, expected: tuple[tuple[int, float, bool], ...]) -> None:
    assert _two_bar_model().clause_scores(clause) == expected


def test_a_flag_the_model_is_not_sure_of_warns_and_the_rewrite_leaves_its_clause(
        checker: Checker, knowledge_dir: Path) -> None:
    model = load_intent(knowledge_dir, checker.knowledge)
    assert model is not None
    unsure = Checker(checker.knowledge, replace(model, sure=tuple(float("inf") for _ in model.sure)))
    result = unsure.check("亲，库存我也搞不清楚，您好")
    intent = [f for f in result.flags if f.source == "intent"]
    assert intent and all(f.severity.value == "warn" and not f.sure for f in intent)
    assert result.verdict == "warn"
    assert result.rewrite is None  # nothing sure to mend: the agent looks again, no guess offered
