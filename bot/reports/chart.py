"""The daily report as charts a team lead reads on a phone (matplotlib, PNG).

A phone shows a photo about 390 px wide: one wide chart with two panels shrank to 286×71 px
there, unreadable. So each chart holds one figure, portrait, with large type and horizontal
bars whose agent names sit on the left: the flags per agent by rule (the legend names the
rules in words), the orders tagged and untagged, and — on a day a conversation audit covered —
each agent's share of customer messages answered within the limit. The worst is on top.

Chinese needs a CJK font, which matplotlib does not ship: the first installed one is used (Noto
Sans CJK, WenQuanYi …); if there is none, the chart says so on its face and the log warns,
instead of drawing boxes.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import matplotlib

matplotlib.use("Agg")  # no display: render to memory

from matplotlib import font_manager  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.container import BarContainer  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from bot.reports.figures import AgentLine, DailyFigures, person_label, ranked  # noqa: E402
from bot.reports.service import ServiceSection  # noqa: E402
from bot.texts import shorten  # noqa: E402

log = logging.getLogger(__name__)
CJK_FONTS = (
    "Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei", "SimHei", "Microsoft YaHei", "PingFang SC",
)
CJK_FILES = ("wqy", "notosanscjk", "notoserifcjk", "sourcehansans", "simhei", "msyh")
NO_CJK_NOTE = "No CJK font installed (e.g. Debian fonts-noto-cjk): Chinese labels cannot be drawn."
TOP_RULES = 5
MAX_AGENTS = 25  # bars a phone screen can still tell apart; the rest are left out, and the title says so
NAME_CHARS = 6  # a longer agent name (a transcript nickname) is cut: the bars keep their width
# Laid out for a 390-px screen: 4 in at 200 dpi is 800 px, shown at about half size.
WIDTH_IN, DPI, MIN_HEIGHT_IN, BAR_IN = 4.0, 200, 5.0, 0.42
STYLE = {"font.size": 14, "axes.titlesize": 17, "ytick.labelsize": 14,
         "xtick.labelsize": 12, "legend.fontsize": 13, "axes.spines.top": False, "axes.spines.right": False}
GREEN, RED, BLUE, GREY = "#2e7d32", "#c62828", "#1565c0", "#616161"
# The charts' own words, in Chinese, or in ASCII when no font can draw Chinese.
CJK_WORDS = {
    "flags": "问题（按规则）", "orders": "订单备注", "service": "限时内回复的顾客消息", "tagged": "已备注",
    "untagged": "未备注", "other": "其他", "top": "（{shown}/{total} 人，最需关注的在上）", "no_flags": "当天没有问题 ✓",
    "team": "团队 {share}",
}
ASCII_WORDS = {
    "flags": "flags by rule", "orders": "orders", "service": "answered in time", "tagged": "tagged",
    "untagged": "untagged", "other": "other", "top": " (top {shown} of {total})", "no_flags": "no flags",
    "team": "team {share}",
}


@dataclass(frozen=True, slots=True)
class Chart:
    name: str  # flags | orders | service
    figure: Figure


@cache
def cjk_font() -> str | None:
    """The name of an installed font that has Chinese, or None.

    matplotlib caches the system's font list on first use; a font installed after that is
    found among the system's font files and added.
    """
    for attempt in range(2):
        installed = {f.name for f in font_manager.fontManager.ttflist}
        for name in CJK_FONTS:
            if name in installed:
                return name
        if attempt == 0:
            for path in font_manager.findSystemFonts():
                if any(key in path.lower().replace("-", "").replace("_", "") for key in CJK_FILES):
                    font_manager.fontManager.addfont(path)
    log.warning(NO_CJK_NOTE)
    return None


def _short(name: str, agent_id: str | None = None) -> str:
    """A name cut to fit beside the bars; the 工号 after it is kept whole."""
    return person_label(shorten(name, NAME_CHARS + 1), agent_id)


def _canvas(subtitle: str, title: str, rows: int, total_rows: int, words: dict[str, str]) -> tuple[Figure, Axes]:
    """A portrait figure with one axes: taller with more bars, never shorter than a phone screen's half."""
    figure = Figure(figsize=(WIDTH_IN, max(MIN_HEIGHT_IN, BAR_IN * rows + 2.6)), dpi=DPI, layout="constrained")
    axes = figure.add_subplot()
    axes.set_title(title, loc="left")
    if total_rows > rows:
        subtitle += words["top"].format(shown=rows, total=total_rows)
    figure.suptitle(subtitle, x=0.02, ha="left", fontsize=13, color=GREY)
    if cjk_font() is None:
        figure.text(0.01, 0.005, NO_CJK_NOTE, fontsize=6, color=RED)
    return figure, axes


def _subtitle(report: DailyFigures) -> str:
    return f"{report.team} · {report.day.isoformat()}"


def _totals(axes: Axes, last: BarContainer, totals: list[int]) -> None:
    """Each bar's total at its end, in whole numbers: a lead reads the count, not the axis."""
    axes.bar_label(last, labels=[str(n) for n in totals], padding=3, fontsize=13)
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.set_xlim(0, max(totals, default=0) * 1.15 + 0.5)


def _legend(figure: Figure, axes: Axes) -> None:
    handles, labels = axes.get_legend_handles_labels()
    if handles:
        figure.legend(handles, labels, loc="outside lower center", ncols=1 if len(labels) > 2 else 2, frameon=False)


