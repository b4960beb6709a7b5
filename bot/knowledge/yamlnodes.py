"""YAML read with line numbers, so that every complaint about a file names its line.

PyYAML's ``safe_load`` forgets where things were; here the composed node tree is turned into
dicts and lists that remember the line of each key and item.

A knowledge file is edited by hand and read by a long-running bot, so reading one is bounded
and never raises anything but :class:`Problem`: a file over :data:`MAX_BYTES` is refused
unread; aliases are counted (composing shares an anchored node, only converting would copy
it: a "billion laughs" file is refused after :data:`MAX_ALIASES`, in microseconds, instead
of expanding into gigabytes), and so are nodes and nesting; a scalar YAML 1.1 reads as
something nobody meant (``8:30`` is the number 510, ``0571`` is octal 377, ``.inf``) is a
problem at its line that says to quote it, never a ValueError.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from bot.knowledge.problems import Problem
from bot.knowledge.snapshot import MAX_FILE_BYTES

MAX_BYTES = MAX_FILE_BYTES
MAX_ALIASES = 10  # uses of anchors (``*name``) per file; the shipped files use none
MAX_NODES = 50_000  # keys, values and items per file, aliases expanded
MAX_DEPTH = 30  # nesting: the knowledge files go 4 deep
_PLAIN_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_PLAIN_FLOAT = re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$")

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


class _Budget:
    """What converting one file may still cost: alias uses and nodes."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.aliases = 0
        self.nodes = 0
        self.seen: set[int] = set()

    def visit(self, node: yaml.Node, depth: int) -> None:
        line = node.start_mark.line + 1
        if id(node) in self.seen:  # composed once, met again: an alias
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise Problem(self.file, line, f"锚点/别名（&、*）用了 {MAX_ALIASES} 次以上：知识文件里请直接写出内容"
                                               f" / more than {MAX_ALIASES} aliases")
        self.seen.add(id(node))
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise Problem(self.file, line, f"内容太多（展开后超过 {MAX_NODES} 项）/ more than {MAX_NODES} items")
        if depth > MAX_DEPTH:
            raise Problem(self.file, line, f"嵌套超过 {MAX_DEPTH} 层 / nested more than {MAX_DEPTH} deep")


_YAML_11 = yaml.constructor.SafeConstructor()  # only to say what YAML 1.1 makes of a scalar


def _scalar(node: yaml.ScalarNode, file: str) -> Any:
    """The value of a plain scalar; one whose number is not what the writer meant is a Problem."""
    tag = node.tag.rsplit(":", 1)[-1]
    value = node.value
    if tag == "null":
        return None
    if tag == "bool":
        return value.lower() in ("true", "yes", "on")
    if tag == "int" and _PLAIN_INT.match(value):
        return int(value)
    if tag == "float" and _PLAIN_FLOAT.match(value.replace("_", "")):
        return float(value.replace("_", ""))
    if tag in ("int", "float"):
        raise Problem(file, node.start_mark.line + 1, _unmeant_number(node))
    return value


def _unmeant_number(node: yaml.ScalarNode) -> str:
    value = node.value
    try:
        read = _YAML_11.construct_yaml_int(node) if node.tag.endswith(":int") else _YAML_11.construct_yaml_float(node)
    except (ValueError, TypeError, yaml.YAMLError):
        read = None
    quote = f"请加引号，写成 \"{value}\"（quote it）"
    if read is None:
        return f"「{value}」不是可用的数字：如果是文字，{quote}"
    if read != read or read in (float("inf"), float("-inf")):
        return f"「{value}」在 YAML 里是{'非数' if read != read else '无穷大'}，不是文字：{quote}"
    if ":" in value:
        return f"「{value}」会被 YAML 读成六十进制数 {read}，不是时间或文字：{quote}"
    return f"「{value}」会被 YAML 读成数字 {read}（前导 0 是八进制，0x 是十六进制）：{quote}"


def _convert(node: yaml.Node, file: str, budget: _Budget, depth: int = 0) -> Any:
    budget.visit(node, depth)
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        mapping = Mapping()
        mapping.line, mapping.key_lines = line, {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                raise Problem(file, key_line, "a key must be plain text")
            key = str(_scalar(key_node, file))
            if key in mapping:
                raise Problem(file, key_line, f"key '{key}' appears twice")
            mapping[key] = _convert(value_node, file, budget, depth + 1)
            mapping.key_lines[key] = key_line
        return mapping
    if isinstance(node, yaml.SequenceNode):
        sequence = Sequence(_convert(item, file, budget, depth + 1) for item in node.value)
        sequence.line = line
        sequence.item_lines = [item.start_mark.line + 1 for item in node.value]
        return sequence
    return _scalar(node, file)  # type: ignore[arg-type]


def read_yaml(path: Path, display_name: str) -> Any:
    """Parse ``path``; syntax errors, a file too big and numbers nobody meant become a
    :class:`Problem` with the line."""
    too_big = Problem(display_name, None, f"文件太大（最多 {MAX_BYTES // 1024} KB）/ larger than {MAX_BYTES // 1024} KB")
    try:
        if path.stat().st_size > MAX_BYTES:
            raise too_big
        with path.open("rb") as handle:  # never more than the limit, even if the file grew meanwhile
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise Problem(display_name, None, f"读不了这个文件 / cannot be read ({exc.strerror})") from exc
    if len(data) > MAX_BYTES:
        raise too_big
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Problem(display_name, None, f"not UTF-8 text ({exc.reason})") from exc
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise Problem(display_name, line, f"YAML syntax: {exc.problem or exc.context}") from exc
    except yaml.YAMLError as exc:  # e.g. a control character (a ReaderError has no mark)
        raise Problem(display_name, None, f"YAML: {exc}") from exc
    if node is None:
        raise Problem(display_name, None, "the file is empty")
    return _convert(node, display_name, _Budget(display_name))
