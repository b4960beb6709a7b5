"""``python -m bot audit FILE``: 质检, the banned-phrase check over an exported chat transcript.

A supervisor exports a day of chats (CSV or text, UTF-8 or GBK) and gets a summary per agent
and per rule; ``--jsonl`` / ``--csv`` list every flagged line. Bad input is refused before
anything is written; output files appear only once the audit is complete.
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

from bot.audit import AuditSummary, Message, TranscriptError, audit, format_summary, open_transcript
from bot.checker.result import CheckResult
from bot.cli.common import knowledge_dir_argument, load_or_exit
from bot.spreadsheet import safe_cell

CSV_COLUMNS = ("line", "time", "agent", "verdict", "rules", "matched", "text", "rewrite")
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
    parser.add_argument("--encoding", metavar="ENC", help="the file's encoding (default: detected)")
    parser.add_argument("--no-record", action="store_true", help="do not store the run in the database")
    knowledge_dir_argument(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """0 when the audit ran (whatever it found), 2 on bad input, 1 if it could not be recorded."""
    if args.jsonl == "-" and args.csv_out == "-":
        print("--jsonl 和 --csv 不能都写到标准输出 / only one of --jsonl, --csv can be '-'", file=sys.stderr)
        return 2
    try:
        transcript = open_transcript(args.file, args.encoding)
    except TranscriptError as error:
        print(f"质检失败 / audit failed: {error}", file=sys.stderr)
        return 2
    checker = load_or_exit(args).checker
    outputs: list[_Output] = []
    try:
        if args.jsonl:
            outputs.append(_Output.open(args.jsonl, "utf-8", _JsonlWriter))
        if args.csv_out:
            outputs.append(_Output.open(args.csv_out, "utf-8-sig", _CsvWriter))
    except OSError as error:
        for output in outputs:
            output.discard()
        print(f"无法写入输出文件 / cannot write the output: {error}", file=sys.stderr)
        return 2

    def on_flagged(message: Message, result: CheckResult) -> None:
        for output in outputs:
            output.writer.write(message, result)

    progress = Progress(sys.stderr) if sys.stderr.isatty() else None
    try:
        summary = audit(transcript, checker, on_flagged if outputs else None, progress)
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
        output.commit()
    to_stdout = any(o.name == "-" for o in outputs)
    print(format_summary(summary), file=sys.stderr if to_stdout else sys.stdout)
    if args.no_record:
        return 0
    return record(summary, sys.stderr if to_stdout else sys.stdout)


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
