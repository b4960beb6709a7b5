"""What may follow a command, read word by word into typed values — or told what was wrong.

A command's arguments are one or more *forms* (``/knowledge`` · ``/knowledge 12`` ·
``/knowledge rollback 12 原因``), each a row of typed parameters. Every parameter reads one word
(or, a :class:`Words`, the rest) and either returns its value or raises :class:`Wrong` with what
was wrong (a text key). When no form fits, the most telling problem wins — the one that got
furthest, and a word of the right kind but wrong (a day that does not exist, a team not on the
roster) over a word of no kind at all — and the user is told it, followed by the command's usage.
Plain Python: the bot's adapter (``bot/telegram/commands.py``) hands the words in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.dates import read_day
from bot.errors import UserError
from bot.texts import Text


@dataclass(frozen=True, slots=True)
class Given:
    """What reading the words needs to know about the sender and the shop."""

    today: date
    team: str  # the sender's team
    any_team: bool = False  # admins may name any team
    teams: frozenset[str] = frozenset()  # the teams the shop has (roster and shifts)


class Wrong(Exception):
    """A word that does not fit (``why``); ``recognised``: of the right kind, but wrong."""

    def __init__(self, key: str, /, *, recognised: bool = True, **values: Any) -> None:
        super().__init__(key)
        self.why = Text(key, values)
        self.recognised = recognised
        self.depth = 0  # words read before this one, set by the form


class Param:
    """One word of a command; ``label`` names it in "缺少…"."""

    name: str
    label: str
    optional: bool

    def read(self, word: str, given: Given) -> Any:
        raise NotImplementedError


@dataclass(frozen=True)
class Day(Param):
    """A day up to today: ``2026-11-24``, ``11-24``, ``11月24日``, ``今天``, ``昨天``."""

    name: str = "day"
    label: str = "日期"
    optional: bool = True

    def read(self, word: str, given: Given) -> date:
        try:
            day = read_day(word, given.today)
        except UserError as error:
            raise Wrong(error.key, **error.values) from error
        if day is None:
            raise Wrong("arg.not_understood", recognised=False, word=word)
        if day > given.today:
            raise Wrong("arg.future_day", day=day.isoformat(), today=given.today.isoformat())
        return day


ALL_TEAMS = ("all", "全部")


@dataclass(frozen=True)
class Team(Param):
    """A team on the roster: the sender's own, or any for an admin (``全部``: every team, None)."""

    name: str = "team"
    label: str = "团队"
    optional: bool = True
    every: bool = False  # ``全部`` allowed (admins)

    def read(self, word: str, given: Given) -> str | None:
        if self.every and given.any_team and word.lower() in ALL_TEAMS:
            return None
        if word == given.team:
            return word
        if word not in given.teams:
            raise Wrong("arg.unknown_team", word=word, teams="、".join(sorted(given.teams)) or given.team)
        if not given.any_team:
            raise Wrong("arg.other_team", word=word, team=given.team)
        return word


@dataclass(frozen=True)
class Number(Param):
    """A whole number in a range (``v12`` is 12 where ``prefix`` is ``v``)."""

    name: str
    label: str
    low: int = 1
    high: int | None = None  # None: no upper bound
    optional: bool = False
    prefix: str = ""

    def read(self, word: str, given: Given) -> int:
        digits = word.lower().removeprefix(self.prefix) if self.prefix else word
        number = int(digits) if digits.isascii() and digits.isdigit() else None
        if self.high is None and (number is None or number < self.low):
            raise Wrong("arg.not_number", word=word, what=self.label)
        if number is None or not self.low <= number <= (self.high or number):
            raise Wrong("arg.bad_number", word=word, what=self.label, low=self.low, high=self.high)
        return number


@dataclass(frozen=True)
class Keyword(Param):
    """One of a few fixed words (``history`` / ``历史``); the value is the first spelling."""

    spellings: tuple[str, ...]
    optional: bool = False
    name: str = "keyword"
    label: str = ""

    def read(self, word: str, given: Given) -> str:
        if word.lower() not in self.spellings:
            raise Wrong("arg.not_understood", recognised=False, word=word)
        return self.spellings[0]


@dataclass(frozen=True)
class Word(Param):
    """Any one word (an order number, a code); the domain judges it."""

    name: str
    label: str
    optional: bool = False

    def read(self, word: str, given: Given) -> str:
        return word


@dataclass(frozen=True)
class Words(Word):
    """The rest of the words, as one text (always the last parameter)."""


@dataclass(frozen=True)
class Form:
    """One way to use a command: its parameters in order, or in any order (a day and a team)."""

    params: tuple[Param, ...] = ()
    any_order: bool = False

    def read(self, words: Sequence[str], given: Given) -> dict[str, Any]:
        if self.any_order:
            return self._any_order(words, given)
        values: dict[str, Any] = {}
        rest = list(words)
        for param in self.params:
            if not rest:
                if not param.optional:
                    raise _at(Wrong("arg.missing", what=param.label), len(words) - len(rest))
                break
            depth = len(words) - len(rest)
            try:
                if isinstance(param, Words):
                    values[param.name], rest = param.read(" ".join(rest), given), []
                else:
                    values[param.name] = param.read(rest.pop(0), given)
            except Wrong as wrong:
                raise _at(wrong, depth) from None
        if rest:
            raise _at(Wrong("arg.extra", recognised=False, words=" ".join(rest)), len(words) - len(rest))
        return values

    def _any_order(self, words: Sequence[str], given: Given) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for depth, word in enumerate(words):
            problems: list[Wrong] = []
            for param in self.params:
                if param.name in values:
                    continue
                try:
                    values[param.name] = param.read(word, given)
                    break
                except Wrong as wrong:
                    problems.append(wrong)
            else:
                if not problems:
                    raise _at(Wrong("arg.extra", recognised=False, words=" ".join(words[depth:])), depth)
                raise _at(max(problems, key=lambda w: w.recognised), depth)
        return values


def _at(wrong: Wrong, depth: int) -> Wrong:
    wrong.depth = depth
    return wrong


@dataclass(frozen=True)
class Usage:
    """A command's forms and its usage text (a text key, filled with ``command``)."""

    usage: str
    forms: tuple[Form, ...] = (Form(),)
    # Problems the domain finds in the words (an order number not of this shop) that, like the
    # ones found here, are told with the usage.
    domain_problems: frozenset[str] = field(default_factory=frozenset)

    def read(self, command: str, words: Sequence[str], given: Given) -> Mapping[str, Any]:
        problems: list[Wrong] = []
        for form in self.forms:
            try:
                return form.read(words, given)
            except Wrong as wrong:
                problems.append(wrong)
        best = max(problems, key=lambda w: (w.depth, w.recognised))  # the first of equals
        raise self.wrong(command, best.why)

    def wrong(self, command: str, why: Text) -> UserError:
        """What was wrong, then how the command is used."""
        return UserError("arg.wrong", why=why, usage=Text(self.usage, {"command": command}))
