"""``python -m bot audit FILE``: 质检, the banned-phrase check over an exported chat transcript.

A supervisor exports a day of chats (CSV or text, UTF-8 or GBK) and gets a summary per agent
and per rule; ``--jsonl`` / ``--csv`` list every flagged line. When the rows name their
conversation (a buyer or session column) the same pass measures the service too — response
times, waits, unanswered customers, a score — and prints it per team, agent and day;
``--conversations`` lists every conversation, ``--agents`` the per-agent figures. Bad input is
refused before anything is written; output files appear only once the audit is complete.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from bot.audit import (
    AuditSummary, ConversationAudit, Message, TranscriptError, audit, audit_conversations, format_summary,
    open_transcript,
)
from bot.audit.conversations import no_conversations_reason
from bot.audit.service_figures import AgentDayFigures, ConversationFigures
from bot.audit.service_text import format_conversations
from bot.checker.result import CheckResult
from bot.cli.common import knowledge_dir_argument, load_or_exit
from bot.spreadsheet import safe_cell

CSV_COLUMNS = ("line", "time", "agent", "verdict", "rules", "matched", "text", "rewrite")
AGENT_COLUMNS = (
    "day", "scope", "agent", "conversations", "answered", "first_response_mean_seconds",
    "first_response_p90_seconds", "customer_messages", "answered_in_time", "answered_in_time_share",
    "unanswered", "agent_messages", "flags", "flags_per_100", "score_mean", "worst",
)
PROGRESS_INTERVAL = 0.2  # seconds: at most ~5 updates a second


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "audit",
        help="质检: check an exported chat transcript (CSV or text)",
        description="质检: run the banned-phrase check over every agent line of a chat export.",
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="transcript: CSV or text, UTF-8/GBK/UTF-16")
    parser.add_argument("--jsonl", metavar="OUT", help="write flagged lines as JSON lines ('-' = stdout)")
    parser.add_argument("--csv", dest="csv_out", metavar="OUT",
                        help="write flagged lines as CSV, UTF-8 with BOM for Excel ('-' = stdout)")
    parser.add_argument("--conversations", metavar="OUT",
                        help="write one JSON object per conversation ('-' = stdout); needs a buyer/session column")
    parser.add_argument("--agents", metavar="OUT",
                        help="write the per-agent, per-day service figures as CSV ('-' = stdout)")
    parser.add_argument("--encoding", metavar="ENC", help="the file's encoding (default: detected)")
    parser.add_argument("--no-record", action="store_true", help="do not store the run in the database")
    knowledge_dir_argument(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """0 when the audit ran (whatever it found), 2 on bad input, 1 if it could not be recorded."""
    asked = [(flag, name) for flag, name in (("--jsonl", args.jsonl), ("--csv", args.csv_out),
             ("--conversations", args.conversations), ("--agents", args.agents)) if name]
    if sum(name == "-" for _, name in asked) > 1:
        print("只有一个输出可以写到标准输出 / only one output can be '-'", file=sys.stderr)
        return 2
    try:
        transcript = open_transcript(args.file, args.encoding)
    except TranscriptError as error:
        print(f"质检失败 / audit failed: {error}", file=sys.stderr)
        return 2
    by_conversation = transcript.keyed and transcript.timed
    if (args.conversations or args.agents) and not by_conversation:
        wanted = " / ".join(flag for flag, _ in asked if flag in ("--conversations", "--agents"))
        print(f"质检失败 / audit failed: {wanted}: {no_conversations_reason(transcript)}", file=sys.stderr)
        return 2
    loaded = load_or_exit(args)
    outputs: list[_Output] = []
    try:
        for name, encoding, writer in ((args.jsonl, "utf-8", _JsonlWriter), (args.csv_out, "utf-8-sig", _CsvWriter),
                                       (args.conversations, "utf-8", _ConversationWriter),
                                       (args.agents, "utf-8-sig", _AgentWriter)):
            if name:
                outputs.append(_Output.open(name, encoding, writer))
    except OSError as error:
        for output in outputs:
            output.discard()
        print(f"无法写入输出文件 / cannot write the output: {error}", file=sys.stderr)
        return 2
    flagged = [o.writer for o in outputs if isinstance(o.writer, (_JsonlWriter, _CsvWriter))]
    per_conversation = [o.writer for o in outputs if isinstance(o.writer, _ConversationWriter)]

    def on_flagged(message: Message, result: CheckResult) -> None:
        for writer in flagged:
            writer.write(message, result)

    def on_conversation(figures: ConversationFigures) -> None:
        for writer in per_conversation:
            writer.write(figures)

    progress = Progress(sys.stderr) if sys.stderr.isatty() else None
    conversations: ConversationAudit | None = None
    try:
        if by_conversation:
            conversations = audit_conversations(
                transcript, loaded.checker, loaded.quality, on_conversation if per_conversation else None,
                on_flagged if flagged else None, (lambda a: progress(a.lines)) if progress else None,
            )
            summary = conversations.lines
        else:
            summary = audit(transcript, loaded.checker, on_flagged if flagged else None, progress)
    except (KeyboardInterrupt, OSError) as error:
        for output in outputs:
            output.discard()
        if progress:
            progress.clear()
        if isinstance(error, KeyboardInterrupt):
            print("已中断，未写入任何结果 / interrupted, nothing written", file=sys.stderr)
            return 130
        print(f"读取中断 / reading {args.file} failed: {error}", file=sys.stderr)
        return 2
    if progress:
        progress.clear()
    for output in outputs:
        if isinstance(output.writer, _AgentWriter) and conversations is not None:
            output.writer.write_all(conversations.agent_days)
        output.commit()
    out = sys.stderr if any(o.name == "-" for o in outputs) else sys.stdout
    print(format_summary(summary), file=out)
    if conversations is not None:
        print("\n" + format_conversations(conversations, loaded.quality), file=out)
    if args.no_record:
        return 0
    return record(summary, out)


# -- flagged-line writers -------------------------------------------------------------------

class _JsonlWriter:
    """One JSON object per flagged line: the ``check --jsonl`` object plus where it was."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.dumps = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode

    def write(self, message: Message, result: CheckResult) -> None:
        record = {"line": message.line, "time": message.time, "agent": message.agent}
        record.update(result.to_json())
        self.stream.write(self.dumps(record) + "\n")


