"""What every inline button carries, declared once: build, parse and validate its data.

A button kind is a frozen dataclass registered under a prefix (:func:`kind`); its fields are typed — ``int``
(an id or a page: decimal digits, below 2⁶³), ``str`` (a knowledge id: no ``:``, no control characters),
``str | None`` (the same, ``-`` for none) or a ``StrEnum``. ``TagOrder(5).data`` is ``tag:5``
and :func:`parse` turns ``tag:5`` back into ``TagOrder(5)``; anything else Telegram hands
back — an unknown prefix, a field too many or too few, ``tag:abc``, over 64 bytes — parses
to ``None``: a forged or stale button, never an exception. Building data that would not
parse back, or that exceeds Telegram's 64 bytes, raises :class:`ValueError` (a bug).

The wire format is the one buttons already sent carry (``hr:read:12``, ``more:-:-:1``…), so
messages in chats and in the outbox keep working. No Telegram here: the domain builds the
keyboards of the messages it queues (handoff notes, proposals) with :meth:`Button.json`.
"""

from __future__ import annotations

import dataclasses
import re
import typing
from dataclasses import dataclass
from enum import StrEnum
from types import UnionType
from typing import Any, ClassVar, TypeVar

DATA_LIMIT = 64  # bytes of UTF-8, Telegram's limit for callback data
NONE = "-"
_INT = re.compile(r"0|[1-9][0-9]{0,18}")
_INT_MAX = 2**63 - 1  # what the database's ids hold
_TOKEN = re.compile(r"[^:\x00-\x1f\x7f]+")


class Button:
    """A kind of button; subclasses are declared with :func:`kind` (which makes them frozen dataclasses)."""

    prefix: ClassVar[str]
    _codecs: ClassVar[tuple[tuple[str, _Codec], ...]]

    @property
    def data(self) -> str:
        """The callback data; ValueError if it would not parse back or exceeds 64 bytes."""
        parts = [self.prefix, *(codec.encode(getattr(self, name)) for name, codec in self._codecs)]
        data = ":".join(parts)
        if len(data.encode()) > DATA_LIMIT:
            raise ValueError(f"callback data over {DATA_LIMIT} bytes: {data!r}")
        return data

    def json(self, label: str) -> dict[str, str]:
        """The button as Bot API JSON, for messages queued in the outbox."""
        return {"text": label, "callback_data": self.data}


B = TypeVar("B", bound=type[Button])
KINDS: dict[str, type[Button]] = {}  # prefix → kind: the table


@typing.dataclass_transform(frozen_default=True)
def kind(prefix: str) -> typing.Callable[[B], B]:
    """Make the class a frozen dataclass and register it as the button kind with this prefix."""

    def register(cls: B) -> B:
        if prefix in KINDS or not _TOKEN.fullmatch(prefix.replace(":", "")):
            raise ValueError(f"button prefix {prefix!r} is taken or malformed")
        cls = dataclass(frozen=True, slots=True)(cls)
        hints = typing.get_type_hints(cls)
        cls.prefix = prefix
        cls._codecs = tuple((f.name, _codec_for(hints[f.name])) for f in dataclasses.fields(cls))  # type: ignore[arg-type]
        KINDS[prefix] = cls
        return cls

    return register


def parse(data: object) -> Button | None:
    """The button this data stands for; None for anything a button of ours never carries."""
    if not isinstance(data, str) or not data or len(data.encode()) > DATA_LIMIT:
        return None
    parts = data.split(":")
    for taken in (2, 1):  # prefixes have one or two parts (``hr:read``)
        cls = KINDS.get(":".join(parts[:taken])) if len(parts) >= taken else None
        if cls is None:
            continue
        values = parts[taken:]
        if len(values) != len(cls._codecs):
            return None
        try:
            return cls(**{name: codec.decode(v) for (name, codec), v in zip(cls._codecs, values, strict=True)})
        except ValueError:
            return None
    return None


def pattern(*kinds: type[Button]) -> re.Pattern[str]:
    """The data a handler of these kinds is offered: their prefixes (parsing decides the rest)."""
    prefixes = "|".join(re.escape(k.prefix) for k in sorted(kinds, key=lambda k: -len(k.prefix)))
    return re.compile(rf"^(?:{prefixes})(?::|$)")


# --- field codecs ---------------------------------------------------------------------------


class _Codec:
    def encode(self, value: Any) -> str:
        raise NotImplementedError

    def decode(self, text: str) -> Any:
        raise NotImplementedError


class _Int(_Codec):
    def encode(self, value: Any) -> str:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= _INT_MAX:
            raise ValueError(f"not an id: {value!r}")
        return str(value)

    def decode(self, text: str) -> int:
        if not _INT.fullmatch(text) or int(text) > _INT_MAX:
            raise ValueError(text)
        return int(text)


