"""Handoff messages as Bot API data (HTML text and inline-keyboard JSON), for the outbox.

The outbox stores what is to be sent, so these are built when the notification is queued;
buttons are plain Bot API dicts so that this module needs nothing from Telegram's library.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.buttons import ItemDone, NoteStatus, ReadNote
from bot.handoffs.note import SECTIONS, Item, NoteView
from bot.texts import t


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


def _when(at: datetime, tz: ZoneInfo) -> str:
    return at.astimezone(tz).strftime("%m-%d %H:%M")


def note_header(note: NoteView, tz: ZoneInfo) -> str:
    return t("handoff.header", id=note.id, author=note.author, shift=note.shift_name or "—",
             filed=_when(note.filed_at, tz), next=note.next_shift_name, next_start=_when(note.next_shift_start, tz))


def summary(note: NoteView, tz: ZoneInfo) -> tuple[str, dict[str, Any]]:
    """For the supervisors: the whole note, and a button to see who has read it."""
    text = "\n".join([t("handoff.summary_title"), note_header(note, tz), *note_body(note.items)])
    return text, {"inline_keyboard": [[NoteStatus(note.id).json(t("handoff.button_status"))]]}


def for_next_shift(note: NoteView, tz: ZoneInfo) -> tuple[str, dict[str, Any]]:
    """For the agents of the next shift: the note, "read ✅", and "done" per open item."""
    text = "\n".join([t("handoff.next_title"), note_header(note, tz), *note_body(note.items)])
    rows: list[list[dict[str, str]]] = [[ReadNote(note.id).json(t("handoff.button_read"))]]
    open_items = [(n, i) for n, i in enumerate(note.items, 1) if not i.done and i.section != "orders" and i.id]
    buttons = [ItemDone(i.id).json(t("handoff.button_done", text=i.text[:12])) for _, i in open_items]
    rows += [buttons[k : k + 2] for k in range(0, len(buttons), 2)]
    return text, {"inline_keyboard": rows}


def escalation(note: NoteView, tz: ZoneInfo, minutes: int) -> str:
    return "\n".join([t("handoff.escalation", minutes=minutes), note_header(note, tz), *note_body(note.items)])


def missing(author: str, shift: str, off_at: datetime, tz: ZoneInfo) -> str:
    return t("handoff.missing_report", author=author, shift=shift, off=_when(off_at, tz))
