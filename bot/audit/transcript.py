"""Reading exported chat transcripts (CSV or plain text) one message at a time.

Supervisors export a whole day of chats from 千牛 / 旺旺 or a help-desk tool: often GBK, often
millions of lines, with whatever column names that tool uses. :func:`open_transcript` looks at
the first 64 KB only (encoding, CSV or text, which column is which) and fails early with a
clear message; iterating the :class:`Transcript` then streams the file row by row, so memory
stays flat whatever the file size and one bad byte or row never stops an audit.

A CSV whose rows name their conversation (a buyer or session column, see
:mod:`bot.audit.columns`) is *keyed*: each message then also carries its side (``agent`` /
``customer``), its conversation and its time as a datetime (:mod:`bot.audit.stamps`), for
the conversation audit. Other files read exactly as the line audit always read them.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple

from bot.audit.columns import Columns, match_columns, side_of
from bot.audit.stamps import StampReader, date_in

SAMPLE_BYTES = 64 * 1024
# A physical line longer than this is cut and the rest skipped without being held in memory.
MAX_PHYSICAL_LINE = 1_000_000
MAX_AGENT_CHARS = 64
MAX_KEY_CHARS = 128

# Why a message is not checked (Message.skip).
SKIP_CUSTOMER = "customer"
SKIP_ROLE = "unknown_role"
SKIP_EMPTY = "empty"
SKIP_MALFORMED = "malformed"


class Message(NamedTuple):
    """One message of the transcript; ``line`` is the 1-based physical line it starts on.

    ``agent`` is the sender column (a customer's name on a customer's line). Only a keyed
    transcript fills ``side`` (``agent`` / ``customer``, None when unknown), ``conversation``
    and ``at`` (None when the time cell gives no date and time).
    """

    line: int
    time: str | None
    agent: str
    text: str
    skip: str | None = None
    side: str | None = None
    conversation: str | None = None
    at: datetime | None = None


class TranscriptError(Exception):
    """The file cannot be audited; the message says which file and what is wrong (中文 / English)."""


# -- encoding -------------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_GB_FAMILY = {"gb18030", "gbk", "gb2312", "cp936", "hz", "euc_cn"}
# On a tie, Chinese encodings win: this tool reads Chinese shops' chats.
_TIE_PREFERENCE = ("gb18030", "big5")


def detect_encoding(sample: bytes) -> str:
    """A BOM, else valid UTF-8, else charset-normalizer's guess (GB family → gb18030)."""
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return name
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    import charset_normalizer  # only needed for non-UTF-8 files

    matches = list(charset_normalizer.from_bytes(sample))
    if not matches:
        return "gb18030"
    least = min(m.chaos for m in matches)
    tied = {_canonical(m.encoding) for m in matches if m.chaos <= least}
    for name in _TIE_PREFERENCE:
        if name in tied:
            return name
    return _canonical(matches[0].encoding)


def _canonical(name: str) -> str:
    name = codecs.lookup(name).name
    return "gb18030" if name in _GB_FAMILY else name


# -- the transcript -------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Transcript:
    """A transcript whose layout is known; iterate it to stream its messages."""

    path: Path
    encoding: str
    format: str  # "csv" | "text"
    columns: Columns | None = None
    header: tuple[str, ...] = ()
    delimiter: str = ","
    header_row: int = 0  # rows above the header (a title) are skipped
    day: date | None = None  # a date in the title line or the file name, for time-only cells

    @property
    def keyed(self) -> bool:
        """Whether its rows name their conversation and sender: it can be audited as conversations."""
        return self.columns is not None and self.columns.keyed

    @property
    def timed(self) -> bool:
        return self.columns is not None and self.columns.time is not None

    def __iter__(self) -> Iterator[Message]:
        with self.path.open("rb") as raw:
            stream = io.TextIOWrapper(raw, encoding=self.encoding, errors="replace", newline="")
            lines = bounded_lines(stream)
            if self.format == "csv":
                assert self.columns is not None
                build = _keyed_row(self.columns, StampReader(self.day)) if self.keyed else _plain_row(self.columns)
                yield from _csv_messages(lines, self.delimiter, build, self.header_row)
            else:
                yield from _text_messages(lines)


def bounded_lines(stream: io.TextIOBase, limit: int = MAX_PHYSICAL_LINE) -> Iterator[str]:
    """Physical lines, each at most ``limit`` characters (the rest of a longer one is skipped)."""
    readline = stream.readline
    first = True
    while True:
        line = readline(limit)
        if not line:
            return
        if first:
            line, first = line.lstrip("\ufeff"), False
        if len(line) >= limit and not line.endswith(("\n", "\r")):
            while True:
                rest = readline(limit)
                if not rest or rest.endswith(("\n", "\r")):
                    break
            line += "\n"
        yield line


RowReader = Callable[[int, list[str]], Message]


