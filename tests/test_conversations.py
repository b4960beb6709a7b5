"""The conversation audit: hand-counted transcripts, measured exactly, in every shape a shop
exports them; the per-agent-day figures; bounded memory."""

from __future__ import annotations

import csv
import tracemalloc
from datetime import date, datetime
from pathlib import Path

import pytest

from bot.audit import TranscriptError, audit, audit_conversations, open_transcript
from bot.audit import conversations as conversations_module
from bot.audit.agent_days import p90
from bot.audit.columns import match_columns
from bot.audit.conversations import ConversationAudit
from bot.wording import duration_text
from bot.audit.service_figures import ConversationFigures
from bot.audit.stamps import StampReader, date_in
from bot.knowledge.store import LoadedKnowledge

SHIRK = "这不是我们的问题，我们不负责哦"  # block
BUT = "亲，但是这款没有货了"  # warn
HEADER = ["时间", "买家", "客服", "角色", "内容"]


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def run(path: Path, loaded: LoadedKnowledge) -> tuple[ConversationAudit, list[ConversationFigures]]:
    found: list[ConversationFigures] = []
    result = audit_conversations(open_transcript(path), loaded.checker, loaded.quality, found.append)
    return result, found


def by_key(found: list[ConversationFigures]) -> dict[str, ConversationFigures]:
    return {f.conversation: f for f in found}


def c(at: str, buyer: str, text: str) -> list[str]:
    """A customer's line."""
    return [f"2026-05-01 {at}", buyer, "", "买家", text]


def a(at: str, buyer: str, agent: str, text: str) -> list[str]:
    """An agent's line."""
    return [f"2026-05-01 {at}", buyer, agent, "客服", text]


# -- interleaved conversations, hand-counted --------------------------------------------------

INTERLEAVED = [
    HEADER,
    c("09:00:00", "买家甲", "在吗"),
    c("09:00:05", "买家乙", "这款有货吗"),
    a("09:00:20", "买家甲", "慧兰", "亲，您好，在的"),          # 甲: first response 20 s, in time
    a("09:00:45", "买家乙", "A07", BUT),                      # 乙: first response 40 s, late; warn
    c("09:01:00", "买家甲", "发什么快递"),
    c("09:01:10", "买家甲", "今天能发吗"),
    c("09:01:20", "买家甲", "？"),                             # 甲: three before an answer
    a("09:01:45", "买家甲", "慧兰", "亲，中通，今天就发"),       # wait 45 s from the FIRST (09:01:00)
    c("09:02:00", "买家乙", "那什么时候有"),
    a("09:02:10", "买家乙", "A07", SHIRK),                    # 乙: 10 s, in time; block
    c("09:03:00", "买家乙", "？？"),                            # 乙 ends unanswered
]


def test_interleaved_conversations_are_measured_apart(tmp_path: Path, loaded: LoadedKnowledge) -> None:
    result, found = run(write_csv(tmp_path / "chats.csv", INTERLEAVED), loaded)
    assert result.conversations == 2 and result.untimed == 0
    jia, yi = by_key(found)["买家甲"], by_key(found)["买家乙"]

    assert (jia.agent, jia.day, jia.started) == ("慧兰", date(2026, 5, 1), "2026-05-01T09:00:00")
    assert (jia.customer_messages, jia.agent_messages, jia.answered_in_time) == (4, 2, 1)
    assert (jia.first_response_seconds, jia.greeted_in_time) == (20.0, True)
    assert (jia.waits_over_limit, jia.longest_wait_seconds, jia.unanswered) == (1, 45.0, False)
    assert (jia.flags, jia.score) == (0, 95.0)  # one slow answer: −5
    assert [(p.rule, p.at) for p in jia.problems] == [("slow_answer", "2026-05-01T09:01:45")]
    assert "45 秒" in jia.problems[0].detail

    assert (yi.agent, yi.customer_messages, yi.agent_messages, yi.answered_in_time) == ("A07", 3, 2, 1)
    assert (yi.first_response_seconds, yi.greeted_in_time, yi.waits_over_limit) == (40.0, False, 0)
    assert (yi.longest_wait_seconds, yi.unanswered, yi.flags) == (40.0, True, 2)
    # late greeting −10, warn −3, block −10, unanswered −20
    assert yi.score == 57.0
    assert [p.rule for p in yi.problems] == ["late_greeting", "banned_warn", "banned_block", "unanswered"]
    assert yi.problems[-1].at == "2026-05-01T09:03:00"


