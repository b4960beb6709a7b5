"""Load and validate a knowledge directory.

Every problem found is collected (not just the first), each naming file and line, so a
supervisor fixing a file sees everything wrong at once. Nothing half-valid is ever returned:
either a whole consistent :class:`Knowledge`, or :class:`KnowledgeError`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bot.checker.anchors import NoAnchor, compile_pattern
from bot.checker.context import CONTEXTS
from bot.checker.detectors import DETECTORS
from bot.checker.intent import IntentModel
from bot.checker.normalize import normalise_pattern, simplified
from bot.knowledge.models import (
    PLACEHOLDER_NAMES,
    PLACEHOLDER_RE,
    BannedRule,
    Kind,
    Knowledge,
    Phrasing,
    Severity,
    Situation,
    TimeOfDay,
)
from bot.knowledge.problems import KnowledgeError, Problem
from bot.knowledge.yamlnodes import Mapping, Sequence, read_yaml

_ID_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")
_MAX_TEXT = 500
_MAX_NAME = 30  # a name is a label: a chart legend, a line of a verdict


class _Reader:
    """Typed access to one YAML mapping, recording problems with the right line."""

    def __init__(self, file: str, mapping: Any, line: int, problems: list[Problem]) -> None:
        self.file, self.problems = file, problems
        self.ok = isinstance(mapping, Mapping)
        self.mapping: Mapping = mapping if self.ok else Mapping()
        self.line = getattr(mapping, "line", line)
        if not self.ok:
            self.fail(self.line, "expected a mapping of 'key: value'")

    def fail(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(self.file, line, message))
        self.ok = False

    def line_of(self, key: str) -> int:
        return self.mapping.key_lines.get(key, self.line)

    def text(self, key: str, *, required: bool = True, default: str = "") -> str:
        value = self.mapping.get(key)
        if value is None:
            if required:
                self.fail(self.line, f"'{key}' is missing")
            return default
        if not isinstance(value, str) or not value.strip():
            self.fail(self.line_of(key), f"'{key}' must be non-empty text")
            return default
        if len(value) > _MAX_TEXT:
            self.fail(self.line_of(key), f"'{key}' is longer than {_MAX_TEXT} characters")
        return value.strip()

    def texts(self, key: str, *, required: bool = False) -> tuple[str, ...]:
        value = self.mapping.get(key)
        if value is None:
            if required:
                self.fail(self.line, f"'{key}' is missing")
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.fail(self.line_of(key), f"'{key}' must be a list of texts")
            return ()
        items: list[str] = []
        lines = getattr(value, "item_lines", [self.line_of(key)] * len(value))
        for item, line in zip(value, lines):
            if not isinstance(item, (str, int)) or not str(item).strip():
                self.fail(line, f"every entry of '{key}' must be non-empty text")
                continue
            items.append(str(item).strip())
        return tuple(items)

    def boolean(self, key: str, default: bool) -> bool:
        value = self.mapping.get(key, default)
        if not isinstance(value, bool):
            self.fail(self.line_of(key), f"'{key}' must be true or false")
            return default
        return value

    def choice(self, key: str, choices: type[Any], default: Any = None) -> Any:
        value = self.mapping.get(key)
        if value is None and default is not None:
            return default
        try:
            return choices(value)
        except ValueError:
            allowed = " or ".join(c.value for c in choices)
            line = self.line_of(key) if key in self.mapping else self.line
            self.fail(line, f"'{key}' is {value!r}; expected {allowed}")
            return default

    def identifier(self, key: str = "id") -> str:
        value = self.text(key)
        if value and not _ID_RE.match(value):
            self.fail(self.line_of(key), f"id {value!r} must be lower-case letters, digits, _ and .")
        return value

    def unknown_keys(self, known: set[str]) -> None:
        for key in self.mapping:
            if key not in known:
                self.fail(self.line_of(key), f"unknown key '{key}' (known: {', '.join(sorted(known))})")


def _records(
    data: Any, key: str, file: str, problems: list[Problem]
) -> Iterator[tuple[Any, int]]:
    top = _Reader(file, data, 1, problems)
    if not top.ok:
        return
    items = top.mapping.get(key)
    if not isinstance(items, Sequence):
        top.fail(top.line_of(key), f"expected a list under '{key}:'")
        return
    yield from zip(items, items.item_lines)


def _load_named(
    directory: Path, name: str, key: str, build: Callable[[_Reader], Any], problems: list[Problem]
) -> list[Any]:
    path = directory / name
    if not path.is_file():
        problems.append(Problem(name, None, "file is missing"))
        return []
    try:
        data = read_yaml(path, name)
    except Problem as problem:
        problems.append(problem)
        return []
    found = []
    for item, line in _records(data, key, name, problems):
        reader = _Reader(name, item, line, problems)
        if reader.ok:
            value = build(reader)
            if reader.ok:
                found.append((value, name, reader.line))
    return found


def _kind(reader: _Reader) -> Kind:
    reader.unknown_keys({"id", "label", "words"})
    return Kind(reader.identifier(), reader.text("label"), reader.texts("words"))


def _situation(reader: _Reader) -> Situation:
    reader.unknown_keys({"id", "label", "words"})
    return Situation(reader.identifier(), reader.text("label"), reader.texts("words"))


def _phrasing(kind: str) -> Callable[[_Reader], Phrasing]:
    def build(reader: _Reader) -> Phrasing:
        reader.unknown_keys({"id", "text", "situations", "keywords", "source", "time_of_day"})
        phrasing = Phrasing(
            id=reader.identifier(),
            kind=kind,
            text=reader.text("text"),
            situations=reader.texts("situations"),
            keywords=reader.texts("keywords"),
            source=reader.text("source", required=False, default="team"),
            time_of_day=reader.choice("time_of_day", TimeOfDay, TimeOfDay.ANY),
        )
        for name in PLACEHOLDER_RE.findall(phrasing.text):
            if name not in PLACEHOLDER_NAMES:
                reader.fail(
                    reader.line_of("text"),
                    f"unknown placeholder {{{name}}} (allowed: {', '.join(sorted(PLACEHOLDER_NAMES))})",
                )
        if phrasing.source not in ("seed", "team"):
            reader.fail(reader.line_of("source"), "'source' must be seed or team")
        return phrasing

    return build


_RULE_KEYS = {
    "id", "name", "severity", "category", "reason", "source", "phrases", "patterns", "fuzzy",
    "allowed", "replace", "phrasings", "detector", "unless",
}


def _rule(reader: _Reader) -> BannedRule:
    """A rule; the texts people read are made simplified here, once (handbooks quote 繁體)."""
    reader.unknown_keys(_RULE_KEYS)
    name = reader.text("name", required=False)
    if len(name) > _MAX_NAME:
        reader.fail(reader.line_of("name"), f"'name' is longer than {_MAX_NAME} characters")
    rule = BannedRule(
        id=reader.identifier(),
        name=simplified(name),
        severity=reader.choice("severity", Severity),
        category=simplified(reader.text("category")),
        reason=simplified(reader.text("reason")),
        source=simplified(reader.text("source", required=False)),
        phrases=reader.texts("phrases"),
        patterns=reader.texts("patterns"),
        fuzzy=reader.boolean("fuzzy", True),
        allowed=reader.texts("allowed"),
        replace=reader.texts("replace"),
        phrasings=reader.texts("phrasings"),
        detector=reader.text("detector", required=False, default="") or None,
        unless=reader.texts("unless"),
    )
    unknown = [u for u in rule.unless if u not in CONTEXTS]
    if unknown:
        reader.fail(reader.line_of("unless"), f"unknown context {unknown[0]!r} in 'unless' (known: {', '.join(CONTEXTS)})")
    if not (rule.replace or rule.phrasings):
        reader.fail(reader.line, f"rule {rule.id!r} needs a replacement: 'replace' or 'phrasings'")
    if not (rule.phrases or rule.patterns or rule.detector):
        reader.fail(reader.line, f"rule {rule.id!r} needs phrases, patterns or a detector")
    if rule.detector is not None and rule.detector not in DETECTORS:
        reader.fail(
            reader.line_of("detector"),
            f"unknown detector {rule.detector!r} (known: {', '.join(sorted(DETECTORS))})",
        )
    for phrase in rule.phrases:
        if not normalise_pattern(phrase):
            reader.fail(reader.line_of("phrases"), f"phrase {phrase!r} is only punctuation")
    for pattern in rule.patterns:
        _check_pattern(reader, pattern)
    return rule


def _check_pattern(reader: _Reader, pattern: str) -> None:
    line = reader.line_of("patterns")
    try:
        _, anchors = compile_pattern(pattern)
    except re.error as exc:
        reader.fail(line, f"pattern {pattern!r} is not a valid regular expression: {exc}")
        return
    except NoAnchor as exc:
        reader.fail(line, str(exc))
        return
    for anchor in anchors:
        if normalise_pattern(anchor) != anchor:
            reader.fail(
                line,
                f"pattern {pattern!r}: write patterns in simplified, lower-case form "
                f"({anchor!r} is matched as {normalise_pattern(anchor)!r})",
            )


def _unique(items: list[tuple[Any, str, int]], what: str, problems: list[Problem]) -> None:
    seen: dict[str, str] = {}
    for value, file, line in items:
        if value.id in seen:
            problems.append(Problem(file, line, f"{what} id {value.id!r} already used in {seen[value.id]}"))
        seen[value.id] = file


def load_knowledge(directory: Path) -> Knowledge:
    """Read and validate ``directory``; raise :class:`KnowledgeError` listing every problem."""
    directory = Path(directory)
    problems: list[Problem] = []
    if not directory.is_dir():
        raise KnowledgeError([Problem(str(directory), None, "knowledge directory not found")])
    kinds = _load_named(directory, "kinds.yaml", "kinds", _kind, problems)
    situations = _load_named(directory, "situations.yaml", "situations", _situation, problems)
    phrasings: list[tuple[Phrasing, str, int]] = []
    for path in sorted((directory / "phrasings").glob("*.y*ml")):
        phrasings += _load_phrasing_file(directory, path, problems)
    rules: list[tuple[BannedRule, str, int]] = []
    for path in sorted((directory / "rules").glob("*.y*ml")):
        rules += _load_named(directory, str(path.relative_to(directory)), "rules", _rule, problems)
    if not rules and not problems:
        problems.append(Problem("rules/", None, "no rule files found"))
    _unique(kinds, "kind", problems)
    _unique(situations, "situation", problems)
    _unique(phrasings, "phrasing", problems)
    _unique(rules, "rule", problems)
    _check_references(kinds, situations, phrasings, rules, problems)
    if problems:
        raise KnowledgeError(problems)
    files = ["kinds.yaml", "situations.yaml"]
    files += sorted({f for _, f, _ in phrasings} | {f for _, f, _ in rules})
    return Knowledge(
        kinds=tuple(k for k, _, _ in kinds),
        situations=tuple(s for s, _, _ in situations),
        phrasings=tuple(p for p, _, _ in phrasings),
        rules=tuple(r for r, _, _ in rules),
        files=tuple(files),
    )


def load_intent(directory: Path, knowledge: Knowledge) -> IntentModel | None:
    """The intent layer trained on ``directory/corpus`` (None without a corpus). The approved
    phrasings and the rules' replacements are clean examples too, and must pass: what we tell
    agents to say is never flagged."""
    from bot.checker.intent_train import Example, read_corpus, train

    corpus = Path(directory) / "corpus"
    if not corpus.is_dir():
        return None
    approved = [p.text for p in knowledge.phrasings] + [t for r in knowledge.rules for t in r.replace]
    examples = read_corpus(corpus) + [Example(t, "clean", None, f"approved:{t}") for t in approved]
    return train(examples, (r.id for r in knowledge.rules), trigger_heads(knowledge), approved)


def trigger_heads(knowledge: Knowledge) -> set[str]:
    """The first characters of the rules' phrases and pattern anchors (see ``train``)."""
    keys = [normalise_pattern(p) for r in knowledge.rules for p in r.phrases]
    keys += [a for r in knowledge.rules for p in r.patterns for a in compile_pattern(p)[1]]
    return {k[0] for k in keys if k}


