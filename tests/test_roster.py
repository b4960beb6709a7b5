"""The roster: roles, invite parsing and the roster service on a real SQLite file."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.errors import UserError
from bot.roster.invites import CODE_ALPHABET, CODE_LENGTH, new_code, parse_invite
from bot.roster.people import NewMember
from bot.roster.roles import Role
from bot.roster.service import Roster
from bot.storage.db import Database
from bot.storage.migrate import upgrade_async

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(("text", "role"), [
    ("agent", Role.AGENT), ("客服", Role.AGENT), ("Supervisor", Role.SUPERVISOR), ("主管", Role.SUPERVISOR),
    ("team-lead", Role.TEAM_LEAD), ("lead", Role.TEAM_LEAD), ("组长", Role.TEAM_LEAD), ("admin", Role.ADMIN),
    ("管理员", Role.ADMIN),
])
def test_roles_parse_in_english_and_chinese(text: str, role: Role) -> None:
    assert Role.parse(text) is role


def test_role_ranks() -> None:
    assert Role.ADMIN.at_least(Role.AGENT) and Role.TEAM_LEAD.at_least(Role.SUPERVISOR)
    assert not Role.AGENT.at_least(Role.SUPERVISOR)
    with pytest.raises(UserError) as error:
        Role.parse("boss")
    assert error.value.key == "role.unknown"


@pytest.mark.parametrize(("args", "expected"), [
    (["agent", "A07", "慧兰"], NewMember("慧兰", Role.AGENT, "T1", "A07")),
    (["agent", "A07", "慧兰", "T2"], NewMember("慧兰", Role.AGENT, "T2", "A07")),
    (["supervisor", "王主管"], NewMember("王主管", Role.SUPERVISOR, "T1")),
    (["组长", "李组长", "T3"], NewMember("李组长", Role.TEAM_LEAD, "T3")),
])
def test_invite_arguments(args: list[str], expected: NewMember) -> None:
    assert parse_invite(args, default_team="T1") == expected


@pytest.mark.parametrize(("args", "key"), [
    ([], "invite.usage"),
    (["agent"], "invite.usage"),
    (["agent", "A07"], "invite.usage"),
    (["supervisor", "a", "b", "c"], "invite.usage"),
    (["chef", "x"], "role.unknown"),
    (["agent", "A 07", "x"], "roster.bad_agent_id"),
])
def test_bad_invite_arguments_are_refused(args: list[str], key: str) -> None:
    with pytest.raises(UserError) as error:
        parse_invite(args, default_team="T1")
    assert error.value.key == key


@pytest.mark.parametrize(("kwargs", "key"), [
    ({"name": " ", "role": Role.SUPERVISOR, "team": "T1"}, "roster.bad_name"),
    ({"name": "x", "role": Role.SUPERVISOR, "team": "T 1"}, "roster.bad_team"),
    ({"name": "x", "role": Role.AGENT, "team": "T1"}, "roster.agent_needs_id"),
    ({"name": "x", "role": Role.AGENT, "team": "T1", "agent_id": "A" * 33}, "roster.bad_agent_id"),
])
def test_new_members_are_validated(kwargs: dict[str, object], key: str) -> None:
    with pytest.raises(UserError) as error:
        NewMember(**kwargs)  # type: ignore[arg-type]
    assert error.value.key == key


def test_codes_are_short_and_unambiguous() -> None:
    codes = {new_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(c) == CODE_LENGTH and set(c) <= set(CODE_ALPHABET) for c in codes)
    assert not set("01IO") & set(CODE_ALPHABET)


@pytest.fixture
async def roster(sqlite_url: str) -> AsyncIterator[Roster]:
    await upgrade_async(sqlite_url)
    db = Database(sqlite_url)
    yield Roster(db, invite_valid=timedelta(hours=1), cache_for=timedelta(seconds=60))
    await db.close()


async def test_add_remove_and_add_again(roster: Roster) -> None:
    admin = await roster.add(1, NewMember("老板", Role.ADMIN, "T1"))
    agent = await roster.add(2, NewMember("慧兰", Role.AGENT, "T1", "A07"))
    assert await roster.member(2) == agent
    with pytest.raises(UserError, match="已在名单上"):
        await roster.add(2, NewMember("慧兰", Role.AGENT, "T1", "A07"))
    with pytest.raises(UserError) as taken:
        await roster.add(3, NewMember("小雨", Role.AGENT, "T1", "A07"))
    assert taken.value.key == "roster.agent_id_taken"
    assert (await roster.remove("A07")).telegram_id == 2
    assert await roster.member(2) is None  # at once, despite the cache
    again = await roster.add(2, NewMember("慧兰", Role.AGENT, "T2", "A07"))
    assert again.id == agent.id and again.team == "T2"
    with pytest.raises(UserError) as last:
        await roster.remove(str(admin.telegram_id))
    assert last.value.key == "roster.last_admin"
    with pytest.raises(UserError) as missing:
        await roster.remove("Z99")
    assert missing.value.key == "roster.not_found"


async def test_an_invite_works_once_and_not_after_it_expires(roster: Roster) -> None:
    admin = await roster.add(1, NewMember("老板", Role.ADMIN, "T1"))
    code, expires = await roster.invite(admin, NewMember("小雨", Role.AGENT, "T1", "A08"), NOW)
    assert expires == NOW + timedelta(hours=1)
    with pytest.raises(UserError) as pending:
        await roster.invite(admin, NewMember("别人", Role.AGENT, "T1", "A08"), NOW)
    assert pending.value.key == "invite.agent_id_pending"
    member = await roster.redeem(code.lower(), 5, NOW + timedelta(minutes=5))
    assert (member.agent_id, member.role, await roster.member(5)) == ("A08", Role.AGENT, member)
    for telegram_id, when, key in ((6, NOW, "invite.used"), (6, NOW, "invite.used")):
        with pytest.raises(UserError) as used:
            await roster.redeem(code, telegram_id, when)
        assert used.value.key == key
    late, _ = await roster.invite(admin, NewMember("迟到", Role.SUPERVISOR, "T1"), NOW)
    with pytest.raises(UserError) as expired:
        await roster.redeem(late, 7, NOW + timedelta(hours=2))
    assert expired.value.key == "invite.expired"
    with pytest.raises(UserError) as unknown:
        await roster.redeem("NOSUCHCD", 7, NOW)
    assert unknown.value.key == "invite.unknown"
    assert await roster.member(7) is None
