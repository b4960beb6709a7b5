"""Finding the shop's order numbers in what an agent types.

Taobao order numbers are long digit strings (16–20 digits by default, configurable). An
11-digit mobile number never matches; an ID-card or bank-card number the checker flagged as
personal data is not an order, whatever its length.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.errors import UserError

Span = tuple[int, int]


class OrderNumbers:
    def __init__(self, pattern: str) -> None:
        self.pattern = re.compile(pattern)

    def find(self, text: str, excluded: Iterable[Span] = ()) -> list[str]:
        """Distinct order numbers in ``text``, in order, skipping spans flagged as personal data."""
        spans = list(excluded)
        found: dict[str, None] = {}
        for match in self.pattern.finditer(text):
            start, end = match.span()
            if any(start < e and s < end for s, e in spans):
                continue
            found[match.group(0)] = None
        return list(found)

    def parse(self, text: str) -> str:
        """One order number typed on its own (``/order``); spaces and dashes are dropped."""
        number = re.sub(r"[\s\-]", "", text)
        if not self.pattern.fullmatch(number):
            raise UserError("order.bad_number", given=text[:40])
        return number
