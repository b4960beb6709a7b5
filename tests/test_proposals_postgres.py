"""Two replicas on one PostgreSQL database and one shared knowledge directory: a proposal
approved by two reviewers at the same instant becomes one phrasing and one version."""

from __future__ import annotations

import asyncio
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.errors import UserError
from bot.roster.people import NewMember
from bot.roster.roles import Role
from bot.services import Services
from bot.storage.migrate import upgrade_async
from bot.storage.models import KnowledgeVersion
from bot.storage.scratch import scratch_postgres
from tests.bot_harness import KNOWLEDGE, settings_for

pytestmark = pytest.mark.postgres
NOW = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)
TEXT = "亲，快递在路上了，我这边已经帮您登记加急，有物流进展第一时间告诉您。"


async def test_two_reviewers_on_two_replicas_approve_at_once_and_it_happens_once(
        postgres_url: str, tmp_path: Path) -> None:
    knowledge = Path(shutil.copytree(KNOWLEDGE, tmp_path / "knowledge"))
    async with scratch_postgres(postgres_url, "kefu_proposals") as url:
        await upgrade_async(url)
        one, two = (Services.create(settings_for(url), knowledge_dir=knowledge, clock=lambda: NOW) for _ in range(2))
        try:
            agent = await one.roster.add(1, NewMember("慧兰", Role.AGENT, "T1", "A07"))
            supervisor = await one.roster.add(2, NewMember("王主管", Role.SUPERVISOR, "T1"))
            lead = await one.roster.add(3, NewMember("李组长", Role.TEAM_LEAD, "T1"))
            await one.keeper.sync(NOW)
            draft = await one.proposals.propose_phrasing(agent, TEXT, NOW)
            await one.proposals.choose(agent, draft.id, kind="apology", situation="late_delivery")
            await one.proposals.submit(agent, draft.id, NOW)

            results = await asyncio.gather(one.proposals.approve(supervisor, draft.id, NOW),
                                           two.proposals.approve(lead, draft.id, NOW), return_exceptions=True)
            approved = [r for r in results if not isinstance(r, BaseException)]
            refused = [r for r in results if isinstance(r, UserError)]
            assert len(approved) == 1 and len(refused) == 1 and refused[0].key == "proposal.decided"
            async with one.db.transaction() as repos:
                numbers = list(await repos.session.scalars(select(KnowledgeVersion.number)))
            assert sorted(numbers) == [1, 2]
            assert (knowledge / "phrasings" / "apology.yaml").read_text(encoding="utf-8").count(TEXT) == 1
            two.reload()  # the other replica's file watch
            assert two.knowledge.current.knowledge.find_phrasing(approved[0].result_id) is not None
        finally:
            await one.close()
            await two.close()
