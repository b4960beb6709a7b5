"""Helpers for tests that run the bot as a process: a free loopback port, waiting for an answer."""

from __future__ import annotations

import json
import socket
import time
import urllib.request
from typing import Any


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_json(url: str, seconds: float = 30) -> Any:
    """``url``'s JSON once the process answers, None if it never does within ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1) as answer:
                return json.load(answer)
        except OSError:
            time.sleep(0.2)
    return None
