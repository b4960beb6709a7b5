"""The compiled knowledge kept on disk, so that a start costs an unpickle instead of a compile.

An entry is named by a hash of everything the compile reads — the path and bytes of every YAML
file and of every file under ``corpus/`` — and of the code that compiles it (every module of
the ``bot`` package by size and modification time, the Python, OpenCC, pyahocorasick and
rapidfuzz builds): an edited file or edited code gives a new name, so an entry is never stale,
only unused. Entries are written to a temporary file and renamed, so a reader sees a whole entry
or none (two processes compiling at once write the same bytes under the same name); an entry
that cannot be read is ignored and rebuilt; only the newest :data:`KEEP` are kept.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from bot.knowledge.snapshot import MAX_FILE_BYTES, yaml_files

log = logging.getLogger(__name__)

ENV = "KEFU_CACHE_DIR"  # a directory, or "off"
KEEP = 4  # entries kept: a few knowledge versions (a rollback, a branch) stay warm
CORPUS = "corpus"
_SUFFIX = ".pickle"
_PACKAGE = Path(__file__).resolve().parents[1]


def cache_dir(chosen: str) -> Path | None:
    """The directory ``chosen`` (``off`` for none), else ``$XDG_CACHE_HOME/kefu-assist``, else
    ``~/.cache/kefu-assist``."""
    chosen = chosen.strip()
    if chosen.lower() in ("off", "none", "0"):
        return None
    if chosen:
        return Path(chosen).expanduser()
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kefu-assist"


def source_files(directory: Path) -> list[Path]:
    """Every file a compile of ``directory`` reads: the YAML files and the labelled corpus."""
    corpus = sorted(p for p in (Path(directory) / CORPUS).rglob("*") if p.is_file())
    return sorted(set(yaml_files(directory)) | set(corpus))


@cache
def code_version() -> str:
    """The code an entry was compiled by: a changed module or library is a different version."""
    import ahocorasick
    import opencc
    import rapidfuzz

    parts = [sys.version, opencc.__version__, rapidfuzz.__version__, str(pickle.HIGHEST_PROTOCOL)]
    build = os.stat(ahocorasick.__file__)
    parts.append(f"{build.st_size}:{build.st_mtime_ns}")
    for root, folders, files in os.walk(_PACKAGE):
        folders.sort()
        for name in sorted(f for f in files if f.endswith(".py")):
            stat = os.stat(os.path.join(root, name))
            parts.append(f"{os.path.relpath(root, _PACKAGE)}/{name}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _oversized(directory: Path) -> bool:
    return any(path.stat().st_size > MAX_FILE_BYTES for path in yaml_files(directory))


def content_key(directory: Path) -> str:
    """The name of the entry for ``directory`` as it is now (file contents, not times)."""
    directory = Path(directory)
    digest = hashlib.sha256(code_version().encode())
    for path in source_files(directory):
        data = path.read_bytes()
        digest.update(f"\0{path.relative_to(directory).as_posix()}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


class CompiledCache:
    """A directory of compiled knowledge; ``None`` compiles every time (the cache turned off)."""

    def __init__(self, root: Path | None, keep: int = KEEP) -> None:
        self.root = root
        self.keep = keep

    @classmethod
    def named(cls, chosen: str) -> CompiledCache:
        """The cache in the directory a setting names (see :func:`cache_dir`)."""
        return cls(cache_dir(chosen))

    @classmethod
    def from_env(cls) -> CompiledCache:
        """``$KEFU_CACHE_DIR`` read directly: ``check`` starts without the settings' pydantic."""
        return cls.named(os.environ.get(ENV, ""))

    def get(self, directory: Path, build: Callable[[Path], Any]) -> Any:
        """``build(directory)``, or what an earlier build of the same files and code made."""
        if self.root is None or _oversized(directory):  # the build refuses it; not read in whole for a key
            return build(directory)
        key = content_key(directory)
        path = self.root / f"{key}{_SUFFIX}"
        found = self._read(path)
        if found is not None:
            return found
        value = build(directory)
        if content_key(directory) == key:  # not edited while compiling: the entry is this content's
            self._write(path, value)
        return value

    def _read(self, path: Path) -> Any:
        try:
            with path.open("rb") as handle:
                value = pickle.load(handle)
        except FileNotFoundError:
            return None
        except Exception as error:  # noqa: BLE001 - truncated, corrupt, from a vanished class: rebuilt
            log.warning("knowledge cache entry %s is unreadable (%s); compiling again", path, error)
            return None
        try:
            os.utime(path)  # recently used: kept by the pruning
        except OSError:
            pass
        return value

    def _write(self, path: Path, value: Any) -> None:
        assert self.root is not None
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.root, prefix=".", suffix=".part")
            try:
                with os.fdopen(handle, "wb") as out:
                    pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(temporary, path)
            finally:
                if os.path.exists(temporary):
                    os.unlink(temporary)
            self._prune()
        except OSError as error:  # a read-only or full disk: the bot runs, only slower to start
            log.warning("knowledge cache not written to %s: %s", self.root, error)

    def _prune(self) -> None:
        """Keep the newest ``keep`` entries (by last use); another process may prune at once."""
        assert self.root is not None
        entries = []
        for path in self.root.glob(f"*{_SUFFIX}"):
            try:
                entries.append((path.stat().st_mtime_ns, path))
            except FileNotFoundError:
                continue
        for _, path in sorted(entries, reverse=True)[self.keep:]:
            try:
                path.unlink()
            except FileNotFoundError:
                pass
