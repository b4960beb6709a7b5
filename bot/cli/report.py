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
    parser.add_argument("--date", type=date.fromisoformat, help="YYYY-MM-DD (default: yesterday, shop time)")
    parser.add_argument("--team", help="one team (default: every team on the roster)")
    parser.add_argument("--format", choices=("text", "json", "csv", "png"), default="text")
    parser.add_argument("--out", type=Path, help="write here (default: standard output; png needs a file)")
    parser.add_argument("--chart", choices=("flags", "orders", "service"), default="flags",
                        help="which chart --format png writes (orders and service only on days that have them)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.format == "png" and (args.out is None or not args.team):
        print("错误 / error: --format png needs --team and --out FILE", file=sys.stderr)
        return 2
    return asyncio.run(_run(args))


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
        day = args.date or services.local_now().date() - timedelta(days=1)
        teams = [args.team] if args.team else await services.reports.teams()
        reports = [await services.reports.figures(team, day, services.now()) for team in teams]
        if args.format == "png":
            pngs = {name: png for name, png, _ in await services.reports.charts(reports[0])}
            if args.chart not in pngs:
                print(f"错误 / error: no {args.chart} chart on {day} (有的 / there are: {', '.join(pngs)})",
                      file=sys.stderr)
                return 2
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
