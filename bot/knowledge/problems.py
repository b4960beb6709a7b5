"""What can be wrong with the knowledge files, in a module of its own: a start that finds its
compiled knowledge cached catches :class:`KnowledgeError` without importing the YAML reader."""

from __future__ import annotations

from pathlib import Path


class Problem(Exception):
    """One thing wrong in one knowledge file, at one line."""

    def __init__(self, file: str, line: int | None, message: str) -> None:
        super().__init__(f"{file}:{line}: {message}" if line else f"{file}: {message}")
        self.file = file
        self.line = line
        self.message = message


class KnowledgeError(Exception):
    """The knowledge directory is not usable; ``problems`` says where and why."""

    def __init__(self, problems: list[Problem], directory: Path | None = None) -> None:
        self.problems = problems
        self.directory = directory  # where the files are, when known: for messages naming a path
        super().__init__("\n".join(str(p) for p in problems))
