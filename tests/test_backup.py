"""``backup`` / ``restore`` on real SQLite files; PostgreSQL refused with the commands to use."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.test_cli_errors import cli


def _people(db: Path) -> list[str]:
    with sqlite3.connect(db) as connection:
        return [row[0] for row in connection.execute("SELECT name FROM people WHERE active ORDER BY name")]


def test_backup_then_restore_brings_the_roster_back(tmp_path: Path) -> None:
    db, copy = tmp_path / "data" / "kefu.db", tmp_path / "backups" / "monday.db"
    assert cli("roster", "add", "--telegram-id", "7", "--name", "慧兰", "--role", "agent", "--team", "T1",
               "--agent-id", "A07", db=db).returncode == 0
    backed = cli("backup", str(copy), db=db)
    assert backed.returncode == 0 and "已备份" in backed.stdout, backed.stderr
    again = cli("backup", str(copy), db=db)
    assert again.returncode == 2 and "not overwritten" in again.stderr  # an old backup is never clobbered

    assert cli("roster", "remove", "A07", db=db).returncode == 0 and _people(db) == []
    restored = cli("restore", str(copy), db=db)
    assert restored.returncode == 0, restored.stderr
    assert _people(db) == ["慧兰"] and "revision 0" in restored.stdout
    kept = db.with_name("kefu.db.before-restore")
    assert kept.is_file() and _people(kept) == [] and str(kept) in restored.stdout


def test_restore_refuses_what_is_not_a_backup_and_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "kefu.db"
    assert cli("migrate", db=db).returncode == 0
    before = db.read_bytes()
    stranger = tmp_path / "notes.db"
    with sqlite3.connect(stranger) as connection:
        connection.execute("CREATE TABLE notes (text TEXT)")
    text = tmp_path / "notes.txt"
    text.write_text("not a database " * 100, encoding="utf-8")
    for source, said in ((stranger, "not an intact Kefu Assist backup"), (text, "not an SQLite database"),
                         (tmp_path / "missing.db", "no such backup")):
        done = cli("restore", str(source), db=db)
        assert done.returncode == 2 and said in done.stderr, done.stderr
    assert db.read_bytes() == before and not db.with_name("kefu.db.before-restore").exists()


def test_postgres_is_refused_with_pg_dump_and_pg_restore(tmp_path: Path) -> None:
    url = "postgresql+asyncpg://kefu:s3cret@db.internal:5432/kefu"
    backed = cli("backup", "kefu.dump", "--database-url", url)
    assert backed.returncode == 2
    assert "pg_dump --format=custom --file kefu.dump 'postgresql://kefu@db.internal:5432/kefu'" in backed.stderr
    restored = cli("restore", "kefu.dump", DATABASE_URL=url)
    assert restored.returncode == 2 and "pg_restore --clean --if-exists" in restored.stderr
    assert "s3cret" not in backed.stderr + restored.stderr