class _CsvWriter:
    """Flagged lines as a spreadsheet; cells that Excel would run as a formula are quoted."""

    def __init__(self, stream: IO[str]) -> None:
        self.writer = csv.writer(stream)
        self.writer.writerow(CSV_COLUMNS)

    def write(self, message: Message, result: CheckResult) -> None:
        rules = ";".join(dict.fromkeys(f.rule for f in result.flags))
        matched = " | ".join(f.matched for f in result.flags)
        self.writer.writerow([
            message.line, safe_cell(message.time or ""), safe_cell(message.agent), result.verdict, rules,
            safe_cell(matched), safe_cell(message.text), safe_cell(result.rewrite or ""),
        ])


class _ConversationWriter:
    """One JSON object per conversation, as each one closes."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.dumps = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode

    def write(self, figures: ConversationFigures) -> None:
        self.stream.write(self.dumps(figures.to_json()) + "\n")


class _AgentWriter:
    """The per-agent, per-day figures as a spreadsheet (the team's rows: scope ``team``)."""

    def __init__(self, stream: IO[str]) -> None:
        self.writer = csv.writer(stream)
        self.writer.writerow(AGENT_COLUMNS)

    def write_all(self, rows: list[AgentDayFigures]) -> None:
        for f in rows:
            share, per_100 = f.answered_in_time_share, f.flags_per_100
            worst = " | ".join(f"{w.conversation} ({w.agent}, {w.score:g}): {'; '.join(w.reasons)}" for w in f.worst)
            self.writer.writerow([
                f.day.isoformat(), "team" if f.agent is None else "agent", safe_cell(f.agent or ""),
                f.conversations, f.answered, _blank(f.first_response_mean), _blank(f.first_response_p90),
                f.customer_messages, f.answered_in_time, _blank(None if share is None else round(share, 4)),
                f.unanswered, f.agent_messages, f.flags, _blank(None if per_100 is None else round(per_100, 2)),
                _blank(f.score_mean), safe_cell(worst),
            ])


def _blank(value: float | None) -> str | float:
    return "" if value is None else value


class _Output:
    """An output file written under a temporary name and renamed when the audit is done."""

    def __init__(self, name: str, stream: IO[str], temp: Path | None, writer: Any) -> None:
        self.name, self.stream, self.temp = name, stream, temp
        self.writer = writer(stream)

    @classmethod
    def open(cls, name: str, encoding: str, writer: Callable[[IO[str]], Any]) -> _Output:
        if name == "-":
            stream = io.TextIOWrapper(sys.stdout.buffer, encoding=encoding, newline="", write_through=False)
            sys.stdout.flush()
            return cls(name, stream, None, writer)
        target = Path(name)
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent or Path("."))
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(fd, 0o666 & ~mask)  # as an ordinary new file would be, not mkstemp's 0600
        stream = open(fd, "w", encoding=encoding, newline="")  # noqa: SIM115 - closed in commit/discard
        return cls(name, stream, Path(temp), writer)

    def commit(self) -> None:
        if self.temp is None:
            self.stream.flush()
            self.stream.detach()  # type: ignore[attr-defined] - leave sys.stdout open
            return
        self.stream.close()
        os.replace(self.temp, self.name)

    def discard(self) -> None:
        if self.temp is None:
            self.stream.flush()
            self.stream.detach()  # type: ignore[attr-defined]
            return
        self.stream.close()
        self.temp.unlink(missing_ok=True)


