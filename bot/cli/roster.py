"""``python -m bot roster add|list|remove``: the roster from the command line.

The first admin comes from here (``roster add --role admin``); everyone else can then be
invited from the bot.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.cli.common import database_url_argument


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("roster", help="manage the roster (who is which role on which team)")
    database_url_argument(parser)
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="put someone on the roster")
    add.add_argument("--telegram-id", type=int, required=True, help="their numeric Telegram user id")
    add.add_argument("--name", required=True, help="display name, e.g. 慧兰")
    add.add_argument("--role", required=True, help="agent | supervisor | team_lead | admin")
    add.add_argument("--team", required=True, help="team, e.g. T1")
    add.add_argument("--agent-id", help="工号, required for agents, e.g. A07")
    listing = actions.add_parser("list", help="everyone active on the roster")
    listing.add_argument("--team", help="only this team")
    remove = actions.add_parser("remove", help="take someone off (by agent ID or Telegram id)")
    remove.add_argument("key", help="agent ID (A07) or Telegram user id")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """A refused change (a UserError) is reported by :func:`bot.cli.main`, exit 2."""
    return asyncio.run(_run(args))


async def _run(args: argparse.Namespace) -> int:
    from datetime import timedelta

    from bot.config import get_settings
    from bot.roster.people import NewMember
    from bot.roster.roles import Role
    from bot.roster.service import Roster
    from bot.storage.db import Database
    from bot.storage.migrate import upgrade_async
    from bot.texts import role_label

    settings = get_settings()
    url = args.database_url or settings.database_url
    await upgrade_async(url)
    db = Database(url)
    roster = Roster(db, timedelta(hours=settings.invite_valid_hours))
    try:
        if args.action == "add":
            new = NewMember(name=args.name, role=Role.parse(args.role), team=args.team, agent_id=args.agent_id)
            member = await roster.add(args.telegram_id, new)
            print(f"已加入 / added: {member.label} · {role_label(member.role)} · {member.team} · telegram {member.telegram_id}")
        elif args.action == "remove":
            member = await roster.remove(args.key)
            print(f"已移除 / removed: {member.label} · {role_label(member.role)} · {member.team}")
        else:
            members = await roster.members(team=args.team)
            if args.team and not members:
                teams = ", ".join(sorted({m.team for m in await roster.members()})) or "-"
                print(f"错误 / error: 团队 {args.team} 里没有人；名单上的团队: {teams} / "
                      f"nobody in team {args.team!r}; teams: {teams}", file=sys.stderr)
                return 2
            for m in members:
                print(f"{m.team}\t{m.role.value}\t{m.agent_id or '-'}\t{m.name}\t{m.telegram_id}")
            print(f"{len(members)} 人 / people", file=sys.stderr)
    finally:
        await db.close()
    return 0
