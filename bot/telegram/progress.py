"""One message that shows how far a long job has got, edited as it goes.

Telegram lets a bot edit a message about once a second per chat before it answers 429, and
refuses an edit that changes nothing: so the text is edited at most every ``interval`` seconds,
only when what it says has changed, one edit at a time. The job may run in a worker thread:
:meth:`Progress.offer_threadsafe` hands its fraction to the event loop.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from telegram import Message
from telegram.error import TelegramError

log = logging.getLogger(__name__)
INTERVAL = 2.0  # seconds between edits


class Progress:
    def __init__(self, message: Message, render: Callable[[float], str], interval: float = INTERVAL,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.message = message
        self.render = render
        self.interval = interval
        self.clock = clock
        self.shown = message.text_html or ""
        self.last = clock()
        self.edits = 0
        self._editing: asyncio.Task[None] | None = None
        self._loop = asyncio.get_running_loop()

    def offer(self, fraction: float) -> None:
        """Show ``fraction`` (0–1) if the last edit is long enough ago and the text would change."""
        text = self.render(min(max(fraction, 0.0), 1.0))
        if text == self.shown or self.clock() - self.last < self.interval or self._busy():
            return
        self.shown, self.last = text, self.clock()
        self._editing = self._loop.create_task(self._edit(text))

    def offer_threadsafe(self, fraction: float) -> None:
        self._loop.call_soon_threadsafe(self.offer, fraction)

    async def finish(self, text: str) -> None:
        """The last word: waits for an edit in flight, then shows ``text`` (unless it is shown)."""
        if self._editing is not None:
            await self._editing
        if text != self.shown:
            self.shown = text
            await self._edit(text)

    def _busy(self) -> bool:
        return self._editing is not None and not self._editing.done()

    async def _edit(self, text: str) -> None:
        try:
            await self.message.edit_text(text)
            self.edits += 1
        except TelegramError as error:  # a progress line lost is no reason to stop the job
            log.warning("progress edit failed: %s", error)
