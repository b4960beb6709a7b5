"""A fixture day whose figures are known by hand, with events on both sides of midnight.

Day D is 2026-11-23 in Asia/Shanghai: [2026-11-22 16:00 UTC, 2026-11-23 16:00 UTC).
The report is built as of D+1 09:00 local. See tests/test_reports.py for the figures.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.storage.db import Database
from bot.storage.models import HandoffNote, HandoffRead, Order, Person

SH = ZoneInfo("Asia/Shanghai")
DAY = date(2026, 11, 23)
AS_OF = datetime(2026, 11, 24, 9, 0, tzinfo=SH)


def local(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, second, tzinfo=SH)


def _row(person: Person, at: datetime, type_: str, subject: str | None = None, detail: str | None = None) -> dict:
    return {"type": type_, "person_id": person.id, "team": person.team, "at": at, "subject": subject,
            "detail": detail, "order_id": None}


async def build_fixture(db: Database) -> dict[str, Person]:
    async with db.transaction() as repos:
        people = {
            "A07": Person(telegram_id=1, agent_id="A07", name="慧兰", role="agent", team="T1"),
            "A08": Person(telegram_id=2, agent_id="A08", name="小雨", role="agent", team="T1"),
            "A09": Person(telegram_id=3, agent_id="A09", name="别组", role="agent", team="T2"),
            "L1": Person(telegram_id=4, name="李组长", role="team_lead", team="T1"),
        }
        repos.session.add_all(people.values())
        await repos.session.flush()
        a07, a08, a09 = people["A07"], people["A08"], people["A09"]
        rows = [_row(a07, local(23, 9), "draft_checked", detail="ok") for _ in range(3)]
        rows += [_row(a07, local(23, 0, 0, 0), "draft_checked", detail="ok")]  # the first instant of D
        rows += [_row(a07, local(23, 23, 59, 30), "draft_checked", detail="block") for _ in range(2)]
        rows += [_row(a07, local(23, 23, 59, 30), "draft_flagged", "taboo.wei", "block"),
                 _row(a07, local(23, 23, 59, 30), "draft_flagged", "shirk.not_our_problem", "block")]
        rows += [_row(a07, local(23, 23, 59, 40), "flag_disputed", "shirk.not_our_problem", "block"),
                 _row(a07, local(23, 23, 59, 50), "flag_confirmed", "shirk.not_our_problem"),
                 _row(a08, local(23, 18, 1), "flag_disputed", "negative.cannot", "warn"),
                 _row(a07, local(24, 0, 0, 20), "flag_disputed", "taboo.wei", "warn")]  # D+1: not counted
        rows += [_row(a07, local(24, 0, 0, 10), "draft_checked", detail="warn"),  # D+1: not counted
                 _row(a07, local(24, 0, 0, 10), "draft_flagged", "taboo.wei", "warn")]
        rows += [_row(a07, local(23, 10), "phrasing_suggested", "greeting.morning.01", "greeting") for _ in range(3)]
        rows += [_row(a07, local(23, 11), "phrasing_suggested", "apology.late_delivery.01", "apology") for _ in range(2)]
        rows += [_row(a07, local(23, 8, 30), "shift_on", "白班"), _row(a07, local(23, 17, 31), "handoff_missing", "白班")]
        rows += [_row(a08, local(23, 18), "draft_checked", detail="warn"),
                 _row(a08, local(23, 18), "draft_flagged", "negative.cannot", "warn"),
                 _row(a08, local(23, 18), "phrasing_suggested", "refusal.bargain.01", "refusal"),
                 _row(a08, local(23, 16, 55), "shift_on", "晚班")]
        rows += [_row(a09, local(23, 12), "draft_checked", detail="ok") for _ in range(5)]  # another team
        rows += [_row(a07, local(22, 12), "draft_checked", detail="ok") for _ in range(4)]  # the day before
        rows += [_row(a07, local(16 + n, 12), "draft_checked", detail="ok") for n in range(6)]  # the week before
        await repos.events.add_all(rows)
        repos.session.add_all([
            Order(person_id=a07.id, chat_id=1, number="1000000000000000001", remark="x", flag_colour=1,
                  logged_at=local(23, 10), tagged_at=local(23, 10, 5)),
            Order(person_id=a07.id, chat_id=1, number="1000000000000000002", remark="x", flag_colour=1,
                  logged_at=local(23, 15), tagged_at=local(24, 8, 0)),  # tagged the next morning
            Order(person_id=a07.id, chat_id=1, number="1000000000000000003", remark="x", flag_colour=1,
                  logged_at=local(23, 20)),  # still untagged: 13 hours at 09:00
            Order(person_id=a08.id, chat_id=2, number="1000000000000000004", remark="x", flag_colour=1,
                  logged_at=local(23, 23, 59), tagged_at=local(24, 0, 30)),
            Order(person_id=a07.id, chat_id=1, number="1000000000000000005", remark="x", flag_colour=1,
                  logged_at=local(22, 12), tagged_at=local(22, 13)),  # the day before
            Order(person_id=a08.id, chat_id=2, number="1000000000000000006", remark="x", flag_colour=1,
                  logged_at=local(24, 0, 0, 1)),  # D+1
        ])
        on_time = HandoffNote(person_id=a07.id, team="T1", shift_name="白班", shift_start=local(23, 8, 30),
                              next_shift_name="晚班", next_shift_start=local(23, 17), filed_at=local(23, 16, 50))
        late = HandoffNote(person_id=a08.id, team="T1", shift_name="晚班", shift_start=local(22, 17),
                           next_shift_name="白班", next_shift_start=local(23, 8, 30), filed_at=local(23, 0, 30),
                           escalated_at=local(23, 9, 0))
        next_day = HandoffNote(person_id=a08.id, team="T1", shift_name="晚班", shift_start=local(23, 17),
                               next_shift_name="白班", next_shift_start=local(24, 8, 30), filed_at=local(24, 0, 50))
        repos.session.add_all([on_time, late, next_day])
        await repos.session.flush()
        repos.session.add_all([
            HandoffRead(note_id=on_time.id, person_id=a08.id, read_at=local(23, 17, 10)),
            HandoffRead(note_id=late.id, person_id=a07.id, read_at=local(23, 9, 10)),
            HandoffRead(note_id=late.id, person_id=a08.id, read_at=local(23, 0, 31)),  # the author: not a reader
        ])
    return people


def shifted(at: datetime, days: int) -> datetime:
    return at + timedelta(days=days)
