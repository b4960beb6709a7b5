"""Normalisation of what real typing does to a draft, with a way back to the original.

Agents type traditional characters, full-width letters, and (to dodge a check, or by habit)
spaces, symbols and emoji between characters. Rules are written once, in plain simplified
Chinese; the draft is brought to that form before matching:

* traditional → simplified (OpenCC, phrase aware when the draft has traditional characters),
* full-width → half-width and upper → lower case (NFKC, one character for one),
* spaces, symbols and emoji inside a sentence are dropped (``这*不*是`` → ``这不是``),
* sentence punctuation becomes ``|`` so that ``不，可能`` never reads ``不可能``.

The hot path is two C-level passes (``str.translate`` and ``str.replace``); the index map back
to the original is only built when something matched.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

SEPARATOR = "|"
_DROP = "\x00"

# Sentence punctuation that ends a clause: matches never cross it.
SENTENCE_PUNCTUATION = "，。！？；：、,!?;:\n\r\t…|｜"
# Symbols kept because detectors need them (e-mail addresses, percentages).
_KEPT_SYMBOLS = "@%+"


def _is_noise(ch: str) -> bool:
    """Characters that carry no meaning inside a word: spaces, symbols, emoji, marks."""
    category = unicodedata.category(ch)
    return category[0] in "PSZ" or category in ("Cf", "Mn", "Me", "Cc", "Co")


def _char_t2s_map() -> dict[str, str]:
    """Traditional → simplified for single characters, from OpenCC's own tables."""
    import opencc

    converter = opencc.OpenCC("t2s")
    chars = "".join(chr(c) for c in range(0x3400, 0xA000)) + "".join(
        chr(c) for c in range(0xF900, 0xFB00)
    )
    converted = converter.convert(chars)
    if len(converted) != len(chars):  # pragma: no cover - OpenCC t2s is one-for-one
        return {}
    return {a: b for a, b in zip(chars, converted) if a != b}


Tables = tuple[dict[int, str], re.Pattern[str]]
_built: Tables | None = None


def tables() -> Tables:
    """The translate table and a pattern that finds traditional characters (built once: ~80 ms)."""
    global _built
    if _built is None:
        _built = _build_tables()
    return _built


def use_tables(built: Tables) -> None:
    """Take tables an earlier process built (an unpickled checker carries them): no rebuild."""
    global _built
    if _built is None:
        _built = built


def _build_tables() -> Tables:
    t2s = _char_t2s_map()
    table: dict[int, str] = {}
    ranges = [range(0x20, 0x3400), range(0xA000, 0x10000), range(0x1F000, 0x1FB00)]
    for code in (c for r in ranges for c in r):
        ch = chr(code)
        if ch in SENTENCE_PUNCTUATION:
            table[code] = SEPARATOR
            continue
        folded = unicodedata.normalize("NFKC", ch).lower()
        if len(folded) == 1 and folded.isalnum():
            if folded != ch:
                table[code] = folded
        elif ch in _KEPT_SYMBOLS:
            continue
        elif len(folded) == 1 and folded in SENTENCE_PUNCTUATION:
            table[code] = SEPARATOR  # full-width sentence punctuation
        elif _is_noise(ch) or (len(folded) == 1 and _is_noise(folded)):
            table[code] = _DROP
    for code in (0x09, 0x0A, 0x0D):
        table[code] = SEPARATOR
    for code in range(0x00, 0x20):
        table.setdefault(code, _DROP)
    for trad, simp in t2s.items():
        table[ord(trad)] = simp
    trad_class = "".join(re.escape(ch) for ch in sorted(t2s))
    return table, re.compile(f"[{trad_class}]")


@cache
def _phrase_converter():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("t2s")


def _to_simplified(text: str) -> str:
    """Phrase-aware traditional → simplified; the per-character table takes over if OpenCC
    would change the length (spans must stay one-for-one)."""
    converted = _phrase_converter().convert(text)
    return converted if len(converted) == len(text) else text


def simplified(text: str) -> str:
    """Phrase-aware traditional → simplified for texts people read (a reason quoting 嚴禁事項)."""
    return _phrase_converter().convert(text)


class Normalised:
    """A draft in matching form, and how to find its characters in the original.

    A plain slotted class, not a dataclass: it is built once per draft on the hot path.
    """

    __slots__ = ("original", "text", "_marked", "_positions")

    def __init__(self, original: str, text: str, marked: str) -> None:
        self.original, self.text, self._marked = original, text, marked
        self._positions: list[int] | None = None

    def _kept(self) -> list[int]:
        if self._positions is None:
            self._positions = [i for i, ch in enumerate(self._marked) if ch != _DROP]
        return self._positions

    def span_in_original(self, start: int, end: int) -> tuple[int, int]:
        """Map ``text[start:end]`` back to ``original[a:b]`` (``end`` exclusive)."""
        if len(self.text) == len(self.original):
            return start, end
        positions = self._kept()
        return positions[start], positions[end - 1] + 1


def normalise(text: str) -> Normalised:
    """Bring ``text`` to matching form (see the module docstring)."""
    table, trad = tables()
    source = _to_simplified(text) if trad.search(text) else text
    marked = source.translate(table)
    compact = marked.replace(_DROP, "") if _DROP in marked else marked
    return Normalised(text, compact, marked)


def normalise_pattern(text: str) -> str:
    """The form a knowledge phrase is matched in (same rules as drafts)."""
    return normalise(text).text


def warm_up() -> Tables:
    """Build the tables now rather than on the first draft (used at start-up)."""
    return tables()

