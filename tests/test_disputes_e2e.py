"""End-to-end: an agent disputes a flag, a supervisor confirms it, another approves — the rule's
allowed contexts, the team's corpus and the checker follow; the reject path, a double press,
forged buttons. The real Application, real Updates, the offline Bot API, a real SQLite file
and a copy of the knowledge files."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from bot.knowledge.snapshot import Snapshot
from bot.roster.roles import Role
from bot.knowledge.store import LoadedKnowledge
from bot.storage.models import Dispute, KnowledgeVersion
from bot.telegram.offline import Call
from tests.bot_harness import BotHarness
from tests.knowledge_fixtures import KNOWLEDGE_DIR
from tests.test_proposals_e2e import knowledge_copy, sent_to  # noqa: F401  (a fixture, a helper)

AGENT, SUPERVISOR, LEAD = 1001, 3001, 4001
DRAFT = "亲，这个不是我们的问题能解决的吗？我帮您问问主管"  # flagged: 不是我们的问题 (推卸责任)
CONTEXT = "这个不是我们的问题能解决的吗"


@pytest.fixture
async def bot(sqlite_url: str, knowledge_copy: Path) -> AsyncIterator[BotHarness]:
    harness = await BotHarness.start(sqlite_url, knowledge_dir=knowledge_copy)
    await harness.add(AGENT, "慧兰", agent_id="A07")
    await harness.add(SUPERVISOR, "王主管", Role.SUPERVISOR)
    await harness.add(LEAD, "李组长", Role.TEAM_LEAD)
    yield harness
    await harness.stop()


def answers(calls: list[Call]) -> list[str]:
    return [str(c.params.get("text") or "") for c in calls if c.method == "answerCallbackQuery"]


def data_of(call: Call, prefix: str) -> str:
    (data,) = [b["callback_data"] for b in call.buttons() if b.get("callback_data", "").startswith(prefix)]
    return data


def forged(chat: int, data: str) -> Call:
    """A message with one button whose data nobody sent (or whose message is gone)."""
    return Call("sendMessage", {"chat_id": chat, "text": "x",
                                "reply_markup": {"inline_keyboard": [[{"text": "?", "callback_data": data}]]}})


async def disputes(bot: BotHarness) -> list[Dispute]:
    async with bot.services.db.transaction() as repos:
        return list(await repos.session.scalars(select(Dispute).order_by(Dispute.id)))


async def dispute_draft(bot: BotHarness, draft: str = DRAFT) -> Call:
    """The agent has the draft checked and presses 这句没问题; returns the verdict."""
    (verdict,) = sent_to(await bot.send(AGENT, draft), AGENT)
    assert "这句没问题" in str(verdict.buttons())
    pressed = await bot.press(AGENT, verdict, "dsp")
    assert any("发给主管复核" in a for a in answers(pressed))
    (edited,) = [c for c in pressed if c.method == "editMessageReplyMarkup"]
    assert "发给主管复核" in str(edited.buttons()) and "这句没问题" not in str(edited.buttons())
    return verdict


async def flags_list(bot: BotHarness, who: int = SUPERVISOR) -> list[Call]:
    return sent_to(await bot.send(who, "/flags"), who)


async def confirmed_for_review(bot: BotHarness) -> Call:
    """Disputed by the agent, confirmed by the supervisor: the proposal as the other reviewer sees it."""
    await dispute_draft(bot)
    _, item = await flags_list(bot)
    await bot.press(SUPERVISOR, item, data_of(item, "dc:"))
    await bot.deliver()
    return sent_to(bot.api.calls, LEAD)[-1]


async def test_the_whole_loop_dispute_confirm_approve(bot: BotHarness, knowledge_copy: Path) -> None:
    verdict = await dispute_draft(bot)
    await bot.deliver()
    notice = sent_to(bot.api.calls, SUPERVISOR)[-1].text
    assert "慧兰" in notice and "/flags" in notice and "shirk." not in notice

    header, item = await flags_list(bot)
    assert "1 条" in header.text
    assert "<b><u>不是我们的问题</u></b>" in item.text  # the flagged words highlighted in the draft
    assert "推卸责任" in item.text and "慧兰" in item.text and "shirk." not in item.text  # words, not ids
    dispute_id = int(data_of(item, "dc:").split(":")[1])

    confirmed = await bot.press(SUPERVISOR, item, f"dc:{dispute_id}")
    assert "提交为提议" in sent_to(confirmed, SUPERVISOR)[-1].text
    assert len(await flags_list(bot)) == 1  # no longer pending: "没有待处理的申诉"
    await bot.deliver()
    review = sent_to(bot.api.calls, LEAD)[-1]  # the other reviewer: never the supervisor who proposed
    assert "放行提议" in review.text and CONTEXT in review.text and "shirk." not in review.text
    assert not any(b["callback_data"].startswith("pe:") for b in review.buttons())  # no edit for this kind
    proposal_id = int(data_of(review, "pa:").split(":")[1])
    refused = await bot.press(SUPERVISOR, review, f"pa:{proposal_id}")
    assert any("不能审批自己的提议" in a for a in answers(refused))

    approved = await bot.press(LEAD, review, f"pa:{proposal_id}")
    assert "已批准" in sent_to(approved, LEAD)[-1].text
    await bot.deliver()
    told = sent_to(bot.api.calls, AGENT)[-1].text
    assert "已确认没问题" in told and "不会再被标记" in told

    rules = yaml.safe_load((knowledge_copy / "rules" / "responsibility.yaml").read_text(encoding="utf-8"))
    (rule,) = [r for r in rules["rules"] if r["id"] == "shirk.not_our_problem"]
    assert CONTEXT in rule["allowed"] and "负责到底" in rule["allowed"]
    lines = (knowledge_copy / "corpus" / "team.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [
        {"text": DRAFT, "label": "clean", "rule": None, "group": f"team-{dispute_id}", "source": "team"}]

    (again,) = sent_to(await bot.send(AGENT, DRAFT), AGENT)
    assert again.text.startswith("✅")  # the same draft checks clean now
    (still,) = sent_to(await bot.send(AGENT, "亲，这不是我们的问题"), AGENT)
    assert "不是我们的问题" in still.text and not still.text.startswith("✅")  # elsewhere the rule stands

    # the knowledge put in use after the approval still has its intent layer (trained on the
    # generated corpus beside the versioned files, not only on team.jsonl)
    before = LoadedKnowledge.from_directory(KNOWLEDGE_DIR).checker.intent_rules()
    assert bot.services.knowledge.current.checker.intent_rules() == before and before

    (row,) = await disputes(bot)
    assert row.state == "confirmed" and row.draft == DRAFT and row.rules == ["shirk.not_our_problem"]
    assert row.decided_at is not None and row.proposal_id == proposal_id
    assert [e.subject for e in await bot.events("flag_disputed")] == ["shirk.not_our_problem"]
    assert [e.subject for e in await bot.events("flag_confirmed")] == ["shirk.not_our_problem"]
    assert verdict.chat_id == AGENT


async def test_the_corpus_file_is_part_of_a_version_and_of_rollback(bot: BotHarness, knowledge_copy: Path) -> None:
    review = await confirmed_for_review(bot)
    await bot.press(LEAD, review, data_of(review, "pa:"))
    async with bot.services.db.transaction() as repos:
        latest = await repos.knowledge_versions.latest()
        assert latest is not None
        assert "corpus/team.jsonl" in Snapshot.unpack(latest.files).files
        assert {"what": "file", "id": "corpus/team.jsonl", "change": "added", "before": "", "after": ""} \
            in latest.changes
        number = latest.number
    await bot.services.keeper.rollback(None, number - 1, "测试", bot.services.now(), by="测试")
    assert not (knowledge_copy / "corpus" / "team.jsonl").exists()
    assert not sent_to(await bot.send(AGENT, DRAFT), AGENT)[0].text.startswith("✅")  # flagged again


async def test_reject_closes_it_and_tells_the_agent(bot: BotHarness) -> None:
    await dispute_draft(bot)
    _, item = await flags_list(bot)
    dispute_id = int(data_of(item, "dr:").split(":")[1])
    done = await bot.press(SUPERVISOR, item, f"dr:{dispute_id}")
    assert "确实有问题" in sent_to(done, SUPERVISOR)[-1].text
    await bot.deliver()
    assert "确实有问题" in sent_to(bot.api.calls, AGENT)[-1].text
    (row,) = await disputes(bot)
    assert row.state == "rejected" and row.decided_at is not None
    again = await bot.press(SUPERVISOR, item, f"dc:{dispute_id}")  # a stale button
    assert any("已经处理过了" in a for a in answers(again))
    async with bot.services.db.transaction() as repos:
        assert await repos.session.scalar(select(func.count()).select_from(KnowledgeVersion)) == 1


async def test_a_second_press_records_nothing_more(bot: BotHarness) -> None:
    verdict = await dispute_draft(bot)
    await bot.deliver()
    told_before = len(sent_to(bot.api.calls, SUPERVISOR))
    again = await bot.press(AGENT, verdict, "dsp")
    assert any("已经提交过" in a for a in answers(again))
    await bot.deliver()
    assert len(await disputes(bot)) == 1 and len(await bot.events("flag_disputed")) == 1
    assert len(sent_to(bot.api.calls, SUPERVISOR)) == told_before  # the supervisors are told once


async def test_forged_and_stale_buttons_are_answered_politely(bot: BotHarness) -> None:
    (header,) = await flags_list(bot)
    assert "没有待处理的申诉" in header.text
    assert any("没有找到申诉" in a for a in answers(await bot.press(SUPERVISOR, forged(SUPERVISOR, "dc:999"), "dc:999")))
    assert any("按钮已失效" in a for a in answers(await bot.press(SUPERVISOR, forged(SUPERVISOR, "dr:abc"), "dr:abc")))
    await dispute_draft(bot)
    _, item = await flags_list(bot)
    refused = await bot.press(AGENT, item, data_of(item, "dc:"))  # an agent cannot decide
    assert any("只有本组的主管" in a for a in answers(refused))
    # A verdict whose draft is gone (no message it answers): nothing recorded.
    lost = forged(AGENT, "dsp")
    assert any("找不到这条草稿" in a for a in answers(await bot.press(AGENT, lost, "dsp")))
    assert len(await disputes(bot)) == 1


MISSED = "这个事情您得问仓库那边的同事"  # pushes the customer to a colleague; the checker lets it pass


async def approve_last_review(bot: BotHarness) -> None:
    await bot.deliver()
    review = sent_to(bot.api.calls, LEAD)[-1]
    assert "漏标提议" in review.text and "shirk." not in review.text
    await bot.press(LEAD, review, data_of(review, "pa:"))


def team_lines(knowledge_copy: Path) -> list[dict[str, object]]:
    text = (knowledge_copy / "corpus" / "team.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


async def test_missed_with_a_category_asks_for_the_rule_then_becomes_an_example(
        bot: BotHarness, knowledge_copy: Path) -> None:
    (pick,) = sent_to(await bot.send(SUPERVISOR, f"/missed 推卸责任 {MISSED}"), SUPERVISOR)
    assert "哪一条规则" in pick.text
    labels = [b["text"] for b in pick.buttons()]
    assert len(labels) == 4 and "把顾客推给同事" in labels and all("shirk." not in label for label in labels)
    assert all(len(b["callback_data"].encode()) <= 64 for b in pick.buttons())
    data = next(b["callback_data"] for b in pick.buttons() if b["callback_data"].endswith(":shirk.colleague"))
    proposal_id = int(data.split(":")[1])
    (submitted,) = sent_to(await bot.press(SUPERVISOR, pick, data), SUPERVISOR)
    assert "已提交" in submitted.text and MISSED in submitted.text
    await approve_last_review(bot)
    severity = bot.services.knowledge.current.knowledge.rule("shirk.colleague").severity.value
    assert team_lines(knowledge_copy) == [{"text": MISSED, "label": severity, "rule": "shirk.colleague",
                                           "group": f"team-missed-{proposal_id}", "source": "team"}]
    await bot.deliver()
    assert "已由 李组长 批准" in sent_to(bot.api.calls, SUPERVISOR)[-1].text


async def test_missed_without_a_rule_asks_the_category_first(bot: BotHarness, knowledge_copy: Path) -> None:
    (pick,) = sent_to(await bot.send(SUPERVISOR, f"/missed {MISSED}"), SUPERVISOR)
    assert "哪一类" in pick.text and "不耐烦" in [b["text"] for b in pick.buttons()]
    category = next(b["callback_data"] for b in pick.buttons() if b["text"] == "不耐烦")
    (done,) = sent_to(await bot.press(SUPERVISOR, pick, category), SUPERVISOR)  # one rule in it: proposed
    assert "已提交" in done.text
    await approve_last_review(bot)
    (line,) = team_lines(knowledge_copy)
    assert line["text"] == MISSED and str(line["group"]).startswith("team-missed-")


async def test_missed_refuses_what_is_already_flagged_and_what_agents_send(bot: BotHarness) -> None:
    (pick,) = sent_to(await bot.send(SUPERVISOR, "/missed 讽刺顾客 亲你爱买不买"), SUPERVISOR)
    mocking = next(b["callback_data"] for b in pick.buttons() if b["callback_data"].endswith(":conduct.mocking"))
    assert any("已经会被「讽刺、挖苦顾客" in a for a in answers(await bot.press(SUPERVISOR, pick, mocking)))
    gone = await bot.press(SUPERVISOR, forged(SUPERVISOR, "mr:99999:conduct.mocking"), "mr:99999:conduct.mocking")
    assert any("没有找到提议" in a for a in answers(gone))
    (usage,) = sent_to(await bot.send(SUPERVISOR, "/missed"), SUPERVISOR)
    assert "用法" in usage.text
    (denied,) = sent_to(await bot.send(AGENT, f"/missed 推卸责任 {MISSED}"), AGENT)
    assert "主管" in denied.text
    async with bot.services.db.transaction() as repos:
        assert await repos.session.scalar(select(func.count()).select_from(KnowledgeVersion)) == 1


async def test_a_long_draft_full_of_flags_still_fits_telegram(bot: BotHarness) -> None:
    draft = "<你&我们不负责>" * 180  # 1800 characters that double when escaped, 360 flags
    await dispute_draft(bot, draft)
    _, item = await flags_list(bot)
    assert len(item.text) <= 4096 and item.text.count("被标为") == 2  # each word and rule once
    assert "&lt;" in item.text and "<b><u>" in item.text
    await bot.deliver()
    assert [(c.method, c.chat_id, len(c.text)) for c in bot.api.calls if len(c.text) > 4096] == []


async def test_a_confirmation_the_reviewer_rejects_rejects_the_dispute(bot: BotHarness, knowledge_copy: Path) -> None:
    review = await confirmed_for_review(bot)
    (prompt,) = sent_to(await bot.press(LEAD, review, data_of(review, "pj:")), LEAD)
    await bot.send(LEAD, "这句确实在推卸责任", reply_to=prompt.message_id)
    await bot.deliver()
    assert "没有获批：这句确实在推卸责任" in sent_to(bot.api.calls, AGENT)[-1].text
    (row,) = await disputes(bot)
    assert row.state == "rejected" and row.note == "这句确实在推卸责任"
    assert not (knowledge_copy / "corpus" / "team.jsonl").exists()
    assert await bot.events("flag_confirmed") == []
