"""Batch audit (质检): real transcript files in every shape a shop exports, counted exactly,
streamed in bounded memory, refused clearly when unusable, and listed line by line."""

from __future__ import annotations

import argparse
import codecs
import io
import csv
import json
import subprocess
import sys
import tracemalloc
import types
from collections import Counter
from pathlib import Path

import pytest
import yaml

from bot.audit import MAX_CHECK_CHARS, audit, open_transcript
from bot.audit.summary import AuditSummary, format_summary
from bot.audit.transcript import match_columns, parse_text_line, side_of
from bot.checker.engine import Checker
from bot.cli import audit as audit_cli
from bot.knowledge.loader import KnowledgeError
from bot.knowledge.store import LoadedKnowledge

ROOT = Path(__file__).resolve().parents[1]
KNOWLEDGE_DIR = ROOT / "knowledge"

# Drafts with what the shipped rules say about them: verdict and flags per rule.
SHIRK = "这不是我们的问题，我们不负责哦"
BUT = "但是这款要晚两天发货"  # only 但是 (没有货了 with nothing offered is also a mild refusal)
FINE = "亲，您好，马上为您查询"
LOOKUP = "你自己去详情页看吧"
PHONE = "联系电话13812345678"
EXPECTED = {
    SHIRK: ("block", {"shirk.not_our_problem": 2}),
    BUT: ("warn", {"negative.but": 1}),
    FINE: ("ok", {}),
    LOOKUP: ("block", {"honorific.ni": 1, "self_service.look_it_up": 1}),
    PHONE: ("block", {"privacy.mobile_number": 1}),
}


