"""Changes the bot makes to the knowledge files, made in the text itself.

A supervisor's comments, order and layout stay exactly as they were: a new phrasing or rule
is one more line at the end of its list, a retired one is its lines taken out. Positions
come from PyYAML's node marks; whatever is produced is validated as a whole afterwards
(see :class:`bot.knowledge.keeper.KnowledgeKeeper`), never trusted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

import yaml

from bot.knowledge.snapshot import Snapshot

TEAM_RULES = "rules/team.yaml"
_TEAM_RULES_HEADER = (
    "# 团队提议、经审批后加入的禁用语（由机器人写入；也可以手工编辑）\n"
    "# Banned rules proposed by the team and approved in the bot (written by the bot; editable).\n"
    "rules:\n"
)


@dataclass(frozen=True, slots=True)
class NewPhrasing:
    kind: str
    text: str
    situations: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class NewRule:
    phrases: tuple[str, ...]
    reason: str
    category: str
    severity: str = "block"
    allowed: tuple[str, ...] = ()
    replace: tuple[str, ...] = ()
    source: str = ""
    name: str = ""  # what people read; empty leaves the loader's fallback (the category)


def add_phrasing(snapshot: Snapshot, phrasing: NewPhrasing, existing_ids: Iterable[str]) -> tuple[Snapshot, str]:
    """Append an approved phrasing to its kind's file (made if there is none); returns its id."""
    slug = phrasing.situations[0] if phrasing.situations else "team"
    new_id = next_id(f"{phrasing.kind}.{slug}", existing_ids)
    entry = _flow({"id": new_id, "text": phrasing.text, "situations": list(phrasing.situations),
                   "keywords": list(phrasing.keywords), "source": "team"})
    path = _phrasing_file(snapshot, phrasing.kind)
    text = snapshot.files.get(path, f"kind: {phrasing.kind}\nphrasings:\n")
    return snapshot.with_file(path, append_item(text, "phrasings", entry)), new_id


def add_rule(snapshot: Snapshot, rule: NewRule, existing_ids: Iterable[str]) -> tuple[Snapshot, str]:
    """Append a banned rule to ``rules/team.yaml`` (made if there is none); returns its id."""
    new_id = next_id("team.rule", existing_ids, separator="_")
    fields: dict[str, object] = {"id": new_id} | ({"name": rule.name} if rule.name else {})
    fields |= {"severity": rule.severity, "category": rule.category, "reason": rule.reason, "source": rule.source,
               "phrases": list(rule.phrases)}
    fields.update((k, list(v)) for k, v in (("allowed", rule.allowed), ("replace", rule.replace)) if v)
    text = snapshot.files.get(TEAM_RULES, _TEAM_RULES_HEADER)
    return snapshot.with_file(TEAM_RULES, append_item(text, "rules", _flow(fields))), new_id


def add_allowed(snapshot: Snapshot, rule_id: str, contexts: Iterable[str]) -> Snapshot:
    """Add ``contexts`` to the ``allowed:`` list of rule ``rule_id``, in whichever rules file holds
    it: a flow list gets them after its last item, a block list one line each, a rule without
    the key gets ``allowed: [..]`` after its ``id`` line (or inside its flow mapping)."""
    for path, text in sorted(snapshot.files.items()):
        if path.startswith("rules/"):
            rule = _rule_node(text, rule_id)
            if rule is not None:
                new = [c for c in dict.fromkeys(contexts) if c not in _listed(rule, "allowed")]
                return snapshot.with_file(path, _add_to_list(text, rule, "allowed", new)) if new else snapshot
    raise ValueError(f"no rule {rule_id!r} in the rules files")


def remove_phrasing(snapshot: Snapshot, phrasing_id: str) -> Snapshot:
    """Take a phrasing out of its file, and out of every rule naming it as a replacement."""
    files = dict(snapshot.files)
    for path, text in snapshot.files.items():
        if path.startswith("phrasings/"):
            files[path] = remove_item(text, "phrasings", phrasing_id)
        elif path.startswith("rules/"):
            files[path] = _drop_reference(text, phrasing_id)
    return Snapshot(files)


