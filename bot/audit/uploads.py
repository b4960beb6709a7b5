"""A chat export a supervisor or team lead sends to the bot: audited as conversations, stored, summed up.

The file is checked before anything runs (its size, its columns); the audit then streams it in
a worker thread — the checker and the measuring are CPU work that must not hold the event loop —
writing one JSON line per conversation to a file beside it, and hands its fraction done to
``progress``. The figures are stored for the sender's team, replacing the days the file covers,
so sending the same export again changes nothing.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select

from bot.audit import ConversationAudit, TranscriptError, audit_conversations, open_transcript
from bot.audit.service_figures import AgentDayFigures, ConversationFigures
from bot.errors import UserError
from bot.knowledge.store import KnowledgeStore
from bot.reports.chart import service_chart_png
from bot.reports.service import ServiceSection, service_section
from bot.reports.text import service_lines
from bot.roster.people import Member
from bot.storage.db import Database
from bot.storage.models import Person
from bot.texts import t

MAX_BYTES = 20 * 1024 * 1024  # what a bot may download from Telegram (getFile)
WORST_SHOWN = 3
EXCEL = (".xlsx", ".xls", ".xlsm")  # a workbook is not a transcript: the sender can save it as CSV
DAYS_SHOWN = 3  # a file of a month is summed up by its last days; all are stored


@dataclass(frozen=True, slots=True)
class UploadResult:
    lines: list[str]  # the summary, Telegram HTML
    done: str  # the progress message's last words
    conversations: Path  # one JSON object per conversation
    chart: bytes | None
    chart_caption: str


def check_size(size: int | None) -> None:
    if size is not None and size > MAX_BYTES:
        raise UserError("upload.too_large", size=_megabytes(size), limit=_megabytes(MAX_BYTES))


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def _count_lines(path: Path) -> int:
    """Physical lines of the file, read in blocks: a fraction done for the progress message."""
    lines = 0
    with path.open("rb") as stream:
        while block := stream.read(1 << 20):
            lines += block.count(b"\n")
    return max(lines, 1)


class UploadDesk:
    def __init__(self, db: Database, knowledge: KnowledgeStore, now: Callable[[], datetime]) -> None:
        self.db = db
        self.knowledge = knowledge
        self.now = now

    async def audit(self, member: Member, path: Path, name: str, progress: Callable[[float], None]) -> UploadResult:
        """Audit the file at ``path`` (sent as ``name``) for ``member``'s team; UserError when it
        cannot be read as conversations (nothing stored then)."""
        check_size(path.stat().st_size)
        if path.suffix.lower() in EXCEL:
            raise UserError("upload.excel", name=name)
        loaded = self.knowledge.current
        try:
            transcript = open_transcript(path)
        except TranscriptError as error:
            raise UserError("upload.unreadable", why=_named(error, path, name)) from None
        out = path.with_name(path.name + ".conversations.jsonl")
        total = await asyncio.to_thread(_count_lines, path)

        def run() -> ConversationAudit:
            with out.open("w", encoding="utf-8") as stream:
                def write(figures: ConversationFigures) -> None:
                    stream.write(json.dumps(figures.to_json(), ensure_ascii=False) + "\n")

                return audit_conversations(transcript, loaded.checker, loaded.quality, on_conversation=write,
                                           progress=lambda so_far: progress(so_far.lines.read / total))

        try:
            result = await asyncio.to_thread(run)
        except TranscriptError as error:
            raise UserError("upload.unreadable", why=_named(error, path, name)) from None
        async with self.db.transaction() as repos:
            days = await repos.service_days.replace(member.team, result.agent_days, self.now(), name, member.id)
            people = (await repos.session.scalars(select(Person).where(Person.team == member.team))).all()
        sections = {day: service_section([f for f in result.agent_days if f.day == day], [], people) for day in days}
        return UploadResult(
            lines=self._summary(name, result, sections, member.team, days),
            done=t("upload.done", name=name, lines=f"{result.lines.read:,}", conversations=f"{result.conversations:,}",
                   seconds=f"{result.elapsed:.1f}"),
            conversations=out,
            chart=await asyncio.to_thread(service_chart_png, member.team, _days(days), _merged(sections, people))
            if days else None,
            chart_caption=t("upload.chart_caption", team=member.team, days=_days(days)),
        )

    def _summary(self, name: str, result: ConversationAudit, sections: dict[date, ServiceSection | None], team: str,
                 days: list[date]) -> list[str]:
        summary = result.lines
        quality = self.knowledge.current.quality
        lines = [t("upload.title", name=name),
                 t("upload.limits", greeting=f"{quality.greeting_seconds:g}", answer=f"{quality.answer_seconds:g}"),
                 t("upload.lines", checked=summary.checked, flagged=summary.flagged, blocked=summary.blocked)]
        shown = days[-DAYS_SHOWN:]
        if len(days) > len(shown):
            lines.append(t("upload.more_days", count=len(days) - len(shown), first=days[0].isoformat()))
        for day in shown:
            section = sections[day]
            if section is None:
                continue
            lines.append(t("upload.day", day=day.isoformat()))
            lines += service_lines(section)[1:]  # the section's own title speaks of a report
            worst = section.team.today.worst[:WORST_SHOWN]
            if worst:
                lines.append(t("upload.worst"))
                names = {line.agent: line.name for line in section.agents}
                lines += [t("upload.worst_line", conversation=w.conversation, agent=names.get(w.agent, w.agent),
                            score=f"{w.score:g}", reasons="；".join(w.reasons)) for w in worst]
        lines.append(t("upload.stored", team=team, days=_days(days)) if days else t("upload.nothing"))
        return lines


def _days(days: list[date]) -> str:
    if not days:
        return ""
    return days[0].isoformat() if len(days) == 1 else f"{days[0].isoformat()} – {days[-1].isoformat()}"


def _named(error: TranscriptError, path: Path, name: str) -> str:
    """The reader's message with the sender's file name, never the server's temporary path."""
    return str(error).replace(str(path), name)


def _merged(sections: dict[date, ServiceSection | None], people: list[Person]) -> ServiceSection | None:
    """The days of the file as one section (counts summed), for one chart of the whole file."""
    rows = [line.today for section in sections.values() if section for line in [section.team, *section.agents]]
    by_agent: dict[str | None, list[AgentDayFigures]] = {}
    for row in rows:
        by_agent.setdefault(row.agent, []).append(row)
    if not rows:
        return None
    first = rows[0].day
    merged = [AgentDayFigures(
        agent=agent, day=first, conversations=sum(r.conversations for r in group),
        answered=sum(r.answered for r in group), first_response_mean=None, first_response_p90=None,
        customer_messages=sum(r.customer_messages for r in group),
        answered_in_time=sum(r.answered_in_time for r in group), unanswered=sum(r.unanswered for r in group),
        agent_messages=sum(r.agent_messages for r in group), flags=sum(r.flags for r in group), score_mean=None,
    ) for agent, group in by_agent.items()]
    return service_section(merged, [], people)
