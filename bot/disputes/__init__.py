"""Disputed and missed flags: the team teaches the checker (see desk.py)."""