def next_id(prefix: str, existing: Iterable[str], separator: str = ".") -> str:
    """``prefix.NN`` with NN one above the highest in use (never reusing a retired number)."""
    pattern = re.compile(re.escape(prefix + separator) + r"(\d+)$")
    numbers = [int(m.group(1)) for i in existing if (m := pattern.match(i))]
    return f"{prefix}{separator}{max(numbers, default=0) + 1:02d}"


def append_item(text: str, key: str, entry: str) -> str:
    """``text`` with ``- entry`` added at the end of the top-level list ``key``."""
    key_node, sequence = _top_pair(text, key)
    if key_node is None:
        return text.rstrip("\n") + f"\n{key}:\n  - {entry}\n"
    if isinstance(sequence, yaml.ScalarNode) and sequence.tag.endswith(":null"):  # `key:` and nothing yet
        end = _line_end(text, key_node.end_mark.index)
        return text[:end] + f"  - {entry}\n" + text[end:]
    if not isinstance(sequence, yaml.SequenceNode):
        raise ValueError(f"'{key}' is not a list")
    if sequence.flow_style or not sequence.value:  # `key: []` or `key: [..]`: becomes a block list
        items = [text[n.start_mark.index:n.end_mark.index] for n in sequence.value] + [entry]
        block = "".join(f"\n  - {item}" for item in items)
        return text[:sequence.start_mark.index].rstrip(" ") + block.lstrip(" ") + text[sequence.end_mark.index:]
    last = sequence.value[-1]
    indent = " " * (sequence.value[0].start_mark.column - 2)
    end = _line_end(text, last.end_mark.index)
    return text[:end] + f"{indent}- {entry}\n" + text[end:]


def remove_item(text: str, key: str, item_id: str) -> str:
    """``text`` without the item of list ``key`` whose ``id`` is ``item_id`` (unchanged if none)."""
    sequence = _top_value(text, key)
    if not isinstance(sequence, yaml.SequenceNode):
        return text
    for node in sequence.value:
        if isinstance(node, yaml.MappingNode) and _mapping_value(node, "id") == item_id:
            if sequence.flow_style:
                raise ValueError(f"'{key}' is written as one flow list: edit it by hand")
            start = text.rfind("\n", 0, node.start_mark.index) + 1
            return text[:start] + text[_line_end(text, node.end_mark.index):]
    return text


def _drop_reference(text: str, phrasing_id: str) -> str:
    """Rules that name ``phrasing_id`` under ``phrasings:`` no longer do."""
    rules = _top_value(text, "rules")
    if not isinstance(rules, yaml.SequenceNode):
        return text
    spans = []
    for rule in rules.value:
        listed = _mapping_node(rule, "phrasings") if isinstance(rule, yaml.MappingNode) else None
        if isinstance(listed, yaml.SequenceNode) and any(getattr(n, "value", None) == phrasing_id for n in listed.value):
            kept = [n.value for n in listed.value if n.value != phrasing_id]
            spans.append((listed.start_mark.index, listed.end_mark.index, "[" + ", ".join(kept) + "]"))
    for start, end, replacement in reversed(spans):
        text = text[:start] + replacement + text[end:]
    return text


def _rule_node(text: str, rule_id: str) -> yaml.MappingNode | None:
    rules = _top_value(text, "rules")
    if isinstance(rules, yaml.SequenceNode):
        for node in rules.value:
            if isinstance(node, yaml.MappingNode) and _mapping_value(node, "id") == rule_id:
                return node
    return None


def _listed(node: yaml.MappingNode, key: str) -> list[str]:
    value = _mapping_node(node, key)
    if isinstance(value, yaml.SequenceNode):
        return [str(n.value) for n in value.value if isinstance(n, yaml.ScalarNode)]
    return [str(value.value)] if isinstance(value, yaml.ScalarNode) and value.value else []