def _load_phrasing_file(
    directory: Path, path: Path, problems: list[Problem]
) -> list[tuple[Phrasing, str, int]]:
    name = str(path.relative_to(directory))
    try:
        data = read_yaml(path, name)
    except Problem as problem:
        problems.append(problem)
        return []
    header = _Reader(name, data, 1, problems)
    kind = header.identifier("kind") if header.ok else ""
    if not kind:
        return []
    found = []
    for item, line in _records(data, "phrasings", name, problems):
        reader = _Reader(name, item, line, problems)
        if reader.ok:
            phrasing = _phrasing(kind)(reader)
            if reader.ok:
                found.append((phrasing, name, reader.line))
    return found


def _check_references(
    kinds: list[tuple[Kind, str, int]],
    situations: list[tuple[Situation, str, int]],
    phrasings: list[tuple[Phrasing, str, int]],
    rules: list[tuple[BannedRule, str, int]],
    problems: list[Problem],
) -> None:
    kind_ids = {k.id for k, _, _ in kinds}
    situation_ids = {s.id for s, _, _ in situations}
    phrasing_ids = {p.id for p, _, _ in phrasings}
    for phrasing, file, line in phrasings:
        if kind_ids and phrasing.kind not in kind_ids:
            problems.append(Problem(file, line, f"kind {phrasing.kind!r} is not in kinds.yaml"))
        for situation in phrasing.situations:
            if situation_ids and situation not in situation_ids:
                problems.append(
                    Problem(file, line, f"situation {situation!r} is not in situations.yaml")
                )
    for rule, file, line in rules:
        for phrasing_id in rule.phrasings:
            if phrasing_ids and phrasing_id not in phrasing_ids:
                problems.append(
                    Problem(file, line, f"rule {rule.id!r}: no approved phrasing {phrasing_id!r}")
                )