def _csv_messages(
    lines: Iterator[str], delimiter: str, build: RowReader, header_row: int = 0
) -> Iterator[Message]:
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        for _ in range(header_row + 1):  # a title, then the header row
            next(reader)
    except (StopIteration, csv.Error):
        return
    previous = reader.line_num
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error:  # e.g. a field over the csv module's limit: count it, go on
            yield Message(previous + 1, None, "-", "", SKIP_MALFORMED)
            previous = reader.line_num
            continue
        line, previous = previous + 1, reader.line_num
        if not row or (len(row) == 1 and not row[0].strip()):
            yield Message(line, None, "-", "", SKIP_EMPTY)
        else:
            yield build(line, row)


def _plain_row(columns: Columns) -> RowReader:
    """A row of a file without conversations: the role column, if any, says whose line it is."""

    def build(line: int, row: list[str]) -> Message:
        if len(row) <= columns.text:
            return Message(line, None, "-", "", SKIP_MALFORMED)
        text = row[columns.text].strip()
        agent = _cell(row, columns.agent)[:MAX_AGENT_CHARS] or "-"
        skip = None if text else SKIP_EMPTY
        if skip is None and columns.role is not None:
            skip = _SKIP_OF_SIDE[side_of(_cell(row, columns.role))]
        return Message(line, _time_cell(row, columns), agent, text, skip)

    return build


def _keyed_row(columns: Columns, stamps: StampReader) -> RowReader:
    """A row of a file with conversations: its side from the role column, else by comparing
    the sender with the buyer (the buyer's own lines name the buyer as sender). Run on every
    row of files of millions: written for speed."""
    text_at, key, buyer_at, role, read_time = columns.text, columns.key, columns.customer, columns.role, stamps.read
    agent_at = -1 if columns.agent is None else columns.agent
    time_at, plain_time = columns.time, columns.time is not None and columns.date is None
    assert key is not None

    def build(line: int, row: list[str]) -> Message:
        width = len(row)
        if width <= text_at:
            return Message(line, None, "-", "", SKIP_MALFORMED)
        text = row[text_at].strip()
        sender = row[agent_at].strip()[:MAX_AGENT_CHARS] if 0 <= agent_at < width else ""
        conversation = (row[key].strip()[:MAX_KEY_CHARS] if key < width else "") or None
        if role is not None:
            side = side_of(row[role].strip() if role < width else "")
        elif sender:
            buyer = _cell(row, buyer_at)[:MAX_AGENT_CHARS] if buyer_at is not None else conversation
            side = "customer" if sender == buyer else "agent"
        else:
            side = None
        time = (row[time_at].strip() if time_at < width else "") if plain_time else _time_cell(row, columns)
        skip = _SKIP_OF_SIDE[side] if text else SKIP_EMPTY
        return _new_message(Message, (line, time or None, sender or "-", text, skip, side, conversation,
                                      read_time(time) if time else None))

    return build


_new_message = tuple.__new__  # Message(...) without its Python-level __new__: a row's fields in order
_SKIP_OF_SIDE = {"agent": None, "customer": SKIP_CUSTOMER, None: SKIP_ROLE}


def _time_cell(row: list[str], columns: Columns) -> str | None:
    time = _cell(row, columns.time)
    if columns.date is not None:
        time = f"{_cell(row, columns.date)} {time}".strip()
    return time or None


def _cell(row: list[str], index: int | None) -> str:
    return row[index].strip() if index is not None and index < len(row) else ""


_BRACKETED = re.compile(
    r"^\[(?P<time>[^\]]{1,40})\]\s*(?P<agent>[^:：\s][^:：]{0,39}?)\s*[:：]\s?(?P<text>.*)$"
)
_STAMPED = re.compile(
    r"^(?P<time>\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?[ T]\d{1,2}:\d{2}(?::\d{2})?)\s+"
    r"(?P<agent>[^:：\s][^:：]{0,39}?)\s*[:：]\s?(?P<text>.*)$"
)


def parse_text_line(line: str) -> tuple[str | None, str, str]:
    """(time, agent, text) of one plain-text line: ``[time] agent: text``, ``agent<TAB>text``
    (``time<TAB>agent<TAB>text``), or the whole line as text with agent ``-``."""
    if line.startswith("["):
        match = _BRACKETED.match(line)
        if match:
            return match["time"].strip(), match["agent"].strip(), match["text"].strip()
    elif line[:1].isdigit():
        match = _STAMPED.match(line)
        if match:
            return match["time"], match["agent"].strip(), match["text"].strip()
    if "\t" in line:
        parts = line.split("\t")
        if len(parts) >= 3 and parts[0][:1].isdigit() and 0 < len(parts[1].strip()) <= 40:
            return parts[0].strip(), parts[1].strip(), "\t".join(parts[2:]).strip()
        if 0 < len(parts[0].strip()) <= 40:
            return None, parts[0].strip(), "\t".join(parts[1:]).strip()
    return None, "-", line.strip()


