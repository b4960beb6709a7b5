"""Handoff messages as Bot API data (HTML text and inline-keyboard JSON), for the outbox.

The outbox stores what is to be sent, so these are built when the notification is queued;
buttons are plain Bot API dicts so that this module needs nothing from Telegram's library.
Nothing here exceeds Telegram's limits: a whole note is split on whole lines into several
messages (the buttons under the last), and a message that must stay one (a step of the
walk-through, edited in place) shows what fits and says what it left out.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.buttons import ItemDone, NoteStatus, ReadNote
from bot.handoffs.note import SECTIONS, Item, NoteView
from bot.texts import MESSAGE_LIMIT, shorten, split_message, t

SHORT_ITEM_CHARS = 60  # an item in the confirmation when the whole note does not fit one message
MAX_DONE_BUTTONS = 60  # "done" buttons under a note, one a row (Telegram allows 100 buttons in all)
DONE_LABEL_CHARS = 16  # of an item's text on its "done" button: what a phone shows on one line


def section_label(section: str) -> str:
    return t(f"handoff.section.{section}")


def item_lines(items: list[Item], numbered_from: int = 1) -> list[str]:
    lines = []
    for number, item in enumerate(items, numbered_from):
        mark = "✔ " if item.done else ("↪ " if item.carried else "")
        lines.append(t("handoff.item", number=number, mark=mark, text=item.text))
    return lines


def note_body(items: list[Item]) -> list[str]:
    lines = []
    for section in SECTIONS:
        chosen = [i for i in items if i.section == section]
        if chosen:
            lines.append(t("handoff.section_title", label=section_label(section), count=len(chosen)))
            lines += item_lines(chosen)
    return lines or [t("handoff.nothing")]


def _fits(lines: list[str], limit: int) -> bool:
    return len("\n".join(lines)) <= limit


def latest_that_fit(head: list[str], body: list[str], limit: int = MESSAGE_LIMIT) -> str:
    """``head`` and as many of the last ``body`` lines as fit one message, saying how many are left out."""
    if _fits(head + body, limit):
        return "\n".join(head + body)
    for skipped in range(1, len(body) + 1):
        lines = [*head, t("handoff.earlier", count=skipped), *body[skipped:]]
        if _fits(lines, limit):
            return "\n".join(lines)
    return "\n".join(head)[:limit]


def whole_or_shortened(head: list[str], items: list[Item], limit: int = MESSAGE_LIMIT) -> str:
    """The whole note in one message if it fits; else each item shortened; else the first lines
    that fit, saying how many more there are."""
    lines = [*head, *note_body(items)]
    if _fits(lines, limit):
        return "\n".join(lines)
    body = note_body([replace(i, text=shorten(i.text, SHORT_ITEM_CHARS)) for i in items])
    for kept in range(len(body), -1, -1):
        lines = [*head, *body[:kept]] + ([t("handoff.more_lines", count=len(body) - kept)] if kept < len(body) else [])
        if _fits(lines, limit):
            return "\n".join(lines)
    return "\n".join(head)[:limit]


def _when(at: datetime, tz: ZoneInfo) -> str:
    return at.astimezone(tz).strftime("%m-%d %H:%M")


def note_header(note: NoteView, tz: ZoneInfo) -> str:
    return t("handoff.header", id=note.id, author=note.author, shift=note.shift_name or t("handoff.off_shift"),
             filed=_when(note.filed_at, tz), next=note.next_shift_name, next_start=_when(note.next_shift_start, tz))


READERS_CHARS = 100  # of names in the "read by" line of a note


def _readers_line(readers: list[str]) -> str:
    if not readers:
        return t("handoff.readers_none")
    return t("handoff.readers", count=len(readers), names=shorten("、".join(readers), READERS_CHARS))


def _note_parts(title: str, note: NoteView, tz: ZoneInfo) -> list[str]:
    """The note in one message or several, with who has read it at the end. The parts are cut
    where the note's widest form would cut them (every item marked, the longest "read by"
    line), so marking an item done or the note read never moves a line into another part:
    the copies already delivered are edited part for part."""
    head = [title, note_header(note, tz)]
    widest_readers = t("handoff.readers", count=999, names="&" * READERS_CHARS)  # escaped: the longest
    widest = [*head, *note_body([replace(i, done=True) for i in note.items]), widest_readers]
    return split_message([*head, *note_body(note.items), _readers_line(note.readers)], like=widest)


def summary(note: NoteView, tz: ZoneInfo) -> tuple[list[str], dict[str, Any]]:
    """For the supervisors: the whole note (one message or several), and a button to see who
    has read it (under the last)."""
    parts = _note_parts(t("handoff.summary_title"), note, tz)
    return parts, {"inline_keyboard": [[NoteStatus(note.id).json(t("handoff.button_status"))]]}


def for_next_shift(note: NoteView, tz: ZoneInfo, read: bool = False) -> tuple[list[str], dict[str, Any] | None]:
    """For an agent of the next shift: the note, "read ✅" (until they have read it), and "done"
    per open item; no buttons once there is nothing left to press."""
    parts = _note_parts(t("handoff.next_title"), note, tz)
    rows: list[list[dict[str, str]]] = [] if read else [[ReadNote(note.id).json(t("handoff.button_read"))]]
    open_items = [i for i in note.items if not i.done and i.section != "orders" and i.id][:MAX_DONE_BUTTONS]
    rows += [[ItemDone(i.id).json(t("handoff.button_done", text=shorten(i.text, DONE_LABEL_CHARS)))]
             for i in open_items]
    return parts, {"inline_keyboard": rows} if rows else None


def escalation(note: NoteView, tz: ZoneInfo, minutes: int) -> list[str]:
    return split_message([t("handoff.escalation", minutes=minutes), note_header(note, tz), *note_body(note.items)])


def missing(author: str, shift: str, off_at: datetime, tz: ZoneInfo) -> str:
    return t("handoff.missing_report", author=author, shift=shift, off=_when(off_at, tz))
