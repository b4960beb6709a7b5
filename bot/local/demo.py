"""A demo roster and a demo day, loaded when local mode starts on an empty database.

Five people on team T1 (two agents, a supervisor, a team lead, an admin), yesterday's drafts,
flags, phrasings and orders, and a night-shift handoff note for this morning — so every role
has something to look at on the first visit. Made through the same services the bot uses.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from sqlalchemy import func, select

from bot.events import EventType
from bot.roster.people import Member, NewMember
from bot.roster.roles import Role
from bot.services import Services
from bot.storage.models import Person

TEAM = "T1"
DEMO_PEOPLE = (
    (1001, NewMember("慧兰", Role.AGENT, TEAM, "A07")),
    (1002, NewMember("小雨", Role.AGENT, TEAM, "A08")),
    (3001, NewMember("王主管", Role.SUPERVISOR, TEAM)),
    (4001, NewMember("李组长", Role.TEAM_LEAD, TEAM)),
    (9001, NewMember("管理员", Role.ADMIN, TEAM)),
)
RULES = ("taboo.wei", "shirk.not_our_problem", "stock.no_restock", "self_service.look_it_up")
KINDS = ("greeting", "apology", "refusal", "thanks")


async def load_demo_if_empty(services: Services) -> bool:
    """Load the demo when nobody is on the roster; returns whether it did."""
    async with services.db.transaction() as repos:
        if await repos.session.scalar(select(func.count()).select_from(Person)):
            return False
    members = [await services.roster.add(telegram_id, new) for telegram_id, new in DEMO_PEOPLE]
    agents = [m for m in members if m.role is Role.AGENT]
    today = services.local_now().date()
    yesterday = datetime.combine(today - timedelta(days=1), time(0), services.settings.shop_tz)
    await _events(services, agents, yesterday)
    await _orders(services, agents, yesterday)
    await _night_note(services, agents[1], yesterday)
    return True


async def _events(services: Services, agents: list[Member], day: datetime) -> None:
    rng = random.Random(7)
    rows = []
    for agent in agents:
        for _ in range(rng.randint(25, 40)):
            at = day + timedelta(hours=rng.uniform(9, 22))
            verdict = rng.choice(("ok", "ok", "ok", "warn", "block"))
            rows.append(_row(agent, at, EventType.DRAFT_CHECKED, detail=verdict))
            if verdict != "ok":
                rows.append(_row(agent, at, EventType.DRAFT_FLAGGED, subject=rng.choice(RULES), detail=verdict))
        for _ in range(rng.randint(10, 20)):
            kind = rng.choice(KINDS)
            rows.append(_row(agent, day + timedelta(hours=rng.uniform(9, 22)), EventType.PHRASING_SUGGESTED,
                             subject=f"{kind}.demo", detail=kind))
    async with services.db.transaction() as repos:
        await repos.events.add_all(rows)


def _row(member: Member, at: datetime, type_: EventType, subject: str | None = None,
         detail: str | None = None) -> dict[str, object]:
    return {"type": type_.value, "person_id": member.id, "team": member.team, "at": at, "subject": subject,
            "detail": detail, "order_id": None}


async def _orders(services: Services, agents: list[Member], day: datetime) -> None:
    numbers = iter(range(3812345678901230001, 3812345678901239999))
    for agent in agents:
        for hour in (10, 14, 20):
            logged = await services.orders.log(agent, agent.telegram_id, str(next(numbers)), "", day + timedelta(hours=hour),
                                               "command")
            if hour != 20:
                await services.orders.tag(agent, logged.order.id, day + timedelta(hours=hour, minutes=15))


async def _night_note(services: Services, agent: Member, day: datetime) -> None:
    """小雨's night shift note, filed after midnight, for this morning's day shift."""
    desk = services.handoffs
    await desk.go_on(agent, day + timedelta(hours=17, minutes=2), "晚班")
    await desk.draft(agent, agent.telegram_id, day + timedelta(hours=23))
    for text in ("tb_小王 等退款到账，已催财务", "李女士 等换货单号"):
        await desk.add(agent, text, day + timedelta(hours=23))
    await desk.move(agent, 1, day + timedelta(hours=23))
    await desk.add(agent, "SF1234567890 快递破损，今天上午必须补发", day + timedelta(hours=23, minutes=5))
    await desk.move(agent, 3, day + timedelta(hours=23, minutes=5))
    await desk.add(agent, "打印机没纸了", day + timedelta(hours=23, minutes=6))
    await desk.move(agent, 1, day + timedelta(hours=23, minutes=6))
    await desk.file(agent, day + timedelta(days=1, minutes=40))