# -- fixtures -------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def knowledge_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped knowledge; while its phrasebook is being written, its rules alone."""
    try:
        LoadedKnowledge.from_directory(KNOWLEDGE_DIR)
        return KNOWLEDGE_DIR
    except KnowledgeError:
        pass
    directory = tmp_path_factory.mktemp("knowledge")
    (directory / "rules").mkdir()
    for path in sorted((KNOWLEDGE_DIR / "rules").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for rule in data.get("rules", []):
            rule["phrasings"] = []  # they name phrasings not written yet
        (directory / "rules" / path.name).write_text(
            yaml.safe_dump(data, allow_unicode=True), encoding="utf-8"
        )
    (directory / "kinds.yaml").write_text(
        "kinds:\n  - {id: apology, label: 道歉语, words: [道歉]}\n", encoding="utf-8"
    )
    (directory / "situations.yaml").write_text(
        "situations:\n  - {id: late_delivery, label: 快递延迟, words: [快递]}\n", encoding="utf-8"
    )
    return directory


@pytest.fixture(scope="session")
def checker(knowledge_dir: Path) -> Checker:
    return LoadedKnowledge.from_directory(knowledge_dir).checker


@pytest.fixture(autouse=True)
def _no_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own SQLite file, so a run that records never touches a real one."""
    db = tmp_path / "kefu.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{db}")
    return db


def run_cli(knowledge_dir: Path, *argv: str) -> int:
    """``python -m bot audit …`` in-process, with only the audit command registered."""
    parser = argparse.ArgumentParser()
    audit_cli.register(parser.add_subparsers())
    args = parser.parse_args(["audit", *argv, "--knowledge", str(knowledge_dir)])
    return args.func(args)


def write_csv(path: Path, rows: list[list[str]], encoding: str) -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        csv.writer(f).writerows(rows)
    return path


# -- the drafts the expectations rest on ----------------------------------------------------

@pytest.mark.parametrize("draft", list(EXPECTED))
def test_expected_verdicts_hold(checker: Checker, draft: str) -> None:
    verdict, rules = EXPECTED[draft]
    result = checker.check(draft)
    assert result.verdict == verdict
    assert Counter(f.rule for f in result.flags) == Counter(rules)


# -- GBK CSV, Chinese headers, customer and agent lines --------------------------------------

GBK_ROWS = [
    ["时间", "客服", "角色", "内容"],
    ["2024-05-01 09:00", "慧兰", "客服", SHIRK],
    ["2024-05-01 09:01", "顾客甲", "买家", "你们怎么回事，我不负责"],  # customer: not checked
    ["2024-05-01 09:02", "A07", "客服", BUT],
    ["2024-05-01 09:03", "A07", "卖家", FINE],
    ["2024-05-01 09:04", "慧兰", "客服", LOOKUP],
    ["2024-05-01 09:05", "顾客乙", "顾客", "但是我不想等"],  # customer
    ["2024-05-01 09:06", "慧兰", "客服", PHONE],
    ["2024-05-01 09:07", "A07", "客服", BUT],
    ["2024-05-01 09:08", "A07", "客服", ""],  # empty
    ["2024-05-01 09:09", "慧兰", "客服", FINE],
]


def test_gbk_csv_with_chinese_headers_counts_exactly(tmp_path: Path, checker: Checker) -> None:
    path = write_csv(tmp_path / "qianniu.csv", GBK_ROWS, "gbk")
    transcript = open_transcript(path)
    assert (transcript.format, transcript.encoding) == ("csv", "gb18030")
    summary = audit(transcript, checker)

    assert (summary.read, summary.checked, summary.skipped_total) == (10, 7, 3)
    assert summary.skipped == {"customer": 2, "empty": 1}
    assert (summary.flagged, summary.blocked, summary.warned) == (5, 3, 2)
    huilan, a07 = summary.agents["慧兰"], summary.agents["A07"]
    assert (huilan.checked, huilan.flagged, huilan.blocked, huilan.warned) == (4, 3, 3, 0)
    assert huilan.rules == {"shirk.not_our_problem": 2, "honorific.ni": 1,
                            "self_service.look_it_up": 1, "privacy.mobile_number": 1}
    assert (a07.checked, a07.flagged, a07.blocked, a07.warned) == (3, 2, 0, 2)
    assert a07.rules == {"negative.but": 2}
    assert set(summary.agents) == {"慧兰", "A07"}  # customers are not agents
    assert [name for name, _ in summary.agents_by_flagged()] == ["慧兰", "A07"]

    hits = {rule: (s.hits, s.lines, s.severity) for rule, s in summary.rules.items()}
    assert hits == {
        "shirk.not_our_problem": (2, 1, "block"),
        "negative.but": (2, 2, "warn"),
        "honorific.ni": (1, 1, "warn"),
        "self_service.look_it_up": (1, 1, "block"),
        "privacy.mobile_number": (1, 1, "block"),
    }
    assert summary.rules["shirk.not_our_problem"].examples == ["这不是我们的问题", "我们不负责"]
    assert summary.rules["negative.but"].examples == ["但是"]  # distinct examples only


def test_cli_prints_the_summary(tmp_path: Path, knowledge_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_csv(tmp_path / "qianniu.csv", GBK_ROWS, "gbk")
    assert run_cli(knowledge_dir, str(path), "--no-record") == 0
    out, err = capsys.readouterr()
    assert err == ""  # no progress line when stderr is not a terminal
    assert "gb18030" in out and "csv" in out
    assert "读取 read: 10 · 检查 checked: 7 · 跳过 skipped: 3" in out
    assert "顾客消息 customer 2" in out
    assert "有问题 flagged: 5" in out
    lines = out.splitlines()
    agent_rows = [line.split()[0] for line in lines if line.strip().startswith(("慧兰", "A07"))]
    assert agent_rows == ["慧兰", "A07"]  # most flagged first
    rule_row = next(line for line in lines if line.strip().startswith("推卸责任（不是我们的问题）"))
    assert "block" in rule_row and "「这不是我们的问题」" in rule_row


# -- UTF-8 with BOM, English headers ---------------------------------------------------------

def test_utf8_bom_csv_with_english_headers(tmp_path: Path, checker: Checker) -> None:
    rows = [
        [" Timestamp ", "Agent", "Direction", "Message"],
        ["2024-05-01T09:00", "A07", "outgoing", LOOKUP],
        ["2024-05-01T09:01", "buyer_1", "incoming", SHIRK],
        ["2024-05-01T09:02", "A08", "Seller", FINE],
        ["2024-05-01T09:03", "A08", "agent", SHIRK],
    ]
    path = write_csv(tmp_path / "export.csv", rows, "utf-8-sig")
    transcript = open_transcript(path)
    assert transcript.encoding == "utf-8-sig"
    assert transcript.columns is not None and transcript.columns.text == 3
    summary = audit(transcript, checker)
    assert (summary.checked, summary.skipped["customer"], summary.flagged) == (3, 1, 2)
    assert summary.agents["A07"].rules == {"honorific.ni": 1, "self_service.look_it_up": 1}
    assert summary.agents["A08"].flagged == 1 and summary.agents["A08"].checked == 2


def test_csv_without_role_column_checks_every_line(tmp_path: Path, checker: Checker) -> None:
    path = write_csv(tmp_path / "a.csv", [["客服工号", "聊天内容"], ["A07", BUT], ["A07", FINE]], "utf-8")
    summary = audit(open_transcript(path), checker)
    assert (summary.checked, summary.flagged, summary.encoding) == (2, 1, "utf-8")


def test_semicolon_csv_with_a_title_line(tmp_path: Path, checker: Checker) -> None:
    path = tmp_path / "export.csv"
    path.write_text(f"聊天记录导出 2024-05-01\n发送时间;旺旺;消息\n09:00;慧兰;{BUT}\n", encoding="utf-8")
    transcript = open_transcript(path)
    assert transcript.delimiter == ";" and transcript.header_row == 1
    summary = audit(transcript, checker)
    assert summary.agents["慧兰"].rules == {"negative.but": 1}


# -- plain text ------------------------------------------------------------------------------

def test_plain_text_file(tmp_path: Path, checker: Checker) -> None:
    path = tmp_path / "chat.txt"
    path.write_text(
        f"[2024-05-01 09:00] 慧兰: {SHIRK}\n"
        f"A07\t{BUT}\n"
        "\n"
        f"{FINE}\n"
        f"2024-05-01 09:03:00 A07：{PHONE}\r\n"
        f"{LOOKUP}",  # no final newline
        encoding="utf-8",
    )
    transcript = open_transcript(path)
    assert transcript.format == "text"
    summary = audit(transcript, checker)
    assert (summary.read, summary.checked, summary.skipped) == (6, 5, {"empty": 1})
    assert summary.agents["慧兰"].rules == {"shirk.not_our_problem": 2}
    assert summary.agents["A07"].rules == {"negative.but": 1, "privacy.mobile_number": 1}
    assert summary.agents["-"].checked == 2 and summary.agents["-"].flagged == 1


def test_plain_text_line_shapes() -> None:
    assert parse_text_line("[09:00] 慧兰: 您好") == ("09:00", "慧兰", "您好")
    assert parse_text_line("[2024-05-01 09:00:01] A07：好的") == ("2024-05-01 09:00:01", "A07", "好的")
    assert parse_text_line("A07\t您好") == (None, "A07", "您好")
    assert parse_text_line("2024-05-01 09:00\tA07\t您好") == ("2024-05-01 09:00", "A07", "您好")
    assert parse_text_line("亲，时间是：明天") == (None, "-", "亲，时间是：明天")
    assert parse_text_line("[表情] 好的") == (None, "-", "[表情] 好的")


def test_text_file_with_commas_is_not_taken_for_csv(tmp_path: Path) -> None:
    path = tmp_path / "chat.txt"
    path.write_text("亲，请问发货时间,是什么时候呀\n好的,马上\n", encoding="utf-8")
    assert open_transcript(path).format == "text"


def test_header_names_and_roles() -> None:
    found, _ = match_columns(["\ufeff发送时间", "客服名", "发送方", "消息内容"])
    assert found == {"time": 0, "agent": 1, "role": 2, "text": 3}
    found, _ = match_columns(["消息类型", "内容", "NICK"])
    assert found == {"text": 1, "agent": 2}
    assert [side_of(v) for v in ("客服", "卖家", "Seller", "售后客服", "买家", "顾客", "IN", "?")] == [
        "agent", "agent", "agent", "agent", "customer", "customer", "customer", None,
    ]


# -- encodings -------------------------------------------------------------------------------

def test_utf16_and_short_gbk_files(tmp_path: Path, checker: Checker) -> None:
    utf16 = tmp_path / "u16.txt"
    utf16.write_bytes(codecs.BOM_UTF16_LE + f"{SHIRK}\n{FINE}\n".encode("utf-16-le"))
    short = tmp_path / "short.txt"
    short.write_bytes("亲，您好\n".encode("gbk"))
    transcript = open_transcript(utf16)
    assert transcript.encoding == "utf-16"
    assert audit(transcript, checker).flagged == 1
    assert open_transcript(short).encoding == "gb18030"


def test_bad_bytes_never_stop_an_audit(tmp_path: Path, checker: Checker) -> None:
    path = tmp_path / "broken.txt"
    path.write_bytes(f"{BUT}\n".encode() + b"\xff\xfe\xfa broken\n" + f"{SHIRK}\n".encode())
    summary = audit(open_transcript(path, "utf-8"), checker)
    assert (summary.checked, summary.flagged) == (3, 2)


def test_encoding_option(tmp_path: Path, knowledge_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "chat.txt"
    path.write_bytes("但是這款沒有貨了\n".encode("big5"))  # a Taiwan or Hong Kong export
    assert run_cli(knowledge_dir, str(path), "--encoding", "big5", "--no-record") == 0
    out = capsys.readouterr().out
    assert "big5" in out and "负面语言（但是）" in out
    assert run_cli(knowledge_dir, str(path), "--encoding", "klingon", "--no-record") == 2
    assert "klingon" in capsys.readouterr().err


# -- outputs ---------------------------------------------------------------------------------

MULTILINE_ROWS = [
    ["时间", "客服", "内容"],
    ["09:00", "慧兰", f"亲，在的。\n{SHIRK}"],  # a quoted field over two physical lines
    ["09:01", "A07", FINE],
    ["09:02", "A07", f"=HYPERLINK(\"x\") {LOOKUP}"],
    ["09:03", "A08", PHONE],
]


def test_jsonl_output_lines_parse_and_spans_index_the_text(tmp_path: Path, knowledge_dir: Path) -> None:
    path = write_csv(tmp_path / "chat.csv", MULTILINE_ROWS, "utf-8")
    out = tmp_path / "flagged.jsonl"
    assert run_cli(knowledge_dir, str(path), "--jsonl", str(out), "--no-record") == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["line"], r["agent"], r["verdict"]) for r in records] == [
        (2, "慧兰", "block"), (5, "A07", "block"), (6, "A08", "block"),
    ]
    physical = path.read_text(encoding="utf-8").splitlines()
    for record in records:
        assert set(record) == {"line", "time", "agent", "text", "verdict", "flags", "rewrite"}
        assert record["time"] in physical[record["line"] - 1]
        # no rewrite where it would drop Latin words (the formula shares the wrong clause)
        assert bool(record["rewrite"]) == ("HYPERLINK" not in record["text"])
        for flag in record["flags"]:
            assert record["text"][flag["start"]:flag["end"]] == flag["matched"]
            assert {"rule", "severity", "start", "end", "matched", "reason", "suggestions"} <= set(flag)
    assert records[0]["text"] == f"亲，在的。\n{SHIRK}"


def test_csv_output_opens_with_dictreader(tmp_path: Path, knowledge_dir: Path) -> None:
    path = write_csv(tmp_path / "chat.csv", MULTILINE_ROWS, "utf-8")
    out = tmp_path / "flagged.csv"
    assert run_cli(knowledge_dir, str(path), "--csv", str(out), "--no-record") == 0
    assert out.read_bytes().startswith(codecs.BOM_UTF8)
    with out.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
    assert reader.fieldnames == ["line", "time", "agent", "verdict", "rules", "matched", "text", "rewrite"]
    assert [r["line"] for r in rows] == ["2", "5", "6"]
    assert rows[0]["rules"] == "shirk.not_our_problem"
    assert rows[0]["matched"] == "这不是我们的问题 | 我们不负责"
    assert rows[0]["text"] == f"亲，在的。\n{SHIRK}"
    assert rows[1]["rules"] == "honorific.ni;self_service.look_it_up"
    assert rows[1]["text"].startswith("'=HYPERLINK")  # never a live formula in Excel
    assert rows[2]["rewrite"] == "联系电话（手机号已隐去）"


def test_jsonl_to_stdout_puts_the_summary_on_stderr(
    tmp_path: Path, knowledge_dir: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    path = write_csv(tmp_path / "chat.csv", MULTILINE_ROWS, "utf-8")
    assert run_cli(knowledge_dir, str(path), "--jsonl", "-", "--no-record") == 0
    out, err = capfd.readouterr()
    assert [json.loads(line)["line"] for line in out.splitlines()] == [2, 5, 6]
    assert "质检结果" in err and "质检结果" not in out


def test_both_outputs_to_stdout_is_refused(tmp_path: Path, knowledge_dir: Path) -> None:
    path = write_csv(tmp_path / "chat.csv", MULTILINE_ROWS, "utf-8")
    assert run_cli(knowledge_dir, str(path), "--jsonl", "-", "--csv", "-", "--no-record") == 2


# -- bad input -------------------------------------------------------------------------------

def test_csv_without_text_column_exits_2_and_writes_nothing(
    tmp_path: Path, knowledge_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv(tmp_path / "orders.csv", [["时间", "客服", "订单号"], ["09:00", "A07", "123"]], "utf-8")
    jsonl, out_csv = tmp_path / "f.jsonl", tmp_path / "f.csv"
    code = run_cli(knowledge_dir, str(path), "--jsonl", str(jsonl), "--csv", str(out_csv))
    captured = capsys.readouterr()
    assert code == 2
    assert str(path) in captured.err
    assert "找不到聊天内容列" in captured.err and "no text column" in captured.err
    assert "订单号" in captured.err  # the header it saw
    assert not jsonl.exists() and not out_csv.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["orders.csv"]  # no database, no temp files


@pytest.mark.parametrize("name", ["missing.csv", "."])
def test_missing_or_unreadable_file_exits_2(
    tmp_path: Path, knowledge_dir: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    path = tmp_path / name
    assert run_cli(knowledge_dir, str(path), "--no-record") == 2
    err = capsys.readouterr().err
    assert str(path) in err
    assert ("找不到文件" in err and "not found" in err) or ("目录" in err and "directory" in err)


def test_over_long_lines_are_checked_on_their_start(tmp_path: Path, checker: Checker) -> None:
    path = tmp_path / "long.txt"
    tail_only = "亲" * MAX_CHECK_CHARS + SHIRK  # the banned phrase lies past the limit
    head_too = SHIRK + "亲" * MAX_CHECK_CHARS
    path.write_text(f"{tail_only}\n{head_too}\n{BUT}\n", encoding="utf-8")
    flagged: list[tuple[int, str]] = []
    summary = audit(open_transcript(path), checker, lambda m, r: flagged.append((m.line, m.text)))
    assert (summary.checked, summary.truncated, summary.flagged) == (3, 2, 2)
    assert [line for line, _ in flagged] == [2, 3]
    assert len(flagged[0][1]) == MAX_CHECK_CHARS
    assert "truncated" in format_summary(summary)


# -- size ------------------------------------------------------------------------------------

def test_200k_line_transcript_in_bounded_memory(tmp_path: Path, checker: Checker) -> None:
    path = tmp_path / "day.csv"
    drafts = [FINE, "好的亲，稍等我帮您看一下库存", "亲，您的订单已经发货了哦", BUT, SHIRK]
    with path.open("w", encoding="gb18030", newline="") as f:
        f.write("时间,客服,角色,内容\n")
        for i in range(200_000):
            role = "买家" if i % 10 == 0 else "客服"
            draft = drafts[i % 5] if i % 100 < 5 else drafts[i % 3]
            f.write(f"09:{i % 60:02d},A{i % 7:02d},{role},{draft}\n")
    assert path.stat().st_size > 8_000_000
    transcript = open_transcript(path)
    assert isinstance(iter(transcript), types.GeneratorType)  # streamed, never a list

    tracemalloc.start()
    try:
        summary = audit(transcript, checker)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50 * 1024 * 1024
    assert summary.read == 200_000
    assert summary.skipped["customer"] == 20_000
    assert summary.checked == 180_000
    assert len(summary.agents) == 7
    assert sum(a.checked for a in summary.agents.values()) == 180_000
    assert all(len(r.examples) <= 3 for r in summary.rules.values())


# -- recording -------------------------------------------------------------------------------

def test_no_record_leaves_no_database_and_never_imports_sqlalchemy(
    tmp_path: Path, knowledge_dir: Path, _no_database: Path
) -> None:
    path = write_csv(tmp_path / "chat.csv", GBK_ROWS, "gbk")
    code = (
        "import sys, argparse\n"
        "from bot.cli import audit\n"
        "p = argparse.ArgumentParser(); audit.register(p.add_subparsers())\n"
        "a = p.parse_args(sys.argv[1:])\n"
        "rc = a.func(a)\n"
        "assert 'sqlalchemy' not in sys.modules, 'sqlalchemy imported'\n"
        "sys.exit(rc)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, "audit", str(path), "--no-record", "--knowledge", str(knowledge_dir)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "质检结果" in result.stdout
    assert not _no_database.exists()


def test_summary_json_is_complete(tmp_path: Path, checker: Checker) -> None:
    path = write_csv(tmp_path / "qianniu.csv", GBK_ROWS, "gbk")
    data = audit(open_transcript(path), checker).to_json()
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert list(data["agents"]) == ["慧兰", "A07"]
    assert data["agents"]["A07"]["rules"] == {"negative.but": 2}
    assert data["lines_skipped"] == 3 and data["skipped"] == {"customer": 2, "empty": 1}


def test_empty_summary_formats(tmp_path: Path) -> None:
    text = format_summary(AuditSummary(str(tmp_path / "x.txt"), "utf-8", "text"))
    assert "读取 read: 0" in text


def test_progress_line_is_throttled() -> None:
    stream = io.StringIO()
    progress = audit_cli.Progress(stream)
    summary = AuditSummary("x", "utf-8", "text", read=1024, flagged=3)
    progress.last -= 1  # the last update was a second ago
    progress(summary)
    assert stream.getvalue().startswith("\r质检中… 1,024 lines, 3 flagged, ")
    assert stream.getvalue().rstrip().endswith("lines/s")
    summary.read = 2048
    progress(summary)  # too soon after the first
    assert stream.getvalue().count("\r质检中") == 1
    progress.clear()
    assert stream.getvalue().endswith("\r\033[K")


def test_recorded_run_matches_the_summary(tmp_path: Path, knowledge_dir: Path, checker: Checker, _no_database: Path) -> None:
    import asyncio

    from bot.config import get_settings
    from bot.storage.db import create_engine, session_factory
    from bot.storage.repositories import Repositories

    get_settings.cache_clear()
    path = write_csv(tmp_path / "chat.csv", GBK_ROWS, "gbk")
    expected = audit(open_transcript(path), checker)
    assert run_cli(knowledge_dir, str(path)) == 0
    assert _no_database.exists()

    async def stored():  # type: ignore[no-untyped-def]
        engine = create_engine(f"sqlite+aiosqlite:///{_no_database}")
        async with session_factory(engine)() as session:
            runs = await Repositories.over(session).audit_runs.recent()
        await engine.dispose()
        return runs

    (run,) = asyncio.run(stored())
    get_settings.cache_clear()
    assert run.source == str(path) and run.finished_at is not None
    assert (run.lines_read, run.drafts_checked, run.drafts_flagged, run.drafts_blocked) == (
        expected.read, expected.checked, expected.flagged, expected.blocked,
    )
    assert run.per_rule == {rule: stats.hits for rule, stats in expected.rules.items()}
    assert run.per_agent["A07"]["flagged"] == expected.agents["A07"].flagged
