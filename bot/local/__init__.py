"""Local mode: the very same bot without Telegram, behind a chat page on 127.0.0.1."""
