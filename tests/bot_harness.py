"""Driving the real ``Application`` with real ``Update`` objects through the offline Bot API.

Updates are built as the JSON Telegram sends and parsed with ``Update.de_json``, exactly as
long polling or a webhook would hand them to the bot; every reply lands in
:class:`OfflineBotAPI`, which the tests read.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from telegram import Update
from telegram.ext import Application

from bot.config import Settings
from bot.roster.people import NewMember
from bot.roster.roles import Role
from bot.services import Clock, Services, system_clock
from bot.storage.models import Event
from bot.storage.migrate import upgrade_async
from bot.telegram.app import build_application
from bot.telegram.offline import Call, OfflineBotAPI, callback_json, message_json

KNOWLEDGE = Path(__file__).resolve().parents[1] / "knowledge"
TOKEN = "123456:OFFLINE-TEST"
_ids = itertools.count(1)


def settings_for(url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": url, "knowledge_dir": KNOWLEDGE, "telegram_bot_token": TOKEN,
        "knowledge_watch_seconds": 0, "telegram_overall_max_rate": 0,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@dataclass
class BotHarness:
    services: Services
    api: OfflineBotAPI
    app: Application
    names: dict[int, str] = field(default_factory=dict)
    texts: dict[int, str] = field(default_factory=dict)  # what users sent, by message id

    @classmethod
    async def start(cls, url: str, *, clock: Clock = system_clock, **overrides: Any) -> BotHarness:
        await upgrade_async(url)
        services = Services.create(settings_for(url, **overrides), clock=clock)
        api = OfflineBotAPI()
        app = build_application(services, request=api)
        await app.initialize()
        await app.start()
        assert app.post_init is not None
        await app.post_init(app)
        return cls(services, api, app)

    async def stop(self) -> None:
        """Stop as ``run_polling`` does: the application, then the leases, events and database."""
        if self.app.running:
            await self.app.stop()
        await self.app.shutdown()
        await self.services.leases.release_all()
        await self.services.close()

    async def add(self, telegram_id: int, name: str, role: Role = Role.AGENT, team: str = "T1",
                  agent_id: str | None = None) -> None:
        await self.services.roster.add(telegram_id, NewMember(name=name, role=role, team=team, agent_id=agent_id))
        self.names[telegram_id] = name

    async def feed(self, data: dict[str, Any]) -> list[Call]:
        """Hand one update to the bot; return the Bot API calls it made while handling it."""
        before = len(self.api.calls)
        update = Update.de_json({"update_id": next(_ids), **data}, self.app.bot)
        await self.app.process_update(update)
        await self.services.events.flush()  # the write-behind counts, so tests can read them
        return self.api.calls[before:]

    def _name(self, user_id: int) -> str:
        return self.names.get(user_id, "访客")

    async def send(self, user_id: int, text: str, *, reply_to: int | None = None, message_id: int | None = None) -> list[Call]:
        message_id = message_id or next(_ids)
        self.texts[message_id] = text
        return await self.feed({"message": message_json(
            user_id, text, message_id=message_id, name=self._name(user_id), reply_to=reply_to)})

    async def send_document(self, user_id: int, content: bytes, file_name: str, *, caption: str = "",
                            size: int | None = None) -> list[Call]:
        """Send a file as Telegram delivers it (``size``: the size Telegram reports, if not the content's)."""
        document = self.api.upload(content, file_name, size=size)
        return await self.feed({"message": message_json(
            user_id, caption, message_id=next(_ids), name=self._name(user_id), document=document)})

    async def edit(self, user_id: int, message_id: int, text: str) -> list[Call]:
        return await self.feed({"edited_message": message_json(
            user_id, text, message_id=message_id, name=self._name(user_id), edited=True)})

    async def press(self, user_id: int, call: Call, data: str) -> list[Call]:
        """Press the inline button with callback ``data`` under the message ``call`` sent."""
        assert any(b.get("callback_data") == data for b in call.buttons()), f"no button {data!r} in {call.buttons()}"
        replied = (call.params.get("reply_parameters") or {}).get("message_id")
        return await self.feed({"callback_query": callback_json(
            str(next(_ids)), user_id, data, message_id=call.message_id or next(_ids), message_text=call.text,
            name=self._name(user_id), replied=(replied, self.texts[replied]) if replied in self.texts else None,
            markup=_markup(call))})

    async def run_job(self, name: str) -> None:
        """Run a repeating job now (the handoff sweep, the outbox pass), as the JobQueue would."""
        assert self.app.job_queue is not None
        (job,) = [j for j in self.app.job_queue.jobs() if j.name == name]
        await job.run(self.app)
        await self.services.events.flush()

    async def deliver(self) -> None:
        """Let the outbox send what is due (waiting for a kicked pass still running)."""
        from bot.telegram.outbox_sender import JOB, busy

        while busy(self.app):
            await asyncio.sleep(0.01)
        await self.run_job(JOB)
        while busy(self.app):  # a kicked pass took the turn of ours: wait for it to finish
            await asyncio.sleep(0.01)

    async def sweep(self) -> None:
        """Run the scheduled checks now, then let the outbox send what they queued."""
        from bot.telegram.scheduler import JOB

        await self.run_job(JOB)
        await self.deliver()

    async def events(self, event_type: str) -> list[Event]:
        """The recorded events of one type, oldest first."""
        async with self.services.db.transaction() as repos:
            return list(await repos.session.scalars(select(Event).where(Event.type == event_type).order_by(Event.id)))

    async def wait_for(self, predicate: Callable[[Call], bool], timeout: float = 5.0) -> Call:
        """Wait for a call the bot makes on its own (a job): reminders and the like."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for call in self.api.calls:
                if predicate(call):
                    return call
            await asyncio.sleep(0.02)
        raise AssertionError("the bot did not make the expected call in time")


def _markup(call: Call) -> dict[str, Any] | None:
    """The inline keyboard the message was sent with, as Telegram includes it in a press."""
    markup = call.params.get("reply_markup")
    markup = json.loads(markup) if isinstance(markup, str) else markup
    return markup if isinstance(markup, dict) and markup.get("inline_keyboard") else None


class ManualClock:
    """A clock the test moves: ``clock.at(17, 30)``, ``clock.advance(minutes=31)``."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def at(self, hour: int, minute: int = 0, day: int | None = None) -> None:
        self.now = self.now.replace(hour=hour, minute=minute, day=day or self.now.day)

    def advance(self, **delta: float) -> None:
        from datetime import timedelta

        self.now += timedelta(**delta)


def at_local(hour: int, minute: int = 0) -> Clock:
    """A clock stopped at this time of day in Shanghai (the shop's time zone)."""
    from zoneinfo import ZoneInfo

    moment = datetime(2026, 11, 23, hour, minute, tzinfo=ZoneInfo("Asia/Shanghai"))
    return lambda: moment
