"""The daily report as CSV: one row per agent and a last row for the team; every text cell made
safe for a spreadsheet (a name like ``=HYPERLINK(…)`` is shown, never run).

The service columns (a conversation audit's figures, ``service_…``) sit on the row of the roster
person the transcript name belongs to; a transcript name on nobody's roster line gets a row of its
own, with only those columns filled.
"""

from __future__ import annotations

import csv
import io

from bot.reports.figures import DailyFigures, Figures, ranked
from bot.reports.service import SERVICE_FIGURES, ServiceLine
from bot.spreadsheet import safe_cell

COLUMNS = (
    "drafts_checked", "drafts_flagged", "drafts_blocked", "phrasings_filled", "orders_logged", "orders_tagged",
    "orders_untagged", "untagged_oldest_minutes", "reminders_sent", "handoffs_filed", "handoffs_read",
    "handoffs_late", "handoffs_escalated", "handoffs_missing", "shifts_worked",
)
TEAM_ROW = "TEAM"
LISTS = ("flags", "phrasings", "disputed", "confirmed")
SERVICE_COLUMNS = ("transcript_agent", *(f"service_{figure}" for figure in SERVICE_FIGURES))


def _cells(f: Figures) -> list[object]:
    values: list[object] = [getattr(f, c) if getattr(f, c) is not None else "" for c in COLUMNS]
    values.append(safe_cell(";".join(f"{rule}:{count}" for rule, count in ranked(f.flags))))
    values.append(safe_cell(";".join(f"{kind}:{count}" for kind, count in ranked(f.phrasings))))
    values += [safe_cell(";".join(f"{rule}:{count}" for rule, count in ranked(c))) for c in (f.disputed, f.confirmed)]
    return values


def _service_cells(line: ServiceLine | None) -> list[object]:
    if line is None:
        return [""] * len(SERVICE_COLUMNS)
    values = [line.value(figure) for figure in SERVICE_FIGURES]
    return [safe_cell(line.agent or ""), *("" if v is None else round(v, 3) for v in values)]


def report_csv(report: DailyFigures) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["day", "team", "agent_id", "name", *COLUMNS, *LISTS, *SERVICE_COLUMNS])
    service = list(report.service.agents) if report.service else []

    def take(person_id: int) -> ServiceLine | None:
        line = next((s for s in service if s.person_id == person_id), None)
        if line is not None:
            service.remove(line)
        return line

    day, team = report.day.isoformat(), safe_cell(report.team)
    for agent in report.agents:
        writer.writerow([day, team, safe_cell(agent.agent_id or ""), safe_cell(agent.name), *_cells(agent.figures),
                         *_service_cells(take(agent.person_id))])
    blank = [""] * (len(COLUMNS) + len(LISTS))
    for line in service:  # on the transcript but with no bot activity that day (or on no roster)
        name = line.person.name if line.person else line.agent or ""
        writer.writerow([day, team, safe_cell(line.agent_id or ""), safe_cell(name), *blank, *_service_cells(line)])
    writer.writerow([day, team, TEAM_ROW, "", *_cells(report.team_total),
                     *_service_cells(report.service.team if report.service else None)])
    return out.getvalue()
