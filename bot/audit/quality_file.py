"""Reading and validating ``knowledge/quality.yaml`` (see :mod:`bot.audit.quality`): every
mistake named with its line, in Chinese, for the supervisor who edits the file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.audit.quality import FILE, LATE_GREETING, MEASURES, SLOW_ANSWER, Quality, QualityRule
from bot.knowledge.problems import KnowledgeError, Problem
from bot.knowledge.yamlnodes import Mapping, Sequence, read_yaml

MAX_NAME = 30  # a rule's name is a label in a table and a chart legend
_RULE_KEYS = {"id", "name", "points", "max_points", "source", "quote", "limit_seconds", "limit_chars", "words"}
_TOP_KEYS = {"idle_minutes", "score", "rules"}


def load_quality(directory: Path) -> Quality:
    """Read and validate ``directory/quality.yaml``; :class:`KnowledgeError` lists every problem."""
    path = Path(directory) / FILE
    if not path.is_file():
        raise KnowledgeError([Problem(FILE, None, "缺少这个文件：质检对话要用它的时限和扣分（见 knowledge/README.md）"
                                                  " / missing")])
    try:
        data = read_yaml(path, FILE)
    except Problem as problem:
        raise KnowledgeError([problem]) from problem
    problems: list[Problem] = []
    quality = _quality(data, problems)
    if problems or quality is None:
        raise KnowledgeError(problems)
    return quality


def _quality(data: Any, problems: list[Problem]) -> Quality | None:
    if not isinstance(data, Mapping):
        problems.append(Problem(FILE, 1, "应当是 idle_minutes:、score:、rules: 这样的键值 / expected a mapping"))
        return None
    _unknown(data, _TOP_KEYS, data.line, problems)
    idle = _number(data, "idle_minutes", data.line, problems, most=24 * 60)
    score = _number(data, "score", data.line, problems, most=1000)
    listed = data.get("rules")
    if not isinstance(listed, Sequence):
        problems.append(Problem(FILE, data.key_lines.get("rules", data.line), "rules: 下面应当是规则列表 / expected a list"))
        return None
    rules: dict[str, QualityRule] = {}
    for item, line in zip(listed, listed.item_lines):
        rule = _rule(item, line, problems)
        if rule is None:
            continue
        if rule.id in rules:
            problems.append(Problem(FILE, line, f"规则 {rule.id} 写了两次 / rule listed twice"))
        rules[rule.id] = rule
    written = {item.get("id") for item in listed if isinstance(item, Mapping)}  # broken ones too
    missing = [rule for rule in MEASURES if rule not in written]
    if missing:
        problems.append(Problem(FILE, listed.line, f"缺少规则：{', '.join(missing)}（每条都要有）/ rules missing"))
    if problems or idle is None or score is None:
        return None
    quality = Quality(idle, score, rules)
    for rule in (LATE_GREETING, SLOW_ANSWER):
        if rules[rule].limit >= quality.idle_seconds:  # type: ignore[operator]
            problems.append(Problem(FILE, data.key_lines["idle_minutes"],
                                    f"idle_minutes 应当比 {rule} 的时限长：否则等待还没超时对话就先结束了"))
    return None if problems else quality


def _rule(item: Any, line: int, problems: list[Problem]) -> QualityRule | None:
    if not isinstance(item, Mapping):
        problems.append(Problem(FILE, line, "每条规则应当是 id:、name:、points: … 这样的键值 / expected a mapping"))
        return None
    before = len(problems)
    _unknown(item, _RULE_KEYS, line, problems)
    rule_id = item.get("id")
    if rule_id not in MEASURES:
        where = item.key_lines.get("id", line)
        problems.append(Problem(FILE, where, f"规则 id「{rule_id}」不认识；可用的 id：{', '.join(MEASURES)}"))
        return None
    name = _text(item, "name", line, problems)
    if len(name) > MAX_NAME:
        problems.append(Problem(FILE, item.key_lines["name"], f"name 太长（最多 {MAX_NAME} 字）"))
    points = _number(item, "points", line, problems, most=1000, zero_ok=True)
    most = _number(item, "max_points", line, problems, most=1000, zero_ok=True, required=False)
    if points is not None and most is not None and most < points:
        problems.append(Problem(FILE, item.key_lines["max_points"], "max_points 不能比 points 小"))
    source, quote = _text(item, "source", line, problems), _text(item, "quote", line, problems)
    measure = MEASURES[rule_id]
    for key in ("limit_seconds", "limit_chars", "words"):
        if key in item and key != measure:
            problems.append(Problem(FILE, item.key_lines[key], f"规则 {rule_id} 不用 {key}"))
    limit, words = None, ()
    if measure == "words":
        words = _words(item, line, problems)
    elif measure is not None:
        limit = _number(item, measure, line, problems, most=3600 if measure == "limit_seconds" else 10_000)
    if len(problems) > before or points is None:
        return None
    return QualityRule(rule_id, name, points, most, source, quote, limit, words)


def _unknown(mapping: Mapping, known: set[str], line: int, problems: list[Problem]) -> None:
    for key in mapping:
        if key not in known:
            problems.append(Problem(FILE, mapping.key_lines.get(key, line),
                                    f"不认识的键「{key}」（可用：{', '.join(sorted(known))}）/ unknown key"))


def _number(
    mapping: Mapping, key: str, line: int, problems: list[Problem], *,
    most: float, zero_ok: bool = False, required: bool = True,
) -> float | None:
    value = mapping.get(key)
    where = mapping.key_lines.get(key, line)
    if value is None:
        if required:
            problems.append(Problem(FILE, line, f"缺少 {key} / '{key}' is missing"))
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        problems.append(Problem(FILE, where, f"{key} 应当是数字，现在是「{value}」/ must be a number"))
        return None
    if value < 0 or (value == 0 and not zero_ok) or value > most:
        low = "不小于 0" if zero_ok else "大于 0"
        problems.append(Problem(FILE, where, f"{key} 应当{low}、不超过 {most:g}，现在是 {value:g}"))
        return None
    return float(value)


def _text(mapping: Mapping, key: str, line: int, problems: list[Problem]) -> str:
    value = mapping.get(key)
    if not isinstance(value, str) or not value.strip():
        where = mapping.key_lines.get(key, line)
        problems.append(Problem(FILE, where, f"{key} 应当是一段文字（不能空）/ '{key}' must be non-empty text"))
        return ""
    return value.strip()


def _words(mapping: Mapping, line: int, problems: list[Problem]) -> tuple[str, ...]:
    value = mapping.get("words")
    if not isinstance(value, list) or not value or not all(isinstance(w, str) and w.strip() for w in value):
        problems.append(Problem(FILE, mapping.key_lines.get("words", line), "words 应当是不空的词语列表，如 [亲, 您]"))
        return ()
    return tuple(w.strip() for w in value)