def test_the_line_figures_are_those_of_the_line_audit(tmp_path: Path, loaded: LoadedKnowledge) -> None:
    path = write_csv(tmp_path / "chats.csv", INTERLEAVED)
    flagged: list[int] = []
    result = audit_conversations(open_transcript(path), loaded.checker, loaded.quality,
                                 on_flagged=lambda m, r: flagged.append(m.line))
    alone = audit(open_transcript(path), loaded.checker)
    assert result.lines.to_json() | {"elapsed_seconds": 0} == alone.to_json() | {"elapsed_seconds": 0}
    assert (result.lines.checked, result.lines.flagged, result.lines.skipped["customer"]) == (4, 2, 7)
    assert flagged == [5, 11]


def test_agent_day_figures(tmp_path: Path, loaded: LoadedKnowledge) -> None:
    result, _ = run(write_csv(tmp_path / "chats.csv", INTERLEAVED), loaded)
    team, a07, huilan = result.agent_days
    assert (team.agent, a07.agent, huilan.agent) == (None, "A07", "慧兰")
    assert (team.day, team.conversations, team.answered) == (date(2026, 5, 1), 2, 2)
    assert (team.first_response_mean, team.first_response_p90) == (30.0, 40.0)
    assert (team.customer_messages, team.answered_in_time, team.unanswered) == (7, 2, 1)
    assert (team.agent_messages, team.flags, team.score_mean) == (4, 2, 76.0)
    assert team.answered_in_time_share == pytest.approx(2 / 7)
    assert team.flags_per_100 == 50.0
    assert [(w.conversation, w.agent, w.score) for w in team.worst] == [("买家乙", "A07", 57.0), ("买家甲", "慧兰", 95.0)]
    assert team.worst[0].reasons[0].startswith("首次回复用了 40 秒")
    assert len(team.worst[0].reasons) == 3  # at most three reasons
    assert (a07.conversations, a07.flags, a07.unanswered, a07.score_mean) == (1, 2, 1, 57.0)
    assert (huilan.first_response_p90, huilan.answered_in_time, huilan.customer_messages) == (20.0, 1, 4)


# -- the cases the handbook's numbers turn on ------------------------------------------------

