"""What a proposal says, read from what a person typed, and checked before anyone reviews it.

A phrasing comes from a real reply, so it carries that reply's particulars: the order
number, the agent's own name, the shop. Those become placeholders (``{order_id}``, ``{agent}``,
``{shop}``) so that the approved text fits every customer. A banned rule is typed as a short
form, one field per line::

    禁用：这个没办法、没法弄
    原因：推卸责任，顾客会觉得被敷衍
    替换：我来帮您想想办法
    允许：没办法联系上
    级别：禁止
    名称：说“没办法”（optional: what the rule forbids, as people will read it)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.errors import UserError
from bot.knowledge.edits import NewRule
from bot.knowledge.models import PLACEHOLDER_NAMES, PLACEHOLDER_RE

MIN_CHARS, MAX_CHARS = 4, 300
_LIST_SEPARATORS = re.compile(r"\s*[、;；|｜]\s*")  # not the comma: a replacement is a sentence
_FIELDS = {
    "禁用": "phrases", "禁用语": "phrases", "短语": "phrases", "phrases": "phrases",
    "原因": "reason", "理由": "reason", "reason": "reason",
    "替换": "replace", "建议": "replace", "replace": "replace",
    "允许": "allowed", "例外": "allowed", "allowed": "allowed",
    "级别": "severity", "severity": "severity",
    "类别": "category", "分类": "category", "category": "category",
    "名称": "name", "名字": "name", "name": "name",
}
MAX_NAME = 30
_SEVERITIES = {"禁止": "block", "block": "block", "提醒": "warn", "警告": "warn", "warn": "warn"}
DEFAULT_CATEGORY = "团队新增"


@dataclass(frozen=True, slots=True)
class Particulars:
    """What to turn back into placeholders: the agent's name, the shop, order numbers found."""

    agent: str
    shop: str
    order_numbers: tuple[str, ...]


def phrasing_text(text: str, particulars: Particulars) -> str:
    """The text to propose: trimmed, one line, particulars made placeholders; or UserError."""
    text = " ".join(text.split())
    for number in particulars.order_numbers:
        text = text.replace(number, "{order_id}")
    for name, value in (("agent", particulars.agent), ("shop", particulars.shop)):
        if value and len(value) >= 2:
            text = text.replace(value, "{" + name + "}")
    if not MIN_CHARS <= len(text) <= MAX_CHARS:
        raise UserError("proposal.length", low=MIN_CHARS, high=MAX_CHARS)
    unknown = sorted(set(PLACEHOLDER_RE.findall(text)) - PLACEHOLDER_NAMES)
    if unknown or text.count("{") != text.count("}"):
        raise UserError("proposal.placeholder", names="、".join(unknown) or "{ }")
    return text


def rule_form(text: str) -> NewRule:
    """A banned rule from the form; every problem is named (UserError), nothing is guessed."""
    values: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.replace("：", ":", 1).partition(":")
        field = _FIELDS.get(key.strip().lower())
        if sep and field:
            values[field] = value.strip()
        elif line.strip():
            raise UserError("rule_form.bad_line", line=line.strip()[:40])
    phrases = _items(values.get("phrases", ""))
    reason = values.get("reason", "")
    replace = _items(values.get("replace", ""))
    if not phrases or not reason or not replace:  # an agent told "don't" must be told what instead
        raise UserError("rule_form.missing")
    if any(len(p) < 2 or len(p) > 50 for p in phrases):
        raise UserError("rule_form.phrase_length")
    severity = _SEVERITIES.get(values.get("severity", "禁止").lower())
    if severity is None:
        raise UserError("rule_form.severity", given=values["severity"])
    return NewRule(
        phrases=phrases, reason=reason[:200], category=(values.get("category") or DEFAULT_CATEGORY)[:20],
        severity=severity, allowed=_items(values.get("allowed", "")), replace=replace,
        name=values.get("name", "")[:MAX_NAME],
    )


def rule_as_form(rule: NewRule) -> str:
    """The form again (for a reviewer to edit)."""
    severity = "禁止" if rule.severity == "block" else "提醒"
    lines = [f"名称：{rule.name}"] if rule.name else []
    lines += [f"禁用：{'、'.join(rule.phrases)}", f"原因：{rule.reason}", f"级别：{severity}", f"类别：{rule.category}"]
    lines += [f"{label}：{'、'.join(items)}" for label, items in (("替换", rule.replace), ("允许", rule.allowed)) if items]
    return "\n".join(lines)


def _items(value: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item for item in _LIST_SEPARATORS.split(value.strip()) if item))
