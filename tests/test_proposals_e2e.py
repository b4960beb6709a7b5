"""End-to-end: proposals, reviews, knowledge versions and rollback — the real Application,
real Updates, the offline Bot API, a real SQLite file and a copy of the knowledge files."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.knowledge.snapshot import Snapshot
from bot.roster.roles import Role
from bot.storage.models import KnowledgeVersion, Proposal
from bot.telegram.offline import Call
from tests.bot_harness import KNOWLEDGE, BotHarness, ManualClock

AGENT, OTHER_AGENT, SUPERVISOR, LEAD, ADMIN = 1001, 1002, 3001, 4001, 9001
NEW_TEXT = "亲，快递在路上了，我这边已经帮您登记加急，有物流进展第一时间告诉您。"


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(KNOWLEDGE, tmp_path / "knowledge"))


@pytest.fixture
async def bot(sqlite_url: str, knowledge_copy: Path) -> AsyncIterator[BotHarness]:
    harness = await BotHarness.start(sqlite_url, knowledge_dir=knowledge_copy)
    await harness.add(ADMIN, "老板", Role.ADMIN, team="HQ")
    await harness.add(AGENT, "慧兰", agent_id="A07")
    await harness.add(OTHER_AGENT, "小周", agent_id="A08")
    await harness.add(SUPERVISOR, "王主管", Role.SUPERVISOR)
    await harness.add(LEAD, "李组长", Role.TEAM_LEAD)
    yield harness
    await harness.stop()


def sent_to(calls: list[Call], chat: int) -> list[Call]:
    return [c for c in calls if c.chat_id == chat and c.method in ("sendMessage", "editMessageText")]


def last_to(bot: BotHarness, chat: int) -> Call:
    return sent_to(bot.api.calls, chat)[-1]


async def versions(bot: BotHarness) -> list[KnowledgeVersion]:
    async with bot.services.db.transaction() as repos:
        return list(await repos.session.scalars(select(KnowledgeVersion).order_by(KnowledgeVersion.number)))


async def offered_pages(bot: BotHarness, agent: int, command: str, pages: int = 6) -> str:
    """What the agent is offered for ``command``, following "more" for a few pages."""
    offers = sent_to(await bot.send(agent, command), agent)[-1]
    shown = [offers.text]
    for _ in range(pages):
        more = [b["callback_data"] for b in offers.buttons() if b.get("callback_data", "").startswith("more:")]
        if not more:
            break
        offers = sent_to(await bot.press(agent, offers, more[0]), agent)[-1]
        shown.append(offers.text)
    return "\n".join(shown)


async def propose_from_draft(bot: BotHarness, text: str) -> Call:
    """The agent has a draft checked, presses 'propose', picks kind and situation, submits."""
    (verdict,) = sent_to(await bot.send(AGENT, text), AGENT)
    assert "pd" in [b.get("callback_data") for b in verdict.buttons()]
    await bot.press(AGENT, verdict, "pd")
    step = last_to(bot, AGENT)
    proposal_id = int(step.buttons()[0]["callback_data"].split(":")[1])
    if "pkk" in step.buttons()[0]["callback_data"]:
        await bot.press(AGENT, step, f"pkk:{proposal_id}:apology")
        step = last_to(bot, AGENT)
    if f"pts:{proposal_id}:late_delivery" not in str(step.buttons()):  # not guessed from the text: all of them
        await bot.press(AGENT, step, f"pta:{proposal_id}")
        step = last_to(bot, AGENT)
    await bot.press(AGENT, step, f"pts:{proposal_id}:late_delivery")
    await bot.press(AGENT, last_to(bot, AGENT), f"ps:{proposal_id}")
    assert "已提交" in last_to(bot, AGENT).text
    await bot.deliver()
    return last_to(bot, SUPERVISOR)


async def test_a_proposal_approved_is_suggested_to_another_agent(bot: BotHarness, knowledge_copy: Path) -> None:
    assert NEW_TEXT not in await offered_pages(bot, OTHER_AGENT, "/sorry 快递延迟")

    review = await propose_from_draft(bot, NEW_TEXT)
    assert NEW_TEXT in review.text and "慧兰" in review.text and "快递延迟" in review.text
    proposal_id = int(review.buttons()[0]["callback_data"].split(":")[1])
    approved = sent_to(await bot.press(SUPERVISOR, review, f"pa:{proposal_id}"), SUPERVISOR)
    assert "已批准" in approved[-1].text
    await bot.deliver()
    told = last_to(bot, AGENT).text
    assert "已由 王主管 批准" in told and "知识库 v2" in told and "apology.late_delivery.06" not in told  # words, not ids

    # Another agent is now offered it, and the file on disk holds it (the source of truth).
    assert NEW_TEXT in await offered_pages(bot, OTHER_AGENT, "/sorry 快递延迟")
    assert "apology.late_delivery.06" in (knowledge_copy / "phrasings" / "apology.yaml").read_text(encoding="utf-8")
    history = await versions(bot)
    assert [v.number for v in history] == [1, 2]
    assert history[1].author == "王主管" and history[1].applied_at is not None
    assert history[1].changes == [{"what": "phrasing", "id": "apology.late_delivery.06", "change": "added",
                                   "before": "", "after": NEW_TEXT}]
    shown = sent_to(await bot.send(SUPERVISOR, "/knowledge"), SUPERVISOR)[0].text
    assert "v2" in shown and "王主管" in shown and NEW_TEXT in shown


async def test_a_proposal_with_a_banned_phrase_is_refused_with_the_reason(bot: BotHarness) -> None:
    calls = sent_to(await bot.send(AGENT, "/propose 亲，这不是我们的问题，您去找快递吧"), AGENT)
    assert "会被禁用语检查标记" in calls[-1].text and "这不是我们的问题" in calls[-1].text
    async with bot.services.db.transaction() as repos:
        assert await repos.session.scalar(select(func.count()).select_from(Proposal)) == 0


async def test_a_proposal_repeating_an_approved_phrasing_is_refused(bot: BotHarness) -> None:
    calls = sent_to(await bot.send(AGENT, "/propose 亲，很抱歉这款暂时缺货，到货后我第一时间通知您，可以吗"), AGENT)
    assert "几乎一样" in calls[-1].text and "apology.out_of_stock" not in calls[-1].text  # the words, not the id


async def test_a_rule_that_would_flag_approved_phrasings_is_refused_naming_them(bot: BotHarness) -> None:
    calls = sent_to(await bot.send(SUPERVISOR, "/rule\n禁用：让您久等了\n原因：太客套\n替换：感谢您的耐心"), SUPERVISOR)
    assert "会让已批准的话术被标记" in calls[-1].text and "apology.long_wait.01" in calls[-1].text
    async with bot.services.db.transaction() as repos:
        assert await repos.session.scalar(select(func.count()).select_from(Proposal)) == 0


async def approve_rule(bot: BotHarness, form: str) -> None:
    sent_to(await bot.send(SUPERVISOR, "/rule\n" + form), SUPERVISOR)
    await bot.deliver()
    review = last_to(bot, LEAD)
    assert "禁用语提议" in review.text
    proposal_id = int(review.buttons()[0]["callback_data"].split(":")[1])
    refused = await bot.press(SUPERVISOR, review, f"pa:{proposal_id}")  # not one's own
    assert any("不能审批自己的提议" in (c.params.get("text") or "") for c in refused)
    await bot.press(LEAD, review, f"pa:{proposal_id}")


async def test_rollback_restores_the_earlier_suggestions_and_checks(bot: BotHarness, knowledge_copy: Path) -> None:
    original = Snapshot.read(knowledge_copy)
    review = await propose_from_draft(bot, NEW_TEXT)
    await bot.press(SUPERVISOR, review, f"pa:{review.buttons()[0]['callback_data'].split(':')[1]}")
    draft = "亲，这个真没辙了"
    assert "✅" in sent_to(await bot.send(OTHER_AGENT, draft), OTHER_AGENT)[0].text
    await approve_rule(bot, "禁用：真没辙、没辙了\n原因：消极，顾客觉得被放弃\n替换：我再帮您想想办法")
    flagged = sent_to(await bot.send(OTHER_AGENT, draft), OTHER_AGENT)[0].text
    assert "没辙" in flagged and "我再帮您想想办法" in flagged
    assert [v.number for v in await versions(bot)] == [1, 2, 3]

    calls = sent_to(await bot.send(LEAD, "/knowledge rollback 1 新规则误伤太多，先退回"), LEAD)
    assert "v4" in calls[-1].text
    assert "✅" in sent_to(await bot.send(OTHER_AGENT, draft), OTHER_AGENT)[0].text
    assert bot.services.knowledge.current.knowledge.find_phrasing("apology.late_delivery.06") is None
    assert Snapshot.read(knowledge_copy).digest() == original.digest()
    latest = (await versions(bot))[-1]
    assert latest.reason == "回滚到 v1：新规则误伤太多，先退回" and latest.author == "李组长"
    assert {(c["what"], c["change"]) for c in latest.changes} == {("phrasing", "removed"), ("rule", "removed")}


async def test_rollback_is_for_team_leads_and_needs_a_reason(bot: BotHarness) -> None:
    assert "只有组长和管理员" in sent_to(await bot.send(SUPERVISOR, "/knowledge rollback 1 试试"), SUPERVISOR)[-1].text
    assert "缺少原因" in sent_to(await bot.send(LEAD, "/knowledge rollback 1"), LEAD)[-1].text
    assert "没有版本 v7" in sent_to(await bot.send(LEAD, "/knowledge rollback 7 试试"), LEAD)[-1].text
    assert [v.number for v in await versions(bot)] == [1]


async def test_a_reviewer_edits_then_approves_and_another_rejects_with_a_reason(bot: BotHarness, knowledge_copy: Path) -> None:
    review = await propose_from_draft(bot, NEW_TEXT)
    proposal_id = review.buttons()[0]["callback_data"].split(":")[1]
    await bot.press(SUPERVISOR, review, f"pe:{proposal_id}")
    prompt = last_to(bot, SUPERVISOR)
    edited = "亲，快递在路上了，我已经帮您登记加急，今天之内给您回复物流进展，请您放心。"
    shown = sent_to(await bot.send(SUPERVISOR, edited, reply_to=prompt.message_id), SUPERVISOR)[-1]
    assert edited in shown.text and "王主管 修改过" in shown.text
    await bot.press(SUPERVISOR, shown, f"pa:{proposal_id}")
    assert edited in (knowledge_copy / "phrasings" / "apology.yaml").read_text(encoding="utf-8")

    second = await propose_from_draft(bot, "亲，这款我们仓库今天下午就能发出，您放心等收货就好。")
    second_id = second.buttons()[0]["callback_data"].split(":")[1]
    await bot.press(LEAD, second, f"pj:{second_id}")
    prompt = last_to(bot, LEAD)
    assert "原因" in sent_to(await bot.send(LEAD, "x", reply_to=prompt.message_id), LEAD)[-1].text  # too short: asked again
    await bot.send(LEAD, "不能承诺发货时间，仓库排期会变", reply_to=prompt.message_id)
    await bot.deliver()
    told = last_to(bot, AGENT).text
    assert "未通过" in told and "仓库排期会变" in told


async def test_a_variant_of_a_suggestion_counts_as_proposed_from_it(bot: BotHarness) -> None:
    offers = sent_to(await bot.send(AGENT, "/sorry 缺货"), AGENT)[0]
    rewrite = next(b["callback_data"] for b in offers.buttons() if b.get("callback_data", "").startswith("pf:"))
    await bot.press(AGENT, offers, rewrite)
    prompt = last_to(bot, AGENT)
    await bot.send(AGENT, "亲，这款现在没货了，我帮您登记到货提醒，一到货马上告诉您，您看好吗？", reply_to=prompt.message_id)
    draft = last_to(bot, AGENT)
    assert "提交审批" in str(draft.buttons())
    await bot.press(AGENT, draft, draft.buttons()[0]["callback_data"])
    rows = await bot.services.usage.usage(bot.services.now(), 30)
    assert next(r for r in rows if r.phrasing_id == rewrite[3:]).proposed_from == 1


async def test_unused_phrasings_are_offered_to_the_lead_and_only_a_lead_retires_them(
        sqlite_url: str, knowledge_copy: Path) -> None:
    clock = ManualClock(datetime(2026, 10, 1, 2, 0, tzinfo=UTC))
    bot = await BotHarness.start(sqlite_url, knowledge_dir=knowledge_copy, clock=clock, phrasing_unused_days=30)
    try:
        await bot.add(AGENT, "慧兰", agent_id="A07")
        await bot.add(SUPERVISOR, "王主管", Role.SUPERVISOR)
        await bot.add(LEAD, "李组长", Role.TEAM_LEAD)
        clock.advance(days=40)
        await bot.send(AGENT, "/sorry 缺货")  # suggested: in use
        await bot.send(AGENT, "亲，给您添麻烦了，快递这几天件量比较大，预计还需要一到两天，我们会一直帮您盯着物流的。")  # used
        suggested = {e.subject for e in await bot.events("phrasing_suggested")}
        assert {e.subject for e in await bot.events("phrasing_used")} == {"apology.late_delivery.03"}

        await bot.sweep()  # the scheduled pass tells the lead, once
        offer = last_to(bot, LEAD).text
        assert "天没人用" in offer and "/usage" in offer and "apology.late_delivery.03" not in offer
        clock.advance(days=1)
        await bot.sweep()
        assert sum("天没人用" in c.text for c in sent_to(bot.api.calls, LEAD)) == 1

        calls = sent_to(await bot.send(LEAD, "/usage"), LEAD)
        offers = [c for c in calls if any(b.get("callback_data", "").startswith("rt:") for b in c.buttons())]
        offered = {c.buttons()[0]["callback_data"][3:] for c in offers}
        assert offered and not offered & (suggested | {"apology.late_delivery.03"})
        assert "最常用" in calls[0].text and "apology.late_delivery" not in calls[0].text  # words, not ids

        retire, keep = offers[0], offers[1]
        retired_id, kept_id = retire.buttons()[0]["callback_data"][3:], keep.buttons()[1]["callback_data"][3:]
        refused = await bot.press(SUPERVISOR, retire, f"rt:{retired_id}")
        assert any("只有组长" in (c.params.get("text") or "") for c in refused)
        assert bot.services.knowledge.current.knowledge.find_phrasing(retired_id) is not None
        await bot.press(LEAD, retire, f"rt:{retired_id}")
        await bot.press(LEAD, keep, f"rk:{kept_id}")
        assert bot.services.knowledge.current.knowledge.find_phrasing(retired_id) is None
        assert retired_id not in (knowledge_copy / "phrasings" / f"{retired_id.split('.')[0]}.yaml").read_text(encoding="utf-8")
        again = {r.phrasing_id for r in await bot.services.usage.retirement_candidates(bot.services.now())}
        assert retired_id not in again and kept_id not in again
        latest = (await versions(bot))[-1]
        assert latest.author == "李组长" and latest.changes[0]["id"] == retired_id
    finally:
        await bot.stop()


async def test_a_new_phrasing_is_not_offered_for_retirement_before_its_time(sqlite_url: str, knowledge_copy: Path) -> None:
    clock = ManualClock(datetime(2026, 10, 1, 2, 0, tzinfo=UTC))
    bot = await BotHarness.start(sqlite_url, knowledge_dir=knowledge_copy, clock=clock, phrasing_unused_days=30)
    try:
        await bot.add(AGENT, "慧兰", agent_id="A07")
        await bot.add(SUPERVISOR, "王主管", Role.SUPERVISOR)
        clock.advance(days=40)
        review = await propose_from_draft(bot, NEW_TEXT)
        await bot.press(SUPERVISOR, review, review.buttons()[0]["callback_data"])
        candidates = {r.phrasing_id for r in await bot.services.usage.retirement_candidates(bot.services.now())}
        assert "apology.late_delivery.06" not in candidates and "apology.sorry.01" in candidates
    finally:
        await bot.stop()


async def test_a_hand_edit_reloaded_by_an_admin_is_a_version_in_their_name(bot: BotHarness, knowledge_copy: Path) -> None:
    path = knowledge_copy / "phrasings" / "thanks.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("谢谢", "多谢", 1), encoding="utf-8")
    reply = sent_to(await bot.send(ADMIN, "/reload"), ADMIN)[-1].text
    assert "已记录为知识库版本 v2" in reply
    assert (await versions(bot))[-1].author == "老板"
    assert "已记录" not in sent_to(await bot.send(ADMIN, "/reload"), ADMIN)[-1].text  # nothing new


async def test_the_second_reviewer_is_told_it_is_decided_and_a_rule_can_be_edited(bot: BotHarness) -> None:
    review = await propose_from_draft(bot, NEW_TEXT)
    proposal_id = review.buttons()[0]["callback_data"].split(":")[1]
    lead_copy = last_to(bot, LEAD)
    await bot.press(SUPERVISOR, review, f"pa:{proposal_id}")
    shown = last_to(bot, LEAD)  # the lead's copy now says what was decided, without buttons
    assert shown.method == "editMessageText" and shown.message_id == lead_copy.message_id
    assert "已由 王主管 批准" in shown.text and not shown.buttons()
    late = await bot.press(LEAD, lead_copy, f"pa:{proposal_id}")  # a button still on screen (the edit not seen yet)
    assert any("已经处理过了（已批准）" in (c.params.get("text") or "") for c in late)
    assert any(c.method == "editMessageText" and "已由 王主管 批准" in c.text for c in late)

    await bot.send(SUPERVISOR, "/rule\n禁用：没辙\n原因：消极\n替换：我再帮您想想办法")
    await bot.deliver()
    rule_review = last_to(bot, LEAD)
    rule_id = rule_review.buttons()[0]["callback_data"].split(":")[1]
    await bot.press(LEAD, rule_review, f"pe:{rule_id}")
    prompt = last_to(bot, LEAD)
    assert "禁用：没辙" in prompt.text  # the form, to edit
    shown = sent_to(await bot.send(LEAD, "禁用：没辙、真没辙\n原因：消极，顾客觉得被放弃\n替换：我再帮您想想办法",
                                   reply_to=prompt.message_id), LEAD)[-1]
    assert "真没辙" in shown.text and "李组长 修改过" in shown.text
    await bot.press(LEAD, shown, f"pa:{rule_id}")
    flagged = sent_to(await bot.send(AGENT, "这个真没辙"), AGENT)[0].text
    assert "我再帮您想想办法" in flagged
    source = bot.services.knowledge.current.knowledge.rule("team.rule_01").source
    assert source == f"团队提议 #{rule_id}：王主管 提出，李组长 批准"


async def test_an_edit_and_a_rejection_show_on_every_reviewers_copy(bot: BotHarness) -> None:
    """Before: the other reviewer's copy kept the old text and 批准/修改/驳回 after the edit and
    the rejection."""
    review = await propose_from_draft(bot, NEW_TEXT)
    lead_copy = last_to(bot, LEAD)
    assert lead_copy.method == "sendMessage" and NEW_TEXT in lead_copy.text
    proposal_id = review.buttons()[0]["callback_data"].split(":")[1]
    await bot.press(SUPERVISOR, review, f"pe:{proposal_id}")
    edited = "亲，快递在路上了，我已经帮您登记加急，今天之内给您回复物流进展，请您放心。"
    await bot.send(SUPERVISOR, edited, reply_to=last_to(bot, SUPERVISOR).message_id)
    shown = last_to(bot, LEAD)  # still to decide: the new text, and the buttons
    assert shown.params.get("message_id") == lead_copy.message_id
    assert edited in shown.text and "王主管 修改过" in shown.text and f"pj:{proposal_id}" in str(shown.buttons())

    await bot.press(LEAD, lead_copy, f"pj:{proposal_id}")
    await bot.send(LEAD, "不能承诺当天回复，物流信息我们控制不了", reply_to=last_to(bot, LEAD).message_id)
    for reviewer, copy in ((SUPERVISOR, review), (LEAD, lead_copy)):
        (outcome,) = [c for c in bot.api.sent(reviewer, "editMessageText")
                      if c.params.get("message_id") == copy.message_id and "驳回" in c.text]
        assert "已由 李组长 驳回：不能承诺当天回复" in outcome.text and not outcome.buttons()
    late = await bot.press(SUPERVISOR, review, f"pa:{proposal_id}")  # a button still on screen somewhere
    assert any("已经处理过了（已驳回）" in (c.params.get("text") or "") for c in late)
    supervisor = await bot.services.roster.member(SUPERVISOR)
    assert supervisor is not None and await bot.services.proposals.pending(supervisor) == []


async def test_a_refused_edit_keeps_the_reply_prompt_armed(bot: BotHarness) -> None:
    """Before: the refusal came without a reply prompt, so the corrected text was checked as a
    draft instead of replacing the proposal's."""
    review = await propose_from_draft(bot, NEW_TEXT)
    proposal_id = review.buttons()[0]["callback_data"].split(":")[1]
    await bot.press(SUPERVISOR, review, f"pe:{proposal_id}")
    prompt = last_to(bot, SUPERVISOR)
    refusal = sent_to(await bot.send(SUPERVISOR, "亲，这不是我们的问题，您去找快递吧", reply_to=prompt.message_id),
                      SUPERVISOR)[-1]
    assert "会被禁用语检查标记" in refusal.text and refusal.params["reply_markup"]["force_reply"] is True
    edited = "亲，快递在路上了，我已经帮您登记加急，今天之内给您回复物流进展，请您放心。"
    shown = sent_to(await bot.send(SUPERVISOR, edited, reply_to=refusal.message_id), SUPERVISOR)[-1]
    assert edited in shown.text and "王主管 修改过" in shown.text and f"pa:{proposal_id}" in str(shown.buttons())
