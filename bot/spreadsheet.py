"""Text for CSV files people open in a spreadsheet: a cell Excel or LibreOffice would run as a
formula (it starts with = + - @, a tab or a carriage return) is prefixed with ' so it shows as
text. Every CSV the bot writes (the audit's flagged lines, the daily report) goes through here."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(cell: str) -> str:
    """``cell``, or ``'cell`` when a spreadsheet would take it for a formula (a lone ``-`` is text)."""
    if cell.startswith(FORMULA_STARTS) and cell != "-":
        return "'" + cell
    return cell
