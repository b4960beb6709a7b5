"""Driving local mode's page in Debian's Chromium (headless, through Playwright): shared by
the page's tests and the walk-through as each role."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Screenshots go to a temporary folder, so a test run leaves the checkout as it was; to refresh
# the committed ones, run with KEFU_ARTIFACTS=test-artifacts (then look at them before committing).
ARTIFACTS = Path(os.environ.get("KEFU_ARTIFACTS") or Path(tempfile.gettempdir()) / "kefu-test-artifacts").resolve()
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
AGENT, OTHER_AGENT, SUPERVISOR, TEAM_LEAD, ADMIN = "1001", "1002", "3001", "4001", "9001"

needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (scripts/test installs it as root)")


@asynccontextmanager
async def browser_page(url: str, viewport: dict[str, int] = DESKTOP, clipboard: bool = False,
                       init_script: str | None = None) -> AsyncIterator[Any]:
    """A fresh browser on the page at ``url``; ``clipboard`` grants reading what was copied."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = await browser.new_context(viewport=viewport, locale="zh-CN")  # type: ignore[arg-type]
            if clipboard:
                await context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url.rstrip("/"))
            if init_script:
                await context.add_init_script(init_script)
            page = await context.new_page()
            await page.goto(url)
            await page.locator("#log[data-chat]").wait_for(state="attached")
            yield page
        finally:
            await browser.close()


async def be(page: Any, chat: str) -> None:
    """Switch the page to that person and wait until their chat is shown."""
    await page.select_option("#who", chat)
    await page.locator(f"#log[data-chat='{int(chat)}']").wait_for(state="attached")


async def say(page: Any, text: str) -> None:
    await page.fill("#text", text)
    await page.press("#text", "Enter")
    await page.locator(".msg.me").filter(has_text=text[:200]).last.wait_for()


def bot_says(page: Any, text: str) -> Any:
    """The newest bot message containing ``text`` (a locator to wait for)."""
    return page.locator(".msg.bot").filter(has_text=text).last


async def ask(page: Any, text: str) -> Any:
    """Say ``text`` and wait for the bot's next message; that message's locator."""
    answers = page.locator(".msg.bot")
    before = await answers.count()
    await say(page, text)
    answer = answers.nth(before)
    await answer.wait_for()
    return answer
