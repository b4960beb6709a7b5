"""``python -m bot report --date D [--team T] [--format text|json|csv|png --out FILE] [--chart NAME]``."""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
from datetime import date
from pathlib import Path

_HTML = re.compile(r"</?(?:b|code|i)>")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("report", help="a team's daily report for any date")
    parser.add_argument("--date", type=day_argument, help="YYYY-MM-DD (default: yesterday, shop time)")
    parser.add_argument("--team", help="one team (default: every team on the roster; png: the only team)")
    parser.add_argument("--format", choices=("text", "json", "csv", "png"), default="text")
    parser.add_argument("--out", type=Path, help="write here (default: standard output; png needs a file)")
    parser.add_argument("--chart", choices=("flags", "orders", "service"), default="flags",
                        help="which chart --format png writes (orders and service only on days that have them)")
    parser.set_defaults(func=run, usage=parser.format_usage)


def day_argument(text: str) -> date:
    """``--date``: a calendar day written YYYY-MM-DD, refused in both languages otherwise."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"不是日期，应为 YYYY-MM-DD，如 2026-11-23 / not a date: {text!r}") from None


def run(args: argparse.Namespace) -> int:
    if args.format == "png" and args.out is None:
        return _refuse(args, "--format png 需要 --out 文件 / --format png needs --out FILE")
    return asyncio.run(_run(args))


def _refuse(args: argparse.Namespace, why: str) -> int:
    """Bad input: the usage and what was wrong, exit 2 (as argparse does for its own errors)."""
    sys.stderr.write(args.usage())
    print(f"错误 / error: {why}", file=sys.stderr)
    return 2


async def _run(args: argparse.Namespace) -> int:
    import html
    from datetime import timedelta

    from bot.config import get_settings
    from bot.reports.tabular import report_csv
    from bot.services import Services
    from bot.storage.migrate import upgrade_async

    settings = get_settings()
    await upgrade_async(settings.database_url)
    services = Services.create(settings)
    try:
        today = services.local_now().date()
        day = args.date or today - timedelta(days=1)
        if day > today:
            return _refuse(args, f"{day} 还没到（今天是 {today}）/ {day} is in the future (today is {today})")
        known = await services.reports.teams()
        teams = [args.team] if args.team else known
        if not known or not set(teams) <= set(known) or (args.format == "png" and len(teams) > 1):
            return _refuse(args, _team_problem(args.team, known))
        reports = [await services.reports.figures(team, day, services.now()) for team in teams]
        if args.format == "png":  # one team's chart
            pngs = {name: png for name, png, _ in await services.reports.charts(reports[0])}
            if args.chart not in pngs:
                return _refuse(args, f"{day} 没有 {args.chart} 图表，有的: {', '.join(pngs)} / "
                                     f"no {args.chart} chart on {day}; there are: {', '.join(pngs)}")
            args.out.write_bytes(pngs[args.chart])
            print(f"chart written: {args.out}", file=sys.stderr)
            return 0
        if args.format == "json":
            output = json.dumps([r.to_json() for r in reports] if not args.team else reports[0].to_json(),
                                ensure_ascii=False, indent=2) + "\n"
        elif args.format == "csv":
            output = "".join(report_csv(r) if n == 0 else report_csv(r).split("\n", 1)[1]
                             for n, r in enumerate(reports))
        else:
            output = "\n\n".join(html.unescape(_HTML.sub("", "\n".join(services.reports.lines(r)))) for r in reports)
            output += "\n"
    finally:
        await services.close()
    if args.out is None or str(args.out) == "-":
        sys.stdout.write(output)
    else:
        args.out.write_text(output, encoding="utf-8")
        print(f"written: {args.out}", file=sys.stderr)
    return 0


def _team_problem(asked: str | None, known: list[str]) -> str:
    """Why the team(s) cannot be reported, naming those that can."""
    if not known:
        return "名单上还没有团队，先用 roster add 加人 / no team on the roster yet (add people with `roster add`)"
    names = ", ".join(known)
    if asked:
        return f"没有团队 {asked}，名单上的团队: {names} / unknown team {asked!r}; teams: {names}"
    return f"图表一次只画一个团队，请用 --team 指定: {names} / a chart shows one team: give --team ({names})"
