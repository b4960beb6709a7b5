"""The daily report as CSV: one row per agent and a last row for the team; every text cell made
safe for a spreadsheet (a name like ``=HYPERLINK(…)`` is shown, never run)."""

from __future__ import annotations

import csv
import io

from bot.reports.figures import DailyFigures, Figures, ranked
from bot.spreadsheet import safe_cell

COLUMNS = (
    "drafts_checked", "drafts_flagged", "drafts_blocked", "phrasings_filled", "orders_logged", "orders_tagged",
    "orders_untagged", "untagged_oldest_minutes", "reminders_sent", "handoffs_filed", "handoffs_read",
    "handoffs_late", "handoffs_escalated", "handoffs_missing", "shifts_worked",
)
TEAM_ROW = "TEAM"


def _cells(f: Figures) -> list[object]:
    values: list[object] = [getattr(f, c) if getattr(f, c) is not None else "" for c in COLUMNS]
    values.append(safe_cell(";".join(f"{rule}:{count}" for rule, count in ranked(f.flags))))
    values.append(safe_cell(";".join(f"{kind}:{count}" for kind, count in ranked(f.phrasings))))
    values += [safe_cell(";".join(f"{rule}:{count}" for rule, count in ranked(c))) for c in (f.disputed, f.confirmed)]
    return values


def report_csv(report: DailyFigures) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["day", "team", "agent_id", "name", *COLUMNS, "flags", "phrasings", "disputed", "confirmed"])
    for agent in report.agents:
        writer.writerow([report.day.isoformat(), safe_cell(report.team), safe_cell(agent.agent_id or ""),
                         safe_cell(agent.name), *_cells(agent.figures)])
    writer.writerow([report.day.isoformat(), safe_cell(report.team), TEAM_ROW, "", *_cells(report.team_total)])
    return out.getvalue()
