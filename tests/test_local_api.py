"""Local mode's API over real HTTP (aiohttp's test client): the same bot, the page's calls."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest


HEADERS = {"X-Kefu-Local": "1"}


@pytest.fixture
def base(local_server: str) -> str:
    return local_server


async def _until(http: aiohttp.ClientSession, base: str, chat: int, predicate: Any, after: int = 0) -> dict[str, Any]:
    for _ in range(50):
        async with http.get(f"{base}/api/events", params={"chat": chat, "after": after, "wait": 1}) as res:
            for item in await res.json():
                after = max(after, item["seq"])
                if predicate(item):
                    return item
    raise AssertionError("the bot did not answer in time")


async def test_the_demo_roster_and_a_draft_edited(base: str) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{base}/api/people") as res:
            people = {p["name"]: p for p in await res.json()}
        assert {"慧兰", "小雨", "王主管", "李组长", "管理员"} <= set(people)
        async with http.post(f"{base}/api/send", json={"chat": 1001, "text": "亲，稍等"}, headers=HEADERS) as res:
            message_id = (await res.json())["message_id"]
        await _until(http, base, 1001, lambda i: i["kind"] == "message" and "可以发送" in i["html"])
        async with http.post(f"{base}/api/edit", json={"chat": 1001, "message_id": message_id, "text": "喂，稍等"},
                             headers=HEADERS) as res:
            assert res.status == 200
        edited = await _until(http, base, 1001, lambda i: "已修改的消息" in (i.get("html") or ""))
        assert "不能发送" in edited["html"] and edited["reply_to"] == message_id


async def test_the_team_leads_report_chart_is_served(base: str) -> None:
    async with aiohttp.ClientSession() as http:
        await http.post(f"{base}/api/send", json={"chat": 4001, "text": "/report 昨天"}, headers=HEADERS)
        photo = await _until(http, base, 4001, lambda i: i["kind"] == "photo")
        async with http.get(f"{base}/api/photo/{photo['message_id']}") as res:
            assert res.status == 200 and (await res.read()).startswith(b"\x89PNG")


async def test_bad_requests_change_nothing(base: str) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{base}/api/send", json={"chat": 1001, "text": "hi"}) as res:
            assert res.status == 403  # no header: another site's page cannot post here
        async with http.post(f"{base}/api/send", data="nonsense", headers=HEADERS) as res:
            assert res.status == 400
        async with http.post(f"{base}/api/send", json={"chat": 1001, "text": "好" * 5000}, headers=HEADERS) as res:
            assert res.status == 400 and "最多 4096 个" in await res.text()  # said in Chinese
        async with http.post(f"{base}/api/send", json={"chat": 1001, "text": " \n "}, headers=HEADERS) as res:
            assert res.status == 400 and await res.text() == "消息不能为空。"
        async with http.post(f"{base}/api/newcomer") as res:
            assert res.status == 403
        async with http.post(f"{base}/api/press", json={"chat": 1001, "message_id": "x"}, headers=HEADERS) as res:
            assert res.status == 400
        async with http.get(f"{base}/api/events", params={"chat": "abc"}) as res:
            assert res.status == 400
        async with http.get(f"{base}/api/photo/99999") as res:
            assert res.status == 404
        async with http.get(f"{base}/api/events", params={"chat": 1001, "after": 0, "wait": 0}) as res:
            assert not [i for i in await res.json() if i["kind"] == "user"]


async def test_a_stranger_on_the_page_is_refused_like_on_telegram(base: str) -> None:
    async with aiohttp.ClientSession() as http:
        await http.post(f"{base}/api/send", json={"chat": 5555, "text": "这不是我们的问题"}, headers=HEADERS)
        refusal = await _until(http, base, 5555, lambda i: i["kind"] == "message")
        assert "邀请码" in refusal["html"] and "不能发送" not in refusal["html"]


def test_the_demo_day_flags_only_rules_the_knowledge_has() -> None:
    from bot.knowledge.store import LoadedKnowledge
    from bot.local.demo import RULES
    from tests.bot_harness import KNOWLEDGE

    known = {rule.id for rule in LoadedKnowledge.from_directory(KNOWLEDGE).knowledge.rules}
    assert set(RULES) <= known


async def test_a_draft_that_passed_is_proposed_from_its_button(base: str) -> None:
    """The press carries the draft the verdict answers, as Telegram's callback does."""
    text = "亲，这款我们仓库今天下午统一安排发出，发出后我把快递单号发给您。"
    async with aiohttp.ClientSession() as http:
        await http.post(f"{base}/api/send", json={"chat": 1002, "text": text}, headers=HEADERS)
        verdict = await _until(http, base, 1002, lambda i: i["kind"] == "message" and "可以发送" in i["html"])
        assert [b["callback_data"] for row in verdict["buttons"] for b in row] == ["pd"]
        async with http.post(f"{base}/api/press", json={"chat": 1002, "message_id": verdict["message_id"],
                                                        "data": "pd"}, headers=HEADERS) as res:
            assert res.status == 200
        step = await _until(http, base, 1002, lambda i: "提议 #" in (i.get("html") or ""), after=verdict["seq"])
        assert any(b["callback_data"].startswith(("pkk:", "ps:")) for row in step["buttons"] for b in row)


async def test_a_newcomer_is_listed_until_on_the_roster_and_no_prompt_is_open(base: str) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{base}/api/newcomer", headers=HEADERS) as res:
            newcomer = (await res.json())["chat"]
        async with http.get(f"{base}/api/people") as res:
            listed = {p["chat"]: p for p in await res.json()}
        assert listed[newcomer]["role"] == "newcomer" and len(listed) == 6
        async with http.get(f"{base}/api/prompt", params={"chat": newcomer}) as res:
            assert await res.json() == {"message_id": None}
        async with http.get(f"{base}/api/prompt", params={"chat": "x"}) as res:
            assert res.status == 400
