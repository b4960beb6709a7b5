"""Kefu Assist: a Telegram assistant for the live customer-service agents of an online shop."""

__version__ = "0.1.0"
