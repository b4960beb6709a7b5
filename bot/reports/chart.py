"""The daily report as a chart a team lead reads at a glance (matplotlib, PNG).

Left: flags per agent, stacked by rule (the five most frequent, the rest as 其他). Right:
each agent's orders of the day, tagged and still untagged. Chinese needs a CJK font, which
matplotlib does not ship: the first installed one is used (Noto Sans CJK, WenQuanYi …); if
there is none, the chart says so on its face and the log warns, instead of drawing boxes.
"""

from __future__ import annotations

import io
import logging
from functools import cache

import matplotlib

matplotlib.use("Agg")  # no display: render to memory

from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from bot.reports.figures import AgentLine, DailyFigures, ranked  # noqa: E402

log = logging.getLogger(__name__)
CJK_FONTS = (
    "Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei", "SimHei", "Microsoft YaHei", "PingFang SC",
)
NO_CJK_NOTE = "No CJK font installed (e.g. Debian fonts-noto-cjk): Chinese labels cannot be drawn."
TOP_RULES = 5
MAX_AGENTS = 40
# The chart's own words, in Chinese, or in ASCII when no font can draw Chinese.
CJK_WORDS = {"flags": "问题（按规则）", "orders": "订单备注", "tagged": "已备注", "untagged": "未备注",
             "other": "其他", "top": "（前 {shown}/{total}）"}
ASCII_WORDS = {"flags": "flags by rule", "orders": "orders", "tagged": "tagged", "untagged": "untagged",
               "other": "other", "top": "  (top {shown} of {total})"}


CJK_FILES = ("wqy", "notosanscjk", "notoserifcjk", "sourcehansans", "simhei", "msyh")


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


def _label(agent: AgentLine, ascii_only: bool) -> str:
    if ascii_only:
        return agent.agent_id or f"#{agent.person_id}"
    return agent.label


def chart_figure(report: DailyFigures, rule_labels: dict[str, str] | None = None) -> Figure:
    font = cjk_font()
    ascii_only = font is None
    words = ASCII_WORDS if ascii_only else CJK_WORDS
    rule_labels = {} if ascii_only else (rule_labels or {})
    agents = sorted(report.agents, key=lambda a: -(sum(a.figures.flags.values()) + a.figures.orders_logged))
    agents = sorted(agents[:MAX_AGENTS], key=lambda a: (a.agent_id or "~", a.name), reverse=True)
    names = [_label(a, ascii_only) for a in agents]
    rules = [rule for rule, _ in ranked(report.team_total.flags, TOP_RULES)]
    height = max(3.0, 0.32 * len(agents) + 1.6)
    figure = Figure(figsize=(12, height), dpi=100, layout="constrained")
    flags_axes, orders_axes = figure.subplots(1, 2, sharey=True)
    left = [0] * len(agents)
    series = [(rule, [a.figures.flags.get(rule, 0) for a in agents]) for rule in rules]
    others = [sum(a.figures.flags.values()) - sum(a.figures.flags.get(r, 0) for r in rules) for a in agents]
    if any(others):
        series.append((words["other"], others))
    for rule, counts in series:
        flags_axes.barh(names, counts, left=left, label=rule_labels.get(rule, rule))
        left = [a + b for a, b in zip(left, counts)]
    tagged = [a.figures.orders_tagged for a in agents]
    untagged = [a.figures.orders_untagged for a in agents]
    orders_axes.barh(names, tagged, label=words["tagged"], color="#2e7d32")
    orders_axes.barh(names, untagged, left=tagged, label=words["untagged"], color="#c62828")
    flags_axes.set_title(words["flags"])
    orders_axes.set_title(words["orders"])
    for axes in (flags_axes, orders_axes):
        axes.xaxis.get_major_locator().set_params(integer=True)
        if axes.get_legend_handles_labels()[0]:
            axes.legend(loc="lower right", fontsize=8)
    title = f"{report.team} · {report.day.isoformat()}"
    if len(report.agents) > MAX_AGENTS:
        title += words["top"].format(shown=MAX_AGENTS, total=len(report.agents))
    figure.suptitle(title)
    if font is None:
        figure.text(0.01, 0.005, NO_CJK_NOTE, fontsize=8, color="#c62828")
    return figure


def _fonts() -> dict[str, object]:
    font = cjk_font()
    return {"font.family": [font, "DejaVu Sans"] if font else ["DejaVu Sans"], "axes.unicode_minus": False}


def chart_png(report: DailyFigures, rule_labels: dict[str, str] | None = None) -> bytes:
    """The chart as PNG bytes (fonts are chosen when text is drawn, so both steps use them)."""
    buffer = io.BytesIO()
    with matplotlib.rc_context(_fonts()):
        chart_figure(report, rule_labels).savefig(buffer, format="png")
    return buffer.getvalue()
