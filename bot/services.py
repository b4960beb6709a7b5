"""Everything the bot's front ends use, built once from the settings (no Telegram here).

The Telegram application, the command line and, later, the local chat page all talk to the
same :class:`Services`; ``clock`` is injectable so that tests can be in the morning or the
evening at will.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.assist.drafts import DraftDesk
from bot.assist.phrasings import PhraseDesk
from bot.config import Settings
from bot.events import EventLog
from bot.flows import Flows
from bot.handoffs.desk import HandoffDesk, HandoffTiming
from bot.knowledge.loader import KnowledgeError
from bot.leases import Leases, holder_name
from bot.metrics import Metrics
from bot.knowledge.cache import CompiledCache
from bot.knowledge.keeper import KnowledgeKeeper, VersionView, recorded_versions
from bot.knowledge.store import KnowledgeStore, LoadedKnowledge
from bot.knowledge.yamlnodes import Problem
from bot.outbox import Outbox
from bot.phrasebook.usage import UsageDesk
from bot.practice.desk import PracticeDesk
from bot.proposals.desk import ProposalDesk
from bot.disputes.desk import DisputeDesk
from bot.disputes.missed import MissedDesk
from bot.practice.scenarios import Scenario, load_scenarios
from bot.orders.desk import OrderDesk
from bot.orders.numbers import OrderNumbers
from bot.orders.reminders import ReminderPolicy
from bot.reports.build import ReportBuilder
from bot.reports.desk import ReportDesk, ReportSchedule
from bot.audit.uploads import UploadDesk
from bot.roster.people import Member
from bot.roster.service import Roster
from bot.shifts.config import ShiftBook, load_shifts
from bot.storage.db import Database

Clock = Callable[[], datetime]
log = logging.getLogger(__name__)


def system_clock() -> datetime:
    return datetime.now(UTC)


def validate_directory(directory: Path, settings: Settings) -> LoadedKnowledge:
    """Everything in a knowledge directory, loaded: a change is accepted only if all of it loads
    (the compile validates the shifts and the practice scenarios too)."""
    return LoadedKnowledge.from_directory(directory, CompiledCache.named(settings.kefu_cache_dir))


def _start_files(knowledge: KnowledgeStore, settings: Settings) -> tuple[ShiftBook, tuple[Scenario, ...]]:
    """Load the knowledge to start on: the files, or — when they are broken — the newest recorded
    version that loads (the admins are told the files' problems once the bot runs). Broken files
    and no good version: :class:`KnowledgeError`, naming every file and line."""

    def load_all(directory: Path) -> tuple[LoadedKnowledge, ShiftBook, tuple[Scenario, ...]]:
        loaded = LoadedKnowledge.from_directory(directory, knowledge.cache)
        return loaded, load_shifts(directory, settings.shop_tz), load_scenarios(directory)

    try:
        loaded, shifts, scenarios = load_all(knowledge.directory)
    except KnowledgeError as error:
        error.directory = knowledge.directory
        for number, files in recorded_versions(settings.database_url):
            try:
                loaded, shifts, scenarios = files.load(load_all, beside=knowledge.directory)
            except KnowledgeError:
                continue
            log.error("the knowledge files are broken; starting on the last good version v%d:\n%s", number, error)
            knowledge.start_with(loaded, error.problems)
            return shifts, scenarios
        raise
    knowledge.start_with(loaded, [])
    return shifts, scenarios


@dataclass
class Services:
    settings: Settings
    db: Database
    knowledge: KnowledgeStore
    keeper: KnowledgeKeeper
    events: EventLog
    roster: Roster
    orders: OrderDesk
    drafts: DraftDesk
    phrases: PhraseDesk
    outbox: Outbox
    handoffs: HandoffDesk
    reports: ReportDesk
    uploads: UploadDesk
    practice: PracticeDesk
    flows: Flows
    proposals: ProposalDesk
    disputes: DisputeDesk
    missed: MissedDesk
    usage: UsageDesk
    leases: Leases
    metrics: Metrics
    clock: Clock = system_clock

    @classmethod
    def create(cls, settings: Settings, *, knowledge_dir: Path | None = None, clock: Clock = system_clock) -> Services:
        """Build the services; the knowledge is loaded now (a broken file raises, naming it)."""
        db = Database(settings.database_url)
        holder = holder_name()  # this process, in its leases and its outbox claims
        events = EventLog(db)
        cache = CompiledCache.named(settings.kefu_cache_dir)
        knowledge = KnowledgeStore(knowledge_dir or settings.knowledge_dir, cache)
        shifts, scenarios = _start_files(knowledge, settings)
        timing = HandoffTiming(
            read_within=timedelta(minutes=settings.handoff_read_within_minutes),
            missing_after=timedelta(minutes=settings.handoff_missing_after_minutes),
            early=timedelta(minutes=settings.shift_early_minutes),
        )
        numbers = OrderNumbers(settings.order_number_pattern)
        policy = ReminderPolicy(
            delay=timedelta(seconds=settings.order_reminder_delay_seconds),
            repeat=timedelta(seconds=settings.order_reminder_repeat_seconds),
            max_reminders=settings.order_reminder_max,
        )
        orders = OrderDesk(
            db, numbers, policy, remark_format=settings.order_remark_format,
            flag_colour=settings.order_flag_colour, tz=settings.shop_tz,
        )
        keeper = KnowledgeKeeper(db, knowledge, lambda d: validate_directory(d, settings),
                                 lambda loaded: services.reload(loaded))  # `services` is bound below
        proposals = ProposalDesk(db, knowledge, keeper, numbers, settings.shop_name)
        services = cls(
            settings=settings,
            db=db,
            knowledge=knowledge,
            keeper=keeper,
            events=events,
            roster=Roster(db, timedelta(hours=settings.invite_valid_hours), timedelta(seconds=settings.roster_cache_seconds)),
            orders=orders,
            drafts=DraftDesk(db, events, knowledge, orders, settings.max_draft_chars),
            phrases=PhraseDesk(db, events, knowledge, numbers, settings.shop_name, settings.shop_tz),
            outbox=Outbox(db, settings.outbox_alert_after_attempts, holder),
            handoffs=HandoffDesk(db, shifts, timing, settings.shop_tz),
            reports=ReportDesk(
                db, knowledge, ReportBuilder(settings.shop_tz, timing.read_within),
                ReportSchedule(settings.report_time, settings.report_day == "yesterday"), settings.shop_tz,
            ),
            uploads=UploadDesk(db, knowledge, clock),
            practice=PracticeDesk(db, knowledge, scenarios),
            flows=Flows(db, shared=settings.telegram_webhook_url is not None),
            proposals=proposals,
            disputes=DisputeDesk(db, knowledge, proposals),  # listens for its proposals' decisions
            missed=MissedDesk(db, knowledge, proposals),
            usage=UsageDesk(db, events, knowledge, keeper, timedelta(days=settings.phrasing_unused_days)),
            leases=Leases(db, holder),
            metrics=Metrics(),
            clock=clock,
        )
        return services

    def reload(self, loaded: LoadedKnowledge | None = None) -> list[Problem]:
        """Reload the knowledge (``loaded``: already loaded from these files), the shifts and the
        practice scenarios; on problems in any file all keep their last good version."""
        problems = self.knowledge.reload(loaded)
        if problems:  # one version is all the files: a broken one keeps all of the last good one
            return problems
        try:
            self.handoffs.shifts = load_shifts(self.knowledge.directory, self.settings.shop_tz)
        except KnowledgeError as error:
            problems += error.problems
        try:
            self.practice.reload(self.knowledge.directory)
        except KnowledgeError as error:
            problems += error.problems
        return problems

    async def reload_and_record(self, by: Member | None = None) -> tuple[list[Problem], VersionView | None]:
        """Reload the files and record them as a version if they changed by hand (``by``: the
        admin who asked; nobody for the file watch and start-up)."""
        version = await self.keeper.sync(self.now(), by)
        if version is not None:
            return [], version  # the keeper put the files it validated in use: no second compile
        # compiling takes a few hundred ms: in a worker thread, so that drafts are answered
        # meanwhile (each part is swapped in whole, so readers see the old or the new)
        return await asyncio.to_thread(self.reload), version

    def now(self) -> datetime:
        return self.clock()

    def local_now(self) -> datetime:
        return self.clock().astimezone(self.settings.shop_tz)

    async def close(self) -> None:
        """Write the buffered events, then let go of the database."""
        await self.events.close()
        await self.db.close()
