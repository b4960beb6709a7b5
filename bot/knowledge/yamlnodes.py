"""YAML read with line numbers, so that every complaint about a file names its line.

PyYAML's ``safe_load`` forgets where things were; here the composed node tree is turned into
dicts and lists that remember the line of each key and item.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.knowledge.problems import Problem

try:  # the C loader is several times faster; the pure one is a fallback only
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


class Mapping(dict[str, Any]):
    """A YAML mapping that knows its own line and the line of each key."""

    line: int
    key_lines: dict[str, int]


class Sequence(list[Any]):
    """A YAML sequence that knows its own line and the line of each item."""

    line: int
    item_lines: list[int]


def _scalar(node: yaml.ScalarNode) -> Any:
    tag = node.tag.rsplit(":", 1)[-1]
    value = node.value
    if tag == "null":
        return None
    if tag == "bool":
        return value.lower() in ("true", "yes", "on")
    if tag == "int":
        return int(value, 0)
    if tag == "float":
        return float(value)
    return value


def _convert(node: yaml.Node, file: str) -> Any:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        mapping = Mapping()
        mapping.line, mapping.key_lines = line, {}
        for key_node, value_node in node.value:
            key = str(_scalar(key_node)) if isinstance(key_node, yaml.ScalarNode) else None
            key_line = key_node.start_mark.line + 1
            if key is None:
                raise Problem(file, key_line, "a key must be plain text")
            if key in mapping:
                raise Problem(file, key_line, f"key '{key}' appears twice")
            mapping[key] = _convert(value_node, file)
            mapping.key_lines[key] = key_line
        return mapping
    if isinstance(node, yaml.SequenceNode):
        sequence = Sequence(_convert(item, file) for item in node.value)
        sequence.line = line
        sequence.item_lines = [item.start_mark.line + 1 for item in node.value]
        return sequence
    return _scalar(node)  # type: ignore[arg-type]


def read_yaml(path: Path, display_name: str) -> Any:
    """Parse ``path``; syntax errors become a :class:`Problem` with the line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise Problem(display_name, None, f"not UTF-8 text ({exc.reason})") from exc
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise Problem(display_name, line, f"YAML syntax: {exc.problem or exc.context}") from exc
    if node is None:
        raise Problem(display_name, None, "the file is empty")
    return _convert(node, display_name)
