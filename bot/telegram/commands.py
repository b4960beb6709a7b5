"""A command handled as the table in :mod:`bot.commands` says: the sender's role checked, the
words after the command read into typed values (``context.arguments``), then the handler.

A word that does not fit — or one the domain refuses, when the table names that problem — is
answered with what was wrong and the command's own usage, and nothing else runs.
"""

from __future__ import annotations

import functools
from typing import Any

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.arguments import Given, Team
from bot.commands import BY_NAME, Command
from bot.errors import UserError
from bot.roster.roles import Role
from bot.services import Services
from bot.telegram.access import Callback
from bot.telegram.context import KefuContext
from bot.texts import Text, role_label, t

NEW_MESSAGE = filters.UpdateType.MESSAGE


def command(names: str | list[str], callback: Callback) -> CommandHandler:
    """The handler of ``names`` (each in :data:`bot.commands.BY_NAME`); an edited command is not re-run."""
    for name in [names] if isinstance(names, str) else names:
        if name not in BY_NAME:
            raise ValueError(f"/{name} is not in bot.commands.COMMANDS")

    @functools.wraps(callback)
    async def run(update: Update, context: KefuContext) -> Any:
        message = update.message
        if message is None or not message.text:
            return None
        spec = BY_NAME[message.text.split()[0].lstrip("/").split("@")[0].lower()]
        member = context.member
        if spec.role is not None and (member is None or not member.role.at_least(spec.role)):
            await message.reply_text(t("access.denied", command=spec.name, needed=role_label(spec.role),
                                       role=role_label(member.role if member else Role.AGENT)))
            return None
        context.arguments = spec.usage.read(spec.name, context.args or [], await _given(spec, context))
        try:
            return await callback(update, context)
        except UserError as error:
            if error.key in spec.usage.domain_problems:
                raise spec.usage.wrong(spec.name, Text(error.key, error.values)) from error
            raise

    return CommandHandler(names, run, filters=NEW_MESSAGE)


async def _given(spec: Command, context: KefuContext) -> Given:
    services, member = context.services, context.member
    needs_teams = any(isinstance(p, Team) for form in spec.usage.forms for p in form.params)
    return Given(
        today=services.local_now().date(),
        team=member.team if member else "",
        any_team=member is not None and member.role.at_least(Role.ADMIN),
        teams=await teams(services) if needs_teams else frozenset(),
    )


async def teams(services: Services) -> frozenset[str]:
    """The shop's teams: those of the people on the roster and those with shifts of their own."""
    return frozenset({m.team for m in await services.roster.members()} | set(services.handoffs.shifts.teams))
