"""The team's examples for the intent classifier: ``corpus/team.jsonl``, one JSON object a line.

Written by the bot when a supervisor's confirmation of a disputed flag (a clean example) or
of a missed one (a flag example) is approved; part of the knowledge versions like the rules
(see :mod:`bot.knowledge.snapshot`), so a rollback takes the examples back with the rules.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from bot.knowledge.snapshot import TEAM_CORPUS, Snapshot

CLEAN = "clean"


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    label: str  # clean, or the rule's severity (block / warn)
    rule: str | None  # the rule id; None for a clean example
    group: str  # team-<dispute id> / team-missed-<proposal id>: lines of one case stay together
    source: str = "team"


def add_example(snapshot: Snapshot, example: Example) -> Snapshot:
    """One line more at the end of ``corpus/team.jsonl`` (made if there is none)."""
    text = snapshot.files.get(TEAM_CORPUS, "")
    if text and not text.endswith("\n"):
        text += "\n"
    return snapshot.with_file(TEAM_CORPUS, text + json.dumps(asdict(example), ensure_ascii=False) + "\n")


def examples(snapshot: Snapshot) -> list[Example]:
    """The team's examples (blank lines skipped)."""
    return [Example(**json.loads(line)) for line in snapshot.files.get(TEAM_CORPUS, "").splitlines() if line.strip()]
