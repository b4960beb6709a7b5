"""What the bot records for the reports: event types and building one event.

An event says who, when, what and which rule or phrasing, never what the agent typed: a
draft holds customers' names, phones and addresses. Order events point at the order row
(number, note, remark), which the agent entered to have it logged.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from bot.roster.people import Member
from bot.storage.models import Event


class EventType(StrEnum):
    DRAFT_CHECKED = "draft_checked"  # detail: verdict ok / warn / block
    DRAFT_FLAGGED = "draft_flagged"  # subject: rule id; detail: severity
    PHRASING_SUGGESTED = "phrasing_suggested"  # subject: phrasing id; detail: kind
    PHRASING_FILLED = "phrasing_filled"  # subject: phrasing id; its placeholders filled in
    ORDER_LOGGED = "order_logged"  # detail: where from (draft / command)
    ORDER_TAGGED = "order_tagged"
    ORDER_REMINDED = "order_reminded"  # detail: the reminder's number (1, 2, …)


def event(
    type_: EventType,
    member: Member,
    at: datetime,
    *,
    subject: str | None = None,
    detail: str | None = None,
    order_id: int | None = None,
) -> Event:
    return Event(
        type=type_.value, person_id=member.id, team=member.team, at=at,
        subject=subject, detail=detail, order_id=order_id,
    )