# -- progress -------------------------------------------------------------------------------

class Progress:
    """``\\r质检中… 123,456 lines, 1,234 flagged, 45,678 lines/s`` on a terminal, ≤5×/s."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.started = self.last = time.monotonic()
        self.shown = False

    def __call__(self, summary: AuditSummary) -> None:
        if summary.read & 255:
            return
        now = time.monotonic()
        if now - self.last < PROGRESS_INTERVAL:
            return
        self.last = now
        rate = summary.read / max(now - self.started, 1e-9)
        self.stream.write(f"\r质检中… {summary.read:,} lines, {summary.flagged:,} flagged, {rate:,.0f} lines/s ")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()


# -- recording ------------------------------------------------------------------------------

def record(summary: AuditSummary, out: IO[str]) -> int:
    """Store the finished run as an audit run (质检 history); 1 if the database refuses.

    SQLAlchemy is imported here, so ``--no-record`` runs never load it.
    """
    import asyncio

    from bot.config import get_settings
    from bot.storage.migrate import upgrade

    url = get_settings().database_url
    try:
        upgrade(url)
        run_id = asyncio.run(_store(url, summary))
    except Exception as error:  # noqa: BLE001 - the audit itself is done; say why it was not kept
        print(f"质检结果未能保存 / the audit could not be recorded: {error}", file=sys.stderr)
        return 1
    print(f"已保存质检记录 #{run_id} / recorded as audit run #{run_id}", file=out)
    return 0


async def _store(url: str, summary: AuditSummary) -> int:
    from bot.storage.db import create_engine, session_factory
    from bot.storage.repositories import Repositories

    engine = create_engine(url)
    try:
        async with session_factory(engine)() as session:
            runs = Repositories.over(session).audit_runs
            run = await runs.add(summary.file, created_by=os.environ.get("USER"))
            await runs.finish(
                run,
                lines_read=summary.read,
                drafts_checked=summary.checked,
                drafts_flagged=summary.flagged,
                drafts_blocked=summary.blocked,
                per_rule={rule: stats.hits for rule, stats in summary.rules.items()},
                per_agent={
                    agent: {"checked": s.checked, "flagged": s.flagged, "blocked": s.blocked}
                    for agent, s in summary.agents.items()
                },
            )
            await session.commit()
            return run.id
    finally:
        await engine.dispose()
