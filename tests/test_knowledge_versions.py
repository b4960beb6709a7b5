"""Knowledge edits, snapshots and the history: plain Python over copies of the real files and
real SQLite databases."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.errors import UserError
from bot.knowledge.diff import compare
from bot.knowledge.edits import NewPhrasing, NewRule, add_phrasing, add_rule, append_item, remove_phrasing
from bot.knowledge.keeper import FILE_EDIT, FIRST, KnowledgeKeeper
from bot.knowledge.loader import load_knowledge
from bot.knowledge.snapshot import Snapshot
from bot.knowledge.store import KnowledgeStore, LoadedKnowledge
from bot.phrasebook.spot import PhrasingSpotter
from bot.proposals.forms import Particulars, phrasing_text, rule_as_form, rule_form
from bot.storage.db import Database
from bot.storage.migrate import upgrade_async
from bot.storage.models import KnowledgeVersion
from tests.bot_harness import KNOWLEDGE

NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(KNOWLEDGE, tmp_path / "knowledge"))


@pytest.fixture(scope="module")
def shipped() -> Snapshot:
    return Snapshot.read(KNOWLEDGE)


def test_a_snapshot_round_trips_and_its_digest_follows_the_content(shipped: Snapshot, tmp_path: Path) -> None:
    assert Snapshot.unpack(shipped.pack()) == shipped
    assert "README.md" not in shipped.files and "rules/rude.yaml" in shipped.files
    shipped.write(tmp_path / "out")
    assert Snapshot.read(tmp_path / "out").digest() == shipped.digest()
    assert shipped.with_file("rules/x.yaml", "rules: []\n").digest() != shipped.digest()


def test_writing_a_snapshot_removes_yaml_files_it_does_not_hold(knowledge_copy: Path) -> None:
    (knowledge_copy / "rules" / "extra.yaml").write_text("rules: []\n", encoding="utf-8")
    Snapshot.read(KNOWLEDGE).write(knowledge_copy)
    assert not (knowledge_copy / "rules" / "extra.yaml").exists()
    assert (knowledge_copy / "README.md").exists()


def test_a_new_phrasing_is_one_line_more_and_the_rest_of_the_file_is_untouched(shipped: Snapshot) -> None:
    knowledge = shipped.load(load_knowledge)
    text = '亲，"引号"和：冒号 {order_id} 都不会弄坏文件'
    changed, new_id = add_phrasing(shipped, NewPhrasing("apology", text, ("late_delivery",)),
                                   (p.id for p in knowledge.phrasings))
    before, after = shipped.files["phrasings/apology.yaml"], changed.files["phrasings/apology.yaml"]
    assert new_id == "apology.late_delivery.06"
    assert after.startswith(before) and after.count("\n") == before.count("\n") + 1
    reloaded = changed.load(load_knowledge)
    assert reloaded.phrasing(new_id).text == text and reloaded.phrasing(new_id).situations == ("late_delivery",)
    assert [c.id for c in compare(knowledge, reloaded, shipped, changed)] == [new_id]


def test_retiring_a_phrasing_takes_it_out_of_the_rules_that_offer_it(shipped: Snapshot) -> None:
    changed = remove_phrasing(shipped, "apology.take_care.01")
    knowledge = changed.load(load_knowledge)
    assert knowledge.find_phrasing("apology.take_care.01") is None
    assert not any("apology.take_care.01" in r.phrasings for r in knowledge.rules)
    assert "# 不得爆粗口" in changed.files["rules/rude.yaml"]  # comments stay


def test_team_rules_get_a_file_of_their_own_and_numbered_ids(shipped: Snapshot) -> None:
    rule = NewRule(("没辙",), "消极", "团队新增", replace=("我再帮您想想办法",), source="团队提议 #1")
    once, first = add_rule(shipped, rule, ())
    twice, second = add_rule(once, rule, (first,))
    assert (first, second) == ("team.rule_01", "team.rule_02")
    assert [r.id for r in twice.load(load_knowledge).rules if r.id.startswith("team.")] == [first, second]
    assert {r.name for r in twice.load(load_knowledge).rules if r.id.startswith("team.")} == {"团队新增"}  # the category
    named, third = add_rule(twice, replace(rule, name="说“没辙”"), (first, second))
    assert f'- {{id: {third}, name: "说“没辙”", severity: block' in named.files["rules/team.yaml"]  # after the id
    assert named.load(load_knowledge).rule(third).name == "说“没辙”"


@pytest.mark.parametrize("text", ["kind: x\nphrasings: []\n", "kind: x\nphrasings:\n", "kind: x\n"])
def test_appending_to_an_empty_or_missing_list(text: str) -> None:
    import yaml

    result = yaml.safe_load(append_item(text, "phrasings", "{id: x.a.01, text: hi}"))
    assert result["phrasings"] == [{"id": "x.a.01", "text": "hi"}]


def test_the_spotter_sees_a_copied_phrasing_with_its_gaps_filled() -> None:
    knowledge = load_knowledge(KNOWLEDGE)
    spotter = PhrasingSpotter(knowledge)
    draft = "实在抱歉，您的订单3812345678901234567物流有些延误，我们已经在加急催促快递了，请您再耐心等待一下"
    assert spotter.spot(draft) == ["apology.late_delivery.02"]
    assert spotter.spot("亲，很抱歉這款暫時缺貨，到貨後我第一時間通知您") == ["apology.out_of_stock.03"]  # traditional
    assert spotter.spot("对不起。") == []  # too short to say it was this phrasing


def test_a_proposed_text_gets_placeholders_for_its_particulars() -> None:
    particulars = Particulars("慧兰", "小熊旗舰店", ("3812345678901234567",))
    text = phrasing_text("  您好，我是小熊旗舰店的慧兰，订单3812345678901234567已经加急了 ", particulars)
    assert text == "您好，我是{shop}的{agent}，订单{order_id}已经加急了"
    with pytest.raises(UserError) as refused:
        phrasing_text("您好{name}", particulars)
    assert refused.value.key == "proposal.placeholder"
    with pytest.raises(UserError):
        phrasing_text("好的", particulars)


def test_the_rule_form_reads_back_what_it_writes() -> None:
    rule = rule_form("禁用：没辙、真没辙\n原因：消极\n替换：我再帮您想想办法，请稍等\n允许：没辙儿歌\n级别：提醒")
    assert rule.phrases == ("没辙", "真没辙") and rule.severity == "warn" and rule.replace == ("我再帮您想想办法，请稍等",)
    assert rule.name == ""  # optional: the loader shows the category instead
    assert rule_form(rule_as_form(rule)) == rule
    named = rule_form(rule_as_form(rule) + "\n名称：说“没辙”")
    assert named.name == "说“没辙”" and rule_form(rule_as_form(named)) == named
    for bad, key in (("禁用：没辙\n原因：消极", "rule_form.missing"), ("随便写写", "rule_form.bad_line"),
                     ("禁用：没辙\n原因：x\n替换：y\n级别：很严重", "rule_form.severity")):
        with pytest.raises(UserError) as refused:
            rule_form(bad)
        assert refused.value.key == key


async def keeper_over(url: str, directory: Path) -> KnowledgeKeeper:
    await upgrade_async(url)
    store = KnowledgeStore(directory)
    store.load()
    return KnowledgeKeeper(Database(url), store, LoadedKnowledge.from_directory, store.reload)


async def test_the_first_sync_records_version_one_and_a_hand_edit_the_next(sqlite_url: str, knowledge_copy: Path) -> None:
    keeper = await keeper_over(sqlite_url, knowledge_copy)
    first = await keeper.sync(NOW)
    assert first is not None and (first.number, first.author, first.reason) == (1, FILE_EDIT, FIRST)
    assert await keeper.sync(NOW) is None  # nothing changed
    path = knowledge_copy / "phrasings" / "thanks.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("谢谢", "多谢", 1), encoding="utf-8")
    edit = await keeper.sync(NOW + timedelta(minutes=5))
    assert edit is not None and edit.number == 2 and edit.author == FILE_EDIT
    assert [(c.what, c.change) for c in edit.changes] == [("phrasing", "changed")]
    await keeper.db.close()


async def test_broken_files_are_no_version(sqlite_url: str, knowledge_copy: Path) -> None:
    keeper = await keeper_over(sqlite_url, knowledge_copy)
    await keeper.sync(NOW)
    (knowledge_copy / "kinds.yaml").write_text("kinds: [\n", encoding="utf-8")
    assert await keeper.sync(NOW) is None
    assert [v.number for v in await keeper.history()] == [1]
    await keeper.db.close()


async def test_a_version_recorded_but_never_written_is_written_by_the_next_sync(sqlite_url: str, knowledge_copy: Path) -> None:
    """A replica that died between recording a change and writing the files leaves it to the next."""
    keeper = await keeper_over(sqlite_url, knowledge_copy)
    await keeper.sync(NOW)
    changed = remove_phrasing(Snapshot.read(knowledge_copy), "apology.take_care.01")
    async with keeper.db.transaction() as repos:
        await repos.knowledge_versions.add(KnowledgeVersion(
            number=2, created_at=NOW, author="慧兰", reason="died half-way", changes=[], digest=changed.digest(),
            files=changed.pack(), applied_at=None))
    assert await keeper.sync(NOW) is None
    assert Snapshot.read(knowledge_copy).digest() == changed.digest()
    assert keeper.store.current.knowledge.find_phrasing("apology.take_care.01") is None
    async with keeper.db.transaction() as repos:
        row = await repos.knowledge_versions.by_number(2)
        assert row is not None and row.applied_at == NOW
    await keeper.db.close()


async def test_a_refused_change_writes_nothing_and_records_nothing(sqlite_url: str, knowledge_copy: Path) -> None:
    keeper = await keeper_over(sqlite_url, knowledge_copy)
    await keeper.sync(NOW)
    before = Snapshot.read(knowledge_copy)
    rule = NewRule(("让您久等了",), "太客套", "团队新增", replace=("感谢您的耐心",), source="test")
    with pytest.raises(UserError) as refused:
        await keeper.change(None, "test", lambda files, k: add_rule(files, rule, ())[0], NOW, by="test")
    assert refused.value.key == "knowledge.conflict" and "apology.long_wait.01" in refused.value.values["conflicts"]
    with pytest.raises(UserError) as broken:
        await keeper.change(None, "test", lambda files, k: files.with_file("kinds.yaml", "kinds: 3\n"), NOW, by="t")
    assert broken.value.key == "knowledge.invalid" and "kinds.yaml" in broken.value.values["problems"]
    assert Snapshot.read(knowledge_copy).digest() == before.digest()
    assert [v.number for v in await keeper.history()] == [1]
    await keeper.db.close()


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """Make ``path`` unwritable even for root (the immutable flag), or with its mode otherwise."""
    if os.geteuid() != 0:
        path.chmod(0o444)
        try:
            yield
        finally:
            path.chmod(0o644)
        return
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip("running as root on a file system without the immutable flag")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


async def test_a_read_only_knowledge_file_refuses_the_change_before_recording_it(
        sqlite_url: str, knowledge_copy: Path) -> None:
    keeper = await keeper_over(sqlite_url, knowledge_copy)
    await keeper.sync(NOW)
    path = knowledge_copy / "phrasings" / "apology.yaml"
    try:
        with read_only(path), pytest.raises(UserError) as refused:
            await keeper.change(None, "t", lambda files, k: add_phrasing(
                files, NewPhrasing("apology", "亲，这是一句新的道歉话术，请您谅解。"), (p.id for p in k.phrasings))[0],
                NOW, by="t")
        assert refused.value.key == "knowledge.read_only" and "apology.yaml" in refused.value.values["path"]
        assert [v.number for v in await keeper.history()] == [1]
    finally:
        await keeper.db.close()
