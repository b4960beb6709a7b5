"""Service figures stored per team, agent and transcript day: an audit of a day again replaces
that team's rows of the day, and the team's own row cannot be confused with an agent's."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from bot.audit.service_figures import AgentDayFigures, WorstConversation
from bot.storage.db import Database
from bot.storage.migrate import upgrade_async
from bot.storage.models import ServiceDay
from bot.storage.scratch import scratch_postgres

D1, D2, D3 = date(2026, 11, 22), date(2026, 11, 23), date(2026, 11, 24)
AT = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)


def day(agent: str | None, on: date, conversations: int = 3, score: float | None = 90.0) -> AgentDayFigures:
    worst = (WorstConversation("买家甲", 60.0, ("首次响应 95 秒（限 25 秒）", "结束时顾客未得到回复"), agent or "-"),)
    return AgentDayFigures(agent=agent, day=on, conversations=conversations, answered=conversations - 1,
                           first_response_mean=12.5, first_response_p90=30.0, customer_messages=10,
                           answered_in_time=8, unanswered=1, agent_messages=12, flags=2, score_mean=score,
                           worst=worst if agent else ())


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def db(request: pytest.FixtureRequest, sqlite_url: str) -> AsyncIterator[Database]:
    if request.param == "sqlite":
        await upgrade_async(sqlite_url)
        database = Database(sqlite_url)
        yield database
        await database.close()
        return
    async with scratch_postgres(request.getfixturevalue("postgres_url"), "kefu_service") as url:
        await upgrade_async(url)
        database = Database(url)
        yield database
        await database.close()


async def _count(db: Database) -> int:
    async with db.transaction() as repos:
        return int(await repos.session.scalar(select(func.count()).select_from(ServiceDay)) or 0)


async def test_figures_round_trip_with_the_team_row_first(db: Database) -> None:
    async with db.transaction() as repos:
        days = await repos.service_days.replace("T1", [day("A07", D2), day(None, D2), day("hl旺旺", D2)], AT, "d.csv")
    assert days == [D2]
    async with db.transaction() as repos:
        found = await repos.service_days.for_days("T1", [D1, D2])
    assert list(found) == [D2]  # a day never audited is absent
    assert [f.agent for f in found[D2]] == [None, "A07", "hl旺旺"]
    assert found[D2][1] == day("A07", D2)  # every figure, the worst conversations with their reasons too
    assert found[D2][0].worst == () and found[D2][1].answered_in_time_share == 0.8


async def test_the_same_day_again_replaces_and_other_days_and_teams_stay(db: Database) -> None:
    async with db.transaction() as repos:
        await repos.service_days.replace("T1", [day("A07", D1), day(None, D1), day("A07", D2), day(None, D2)],
                                         AT, "first.csv")
        await repos.service_days.replace("T2", [day("A07", D2), day(None, D2)], AT, "other-team.csv")
    async with db.transaction() as repos:  # the same export of D2 again, with one more agent
        assert await repos.service_days.replace(
            "T1", [day("A07", D2, 5), day("A08", D2, 1), day(None, D2, 6)], AT, "again.csv") == [D2]
    async with db.transaction() as repos:
        t1 = await repos.service_days.for_days("T1", [D1, D2, D3])
        t2 = await repos.service_days.for_days("T2", [D2])
    assert [(f.agent, f.conversations) for f in t1[D2]] == [(None, 6), ("A07", 5), ("A08", 1)]
    assert [(f.agent, f.conversations) for f in t1[D1]] == [(None, 3), ("A07", 3)]  # not covered: kept
    assert [(f.agent, f.conversations) for f in t2[D2]] == [(None, 3), ("A07", 3)]
    assert await _count(db) == 2 + 3 + 2


async def test_an_empty_audit_replaces_nothing(db: Database) -> None:
    async with db.transaction() as repos:
        await repos.service_days.replace("T1", [day("A07", D2), day(None, D2)], AT, "d.csv")
        assert await repos.service_days.replace("T1", [], AT, "empty.csv") == []
    assert await _count(db) == 2


@pytest.mark.parametrize("rows", [
    [day(None, D2), day(None, D2)],  # two team rows for one day
    [day("A07", D2), day("A07", D2)],  # one agent twice
])
async def test_a_day_holds_one_row_per_agent_and_one_team_row(db: Database, rows: list[AgentDayFigures]) -> None:
    with pytest.raises(IntegrityError):
        async with db.transaction() as repos:
            await repos.service_days.replace("T1", rows, AT, "bad.csv")
    assert await _count(db) == 0


async def test_a_team_row_with_an_agent_is_refused_by_the_database(db: Database) -> None:
    with pytest.raises(IntegrityError):
        async with db.transaction() as repos:
            repos.session.add(ServiceDay(team="T1", day=D2, whole_team=True, agent="TEAM", conversations=0,
                                         answered=0, customer_messages=0, answered_in_time=0, unanswered=0,
                                         agent_messages=0, flags=0, worst=[], audited_at=AT, source="x"))
            await repos.session.flush()
