"""Errors a user can cause and be told about: a text key and its values, no Telegram.

The domain raises :class:`UserError`; whoever talks to the user (bot, command line) turns
``key`` into words with :func:`bot.texts.t`, so every interface text stays in one place.
"""

from __future__ import annotations

from typing import Any


class UserError(Exception):
    """Bad input or a refused action: nothing was changed."""

    def __init__(self, key: str, /, **values: Any) -> None:
        super().__init__(key)
        self.key = key
        self.values = values

    def __str__(self) -> str:
        from bot.texts import t

        return t(self.key, escape=False, **self.values)


class SettingsError(Exception):
    """The environment or ``.env`` holds a setting the bot cannot use (which, and what is allowed)."""
