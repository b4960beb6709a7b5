"""The daily report as Telegram HTML lines (the caller packs them into messages)."""

from __future__ import annotations

import html
from collections.abc import Mapping
from datetime import datetime, timedelta

from bot.reports.attention import Attention, attention
from bot.reports.figures import COMPARED, DailyFigures, Figures, ranked
from bot.reports.service import SERVICE_FIGURES, ServiceLine, ServiceSection
from bot.texts import t
from bot.wording import duration_text, span

TOP_RULES = 5


def figures_line(f: Figures) -> str:
    oldest = t("report.oldest", age=span(timedelta(minutes=f.untagged_oldest_minutes))) if f.orders_untagged and \
        f.untagged_oldest_minutes is not None else ""
    return t("report.line", escape=False, checked=f.drafts_checked, flagged=f.drafts_flagged, blocked=f.drafts_blocked,
             logged=f.orders_logged, tagged=f.orders_tagged, untagged=f.orders_untagged, oldest=oldest,
             filed=f.handoffs_filed, read=f.handoffs_read, late=f.handoffs_late, escalated=f.handoffs_escalated,
             missing=f.handoffs_missing, shifts=f.shifts_worked)


def _label(name: str) -> str:
    return t(f"report.figure.{name}")


def report_lines(report: DailyFigures, rule_labels: Mapping[str, str], kind_labels: Mapping[str, str],
                 local_as_of: datetime) -> list[str]:
    total = report.team_total
    lines = [t("report.title", team=report.team, day=report.day.isoformat(), as_of=local_as_of.strftime("%m-%d %H:%M"))]
    lines += [attention_line(line) for line in attention(report)]
    if report.provisional:
        lines.append(t("report.provisional", what="、".join(t(f"report.provisional.{p}") for p in report.provisional)))
    lines.append(t("report.team", escape=False, line=figures_line(total)))
    changes = "，".join(
        f"{_label(n)} {getattr(total, n) - report.comparison.previous_day.get(n, 0):+d}" for n in COMPARED)
    lines.append(t("report.change", changes=changes))
    lines.append(t("report.average", averages="，".join(
        f"{_label(n)} {report.comparison.week_average.get(n, 0):g}" for n in COMPARED)))
    rules = "；".join(f"{rule_labels.get(r, r)} {c}" for r, c in report.top_rules(TOP_RULES)) or t("report.none")
    lines.append(t("report.top_rules", rules=rules))
    if total.disputed or total.confirmed:
        lines.append(t("report.disputes", rules="；".join(
            t("report.dispute_rule", rule=rule_labels.get(r, r), disputed=total.disputed[r], confirmed=total.confirmed[r],
              escape=False) for r, _ in ranked(total.disputed + total.confirmed))))
    kinds = " · ".join(f"{kind_labels.get(k, k)} {c}" for k, c in ranked(total.phrasings)) or t("report.none")
    lines.append(t("report.phrasings", kinds=kinds))
    if report.settled:
        day = report.day.fromordinal(report.day.toordinal() - 1).isoformat()
        lines.append(t("report.settled", day=day, changes="，".join(
            f"{_label(n)} {old}→{new}" for n, (old, new) in report.settled.items())))
    lines.append(t("report.agents", count=len(report.agents)))
    for agent in report.agents:
        top = ranked(agent.figures.flags, 3)
        rules_text = ("（" + "，".join(f"{rule_labels.get(r, r)} {c}" for r, c in top) + "）") if top else ""
        lines.append(t("report.agent", escape=False, name=_escape(agent.label), line=figures_line(agent.figures),
                       rules=_escape(rules_text)))
    if report.service is not None:
        lines += service_lines(report.service)
    return lines


def _duration(seconds: float | None) -> str:
    return t("report.service.none") if seconds is None else duration_text(seconds)


def _share(share: float | None) -> str:
    return t("report.service.none") if share is None else f"{share:.0%}"


def _score(score: float | None) -> str:
    return t("report.service.none") if score is None else t("report.service.score", score=f"{score:.1f}".removesuffix(".0"))


# How each service figure reads, and how its change against the day before reads.
_SHOWN = {
    "conversations": (str, lambda d: f"{d:+d}"),
    "first_response_mean": (_duration, lambda d: f"{d:+.0f} 秒"),
    "first_response_p90": (_duration, lambda d: f"{d:+.0f} 秒"),
    "answered_in_time_share": (_share, lambda d: f"{100 * d:+.0f}%"),
    "unanswered": (str, lambda d: f"{d:+d}"),
    "score_mean": (_score, lambda d: f"{d:+.1f}"),
}


def service_figures_line(line: ServiceLine) -> str:
    parts = []
    for figure in SERVICE_FIGURES:
        shown, change = _SHOWN[figure]
        value = shown(line.value(figure))
        difference = line.change(figure)
        if difference is not None:
            value += f"（{change(difference)}）"
        parts.append(t(f"report.service.figure.{figure}", value=value))
    return " · ".join(parts)


def service_lines(section: ServiceSection) -> list[str]:
    compared = section.team.before is not None
    lines = [t("report.service.title", escape=False,
               compared=t("report.service.compared" if compared else "report.service.not_compared")),
             t("report.service.team", line=service_figures_line(section.team))]
    lines += [t("report.service.agent", name=line.name, line=service_figures_line(line)) for line in section.agents]
    return lines


def attention_line(line: Attention) -> str:
    values = line.values
    if line.kind == "service":
        reason = t("report.attention.reason", reason=values["reason"]) if values["reason"] else ""
        return t("report.attention.service", escape=False, name=_escape(line.name or ""),
                 score=_score(values["score_mean"]), share=_share(values["answered_in_time_share"]),
                 unanswered=values["unanswered"], reason=reason)
    if line.kind == "orders":
        return t("report.attention.orders", name=line.name, age=span(timedelta(minutes=values["minutes"])), untagged=values["untagged"])
    return t("report.attention.handoffs", unread=values["unread"])


def _escape(text: str) -> str:
    return html.escape(text, quote=False)
