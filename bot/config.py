"""The one settings object, read from environment variables and ``.env``.

Every setting is documented in ``.env.example``. Alembic's ``env.py`` reads the same
settings, so the bot and its migrations never disagree about the database.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Kefu Assist configuration (environment variable names in capitals)."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./data/kefu.db"
    knowledge_dir: Path = Path("knowledge")
    shop_timezone: str = "Asia/Shanghai"
    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    log_level: str = "INFO"
    max_draft_chars: int = 2000

    @field_validator("shop_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r} (use an IANA name such as Asia/Shanghai)") from exc
        return value


@cache
def get_settings() -> Settings:
    return Settings()
