"""The settings class: defaults, environment overrides, clear errors, a secret token."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.config import Settings


def test_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)  # no .env here
    for name in ("DATABASE_URL", "SHOP_TIMEZONE", "TELEGRAM_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings()
    assert settings.database_url == "sqlite+aiosqlite:///./data/kefu.db"
    assert settings.shop_timezone == "Asia/Shanghai"
    assert settings.telegram_bot_token is None


def test_environment_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOP_TIMEZONE", "Asia/Taipei")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:secret-token")
    settings = Settings()
    assert settings.shop_timezone == "Asia/Taipei"
    assert settings.telegram_bot_token is not None
    assert settings.telegram_bot_token.get_secret_value() == "123:secret-token"
    assert "secret-token" not in repr(settings)


def test_unknown_timezone_is_refused_clearly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOP_TIMEZONE", "Mars/Olympus")
    with pytest.raises(ValidationError, match="unknown time zone 'Mars/Olympus'"):
        Settings()


def test_every_setting_is_documented_in_env_example() -> None:
    from pathlib import Path

    example = (Path(__file__).resolve().parents[1] / ".env.example").read_text(encoding="utf-8")
    documented = {line.split("=", 1)[0] for line in example.splitlines() if line and not line.startswith("#")}
    assert documented == {name.upper() for name in Settings.model_fields}


@pytest.mark.parametrize(("given", "kept"), [("debug", "DEBUG"), (" Warning ", "WARNING"), ("INFO", "INFO")])
def test_log_level_in_any_case(monkeypatch: pytest.MonkeyPatch, given: str, kept: str) -> None:
    monkeypatch.setenv("LOG_LEVEL", given)
    assert Settings().log_level == kept


def test_an_unknown_log_level_names_the_allowed_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOG_LEVEL", "verbose")
    with pytest.raises(ValidationError, match="'DEBUG', 'INFO', 'WARNING', 'ERROR' or 'CRITICAL'"):
        Settings()


def test_get_settings_turns_a_bad_setting_into_one_readable_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.config import get_settings
    from bot.errors import SettingsError

    monkeypatch.setenv("DATABASE_URL", "mysql://kefu@db/kefu")
    get_settings.cache_clear()
    try:
        with pytest.raises(SettingsError, match=r"DATABASE_URL=mysql://kefu@db/kefu: .*unsupported driver 'mysql'"):
            get_settings()
    finally:
        get_settings.cache_clear()
