"""The knowledge directory as one value: every YAML file's path and text.

A version of the knowledge is a snapshot: it is what the history stores, what a change is
computed on and validated as a whole before anything is written, and what a rollback writes
back. The ``*.yaml``/``*.yml`` files belong to it (the README is documentation, not data), and
the team's examples for the intent classifier, ``corpus/team.jsonl``: the bot writes them when
a supervisor confirms a disputed or a missed flag, so they are versioned and rolled back with
the rules they go with. The other corpus files are generated from the seeds
(``corpus/seeds/*.tsv``, by ``scripts/make_corpus.py``): no part of a version, they are put
beside one when it is validated (:meth:`Snapshot.load`).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

SUFFIXES = (".yaml", ".yml")
TEAM_CORPUS = "corpus/team.jsonl"
MAX_FILE_BYTES = 256 * 1024  # a knowledge file larger is refused unread (the largest shipped: ~7 KB)
T = TypeVar("T")


def generated_corpus(directory: Path) -> list[Path]:
    """The corpus files the intent layer trains on that are not part of a version."""
    directory = Path(directory)
    return sorted(p for p in (directory / "corpus").glob("*.jsonl")
                  if p.is_file() and p.relative_to(directory).as_posix() != TEAM_CORPUS)


def yaml_files(directory: Path) -> list[Path]:
    """The knowledge directory's YAML files and the team's corpus file, sorted: what a snapshot
    holds and a watch watches."""
    directory = Path(directory)
    found = [p for p in directory.rglob("*") if p.suffix in SUFFIXES and p.is_file()]
    team = directory / TEAM_CORPUS
    return sorted([*found, team] if team.is_file() else found)


@dataclass(frozen=True, slots=True)
class Snapshot:
    files: Mapping[str, str]  # path relative to the knowledge directory (with /) → text

    @classmethod
    def read(cls, directory: Path) -> Snapshot:
        """The files; one over :data:`MAX_FILE_BYTES` stands as a line saying so (it is never
        read into memory, and such files never load, so they are no version anyway)."""
        directory = Path(directory)
        return cls({path.relative_to(directory).as_posix(): _text(path) for path in yaml_files(directory)})

    def digest(self) -> str:
        """Same files, same digest: how the history tells whether the files changed."""
        sha = hashlib.sha256()
        for path in sorted(self.files):
            sha.update(path.encode() + b"\0" + self.files[path].encode() + b"\0")
        return sha.hexdigest()

    def pack(self) -> bytes:
        return zlib.compress(json.dumps(dict(self.files), ensure_ascii=False, sort_keys=True).encode(), 9)

    @classmethod
    def unpack(cls, data: bytes) -> Snapshot:
        return cls(json.loads(zlib.decompress(data)))

    def with_file(self, path: str, text: str) -> Snapshot:
        return Snapshot({**self.files, path: text})

    def write(self, directory: Path) -> None:
        """Make ``directory`` hold exactly these files: each changed file replaced atomically
        (a reader never sees half a file), knowledge files that are not in the snapshot removed."""
        directory = Path(directory)
        for path, text in self.files.items():
            target = directory / path
            if target.is_file() and target.read_text(encoding="utf-8", errors="replace") == text:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(temporary, target)
        for path in Snapshot.read(directory).files.keys() - self.files.keys():
            (directory / path).unlink()

    def load(self, loader: Callable[[Path], T], beside: Path | None = None) -> T:
        """Run ``loader`` on these files as a directory (a temporary one): validation of a
        change before it is written anywhere. ``beside``: the live knowledge directory, whose
        generated corpus (not part of a version: it is made from the seeds by
        ``scripts/make_corpus.py``) the intent layer is trained on alongside these files."""
        with tempfile.TemporaryDirectory(prefix="kefu-knowledge-") as name:
            self.write(Path(name))
            if beside is not None:
                for path in generated_corpus(beside):
                    target = Path(name) / path.relative_to(beside)
                    if not target.exists():
                        target.parent.mkdir(parents=True, exist_ok=True)
                        shutil.copyfile(path, target)
            return loader(Path(name))


def _text(path: Path) -> str:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        return f"# too big to be knowledge: {size} bytes, modified {path.stat().st_mtime_ns}\n"
    return path.read_text(encoding="utf-8", errors="replace")
