"""When to remind an agent of an untagged order: after a delay, then again, a few times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class ReminderPolicy:
    delay: timedelta
    repeat: timedelta
    max_reminders: int

    def first(self, logged_at: datetime) -> datetime:
        return logged_at + self.delay

    def after(self, sent_at: datetime, reminders_sent: int) -> datetime | None:
        """The next reminder once ``reminders_sent`` have gone out, or None when done."""
        if reminders_sent >= self.max_reminders:
            return None
        return sent_at + self.repeat
