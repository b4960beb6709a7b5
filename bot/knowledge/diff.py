"""What changed between two versions of the knowledge, in terms a supervisor reads.

Phrasings and rules are compared by id (added, removed, changed, with the text before and
after); any other file that changed is named. The line-by-line diff of the files is there
too (``python -m bot knowledge diff``) for whoever wants every character.
"""

from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass
from typing import Any

from bot.knowledge.models import BannedRule, Knowledge, Phrasing
from bot.knowledge.snapshot import Snapshot

ADDED, REMOVED, CHANGED = "added", "removed", "changed"


@dataclass(frozen=True, slots=True)
class Change:
    what: str  # phrasing | rule | file
    id: str  # phrasing or rule id, or the file's path
    change: str  # added | removed | changed
    before: str = ""
    after: str = ""
    name: str = ""  # a rule's human name (versions recorded before names have none)

    @property
    def label(self) -> str:
        """How the change names its item: a rule by name with its id (admin views show both)."""
        return f"{self.name}（{self.id}）" if self.name else self.id

    def as_json(self) -> dict[str, Any]:
        """Without ``name`` where there is none (phrasings, files): the stored record stays as it was."""
        return {k: v for k, v in asdict(self).items() if k != "name" or v}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Change:
        return cls(**data)


def compare(before: Knowledge | None, after: Knowledge, old: Snapshot | None, new: Snapshot) -> list[Change]:
    """Changes from ``before`` to ``after``; ``None`` before means the first version (no changes)."""
    if before is None or old is None:
        return []
    changes = _by_id("phrasing", {p.id: p for p in before.phrasings}, {p.id: p for p in after.phrasings}, _phrasing_text)
    changes += _by_id("rule", {r.id: r for r in before.rules}, {r.id: r for r in after.rules}, _rule_text, _rule_name)
    for path in sorted(old.files.keys() | new.files.keys()):
        if path.startswith(("phrasings/", "rules/")) or old.files.get(path) == new.files.get(path):
            continue
        change = ADDED if path not in old.files else REMOVED if path not in new.files else CHANGED
        changes.append(Change("file", path, change))
    return changes


def unified(old: Snapshot, new: Snapshot) -> str:
    """The files' line-by-line diff (unified format)."""
    chunks: list[str] = []
    for path in sorted(old.files.keys() | new.files.keys()):
        a, b = old.files.get(path, ""), new.files.get(path, "")
        if a != b:
            chunks.extend(difflib.unified_diff(
                a.splitlines(keepends=True), b.splitlines(keepends=True), f"a/{path}", f"b/{path}"))
    return "".join(chunks)


def _by_id(
    what: str, old: dict[str, Any], new: dict[str, Any], describe: Any, named: Any = lambda _: ""
) -> list[Change]:
    changes = [Change(what, i, REMOVED, before=describe(old[i]), name=named(old[i])) for i in old if i not in new]
    for i, item in new.items():
        if i not in old:
            changes.append(Change(what, i, ADDED, after=describe(item), name=named(item)))
        elif old[i] != item:
            changes.append(Change(what, i, CHANGED, before=describe(old[i]), after=describe(item), name=named(item)))
    return changes


def _phrasing_text(phrasing: Phrasing) -> str:
    return phrasing.text


def _rule_name(rule: BannedRule) -> str:
    return rule.name


def _rule_text(rule: BannedRule) -> str:
    words = "、".join(rule.phrases + rule.patterns) or rule.detector or ""
    return f"{words}（{rule.reason}）"