def _text_messages(lines: Iterator[str]) -> Iterator[Message]:
    for number, raw in enumerate(lines, 1):
        line = raw.rstrip("\r\n")
        if not line.strip():
            yield Message(number, None, "-", "", SKIP_EMPTY)
            continue
        time, agent, text = parse_text_line(line)
        yield Message(number, time, agent[:MAX_AGENT_CHARS] or "-", text, None if text else SKIP_EMPTY)


# -- opening --------------------------------------------------------------------------------

_CSV_SUFFIXES = (".csv", ".tsv")


def open_transcript(path: Path, encoding: str | None = None) -> Transcript:
    """Check that ``path`` can be audited and work out its layout from its first 64 KB."""
    path = Path(path)
    try:
        with path.open("rb") as raw:
            sample = raw.read(SAMPLE_BYTES)
            whole = not raw.read(1)
    except FileNotFoundError:
        raise TranscriptError(f"找不到文件 / file not found: {path}") from None
    except IsADirectoryError:
        raise TranscriptError(f"这是一个目录，不是文件 / is a directory, not a file: {path}") from None
    except OSError as error:
        reason = error.strerror or str(error)
        raise TranscriptError(f"无法读取文件 / cannot read {path}: {reason}") from None
    if encoding:
        try:
            encoding = codecs.lookup(encoding).name
        except LookupError:
            raise TranscriptError(f"不认识的编码 / unknown encoding {encoding!r} (for {path})") from None
    else:
        encoding = detect_encoding(sample)
    head = _head_lines(sample, encoding, whole)
    layout = _csv_layout(head, path)
    if layout is None:
        return Transcript(path, encoding, "text")
    header_row, delimiter, header, columns = layout
    day = date_in(" ".join(head[:header_row])) or date_in(path.name)
    return Transcript(path, encoding, "csv", columns, tuple(header), delimiter, header_row, day)


def _head_lines(sample: bytes, encoding: str, whole: bool, count: int = 20) -> list[str]:
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(sample, final=whole)
    lines = text.lstrip("\ufeff").splitlines()
    if not whole and len(lines) > 1:
        lines.pop()  # probably cut in the middle
    return lines[:count]


# Title lines some exports put above the header ("聊天记录导出 2024-05-01"); .csv/.tsv only.
_MAX_PREAMBLE = 5


def _csv_layout(head: list[str], path: Path) -> tuple[int, str, list[str], Columns] | None:
    """(header row index, delimiter, header, columns) of a CSV with a text column; None for
    plain text.

    Raises :class:`TranscriptError` for a CSV whose text column cannot be found: a ``.csv`` /
    ``.tsv`` file, or a first line naming known columns (time, agent…) but no text column.
    """
    if not head or not head[0].strip():
        return None
    named_file = path.suffix.lower() in _CSV_SUFFIXES
    for start in range(min(_MAX_PREAMBLE + 1, len(head)) if named_file else 1):
        try:
            layout = _header_layout(head[start:], path)
        except TranscriptError:
            continue
        if layout is not None:
            return (start, *layout)
    layout = _header_layout(head, path)  # raises when the first line is a header without text
    return None if layout is None else (0, *layout)


def _header_layout(head: list[str], path: Path) -> tuple[str, list[str], Columns] | None:
    """The layout when ``head[0]`` is the header row (see :func:`_csv_layout`)."""
    if not head[0].strip():
        return None
    candidates: list[str] = []
    try:
        candidates.append(csv.Sniffer().sniff("\n".join(head), delimiters=",\t;|").delimiter)
    except csv.Error:
        pass
    candidates += [d for d in (",", "\t", ";", "|") if d not in candidates]
    named_file = path.suffix.lower() in _CSV_SUFFIXES
    best: tuple[tuple[int, ...], str, list[str], dict[str, int], set[str]] | None = None
    for delimiter in candidates:
        header = next(csv.reader([head[0]], delimiter=delimiter), [])
        if len(header) < 2 and not named_file:
            continue
        found, exact = match_columns(header)
        score = ("text" in found, len(exact), len(found))
        if best is None or score > best[0]:
            best = (score, delimiter, header, found, exact)
    if best is None:
        return None
    _, delimiter, header, found, exact = best
    # A plain-text first line can contain commas and words like 时间: only a header-like line
    # (short cells, a name matched exactly or two names found) makes the file a CSV.
    header_like = named_file or (
        all(len(cell) <= 30 for cell in header) and (bool(exact) or len(found) >= 2)
    )
    if not header_like:
        return None
    if "text" in found:
        return delimiter, header, Columns(**found)
    shown = ", ".join(h.strip() for h in header[:12]) or "(空 / empty)"
    raise TranscriptError(
        f"{path}: 找不到聊天内容列 / no text column found in the CSV header.\n"
        f"  表头 header: {shown}\n"
        "  内容列可叫 the text column may be named: 内容, 消息, 聊天内容, text, message, content, msg"
    )
