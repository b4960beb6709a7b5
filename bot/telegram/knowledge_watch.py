"""Knowledge files reloaded without a restart: on ``/reload`` or when a file changes.

A broken file keeps the last good knowledge in use (see :class:`KnowledgeStore`) and the
admins are told which file and line. A hand edit that loads is recorded as a knowledge
version (see :class:`KnowledgeKeeper`) and the admins are told its number; a change the bot
made itself (on this replica or another) is already a version and says nothing more.
Changes are noticed by polling the files' sizes and modification times every few seconds:
cheap, and it works on every file system.
"""

from __future__ import annotations

import logging

from telegram.ext import Application

from bot.knowledge.keeper import VersionView
from bot.knowledge.store import fingerprint
from bot.knowledge.yamlnodes import Problem
from bot.services import Services
from bot.telegram.admins import notify_admins
from bot.telegram.context import KefuContext
from bot.texts import t

log = logging.getLogger(__name__)


def reload_report(services: Services, problems: list[Problem], version: VersionView | None) -> str:
    if problems:
        lines = [t("reload.problem", file=p.file, line=p.line or "-", message=p.message) for p in problems[:20]]
        return t("reload.failed", escape=False, problems="\n".join(lines))
    knowledge = services.knowledge.current.knowledge
    text = t("reload.ok", phrasings=len(knowledge.phrasings), rules=len(knowledge.rules))
    if version is not None:
        text += "\n" + t("reload.recorded", number=version.number, changes=len(version.changes))
    return text


async def watch(context: KefuContext) -> None:
    """Repeating job: reload when the files changed, and tell the admins what came of it — once
    per change of the files, whatever came of it (a reload that fails unexpectedly, e.g. the
    database is away, is tried again every interval but reported only the first time)."""
    services = context.services
    if not services.knowledge.changed_on_disk():
        return
    seen = fingerprint(services.knowledge.directory)
    told: dict[str, object] = context.job.data if context.job and isinstance(context.job.data, dict) else {}
    try:
        problems, version = await services.reload_and_record()
    except Exception as error:  # noqa: BLE001 - a job's error would reach the admins every interval
        log.exception("knowledge files changed but could not be reloaded")
        if told.get("failed") != seen:
            told["failed"] = seen
            await notify_admins(context.bot, services, t("reload.error", error=f"{type(error).__name__}: {error}"))
        return
    told.pop("failed", None)
    log.info("knowledge files changed: %s", "kept the last good version" if problems else "reloaded")
    if problems or version is not None:
        await notify_admins(context.bot, services, reload_report(services, problems, version))


async def start_watching(application: Application) -> None:
    """Record files edited while the bot was off, then poll for changes. Started on the last good
    version because the files are broken: the admins are told what is wrong with them."""
    services: Services = application.bot_data.services
    await services.keeper.sync(services.now())
    if services.knowledge.problems:
        await notify_admins(application.bot, services, reload_report(services, services.knowledge.problems, None))
    seconds = services.settings.knowledge_watch_seconds
    if seconds > 0 and application.job_queue is not None:
        application.job_queue.run_repeating(watch, interval=seconds, name="knowledge:watch", data={})
