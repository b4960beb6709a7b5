"""Handoff messages as Bot API data (HTML text and inline-keyboard JSON), for the outbox.

The outbox stores what is to be sent, so these are built when the notification is queued;
buttons are plain Bot API dicts so that this module needs nothing from Telegram's library.
Nothing here exceeds Telegram's limits: a whole note is split on whole lines into several
messages (the buttons under the last), and a message that must stay one (a step of the
walk-through, edited in place) shows what fits and says what it left out.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.buttons import ItemDone, NoteStatus, ReadNote
from bot.handoffs.note import SECTIONS, Item, NoteView
from bot.texts import MESSAGE_LIMIT, split_message, t

SHORT_ITEM_CHARS = 60  # an item in the confirmation when the whole note does not fit one message
MAX_DONE_BUTTONS = 60  # "done" buttons under a note (Telegram allows 100 buttons in all)


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
    body = note_body([Item(i.id, i.section, _shorten(i.text), i.done, i.carried) for i in items])
    for kept in range(len(body), -1, -1):
        lines = [*head, *body[:kept]] + ([t("handoff.more_lines", count=len(body) - kept)] if kept < len(body) else [])
        if _fits(lines, limit):
            return "\n".join(lines)
    return "\n".join(head)[:limit]


def _shorten(text: str) -> str:
    return text if len(text) <= SHORT_ITEM_CHARS else text[: SHORT_ITEM_CHARS - 1] + "…"


def _when(at: datetime, tz: ZoneInfo) -> str:
    return at.astimezone(tz).strftime("%m-%d %H:%M")


def note_header(note: NoteView, tz: ZoneInfo) -> str:
    return t("handoff.header", id=note.id, author=note.author, shift=note.shift_name or "—",
             filed=_when(note.filed_at, tz), next=note.next_shift_name, next_start=_when(note.next_shift_start, tz))


def summary(note: NoteView, tz: ZoneInfo) -> tuple[list[str], dict[str, Any]]:
    """For the supervisors: the whole note (one message or several), and a button to see who
    has read it (under the last)."""
    parts = split_message([t("handoff.summary_title"), note_header(note, tz), *note_body(note.items)])
    return parts, {"inline_keyboard": [[NoteStatus(note.id).json(t("handoff.button_status"))]]}


def for_next_shift(note: NoteView, tz: ZoneInfo) -> tuple[list[str], dict[str, Any]]:
    """For the agents of the next shift: the note, "read ✅", and "done" per open item."""
    parts = split_message([t("handoff.next_title"), note_header(note, tz), *note_body(note.items)])
    rows: list[list[dict[str, str]]] = [[ReadNote(note.id).json(t("handoff.button_read"))]]
    open_items = [i for i in note.items if not i.done and i.section != "orders" and i.id][:MAX_DONE_BUTTONS]
    buttons = [ItemDone(i.id).json(t("handoff.button_done", text=i.text[:12])) for i in open_items]
    rows += [buttons[k : k + 2] for k in range(0, len(buttons), 2)]
    return parts, {"inline_keyboard": rows}


def escalation(note: NoteView, tz: ZoneInfo, minutes: int) -> list[str]:
    return split_message([t("handoff.escalation", minutes=minutes), note_header(note, tz), *note_body(note.items)])


def missing(author: str, shift: str, off_at: datetime, tz: ZoneInfo) -> str:
    return t("handoff.missing_report", author=author, shift=shift, off=_when(off_at, tz))
