"""The one settings object, read from environment variables and ``.env``.

Every setting is documented in ``.env.example``. Alembic's ``env.py`` reads the same
settings, so the bot and its migrations never disagree about the database.
"""

from __future__ import annotations

import re
from datetime import time
from functools import cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.errors import SettingsError

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


class Settings(BaseSettings):
    """Kefu Assist configuration (environment variable names in capitals)."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./data/kefu.db"
    knowledge_dir: Path = Path("knowledge")
    kefu_cache_dir: str = ""  # compiled knowledge between starts; "" the user's cache, "off" none
    shop_timezone: str = "Asia/Shanghai"
    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    telegram_webhook_url: str | None = None  # webhook mode: the public HTTPS URL Telegram posts to
    telegram_webhook_secret: SecretStr | None = None  # sent back by Telegram in a header; required
    webhook_host: str = "127.0.0.1"  # where the webhook server listens (0.0.0.0 in a container)
    webhook_port: int = Field(default=8443, ge=0, le=65535)
    webhook_max_body_bytes: int = Field(default=1_000_000, gt=0)
    webhook_reply_in_response: bool = True  # a draft's verdict as the webhook's answer (one call saved)
    telegram_http_client: Literal["aiohttp", "httpx"] = "aiohttp"  # for sending (long polling keeps httpx)
    telegram_connection_pool_size: int = Field(default=16, ge=1, le=256)
    telegram_overall_max_rate: float = 30.0  # messages/s across all chats (Telegram's limit); 0 = none
    telegram_network_retries: int = 5  # retries of a request that failed on the network, with backoff
    handoff_read_within_minutes: float = Field(default=30.0, gt=0)
    handoff_missing_after_minutes: float = Field(default=30.0, gt=0)
    shift_early_minutes: float = Field(default=60.0, ge=0)
    scheduler_seconds: float = Field(default=30.0, gt=0)  # how often due handoff checks run
    outbox_poll_seconds: float = Field(default=2.0, gt=0)
    outbox_alert_after_attempts: int = Field(default=5, ge=1)
    report_time: time = time(9, 0)  # shop time the daily report goes to the team leads
    report_day: Literal["yesterday", "today"] = "yesterday"  # which day it reports
    phrasing_unused_days: int = Field(default=30, ge=1)  # unused this long: offered to a lead for retirement
    local_host: str = "127.0.0.1"  # local mode's chat page: loopback unless you mean otherwise
    local_port: int = Field(default=8080, ge=0, le=65535)
    status_host: str = "127.0.0.1"  # long polling's /health and /metrics: loopback unless you mean otherwise
    status_port: int = Field(default=8444, ge=0, le=65535)
    log_level: LogLevel = "INFO"
    max_draft_chars: int = 2000
    shop_name: str = ""
    roster_cache_seconds: float = Field(default=10.0, ge=0)  # how stale a roster look-up may be
    invite_valid_hours: float = Field(default=72.0, gt=0)
    knowledge_watch_seconds: float = Field(default=5.0, ge=0)  # 0: reload only on /reload
    order_number_pattern: str = r"(?<![0-9])[0-9]{16,20}(?![0-9])"
    order_remark_format: str = "{order_id} {note} {agent_id} {date}"
    order_flag_colour: int = Field(default=1, ge=0, le=5)  # 0 grey 1 red 2 yellow 3 green 4 blue 5 pink
    order_reminder_delay_seconds: float = Field(default=600.0, gt=0)
    order_reminder_repeat_seconds: float = Field(default=1800.0, gt=0)
    order_reminder_max: int = Field(default=3, ge=1)

    @field_validator("shop_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r} (use an IANA name such as Asia/Shanghai)") from exc
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _log_level_any_case(cls, value: object) -> object:
        """``info`` and ``INFO`` alike; anything else fails on the allowed values, named in the error."""
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("database_url")
    @classmethod
    def _usable_database_url(cls, value: str) -> str:
        from bot.storage.urls import usable_database_url

        usable_database_url(value)
        return value

    @field_validator("order_number_pattern")
    @classmethod
    def _valid_pattern(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a regular expression: {exc}") from exc
        return value

    @field_validator("order_remark_format")
    @classmethod
    def _valid_remark_format(cls, value: str) -> str:
        from bot.orders.remarks import check_remark_format

        check_remark_format(value)
        return value

    @property
    def shop_tz(self) -> ZoneInfo:
        return ZoneInfo(self.shop_timezone)

    @property
    def bot_api_base_url(self) -> str:
        """``TELEGRAM_API_BASE_URL`` as python-telegram-bot wants it (the token is appended).

        ``http://127.0.0.1:8081`` and ``http://127.0.0.1:8081/bot`` both work; ``{token}`` may
        mark where the token goes.
        """
        base = self.telegram_api_base_url.rstrip("/")
        if "{token}" in base or base.endswith("/bot"):
            return base
        return base + "/bot"


@cache
def get_settings() -> Settings:
    """The settings; a bad one raises :class:`SettingsError` naming the variable and what it allows."""
    try:
        return Settings()
    except ValidationError as error:
        lines = [f"  {'.'.join(map(str, e['loc'])).upper()}={e['input']!s:.60}: {e['msg']}" for e in error.errors()]
        raise SettingsError("\n".join(lines)) from None