class _Token(_Codec):
    def encode(self, value: Any) -> str:
        if not isinstance(value, str) or not _TOKEN.fullmatch(value) or value == NONE:
            raise ValueError(f"not an id: {value!r}")
        return value

    def decode(self, text: str) -> str:
        if not _TOKEN.fullmatch(text) or text == NONE:
            raise ValueError(text)
        return text


class _Optional(_Codec):
    def __init__(self, inner: _Codec) -> None:
        self.inner = inner

    def encode(self, value: Any) -> str:
        return NONE if value is None else self.inner.encode(value)

    def decode(self, text: str) -> Any:
        return None if text == NONE else self.inner.decode(text)


class _Enum(_Codec):
    def __init__(self, enum: type[StrEnum]) -> None:
        self.enum = enum

    def encode(self, value: Any) -> str:
        return self.enum(value).value

    def decode(self, text: str) -> StrEnum:
        return self.enum(text)  # ValueError when it is none of them


def _codec_for(hint: Any) -> _Codec:
    if hint is int:
        return _Int()
    if hint is str:
        return _Token()
    if isinstance(hint, type) and issubclass(hint, StrEnum):
        return _Enum(hint)
    if isinstance(hint, UnionType) and type(None) in hint.__args__ and len(hint.__args__) == 2:
        (inner,) = (a for a in hint.__args__ if a is not type(None))
        return _Optional(_codec_for(inner))
    raise TypeError(f"no button field of type {hint!r}")


# --- the table ------------------------------------------------------------------------------
# Phrasings (``render.py``, ``handlers/phrasings.py``)


@kind("fill")
class FillPhrasing(Button):
    phrasing_id: str


@kind("more")
class MorePhrasings(Button):
    kind: str | None
    situation: str | None
    page: int


@kind("sits")
class PickSituation(Button):
    kind: str


@kind("sit")
class SituationPhrasings(Button):
    kind: str
    situation: str


# Orders (``render.py``, ``handlers/orders.py``)


@kind("tag")
class TagOrder(Button):
    """Under a remark or a reminder: the message becomes "tagged"."""

    order_id: int


@kind("tagl")
class TagListedOrder(Button):
    """Under the ``/orders`` list: the list is shown again without it."""

    order_id: int


# Handoff notes (``handoffs/messages.py``, ``handlers/handoff.py``, ``handlers/handoffs.py``)


class HandoffAction(StrEnum):
    NEXT = "next"
    SKIP = "skip"
    BACK = "back"
    CANCEL = "cancel"
    FILE = "file"
    OPEN = "open"  # the team's open items past the carried cap, to read


@kind("ho")
class HandoffStep(Button):
    action: HandoffAction


@kind("hr:read")
class ReadNote(Button):
    note_id: int


@kind("hr:done")
class ItemDone(Button):
    item_id: int


@kind("hs")
class NoteStatus(Button):
    note_id: int


@kind("hn")
class OpenNote(Button):
    note_id: int


# Practice (``handlers/practice.py``)


@kind("pr")
class PracticeScenario(Button):
    scenario_id: str


# Proposals (``render.py``, ``proposals/messages.py``, ``handlers/proposals.py``)


@kind("pd")
class ProposeDraft(Button):
    """Under a verdict: the draft it answers comes with the press (the message it replies to)."""


@kind("pf")
class ProposeFromPhrasing(Button):
    phrasing_id: str


@kind("pk")
class ProposalKinds(Button):
    proposal_id: int


@kind("pkk")
class ProposalKind(Button):
    proposal_id: int
    kind: str


@kind("pt")
class ProposalSituations(Button):
    """The situations the proposal's text suggests."""

    proposal_id: int


@kind("pta")
class ProposalAllSituations(Button):
    proposal_id: int


@kind("pts")
class ProposalSituation(Button):
    proposal_id: int
    situation: str | None  # None: any situation


@kind("ps")
class SubmitProposal(Button):
    proposal_id: int


@kind("px")
class WithdrawProposal(Button):
    proposal_id: int


@kind("pa")
class ApproveProposal(Button):
    proposal_id: int


@kind("pe")
class EditProposal(Button):
    proposal_id: int


@kind("pj")
class RejectProposal(Button):
    proposal_id: int


# Usage and retirement (``handlers/knowledge.py``)


@kind("rt")
class RetirePhrasing(Button):
    phrasing_id: str


@kind("rk")
class KeepPhrasing(Button):
    phrasing_id: str


# Disputed and missed flags (``handlers/disputes.py``)


@kind("dsp")
class DisputeFlags(Button):
    """Under a flagged verdict: the draft is the message the verdict answers."""


@kind("dc")
class ConfirmDispute(Button):
    dispute_id: int


@kind("dr")
class RejectDispute(Button):
    dispute_id: int


@kind("mc")
class MissedCategory(Button):
    draft_id: int
    rule_id: str


@kind("mr")
class MissedRule(Button):
    draft_id: int
    rule_id: str
