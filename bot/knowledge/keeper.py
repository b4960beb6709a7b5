"""Every change to the knowledge is a version: who, when, why, what changed, and the files.

Source of truth: the files in ``knowledge/``. They are what the bot runs on and what a
supervisor edits. The database keeps their history and follows them:

- a change made in the bot (an approved proposal, a retirement, a rollback) is computed on the
  current files, validated as a whole (loader, then "no approved text is flagged"), recorded
  as a version, and only then written to the files;
- an edit made to the files by hand is recorded as a version when the bot next loads them
  (file watch, ``/reload``, start-up), with the author "文件编辑" (or the admin who reloaded);
- a version recorded but not yet written (a replica died between the two) is written by
  whoever finds it so; version numbers are unique, so two replicas never record one twice.

So the two never disagree silently: the files win, and every difference becomes a version.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.exc import IntegrityError

from bot.errors import UserError
from bot.knowledge.consistency import Conflict, conflicts
from bot.knowledge.diff import Change, compare, unified
from bot.knowledge.loader import KnowledgeError, load_knowledge
from bot.knowledge.models import Knowledge
from bot.knowledge.snapshot import Snapshot
from bot.knowledge.store import KnowledgeStore, LoadedKnowledge
from bot.roster.people import Member
from bot.storage.db import Database
from bot.storage.models import KnowledgeVersion
from bot.texts import t

log = logging.getLogger(__name__)
FILE_EDIT = "文件编辑"
FIRST = "初始版本"
Edit = Callable[[Snapshot, Knowledge], Snapshot]


@dataclass(frozen=True, slots=True)
class VersionView:
    number: int
    created_at: datetime
    author: str
    reason: str
    changes: list[Change]


class KnowledgeKeeper:
    """The one way the bot changes the knowledge files, and their history.

    Validating means compiling the whole knowledge (a few hundred ms): it runs in a worker
    thread, so that agents' drafts keep being answered meanwhile.
    """

    def __init__(self, db: Database, store: KnowledgeStore, validate: Callable[[Path], LoadedKnowledge],
                 on_change: Callable[[LoadedKnowledge | None], object]) -> None:
        self.db = db
        self.store = store
        self.validate = validate  # loads a directory completely (raises KnowledgeError)
        self.on_change = on_change  # reload what the bot runs on (given it, when already loaded)
        self._lock = asyncio.Lock()

    # --- following the files ------------------------------------------------------------

    async def sync(self, now: datetime, author: Member | None = None) -> VersionView | None:
        """Make the history and the files agree; the version recorded for a hand edit, if any
        (its files then in use: they were compiled to be validated)."""
        async with self._lock:
            return await self._sync(now, author)

    async def _sync(self, now: datetime, author: Member | None) -> VersionView | None:
        directory = self.store.directory
        files = Snapshot.read(directory)
        async with self.db.transaction() as repos:
            latest = await repos.knowledge_versions.latest()
            if latest is not None and latest.applied_at is None:  # recorded, never written
                try:
                    Snapshot.unpack(latest.files).write(directory)
                except OSError as error:  # e.g. made read-only meanwhile: the next sync tries again
                    log.error("knowledge version %d is recorded but cannot be written: %s", latest.number, error)
                    return None
                latest.applied_at = now
                self.on_change(None)
                return None
            if latest is not None and latest.digest == files.digest():
                return None
        try:
            loaded = await asyncio.to_thread(self.validate, directory)
        except KnowledgeError:
            return None  # broken files are no version; the reload reports them
        before, old = (None, None) if latest is None else await asyncio.to_thread(self._parse, latest)
        changes = compare(before, loaded.knowledge, old, files)
        reason = FIRST if latest is None else ""
        try:
            version = await self._record(files, changes, author, author.label if author else FILE_EDIT, reason, now,
                                         number=1 if latest is None else latest.number + 1, applied=True)
        except IntegrityError:
            return None  # another replica recorded the same files first
        self.on_change(loaded)  # what was just validated is what the bot runs on now
        return version

    # --- changing them ------------------------------------------------------------------

    async def preview(self, edit: Edit) -> list[Change]:
        """What ``edit`` would change, or the UserError that would refuse it; nothing is written."""
        async with self._lock:
            *_, changes = await asyncio.to_thread(self._prepare, edit)
            return changes

    async def change(self, author: Member | None, reason: str, edit: Edit, now: datetime, *,
                     by: str = "") -> VersionView:
        """Apply ``edit`` to the current files: validated, recorded, then written and loaded.

        Refused (UserError, nothing changed) when the result is broken or would flag approved
        text that passed before.
        """
        async with self._lock:
            await self._sync(now, None)
            new, loaded, changes = await asyncio.to_thread(self._prepare, edit)
            async with self.db.transaction() as repos:
                latest = await repos.knowledge_versions.latest()
            number = 1 if latest is None else latest.number + 1
            try:
                version = await self._record(new, changes, author, author.label if author else by, reason, now,
                                             number=number, applied=False)
            except IntegrityError as error:
                raise UserError("knowledge.busy") from error
            new.write(self.store.directory)
            async with self.db.transaction() as repos:
                row = await repos.knowledge_versions.by_number(number)
                assert row is not None
                row.applied_at = now
            self.on_change(loaded)  # validated above: not compiled a second time
            log.info("knowledge version %d by %s: %s", number, version.author, reason)
            return version

    def _prepare(self, edit: Edit) -> tuple[Snapshot, LoadedKnowledge, list[Change]]:
        """The edited files, validated as a whole, and what they change."""
        base = Snapshot.read(self.store.directory)
        current = self.store.current
        try:
            new = edit(base, current.knowledge)
        except ValueError as error:
            raise UserError("knowledge.cannot_edit", reason=str(error)) from error
        if new.digest() == base.digest():
            raise UserError("knowledge.unchanged")
        unwritable = _unwritable(self.store.directory, new, base)
        if unwritable:  # found now, not after the version is recorded
            raise UserError("knowledge.read_only", path=unwritable)
        try:
            loaded = new.load(self.validate, beside=self.store.directory)
        except KnowledgeError as error:
            raise UserError("knowledge.invalid", problems="\n".join(str(p) for p in error.problems[:5])) from error
        fresh = sorted(set(conflicts(loaded.checker)) - set(conflicts(current.checker)))
        if fresh:
            raise UserError("knowledge.conflict", conflicts=describe_conflicts(fresh))
        return new, loaded, compare(current.knowledge, loaded.knowledge, base, new)

    async def rollback(self, author: Member | None, number: int, reason: str, now: datetime, *, by: str = "") -> VersionView:
        """Back to the files of version ``number`` (as a new version: history is never rewritten)."""
        async with self.db.transaction() as repos:
            target = await repos.knowledge_versions.by_number(number)
            files = None if target is None else Snapshot.unpack(target.files)
        if files is None:
            raise UserError("knowledge.no_version", number=number)
        why = f"回滚到 v{number}" + (f"：{reason}" if reason else "")
        return await self.change(author, why, lambda _base, _knowledge: files, now, by=by)

    # --- reading the history ------------------------------------------------------------

    async def history(self, limit: int = 10) -> list[VersionView]:
        async with self.db.transaction() as repos:
            return [_view(v) for v in await repos.knowledge_versions.recent(limit)]

    async def version(self, number: int) -> tuple[VersionView, str]:
        """A version and its line-by-line diff against the one before."""
        async with self.db.transaction() as repos:
            row = await repos.knowledge_versions.by_number(number)
            if row is None:
                raise UserError("knowledge.no_version", number=number)
            previous = await repos.knowledge_versions.by_number(number - 1)
            old = Snapshot.unpack(previous.files) if previous is not None else Snapshot({})
            return _view(row), unified(old, Snapshot.unpack(row.files))

    async def added_at(self) -> tuple[datetime | None, dict[str, datetime]]:
        """When the history began, and when each phrasing added since came in."""
        async with self.db.transaction() as repos:
            rows = await repos.knowledge_versions.all_changes()
        added = {str(c["id"]): created_at for _, created_at, changes in rows for c in changes
                 if c["what"] == "phrasing" and c["change"] == "added"}
        return (rows[0][1] if rows else None), added  # type: ignore[return-value]

    # --- inside ----------------------------------------------------------------------------

    def _parse(self, row: KnowledgeVersion) -> tuple[Knowledge | None, Snapshot | None]:
        snapshot = Snapshot.unpack(row.files)
        try:
            return snapshot.load(load_knowledge), snapshot
        except KnowledgeError:
            return None, None

    async def _record(self, files: Snapshot, changes: list[Change], author: Member | None, label: str, reason: str,
                      now: datetime, *, number: int, applied: bool) -> VersionView:
        async with self.db.transaction() as repos:
            row = await repos.knowledge_versions.add(KnowledgeVersion(
                number=number, created_at=now, author_id=author.id if author else None, author=label[:100],
                reason=reason[:500], changes=[c.as_json() for c in changes], digest=files.digest(),
                files=files.pack(), applied_at=now if applied else None,
            ))
            return _view(row)


def recorded_versions(database_url: str, limit: int = 5) -> list[tuple[int, Snapshot]]:
    """The newest recorded versions (number, files), newest first: what a start falls back on
    when the files on disk are broken. Read from any thread, with or without a running event
    loop (in a worker thread, over a database handle of its own); ``[]`` when unreadable."""

    async def read() -> list[tuple[int, Snapshot]]:
        db = Database(database_url)
        try:
            async with db.transaction() as repos:
                return [(row.number, Snapshot.unpack(row.files)) for row in await repos.knowledge_versions.recent(limit)]
        finally:
            await db.close()

    try:
        with ThreadPoolExecutor(1, thread_name_prefix="kefu-versions") as pool:
            return pool.submit(asyncio.run, read()).result()
    except Exception as error:  # noqa: BLE001 - not migrated, unreachable: no version to fall back on
        log.warning("the recorded knowledge versions cannot be read: %s", error)
        return []


def _unwritable(directory: Path, new: Snapshot, old: Snapshot) -> str | None:
    """The first file (or folder) the change must write and may not, if any."""
    for path in sorted(set(new.files) | set(old.files)):
        if new.files.get(path) == old.files.get(path):
            continue
        target = directory / path
        while not target.exists():
            target = target.parent
        if not os.access(target, os.W_OK) or not os.access(target.parent if target.is_file() else target, os.W_OK):
            return str(target)
    return None


def describe_conflicts(found: list[Conflict], limit: int = 5) -> str:
    lines = [t("knowledge.conflict_line", escape=False, rule=c.name, item=c.item, text=c.text, matched=c.matched)
             for c in found[:limit]]
    if len(found) > limit:
        lines.append(t("knowledge.conflict_more", escape=False, count=len(found)))
    return "\n".join(lines)


def _view(row: KnowledgeVersion) -> VersionView:
    return VersionView(row.number, row.created_at, row.author, row.reason,
                       [Change.from_json(c) for c in row.changes])
