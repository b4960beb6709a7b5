"""Every command of the bot in one table: who may use it, what may follow it, its usage.

The menu (``setMyCommands``), the role check and the reading of the arguments all come from
here (``bot/telegram/commands.py``), so a command cannot be missing from one of them. Its
menu line is the text ``menu.<name>``; its usage the text named in :class:`Usage`.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.arguments import Day, Form, Keyword, Number, Team, Usage, Word, Words
from bot.roster.roles import Role


@dataclass(frozen=True)
class Command:
    name: str
    role: Role | None  # the lowest role that may use it; None: anyone (``/start CODE``)
    usage: Usage
    menu: bool = True  # listed in the member's command menu


NOTHING = Usage("args.nothing")  # a command that takes no words
SITUATION = Usage("args.situation", (Form(), Form((Words("words", "情境"),))))
DAY_AND_TEAM = (Form((Day(), Team()), any_order=True),)

# Command → kind of phrasing (knowledge/kinds.yaml): ``/sorry 快递延迟``.
KIND_COMMANDS = {
    "greet": "greeting",
    "sorry": "apology",
    "refuse": "refusal",
    "thanks": "thanks",
    "bye": "farewell",
    "wait": "waiting",
    "explain": "explanation",
    "consent": "consent",
    "congrats": "congratulation",
    "ask": "question",
    "reply": "response",
}

_FIRST = ("greet", "sorry", "refuse")  # menu order: the most used kinds first, the rest later
COMMANDS: tuple[Command, ...] = (
    *(Command(name, Role.AGENT, SITUATION) for name in _FIRST),
    Command("phrase", Role.AGENT, Usage("args.phrase", (Form((Words("words", "情境描述"),)),))),
    Command("order", Role.AGENT, Usage(
        "order.usage", (Form((Word("number", "订单号"), Words("note", "备注内容", optional=True))),),
        frozenset({"order.bad_number", "order.note_too_long", "order.remark_too_long"}))),
    Command("orders", Role.AGENT, NOTHING),
    Command("on", Role.AGENT, Usage("args.on", (Form((Words("shift", "班次", optional=True),)),),
                                    frozenset({"shift.no_such"}))),
    Command("off", Role.AGENT, NOTHING),
    Command("handoff", Role.AGENT, NOTHING),
    Command("shift", Role.AGENT, NOTHING),
    Command("practice", Role.AGENT, Usage("args.practice", (Form((Word("scenario", "场景", optional=True),)),),
                                          frozenset({"practice.unknown"}))),
    Command("propose", Role.AGENT, Usage("args.propose", (Form((Words("text", "话术", optional=True),)),))),
    *(Command(name, Role.AGENT, SITUATION) for name in KIND_COMMANDS if name not in _FIRST),
    Command("help", Role.AGENT, NOTHING),
    Command("cancel", Role.AGENT, NOTHING, menu=False),
    Command("start", None, Usage("args.start", (Form((Word("code", "邀请码", optional=True),)),)), menu=False),
    Command("handoffs", Role.SUPERVISOR, Usage("handoffs.usage", (Form((Day(), Team(every=True)), any_order=True),))),
    Command("report", Role.SUPERVISOR, Usage("report.usage", DAY_AND_TEAM)),
    Command("proposals", Role.SUPERVISOR, NOTHING),
    Command("rule", Role.SUPERVISOR, Usage("args.rule", (Form((Words("form", "禁用语", optional=True),)),))),
    Command("flags", Role.SUPERVISOR, NOTHING),
    Command("missed", Role.SUPERVISOR, Usage("missed.usage", (Form((Words("text", "原句"),)),))),
    Command("knowledge", Role.SUPERVISOR, Usage("knowledge.usage", (
        Form(),
        Form((Keyword(("history", "历史")),)),
        Form((Number("version", "版本号", prefix="v"),)),
        Form((Keyword(("rollback", "回滚")), Number("version", "版本号", prefix="v"),
              Words("reason", "原因"))),
    ), frozenset({"knowledge.no_version"}))),
    Command("usage", Role.SUPERVISOR, Usage("usage.usage", (Form((Number("days", "天数", 1, 365, optional=True),)),))),
    Command("invite", Role.ADMIN, Usage("invite.usage", (Form((Words("who", "角色和名字"),)),), frozenset({
        "role.unknown", "roster.bad_name", "roster.bad_team", "roster.bad_agent_id", "roster.agent_needs_id"}))),
    Command("roster", Role.ADMIN, NOTHING),
    Command("reload", Role.ADMIN, NOTHING),
    Command("outbox", Role.ADMIN, NOTHING),
)
BY_NAME = {command.name: command for command in COMMANDS}