def _flags(report: DailyFigures, rule_labels: dict[str, str], words: dict[str, str], label: Callable[[AgentLine], str]) -> Figure:
    agents = sorted(report.agents, key=lambda a: (sum(a.figures.flags.values()), a.label))  # most flags on top
    shown = [a for a in agents if sum(a.figures.flags.values())][-MAX_AGENTS:]
    figure, axes = _canvas(_subtitle(report), words["flags"], len(shown), sum(1 for a in agents if a.figures.flags),
                           words)
    if not shown:
        axes.set_axis_off()
        axes.text(0.5, 0.5, words["no_flags"], ha="center", va="center", fontsize=16, color=GREEN,
                  transform=axes.transAxes)
        return figure
    names = [label(a) for a in shown]
    rules = [rule for rule, _ in ranked(report.team_total.flags) if rule in rule_labels][:TOP_RULES]
    left = [0] * len(shown)
    series = [(rule_labels[rule], [a.figures.flags.get(rule, 0) for a in shown]) for rule in rules]
    others = [sum(a.figures.flags.values()) - sum(a.figures.flags.get(r, 0) for r in rules) for a in shown]
    if any(others):  # the rarer rules, and any the knowledge no longer names: never an id on the chart
        series.append((words["other"], others))
    for name, counts in series:
        bars = axes.barh(names, counts, left=left, label=name)
        left = [a + b for a, b in zip(left, counts)]
    _totals(axes, bars, left)
    _legend(figure, axes)
    return figure


def _orders(report: DailyFigures, words: dict[str, str], label: Callable[[AgentLine], str]) -> Figure | None:
    agents = sorted((a for a in report.agents if a.figures.orders_logged),
                    key=lambda a: (a.figures.orders_untagged, a.figures.orders_logged, a.label))
    if not agents:
        return None
    shown = agents[-MAX_AGENTS:]
    figure, axes = _canvas(_subtitle(report), words["orders"], len(shown), len(agents), words)
    names = [label(a) for a in shown]
    tagged = [a.figures.orders_tagged for a in shown]
    axes.barh(names, tagged, label=words["tagged"], color=GREEN)
    bars = axes.barh(names, [a.figures.orders_untagged for a in shown], left=tagged, label=words["untagged"], color=RED)
    _totals(axes, bars, [a.figures.orders_logged for a in shown])
    _legend(figure, axes)
    return figure


def _service(subtitle: str, section: ServiceSection | None, words: dict[str, str], ascii_only: bool) -> Figure | None:
    if section is None:
        return None
    lines = [line for line in section.agents if line.today.answered_in_time_share is not None]
    lines.sort(key=lambda line: (-(line.today.answered_in_time_share or 0), line.name))  # the worst on top
    shown = lines[-MAX_AGENTS:]
    figure, axes = _canvas(subtitle, words["service"], max(len(shown), 1), len(lines), words)
    names = [(line.agent_id or f"#{n + 1}") if ascii_only else
             _short(line.person.name, line.agent_id) if line.person else _short(line.agent or "")
             for n, line in enumerate(shown)]
    shares = [100 * (line.today.answered_in_time_share or 0) for line in shown]
    bars = axes.barh(names, shares, color=BLUE)
    axes.bar_label(bars, labels=[f"{s:.0f}%" for s in shares], padding=3, fontsize=13)
    team_share = section.team.today.answered_in_time_share
    if team_share is not None:
        axes.axvline(100 * team_share, color=RED, linestyle="--", linewidth=1.5,
                     label=words["team"].format(share=f"{team_share:.0%}"))
    axes.set_xlim(0, 118)  # room for the 100% label
    axes.set_xticks([0, 50, 100], ["0", "50%", "100%"])
    _legend(figure, axes)
    return figure


def _words() -> tuple[dict[str, str], bool]:
    ascii_only = cjk_font() is None
    return (ASCII_WORDS if ascii_only else CJK_WORDS), ascii_only


def chart_figures(report: DailyFigures, rule_labels: dict[str, str] | None = None) -> list[Chart]:
    """The report's charts, one figure each: the flags always, the orders and the service when there are any."""
    words, ascii_only = _words()
    rule_labels = {} if ascii_only else (rule_labels or {})

    def label(agent: AgentLine) -> str:
        return (agent.agent_id or f"#{agent.person_id}") if ascii_only else _short(agent.name, agent.agent_id)

    figures = {"flags": _flags(report, rule_labels, words, label), "orders": _orders(report, words, label),
               "service": _service(_subtitle(report), report.service, words, ascii_only)}
    return [Chart(name, figure) for name, figure in figures.items() if figure is not None]


def _fonts() -> dict[str, object]:
    font = cjk_font()
    return {"font.family": [font, "DejaVu Sans"] if font else ["DejaVu Sans"], "axes.unicode_minus": False, **STYLE}


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def chart_pngs(report: DailyFigures, rule_labels: dict[str, str] | None = None) -> list[tuple[str, bytes]]:
    """(name, PNG bytes) of each chart (fonts are chosen when text is drawn, so both steps use them)."""
    with matplotlib.rc_context(_fonts()):
        return [(chart.name, _png(chart.figure)) for chart in chart_figures(report, rule_labels)]


def service_chart_png(team: str, days: str, section: ServiceSection | None) -> bytes | None:
    """The service chart of a conversation audit on its own (the bot's answer to an uploaded export)."""
    words, ascii_only = _words()
    with matplotlib.rc_context(_fonts()):
        figure = _service(f"{team} · {days}", section, words, ascii_only)
        return _png(figure) if figure is not None else None