def _add_to_list(text: str, node: yaml.MappingNode, key: str, items: list[str]) -> str:
    """``text`` with ``items`` at the end of the list ``key`` of the mapping ``node``."""
    words = [_word(i) for i in items]
    value = _mapping_node(node, key)
    if isinstance(value, yaml.SequenceNode) and value.value and value.flow_style:
        at = value.value[-1].end_mark.index
        return text[:at] + "".join(f", {w}" for w in words) + text[at:]
    if isinstance(value, yaml.SequenceNode) and value.value:
        first, last = value.value[0], value.value[-1]
        end = _line_end(text, last.end_mark.index)
        return text[:end] + "".join(f"{' ' * (first.start_mark.column - 2)}- {w}\n" for w in words) + text[end:]
    if value is not None:  # `key: []`, `key:` with nothing, or one text: a flow list in its place
        start, end = value.start_mark.index, value.end_mark.index
        kept = [] if not isinstance(value, yaml.ScalarNode) or not value.value else [text[start:end]]
        if end == start:
            return text[:start] + " [" + ", ".join(kept + words) + "]" + text[start:]
        return text[:start] + "[" + ", ".join(kept + words) + "]" + text[end:]
    flow = f"{key}: [" + ", ".join(words) + "]"
    if node.flow_style:
        at = node.value[-1][1].end_mark.index
        return text[:at] + f", {flow}" + text[at:]
    id_key, id_value = node.value[0]
    end = _line_end(text, id_value.end_mark.index)
    return text[:end] + " " * id_key.start_mark.column + flow + "\n" + text[end:]


def _phrasing_file(snapshot: Snapshot, kind: str) -> str:
    for path, text in sorted(snapshot.files.items()):
        if path.startswith("phrasings/") and _scalar_of(_top_value(text, "kind")) == kind:
            return path
    return f"phrasings/{kind}.yaml"


def _flow(fields: dict[str, object]) -> str:
    """One YAML flow mapping: ids and words bare where safe, texts double-quoted (JSON strings
    are valid YAML), so nothing a person typed can break the file."""
    parts = []
    for key, value in fields.items():
        if isinstance(value, list):
            parts.append(f"{key}: [" + ", ".join(_word(v) for v in value) + "]")
        elif key in ("id", "severity", "source"):
            parts.append(f"{key}: {_word(value)}")
        else:
            parts.append(f"{key}: " + json.dumps(value, ensure_ascii=False))
    return "{" + ", ".join(parts) + "}"


def _word(value: object) -> str:
    return str(value) if re.fullmatch(r"[a-z][a-z0-9_.]*", str(value)) else json.dumps(value, ensure_ascii=False)


def _top_value(text: str, key: str) -> yaml.Node | None:
    return _top_pair(text, key)[1]


def _top_pair(text: str, key: str) -> tuple[yaml.Node | None, yaml.Node | None]:
    """The key node and the value node of ``key`` in the file's top mapping."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        raise ValueError(f"not valid YAML: {error}") from error
    if isinstance(root, yaml.MappingNode):
        for key_node, value_node in root.value:
            if getattr(key_node, "value", None) == key:
                return key_node, value_node
    return None, None


def _mapping_node(node: yaml.MappingNode, key: str) -> yaml.Node | None:
    for key_node, value_node in node.value:
        if getattr(key_node, "value", None) == key:
            return value_node
    return None


def _mapping_value(node: yaml.MappingNode, key: str) -> str | None:
    return _scalar_of(_mapping_node(node, key))


def _scalar_of(node: yaml.Node | None) -> str | None:
    return node.value if isinstance(node, yaml.ScalarNode) else None


def _line_end(text: str, index: int) -> int:
    """Just past the end of the line holding ``index`` (a trailing comment stays with its item)."""
    newline = text.find("\n", index)
    return len(text) if newline < 0 else newline + 1
