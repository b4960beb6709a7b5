"""Knowledge files reloaded without a restart: on ``/reload`` or when a file changes.

A broken file keeps the last good knowledge in use (see :class:`KnowledgeStore`) and the
admins are told which file and line. Changes are noticed by polling the files' sizes and
modification times every few seconds: cheap, and it works on every file system.
"""

from __future__ import annotations

import logging
from pathlib import Path

from telegram.ext import Application

from bot.knowledge.yamlnodes import Problem
from bot.services import Services
from bot.telegram.admins import notify_admins
from bot.telegram.context import KefuContext
from bot.texts import t

log = logging.getLogger(__name__)
Fingerprint = tuple[tuple[str, int, int], ...]


def fingerprint(directory: Path) -> Fingerprint:
    files = sorted(p for p in directory.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)


def reload_report(services: Services, problems: list[Problem]) -> str:
    if problems:
        lines = [t("reload.problem", file=p.file, line=p.line or "-", message=p.message) for p in problems[:20]]
        return t("reload.failed", escape=False, problems="\n".join(lines))
    knowledge = services.knowledge.current.knowledge
    return t("reload.ok", phrasings=len(knowledge.phrasings), rules=len(knowledge.rules))


def reload_now(context: KefuContext) -> list[Problem]:
    """Reload, and remember the files as read, so that the watch reports a change once."""
    services = context.services
    context.bot_data.knowledge_fingerprint = fingerprint(services.knowledge.directory)
    return services.reload()


async def watch(context: KefuContext) -> None:
    """Repeating job: reload when the files changed, and tell the admins how it went."""
    services = context.services
    if fingerprint(services.knowledge.directory) == context.bot_data.knowledge_fingerprint:
        return
    problems = reload_now(context)
    log.info("knowledge files changed: %s", "kept the last good version" if problems else "reloaded")
    await notify_admins(context.bot, services, reload_report(services, problems))


def start_watching(application: Application) -> None:
    services: Services = application.bot_data.services
    application.bot_data.knowledge_fingerprint = fingerprint(services.knowledge.directory)
    seconds = services.settings.knowledge_watch_seconds
    if seconds > 0 and application.job_queue is not None:
        application.job_queue.run_repeating(watch, interval=seconds, name="knowledge:watch")
