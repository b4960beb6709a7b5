"""What an audit found, as counters only, and the summary a supervisor reads.

A day of chats can be millions of lines: the summary keeps counts per agent and per rule and at
most three example snippets per rule, never the messages themselves (flagged lines go to the
``--jsonl`` / ``--csv`` files as they are found).
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from bot.checker.result import CheckResult

MAX_EXAMPLES = 3
MAX_EXAMPLE_CHARS = 40
# Beyond this many distinct agents (a malformed export) the rest are counted together.
MAX_AGENTS = 5_000
OTHER_AGENTS = "(其他 others)"
SHOWN_AGENTS = 100

_SKIP_LABELS = {
    "customer": "顾客消息 customer",
    "unknown_role": "角色不明 unknown role",
    "empty": "空行 empty",
    "malformed": "格式错误 malformed",
}


@dataclass(slots=True)
class AgentStats:
    checked: int = 0
    flagged: int = 0
    blocked: int = 0
    warned: int = 0
    rules: Counter[str] = field(default_factory=Counter)  # rule id → flags


@dataclass(slots=True)
class RuleStats:
    severity: str
    name: str  # what the printed summary shows; the rule id stays the key
    hits: int = 0  # flags (a line can break a rule twice)
    lines: int = 0  # lines with at least one flag of the rule
    examples: list[str] = field(default_factory=list)


@dataclass(slots=True)
class AuditSummary:
    file: str
    encoding: str
    format: str
    read: int = 0
    checked: int = 0
    flagged: int = 0
    blocked: int = 0
    warned: int = 0
    truncated: int = 0
    elapsed: float = 0.0
    skipped: Counter[str] = field(default_factory=Counter)
    agents: dict[str, AgentStats] = field(default_factory=dict)
    rules: dict[str, RuleStats] = field(default_factory=dict)

    # -- counting -----------------------------------------------------------------------

    def skip(self, reason: str) -> None:
        self.read += 1
        self.skipped[reason] += 1

    def add(self, agent: str, result: CheckResult, truncated: bool = False) -> None:
        """Count one checked message."""
        self.read += 1
        self.checked += 1
        self.truncated += truncated
        stats = self.agents.get(agent)
        if stats is None:
            if len(self.agents) >= MAX_AGENTS:
                agent = OTHER_AGENTS
            stats = self.agents.setdefault(agent, AgentStats())
        stats.checked += 1
        if not result.flags:
            return
        verdict = result.verdict
        self.flagged += 1
        stats.flagged += 1
        if verdict == "block":
            self.blocked += 1
            stats.blocked += 1
        else:
            self.warned += 1
            stats.warned += 1
        seen: set[str] = set()
        for flag in result.flags:
            stats.rules[flag.rule] += 1
            rule = self.rules.get(flag.rule)
            if rule is None:
                rule = self.rules[flag.rule] = RuleStats(flag.severity.value, flag.name)
            rule.hits += 1
            if flag.rule not in seen:
                seen.add(flag.rule)
                rule.lines += 1
            snippet = flag.matched[:MAX_EXAMPLE_CHARS]
            if len(rule.examples) < MAX_EXAMPLES and snippet not in rule.examples:
                rule.examples.append(snippet)

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())

    @property
    def lines_per_second(self) -> float:
        return self.read / self.elapsed if self.elapsed > 0 else 0.0

    def agents_by_flagged(self) -> list[tuple[str, AgentStats]]:
        return sorted(self.agents.items(), key=lambda kv: (-kv[1].flagged, -kv[1].blocked, kv[0]))

    def rules_by_hits(self) -> list[tuple[str, RuleStats]]:
        return sorted(self.rules.items(), key=lambda kv: (-kv[1].hits, kv[0]))

    def to_json(self) -> dict[str, Any]:
        """Everything counted, for the database record and for machines."""
        return {
            "file": self.file, "encoding": self.encoding, "format": self.format,
            "lines_read": self.read, "lines_checked": self.checked,
            "lines_skipped": self.skipped_total, "skipped": dict(self.skipped),
            "flagged": self.flagged, "blocked": self.blocked, "warned": self.warned,
            "truncated": self.truncated, "elapsed_seconds": round(self.elapsed, 3),
            "agents": {
                name: {"checked": s.checked, "flagged": s.flagged, "blocked": s.blocked,
                       "warned": s.warned, "rules": dict(s.rules)}
                for name, s in self.agents_by_flagged()
            },
            "rules": {
                rule: {"severity": s.severity, "name": s.name, "hits": s.hits,
                       "lines": s.lines, "examples": list(s.examples)}
                for rule, s in self.rules_by_hits()
            },
        }


# -- printing -------------------------------------------------------------------------------

def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell(text: str, width: int, right: bool = False) -> str:
    pad = " " * max(0, width - _width(text))
    return pad + text if right else text + pad


def text_table(headers: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(_width(r[i]) for r in [headers, *rows]) for i in range(len(headers))]
    out = []
    for row in [headers, *rows]:
        cells = [_cell(v, widths[i], i in right) for i, v in enumerate(row)]
        out.append("  " + "  ".join(cells).rstrip())
    return out


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "0%"


def format_summary(summary: AuditSummary) -> str:
    """The summary printed at the end of ``python -m bot audit``."""
    s = summary
    lines = [
        f"质检结果 / audit: {s.file}",
        f"  格式 format: {s.format} · 编码 encoding: {s.encoding}",
        f"  读取 read: {s.read:,} · 检查 checked: {s.checked:,} · 跳过 skipped: {s.skipped_total:,}",
    ]
    if s.skipped:
        detail = ", ".join(f"{_SKIP_LABELS.get(k, k)} {v:,}" for k, v in sorted(s.skipped.items()))
        lines.append(f"    ({detail})")
    lines.append(
        f"  有问题 flagged: {s.flagged:,} ({percent(s.flagged, s.checked)})"
        f" · ⛔ 不可发送 block: {s.blocked:,} · ⚠ 建议修改 warn: {s.warned:,}"
    )
    if s.truncated:
        lines.append(f"  过长截断 truncated (> 10,000 字 chars, first 10,000 checked): {s.truncated:,}")
    lines.append(f"  用时 elapsed: {s.elapsed:.1f} s ({s.lines_per_second:,.0f} lines/s)")
    if s.agents:
        lines += ["", "按客服 per agent:"]
        rows = []
        ranked = s.agents_by_flagged()
        for name, a in ranked[:SHOWN_AGENTS]:
            top = ", ".join(f"{s.rules[rule].name}×{n}" for rule, n in a.rules.most_common(3))
            rows.append([name, f"{a.checked:,}", f"{a.flagged:,}", percent(a.flagged, a.checked),
                         f"{a.blocked:,}", f"{a.warned:,}", top])
        lines += text_table(["客服 agent", "检查 checked", "有问题 flagged", "%", "⛔ block", "⚠ warn",
                         "主要问题 top rules"], rows, right={1, 2, 3, 4, 5})
        if len(ranked) > SHOWN_AGENTS:
            lines.append(f"  … 还有 {len(ranked) - SHOWN_AGENTS:,} 位客服 / more agents")
    if s.rules:
        lines += ["", "按规则 per rule:"]
        rows = [[r.name, r.severity, f"{r.hits:,}", f"{r.lines:,}", " / ".join(f"「{e}」" for e in r.examples)]
                for _, r in s.rules_by_hits()]
        lines += text_table(["规则 rule", "级别 severity", "次数 hits", "行 lines", "例子 examples"], rows,
                        right={2, 3})
    elif s.checked:
        lines += ["", "没有发现问题 / nothing flagged ✅"]
    return "\n".join(lines)
