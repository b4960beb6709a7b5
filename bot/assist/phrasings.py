"""Approved phrasings for an agent: ranked offers, usage events and filling placeholders.

A phrasing with a placeholder the bot cannot fill (the customer's name, an order number) is
never handed out as ready: it is shown with the gap marked, and the agent is asked for the
value. The request lives in the database, so an answer after a restart still lands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.errors import UserError
from bot.events import EventLog, EventType, event
from bot.knowledge.models import Phrasing
from bot.knowledge.store import KnowledgeStore
from bot.orders.numbers import OrderNumbers
from bot.phrasebook.suggest import fill_placeholders
from bot.roster.people import Member
from bot.storage.db import Database
from bot.storage.models import FillRequest
from bot.texts import placeholder_label

PAGE = 3
MAX_VALUE_CHARS = 50
_DIGITS = re.compile(r"^[0-9]{1,3}$")
_TRACKING = re.compile(r"^[A-Za-z0-9]{6,30}$")


@dataclass(frozen=True, slots=True)
class Offer:
    """A phrasing as shown: gaps marked 【…】 until every placeholder is filled."""

    phrasing_id: str
    kind: str
    text: str
    missing: tuple[str, ...]

    @property
    def ready(self) -> bool:
        return not self.missing


@dataclass(frozen=True, slots=True)
class Offers:
    kind: str | None
    situation: str | None  # the situation id the offers are for, when one was recognised
    words: str  # what the agent typed
    offers: list[Offer]
    page: int
    # More pages of the same ranking: a kind or a situation, which the "更多" button carries;
    # words are not carried (button data holds ids only), so offers for words have one page.
    has_more: bool


@dataclass(frozen=True, slots=True)
class FillStep:
    """The next value to ask for (``placeholder``), or the finished offer."""

    request_id: int | None
    placeholder: str | None
    offer: Offer


class PhraseDesk:
    def __init__(
        self, db: Database, events: EventLog, knowledge: KnowledgeStore, numbers: OrderNumbers, shop_name: str, tz: ZoneInfo
    ) -> None:
        self.db = db
        self.events = events
        self.knowledge = knowledge
        self.numbers = numbers
        self.shop_name = shop_name
        self.tz = tz

    def known_values(self, member: Member) -> dict[str, str]:
        values = {"agent": member.name}
        if self.shop_name:
            values["shop"] = self.shop_name
        return values

    def offer(self, phrasing: Phrasing, values: dict[str, str]) -> Offer:
        text, missing = fill_and_mark(phrasing.text, values)
        return Offer(phrasing.id, phrasing.kind, text, missing)

    async def suggest(
        self, member: Member, now: datetime, *, kind: str | None = None, words: str = "",
        situation: str | None = None, page: int = 0,
    ) -> Offers:
        """The ``page``-th few best phrasings (none: nothing matched the words); each shown one
        is counted as suggested."""
        phrasebook = self.knowledge.current.phrasebook
        situation = situation or (phrasebook.situation_of(words) if words else None)
        ranked = phrasebook.suggest(
            words, kind, situation=situation, limit=PAGE * (page + 1) + 1, at=now.astimezone(self.tz).time()
        )
        shown = ranked[PAGE * page : PAGE * (page + 1)]
        values = self.known_values(member)
        offers = [self.offer(s.phrasing, values) for s in shown]
        self.events.record(
            event(EventType.PHRASING_SUGGESTED, member, now, subject=o.phrasing_id, detail=o.kind) for o in offers
        )
        return Offers(kind, situation, words, offers, page, has_more=(situation is not None or not words) and len(ranked) > PAGE * (page + 1))

    def kind_label(self, kind: str | None) -> str:
        labels = {k.id: k.label for k in self.knowledge.current.knowledge.kinds}
        return labels.get(kind or "", "话术")

    def situation_label(self, situation: str | None) -> str | None:
        return self.knowledge.current.phrasebook.situation_label(situation) or None

    def situations_for(self, kind: str) -> list[tuple[str, str]]:
        """(id, label) of the situations that have phrasings of this kind, in file order."""
        knowledge = self.knowledge.current.knowledge
        used = {s for p in knowledge.phrasings if p.kind == kind for s in p.situations}
        return [(s.id, s.label) for s in knowledge.situations if s.id in used]

    async def start_fill(self, member: Member, chat_id: int, phrasing_id: str, now: datetime) -> FillStep:
        phrasing = self._phrasing(phrasing_id)
        values = self.known_values(member)
        offer = self.offer(phrasing, values)
        if offer.ready:
            return FillStep(None, None, offer)
        async with self.db.transaction() as repos:
            request = await repos.fill_requests.add(FillRequest(
                person_id=member.id, chat_id=chat_id, phrasing_id=phrasing.id, values=values, created_at=now,
            ))
            return FillStep(request.id, offer.missing[0], offer)

    async def prompt_sent(self, request_id: int, message_id: int) -> None:
        async with self.db.transaction() as repos:
            request = await repos.fill_requests.get(request_id)
            if request is not None:
                request.prompt_message_id = message_id

    async def answer(self, member: Member, chat_id: int, prompt_message_id: int, value: str, now: datetime) -> FillStep | None:
        """Take the agent's answer to a prompt; None when the message answers no prompt of ours."""
        async with self.db.transaction() as repos:
            request = await repos.fill_requests.by_prompt(chat_id, prompt_message_id)
            if request is None or request.person_id != member.id:
                return None
            phrasing = self._phrasing(request.phrasing_id)
            missing = self.offer(phrasing, request.values).missing
            if not missing:
                await repos.fill_requests.delete(request)
                return FillStep(None, None, self.offer(phrasing, request.values))
            name = missing[0]
            request.values = {**request.values, name: self._valid_value(name, value)}
            offer = self.offer(phrasing, request.values)
            if offer.ready:
                await repos.fill_requests.delete(request)
                await repos.events.add_all([event(EventType.PHRASING_FILLED, member, now, subject=phrasing.id, detail=phrasing.kind)])
                return FillStep(None, None, offer)
            return FillStep(request.id, offer.missing[0], offer)

    def _phrasing(self, phrasing_id: str) -> Phrasing:
        phrasing = self.knowledge.current.knowledge.find_phrasing(phrasing_id)
        if phrasing is None:
            raise UserError("phrasing.gone")
        return phrasing

    def _valid_value(self, name: str, value: str) -> str:
        value = value.strip()
        if not value or len(value) > MAX_VALUE_CHARS or "\n" in value:
            raise UserError("fill.bad_value", label=placeholder_label(name), limit=MAX_VALUE_CHARS)
        if name == "order_id":
            return self.numbers.parse(value)
        if name == "days" and not _DIGITS.match(value):
            raise UserError("fill.bad_days")
        if name == "tracking_no" and not _TRACKING.match(value):
            raise UserError("fill.bad_tracking")
        return value


def fill_and_mark(text: str, values: dict[str, str]) -> tuple[str, tuple[str, ...]]:
    """Fill what is known and mark each gap 【客户称呼】 so that it cannot pass for ready text."""
    text, missing = fill_placeholders(text, values)
    for name in missing:
        text = text.replace("{" + name + "}", f"【{placeholder_label(name)}】")
    return text, missing