CASES = {
    "midnight": (
        [["2026-05-01 23:59:50", "b", "", "买家", "在吗"],
         ["2026-05-02 00:00:05", "b", "慧兰", "客服", "亲，在的"],
         ["2026-05-02 00:01:00", "b", "", "买家", "好的"],
         ["2026-05-02 00:01:10", "b", "慧兰", "客服", "亲，不客气"]],
        dict(day=date(2026, 5, 1), first_response_seconds=15.0, greeted_in_time=True, customer_messages=2,
             answered_in_time=2, waits_over_limit=0, longest_wait_seconds=15.0, unanswered=False, score=100.0),
    ),
    "three before an answer": (
        [c("10:00:00", "b", "在吗"), a("10:00:10", "b", "A07", "亲，在的"),
         c("10:00:30", "b", "问一下"), c("10:00:40", "b", "这个"), c("10:00:45", "b", "多少钱"),
         a("10:01:00", "b", "A07", "亲，99元")],
        dict(first_response_seconds=10.0, customer_messages=4, answered_in_time=1, waits_over_limit=1,
             longest_wait_seconds=30.0, score=95.0),  # 30 s from 10:00:30, not 15 s from 10:00:45
    ),
    "three answered in time": (
        [c("10:00:00", "b", "在吗"), c("10:00:05", "b", "？"), c("10:00:10", "b", "？？"),
         a("10:00:24", "b", "A07", "亲，在的")],
        dict(first_response_seconds=24.0, greeted_in_time=True, answered_in_time=3, waits_over_limit=0),
    ),
    "the agent opens": (
        [a("10:00:00", "b", "A07", "亲，您拍的宝贝已经发货啦"), a("10:00:05", "b", "A07", "单号稍后发您"),
         c("10:05:00", "b", "好的谢谢"), a("10:05:10", "b", "A07", "亲，不客气")],
        dict(agent="A07", agent_messages=3, customer_messages=1, first_response_seconds=10.0,
             greeted_in_time=True, longest_wait_seconds=10.0, score=100.0, started="2026-05-01T10:00:00"),
    ),
    "the agent alone": (
        [a("10:00:00", "b", "A07", "亲，您拍的宝贝已经发货啦")],
        dict(agent="A07", customer_messages=0, first_response_seconds=None, greeted_in_time=None,
             longest_wait_seconds=None, unanswered=False, score=100.0, problems=[]),
    ),
    "never answered": (
        [c("10:00:00", "b", "在吗"), c("10:00:30", "b", "有人吗")],
        dict(agent="-", customer_messages=2, answered_in_time=0, first_response_seconds=None,
             greeted_in_time=False, unanswered=True, score=80.0),
    ),
    "ends unanswered": (
        [c("10:00:00", "b", "在吗"), a("10:00:05", "b", "A07", "亲，在的"), c("10:00:30", "b", "还在吗")],
        dict(first_response_seconds=5.0, unanswered=True, answered_in_time=1, score=80.0),
    ),
    "no 亲 or 您, a long answer": (
        [c("10:00:00", "b", "尺码怎么选"), a("10:00:10", "b", "A07", "看身高体重" + "。" * 100)],
        dict(long_messages=1, score=93.0),  # long −2, no 亲/您 −5
    ),
    "slow answers are capped": (
        [c("10:00:00", "b", "在吗"), a("10:00:10", "b", "A07", "亲，在的")]
        + [row for i in range(8) for row in (c(f"10:{i + 1:02d}:00", "b", f"问题{i}"),
                                               a(f"10:{i + 1:02d}:30", "b", "A07", f"亲，回答{i}"))],
        dict(waits_over_limit=8, score=70.0),  # 8 × 5 = 40, at most 30
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_hand_counted_conversation(tmp_path: Path, loaded: LoadedKnowledge, case: str) -> None:
    rows, expected = CASES[case]
    result, found = run(write_csv(tmp_path / "chats.csv", [HEADER, *rows]), loaded)
    (figures,) = found
    assert {key: getattr(figures, key) for key in expected} == expected
    assert result.conversations == 1


def test_idle_past_the_limit_starts_a_new_conversation(tmp_path: Path, loaded: LoadedKnowledge) -> None:
    rows = [HEADER, c("10:00:00", "b", "在吗"), a("10:00:10", "b", "A07", "亲，在的"),
            c("10:40:11", "b", "我又来了"), a("10:40:20", "b", "A08", "亲，您好")]
    result, found = run(write_csv(tmp_path / "chats.csv", rows), loaded)
    assert [(f.conversation, f.agent, f.started, f.first_response_seconds) for f in found] == [
        ("b", "A07", "2026-05-01T10:00:00", 10.0), ("b", "A08", "2026-05-01T10:40:11", 9.0)]
    assert [d.agent for d in result.agent_days] == [None, "A07", "A08"]


def test_a_file_sorted_by_conversation_gives_the_same_figures(
    tmp_path: Path, loaded: LoadedKnowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    interleaved = [f.to_json() for f in run(write_csv(tmp_path / "a.csv", INTERLEAVED), loaded)[1]]
    grouped = [INTERLEAVED[0]] + sorted(INTERLEAVED[1:], key=lambda row: row[1])
    monkeypatch.setattr(conversations_module, "MAX_OPEN", 1)  # the least recently active closes
    regrouped = [f.to_json() for f in run(write_csv(tmp_path / "b.csv", grouped), loaded)[1]]
    assert sorted(regrouped, key=str) == sorted(interleaved, key=str)


# -- files: encodings and header variants ----------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-8", "gbk", "utf-8-sig"])
def test_gbk_and_utf8_files_give_the_same_figures(tmp_path: Path, loaded: LoadedKnowledge, encoding: str) -> None:
    path = write_csv(tmp_path / "chats.csv", INTERLEAVED, encoding)
    result, found = run(path, loaded)
    assert [f.to_json() for f in found] == [f.to_json() for f in run(write_csv(tmp_path / "u.csv", INTERLEAVED), loaded)[1]]
    assert result.conversations == 2


def _variant(header: list[str], row: callable) -> list[list[str]]:  # type: ignore[valid-type]
    """The same two conversations in another export's layout: ``row(time, buyer, sender, side, text)``."""
    lines = [("09:00:00", "买家甲", "买家甲", "买家", "在吗"), ("09:00:05", "买家乙", "买家乙", "买家", "有货吗"),
             ("09:00:20", "买家甲", "慧兰", "客服", "亲，在的"), ("09:00:45", "买家乙", "A07", "客服", "亲，有的"),
             ("09:01:00", "买家甲", "买家甲", "买家", "谢谢")]
    return [header] + [row(*line) for line in lines]


VARIANTS = {
    "旺旺 is the buyer beside 客服, sender compared": _variant(
        ["时间", "旺旺", "客服", "内容"], lambda t, b, s, side, x: [f"2026-05-01 {t}", b, s, x]),
    "English, role column": _variant(
        ["Timestamp", "Buyer Nick", "Agent", "Direction", "Message"],
        lambda t, b, s, side, x: [f"2026-05-01T{t}", b, s if side == "客服" else "", "out" if side == "客服" else "in", x]),
    "date and time apart, session id": _variant(
        ["日期", "时间", "会话ID", "发送方", "发送人", "消息内容"],
        lambda t, b, s, side, x: ["2026/5/1", t[:-3] + t[-3:], f"S-{b}", side, s, x]),
    "年月日, 顾客昵称, sender compared": _variant(
        ["发送时间", "顾客昵称", "发送人", "聊天内容"], lambda t, b, s, side, x: [f"2026年5月1日 {t}", b, s, x]),
}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_header_variants(tmp_path: Path, loaded: LoadedKnowledge, variant: str) -> None:
    result, found = run(write_csv(tmp_path / "chats.csv", VARIANTS[variant]), loaded)
    figures = sorted((f.agent, f.customer_messages, f.agent_messages, f.first_response_seconds, f.unanswered)
                     for f in found)
    assert figures == [("A07", 1, 1, 40.0, False), ("慧兰", 2, 1, 20.0, True)]
    assert result.lines.checked == 2 and result.untimed == 0


def test_time_only_rows_take_the_date_of_the_title_line(tmp_path: Path, loaded: LoadedKnowledge) -> None:
    path = tmp_path / "chats.csv"
    path.write_text("聊天记录导出 2026-05-01\n时间,买家,客服,角色,内容\n23:59:50,b,,买家,在吗\n"
                    "00:00:10,b,A07,客服,亲，在的\n", encoding="utf-8")
    _, (figures,) = run(path, loaded)
    assert (figures.day, figures.first_response_seconds) == (date(2026, 5, 1), 20.0)


def test_time_only_rows_without_any_date_are_left_out(tmp_path: Path, loaded: LoadedKnowledge) -> None:
    path = write_csv(tmp_path / "chats.csv", [HEADER, ["09:00", "b", "", "买家", "在吗"], ["09:01", "b", "A07", "客服", BUT]])
    result, found = run(path, loaded)
    assert (result.conversations, result.untimed, result.lines.flagged) == (0, 2, 1)


@pytest.mark.parametrize(("header", "why"), [
    (["时间", "客服", "角色", "内容"], "找不到区分对话的列"),
    (["买家", "客服", "内容"], "找不到时间列"),
])
def test_a_file_without_conversations_is_refused_clearly(tmp_path: Path, loaded: LoadedKnowledge,
                                                         header: list[str], why: str) -> None:
    path = write_csv(tmp_path / "chats.csv", [header, ["x"] * len(header)])
    with pytest.raises(TranscriptError, match=why):
        audit_conversations(open_transcript(path), loaded.checker, loaded.quality)


def test_a_text_file_has_no_conversations(tmp_path: Path, loaded: LoadedKnowledge) -> None:
    path = tmp_path / "chat.txt"
    path.write_text("[2026-05-01 09:00] 慧兰: 亲，您好\n", encoding="utf-8")
    with pytest.raises(TranscriptError, match="纯文本"):
        audit_conversations(open_transcript(path), loaded.checker, loaded.quality)


# -- the pure parts --------------------------------------------------------------------------

@pytest.mark.parametrize(("header", "expected"), [
    (["时间", "旺旺", "客服", "内容"], {"time": 0, "customer": 1, "agent": 2, "text": 3}),
    (["发送时间", "旺旺", "消息"], {"time": 0, "agent": 1, "text": 2}),  # 旺旺 alone: the agent
    (["时间", "买家", "客服", "角色", "内容"], {"time": 0, "customer": 1, "agent": 2, "role": 3, "text": 4}),
    (["Time", "Session ID", "Sender", "Message"], {"time": 0, "conversation": 1, "agent": 2, "text": 3}),
    (["日期", "时间", "会话", "内容"], {"date": 0, "time": 1, "conversation": 2, "text": 3}),
    (["时间", "买家消息", "客服"], {"time": 0, "text": 1, "agent": 2}),  # the buyer's message is text
    (["时间", "买家旺旺", "客服", "内容"], {"time": 0, "customer": 1, "agent": 2, "text": 3}),
])
def test_columns(header: list[str], expected: dict[str, int]) -> None:
    assert match_columns(header)[0] == expected


@pytest.mark.parametrize(("cells", "expected"), [
    (["2026-05-01 09:00:05"], datetime(2026, 5, 1, 9, 0, 5)),
    (["2026/5/1 9:00"], datetime(2026, 5, 1, 9, 0)),
    (["2026年5月1日 09:00:05"], datetime(2026, 5, 1, 9, 0, 5)),
    (["2026-05-01T09:00:05+08:00"], datetime(2026, 5, 1, 9, 0, 5)),
    (["2026.05.01 9:00:05.250"], datetime(2026, 5, 1, 9, 0, 5)),
    (["2026/5/1 下午3:05"], datetime(2026, 5, 1, 15, 5)),
    (["2026-05-01 23:59:00", "00:01"], datetime(2026, 5, 2, 0, 1)),  # midnight passed
    (["2026-05-01 09:00:00", "08:59:00"], datetime(2026, 5, 1, 8, 59)),  # a little back: same day
    (["2026-05-01", "10:00"], datetime(2026, 5, 1, 10, 0)),
    (["09:00"], None),  # no date anywhere
    (["2026-02-30 09:00"], None),
    (["2026-05-01 25:00"], None),
    (["昨天"], None),
])
def test_time_cells(cells: list[str], expected: datetime | None) -> None:
    reader = StampReader()
    assert [reader.read(cell) for cell in cells][-1] == expected


def test_a_default_day_for_time_only_cells() -> None:
    assert StampReader(date(2026, 5, 1)).read("09:00") == datetime(2026, 5, 1, 9)
    assert date_in("聊天记录 2026-05-01 导出") == date(2026, 5, 1)
    assert date_in("chats_20260501.csv") == date(2026, 5, 1)
    assert date_in("chats.csv") is None


@pytest.mark.parametrize(("values", "expected"), [
    ([], None), ([5.0], 5.0), ([1.0, 2.0], 2.0),
    ([float(i) for i in range(1, 11)], 9.0), ([float(i) for i in range(1, 21)], 18.0),
])
def test_p90_by_nearest_rank(values: list[float], expected: float | None) -> None:
    assert p90(values) == expected


@pytest.mark.parametrize(("seconds", "text"), [
    (4.6, "5 秒"), (60, "1 分钟"), (125, "2 分 5 秒"), (3600, "1 小时"), (7500, "2 小时 5 分"),
])
def test_durations_in_words(seconds: float, text: str) -> None:
    assert duration_text(seconds) == text


# -- size ------------------------------------------------------------------------------------

def test_100k_interleaved_lines_in_bounded_memory(tmp_path: Path, loaded: LoadedKnowledge) -> None:
    """2,000 conversations open at a time, 20,000 in all: memory holds the open ones only."""
    path = tmp_path / "day.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write("时间,买家,客服,角色,内容\n")
        for i in range(100_000):
            buyer = f"b{i % 2000 + 2000 * (i // 20_000)}"  # each writes every 2,000 lines (500 s)
            seconds = 9 * 3600 + i // 4
            stamp = f"2026-05-01 {seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
            customer = (i // 2000) % 2 == 0
            line = f"{stamp},{buyer},,买家,在吗" if customer else f"{stamp},{buyer},A{i % 7},客服,亲，在的"
            f.write(line + "\n")
    tracemalloc.start()
    try:
        counted = [0, 0]

        def closed(figures: ConversationFigures) -> None:
            counted[0] += 1
            counted[1] += figures.customer_messages + figures.agent_messages

        result = audit_conversations(open_transcript(path), loaded.checker, loaded.quality, closed)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.conversations == counted[0] == 10_000
    assert counted[1] == 100_000
    assert peak < 30 * 1024 * 1024


# -- the command line ------------------------------------------------------------------------

def cli(*argv: str) -> int:
    """``python -m bot audit …`` in-process, with only the audit command registered."""
    import argparse

    from bot.cli import audit as audit_cli
    from tests.knowledge_fixtures import KNOWLEDGE_DIR

    parser = argparse.ArgumentParser()
    audit_cli.register(parser.add_subparsers())
    args = parser.parse_args(["audit", *argv, "--no-record", "--knowledge", str(KNOWLEDGE_DIR)])
    return args.func(args)


def test_cli_writes_conversations_and_agents(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    path = write_csv(tmp_path / "chats.csv", INTERLEAVED, "gbk")
    out_json, out_csv = tmp_path / "conversations.jsonl", tmp_path / "agents.csv"
    assert cli(str(path), "--conversations", str(out_json), "--agents", str(out_csv)) == 0
    printed = capsys.readouterr().out
    assert "会话质检 / conversations: 2 段对话" in printed
    assert "2026-05-01 全队 team: 对话 2 段 · 首次回复 平均 30.0 秒、90% 在 40.0 秒内" in printed
    assert "及时回复 28.6% 的顾客消息 · 没有回复 1 段 · 问题用语 每百条 50.0 · 平均分 76.0" in printed
    service = printed[printed.index("会话质检"):].splitlines()
    agent_rows = [line.split()[0] for line in service if line.strip().startswith(("A07 ", "慧兰 "))]
    assert agent_rows == ["A07", "慧兰"]  # lowest score first
    assert "买家乙（A07，57 分）：首次回复用了 40 秒（应在 25 秒内）" in printed
    assert "late_greeting" not in printed  # people read names, not ids

    records = [json.loads(line) for line in out_json.read_text(encoding="utf-8").splitlines()]
    assert [r["conversation"] for r in records] == ["买家甲", "买家乙"]
    needed = {"conversation", "agent", "customer_messages", "agent_messages", "first_response_seconds",
              "greeted_in_time", "waits_over_limit", "longest_wait_seconds", "unanswered", "flags", "score", "problems"}
    assert needed <= set(records[1])
    assert records[1]["problems"][0] == {"rule": "late_greeting", "at": "2026-05-01T09:00:45",
                                         "detail": "首次回复用了 40 秒（应在 25 秒内）"}

    with out_csv.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["scope"], r["agent"], r["conversations"]) for r in rows] == [
        ("team", "", "2"), ("agent", "A07", "1"), ("agent", "慧兰", "1")]
    assert rows[0]["first_response_p90_seconds"] == "40.0" and rows[0]["answered_in_time_share"] == "0.2857"
    assert rows[1]["worst"].startswith("买家乙 (A07, 57): 首次回复用了 40 秒")
    assert not list(tmp_path.glob(".*.part"))


def test_cli_conversations_to_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_csv(tmp_path / "chats.csv", INTERLEAVED)
    assert cli(str(path), "--conversations", "-") == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 2 and out.startswith('{"conversation": "买家甲"')
    assert "会话质检" in err  # the summary moves to standard error


def test_cli_refuses_conversations_without_a_key_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv(tmp_path / "chats.csv", [["时间", "客服", "内容"], ["2026-05-01 09:00", "A07", BUT]])
    assert cli(str(path), "--conversations", str(tmp_path / "c.jsonl"), "--agents", str(tmp_path / "a.csv")) == 2
    err = capsys.readouterr().err
    assert "--conversations / --agents" in err and "找不到区分对话的列" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chats.csv"]


def test_cli_without_a_key_prints_the_line_audit_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_csv(tmp_path / "chats.csv", [["时间", "客服", "内容"], ["2026-05-01 09:00", "A07", BUT]])
    assert cli(str(path)) == 0
    out = capsys.readouterr().out
    assert "有问题 flagged: 1" in out and "会话质检" not in out


def test_cli_two_outputs_to_stdout_are_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "chats.csv", INTERLEAVED)
    assert cli(str(path), "--conversations", "-", "--jsonl", "-") == 2


def test_the_worst_reasons_are_the_same_when_nobody_reads_every_conversation(
    tmp_path: Path, loaded: LoadedKnowledge
) -> None:
    path = write_csv(tmp_path / "chats.csv", INTERLEAVED + [row for name in ("slow answers are capped", "never answered")
                                                           for row in CASES[name][0]])
    quiet = audit_conversations(open_transcript(path), loaded.checker, loaded.quality)  # problems in words only for the worst
    listed, _ = run(path, loaded)
    assert quiet.agent_days == listed.agent_days
    assert any(day.worst and day.worst[0].reasons for day in quiet.agent_days)
