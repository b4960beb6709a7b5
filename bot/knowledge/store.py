"""The knowledge in use, and reloading it without ever losing the last good version.

A supervisor editing a file can break it; the bot must keep answering with what worked
before and say exactly what is wrong. :meth:`KnowledgeStore.reload` does both.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.audit.quality import Quality
from bot.checker.engine import Checker
from bot.checker.result import CheckResult
from bot.knowledge.cache import CompiledCache
from bot.knowledge.models import Knowledge
from bot.knowledge.problems import KnowledgeError, Problem
from bot.knowledge.snapshot import yaml_files
from bot.phrasebook.spot import PhrasingSpotter
from bot.phrasebook.suggest import Phrasebook

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class LoadedKnowledge:
    """One knowledge version with the services compiled from it."""

    knowledge: Knowledge
    checker: Checker
    phrasebook: Phrasebook
    spotter: PhrasingSpotter
    quality: Quality  # the conversation audit's limits and deductions (quality.yaml)

    @classmethod
    def from_directory(cls, directory: Path, cache: CompiledCache | None = None) -> LoadedKnowledge:
        """Compiled from the files, or unpickled from ``cache`` (default: the one the environment
        names) when these very files and this code compiled it before."""
        return (cache or CompiledCache.from_env()).get(directory, cls.compile)

    @classmethod
    def compile(cls, directory: Path) -> LoadedKnowledge:
        """Every file of ``directory`` validated (shifts and practice scenarios too: a version of
        the knowledge is all of its files, so a cached entry never stands for a broken one), the
        phrasings and rules compiled; :class:`KnowledgeError` lists the problems of every file."""
        from bot.audit.quality_file import load_quality
        from bot.knowledge.loader import load_intent, load_knowledge  # YAML only when compiling: a cached start skips it
        from bot.practice.scenarios import load_scenarios
        from bot.shifts.config import load_shifts

        problems: list[Problem] = []
        loads = (load_knowledge, load_quality, lambda d: load_shifts(d, ZoneInfo("UTC")), load_scenarios)
        results = []
        for load in loads:
            try:
                results.append(load(directory))
            except KnowledgeError as error:
                problems += error.problems
        if problems:
            raise KnowledgeError(problems)
        knowledge, quality = results[0], results[1]
        assert isinstance(knowledge, Knowledge) and isinstance(quality, Quality)
        intent = load_intent(directory, knowledge)
        return cls(knowledge, Checker(knowledge, intent), Phrasebook(knowledge), PhrasingSpotter(knowledge), quality)

    def personal_spans(self, result: CheckResult) -> list[tuple[int, int]]:
        """Where a check found personal data (a mobile, an ID card): never taken for an order number."""
        return [(f.start, f.end) for f in result.flags if self.knowledge.rule(f.rule).detector]


Fingerprint = tuple[tuple[str, int, int], ...]


def fingerprint(directory: Path) -> Fingerprint:
    """The YAML files' names, sizes and modification times: cheap to take, on any file system."""
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in yaml_files(directory))


class KnowledgeStore:
    """Holds the current :class:`LoadedKnowledge` of a directory."""

    def __init__(self, directory: Path, cache: CompiledCache | None = None) -> None:
        self.directory = Path(directory)
        self.cache = cache
        self._current: LoadedKnowledge | None = None
        self._read: Fingerprint = ()
        self.problems: list[Problem] = []  # of the files on disk, while an earlier version is in use

    def load(self) -> LoadedKnowledge:
        """First load: there is no last good version, so problems are raised."""
        self._read = fingerprint(self.directory)
        self._current = LoadedKnowledge.from_directory(self.directory, self.cache)
        self.problems = []
        return self._current

    def start_with(self, loaded: LoadedKnowledge, problems: list[Problem]) -> None:
        """Start on ``loaded`` (the last good version recorded) because the files on disk have
        ``problems``: those files count as read, so only their next change is loaded again."""
        self._read = fingerprint(self.directory)
        self._current = loaded
        self.problems = list(problems)

    def changed_on_disk(self) -> bool:
        """Whether the files changed since they were last read (well or not)."""
        return fingerprint(self.directory) != self._read

    def reload(self, fresh: LoadedKnowledge | None = None) -> list[Problem]:
        """Load again (or take ``fresh``, the files' content already loaded); on problems keep
        the current version and return them."""
        self._read = fingerprint(self.directory)
        try:
            fresh = fresh or LoadedKnowledge.from_directory(self.directory, self.cache)
        except KnowledgeError as error:
            log.warning("knowledge reload failed, keeping the last good version:\n%s", error)
            self.problems = error.problems
            return error.problems
        self._current = fresh
        self.problems = []
        return []

    @property
    def current(self) -> LoadedKnowledge:
        if self._current is None:
            return self.load()
        return self._current
