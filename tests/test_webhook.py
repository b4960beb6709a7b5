"""Webhook mode on a real SQLite file: the secret, bounded bodies, duplicates, probes and metrics."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from sqlalchemy import func, select

from bot.roster.people import NewMember
from bot.roster.roles import Role
from bot.storage.models import ProcessedUpdate
from tests.replica import HEADERS, SECRET, Replica, post, replica, replies, update

AGENT = 1001


@pytest.fixture
async def one(sqlite_url: str) -> AsyncIterator[Replica]:
    async with replica(sqlite_url, webhook_max_body_bytes=4000) as running:
        await running.services.roster.add(AGENT, NewMember("慧兰", Role.AGENT, "T1", "A07"))
        yield running


async def _processed(one: Replica) -> int:
    async with one.services.db.transaction() as repos:
        return int(await repos.session.scalar(select(func.count()).select_from(ProcessedUpdate)) or 0)


async def test_the_webhook_is_registered_with_the_secret(one: Replica) -> None:
    (call,) = [c for c in one.api.calls if c.method == "setWebhook"]
    assert call.params["url"] == "https://bot.example/telegram" and call.params["secret_token"] == SECRET


async def test_a_wrong_or_missing_secret_is_rejected_and_nothing_processed(one: Replica) -> None:
    async with aiohttp.ClientSession() as http:
        for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "guess"}):
            async with http.post(one.url, json=update(1, AGENT, "这款我们不补货了"), headers=headers) as res:
                assert res.status == 403
    assert await replies(one.api, AGENT, 1, timeout=0.5) == [] and await _processed(one) == 0


async def test_malformed_and_oversized_bodies_are_answered_not_crashed_on(one: Replica) -> None:
    async with aiohttp.ClientSession() as http:
        for body in (b"{not json", b'{"message": {}}', b"[1, 2]"):
            async with http.post(one.url, data=body, headers=HEADERS) as res:
                assert res.status == 400
        async with http.post(one.url, json=update(2, AGENT, "好" * 3000), headers=HEADERS) as res:
            assert res.status == 413
        status, verdict = await post(http, one.url, update(3, AGENT, "这款我们不补货了"))
    assert status == 200 and verdict is not None and "工厂不再生产了" in verdict  # still serving


async def test_an_update_delivered_twice_is_processed_once_its_verdict_in_the_first_answer(one: Replica) -> None:
    async with aiohttp.ClientSession() as http:
        answers = [await post(http, one.url, update(10, AGENT, "这款我们不补货了")) for _ in range(3)]
    assert [status for status, _ in answers] == [200, 200, 200]
    verdicts = [text for _, text in answers if text is not None]
    assert len(verdicts) == 1 and "工厂不再生产了" in verdicts[0]
    assert await replies(one.api, AGENT, 0, timeout=0.3) == []  # nothing more through the Bot API


async def test_with_replies_in_answers_off_the_verdict_goes_through_the_bot_api(sqlite_url: str) -> None:
    async with replica(sqlite_url, webhook_reply_in_response=False) as running:
        await running.services.roster.add(AGENT, NewMember("慧兰", Role.AGENT, "T1", "A07"))
        async with aiohttp.ClientSession() as http:
            answers = [await post(http, running.url, update(11, AGENT, "这款我们不补货了")) for _ in range(2)]
        assert answers == [(200, None), (200, None)]
        sent = await replies(running.api, AGENT, 1)
        assert len(sent) == 1 and "工厂不再生产了" in sent[0]


async def test_past_the_rate_limit_a_verdict_waits_its_turn_through_the_bot_api(sqlite_url: str) -> None:
    """The answer is not a way around TELEGRAM_OVERALL_MAX_RATE: one a second here."""
    async with replica(sqlite_url, telegram_overall_max_rate=1) as running:
        await running.services.roster.add(AGENT, NewMember("慧兰", Role.AGENT, "T1", "A07"))
        async with aiohttp.ClientSession() as http:
            first = await post(http, running.url, update(12, AGENT, "这款我们不补货了"))
            second = await post(http, running.url, update(13, AGENT, "喂，在吗"))
        assert first[1] is not None and second == (200, None)
        assert len(await replies(running.api, AGENT, 1, timeout=3)) == 1


async def test_live_health_and_metrics(one: Replica) -> None:
    async with aiohttp.ClientSession() as http:
        await http.post(one.url, json=update(20, AGENT, "喂，在吗"), headers=HEADERS)
        await http.post(one.url, json=update(20, AGENT, "喂，在吗"), headers=HEADERS)
        await http.post(one.url, json=update(21, AGENT, "x"), headers={})
        await replies(one.api, AGENT, 1)
        async with http.get(one.base + "/live") as res:
            assert res.status == 200
        async with http.get(one.base + "/health") as res:
            assert res.status == 200
        async with http.get(one.base + "/metrics") as res:
            text = await res.text()
    assert 'kefu_webhook_updates_total{result="accepted"} 1.0' in text
    assert 'kefu_webhook_updates_total{result="duplicate"} 1.0' in text
    assert 'kefu_webhook_updates_total{result="rejected"} 1.0' in text
    assert 'kefu_flags_total{severity="block"} 1.0' in text
    assert "kefu_webhook_replies_total 1.0" in text
    assert "kefu_update_seconds_count" in text and "kefu_outbox_pending 0.0" in text
