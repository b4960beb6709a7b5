"""The Telegram front end: thin handlers over :mod:`bot.services` (python-telegram-bot 22)."""
