"""Practice scenarios from ``knowledge/scenarios.yaml``, every mistake named with its line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.knowledge.loader import KnowledgeError
from bot.knowledge.yamlnodes import Mapping, Problem, Sequence, read_yaml

FILE = "scenarios.yaml"


@dataclass(frozen=True, slots=True)
class Scenario:
    id: str
    title: str
    customer: tuple[str, ...]  # what the customer says, turn by turn
    needs_apology: bool


def load_scenarios(directory: Path) -> tuple[Scenario, ...]:
    path = directory / FILE
    if not path.exists():
        return ()
    try:
        data = read_yaml(path, FILE)
    except Problem as problem:
        raise KnowledgeError([problem]) from problem
    items = data.get("scenarios") if isinstance(data, Mapping) else None
    if not isinstance(items, Sequence):
        raise KnowledgeError([Problem(FILE, 1, "expected 'scenarios:' with a list")])
    problems: list[Problem] = []
    scenarios = []
    for item, line in zip(items, items.item_lines):
        customer = item.get("customer") if isinstance(item, dict) else None
        if not isinstance(item, dict) or not item.get("id") or not item.get("title"):
            problems.append(Problem(FILE, line, "a scenario needs id and title"))
        elif not isinstance(customer, list) or not customer or not all(isinstance(c, str) and c for c in customer):
            problems.append(Problem(FILE, line, "customer: a list of what the customer says"))
        else:
            scenarios.append(Scenario(str(item["id"]), str(item["title"]), tuple(customer),
                                      bool(item.get("needs_apology", False))))
    if len({s.id for s in scenarios}) != len(scenarios):
        problems.append(Problem(FILE, items.line, "two scenarios share an id"))
    if problems:
        raise KnowledgeError(problems)
    return tuple(scenarios)
