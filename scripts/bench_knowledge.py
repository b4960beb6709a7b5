#!/usr/bin/env python3
"""What a knowledge change costs: approving a phrasing, and spotting phrasings in drafts.

Run: ``.venv/bin/python scripts/bench_knowledge.py`` (a copy of ``knowledge/`` and a SQLite
file in a temporary directory; nothing else is touched).

Printed: one approval (``KnowledgeKeeper.change``: the edit, the whole knowledge validated
and compiled in a scratch directory, the conflict check of every approved phrasing against
every rule before and after, the version recorded, the files written and reloaded), p50 /
max over 20 changes, against a baseline measured in the same run — loading the knowledge
directory once, the least any change must cost — and how late the event loop answers
meanwhile (the compile runs in a worker thread). And the spotter (which approved phrasings a
draft contains) per draft, against the checker on the same drafts.
"""

from __future__ import annotations

import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.knowledge.edits import NewPhrasing, add_phrasing  # noqa: E402
from bot.knowledge.keeper import KnowledgeKeeper  # noqa: E402
from bot.knowledge.store import KnowledgeStore, LoadedKnowledge  # noqa: E402
from bot.storage.db import Database  # noqa: E402
from bot.storage.migrate import upgrade_async  # noqa: E402
from scripts.bench_checker import make_drafts  # noqa: E402

CHANGES = 20
DRAFTS = 20_000


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


async def ticker(lags: list[float], stop: asyncio.Event) -> None:
    """How late a 1 ms sleep wakes up: what an agent's draft would wait for the event loop."""
    while not stop.is_set():
        started = time.perf_counter()
        await asyncio.sleep(0.001)
        lags.append(time.perf_counter() - started - 0.001)


async def approvals(directory: Path, url: str) -> tuple[list[float], list[float], list[float]]:
    await upgrade_async(url)
    store = KnowledgeStore(directory)
    store.load()
    keeper = KnowledgeKeeper(Database(url), store, LoadedKnowledge.from_directory, store.reload)
    now = datetime.now(UTC)
    await keeper.sync(now)
    baseline, timed, lags = [], [], []
    for n in range(CHANGES):
        started = time.perf_counter()
        LoadedKnowledge.from_directory(directory)
        baseline.append(time.perf_counter() - started)
        text = f"亲，第{n}版：快递已经帮您登记加急了，有进展我第一时间告诉您。"
        phrasing = NewPhrasing("apology", text, ("late_delivery",))
        stop = asyncio.Event()
        ticking = asyncio.create_task(ticker(lags, stop))
        started = time.perf_counter()
        await keeper.change(None, "bench", lambda files, k, p=phrasing: add_phrasing(
            files, p, (x.id for x in k.phrasings))[0], now, by="bench")
        timed.append(time.perf_counter() - started)
        stop.set()
        await ticking
    await keeper.db.close()
    return baseline, timed, lags


def spotting(directory: Path) -> tuple[float, float]:
    loaded = LoadedKnowledge.from_directory(directory)
    drafts = make_drafts([p.text for p in loaded.knowledge.phrasings], DRAFTS)
    started = time.perf_counter()
    for draft in drafts:
        loaded.checker.check(draft)
    checker = (time.perf_counter() - started) / len(drafts)
    started = time.perf_counter()
    for draft in drafts:
        loaded.spotter.spot(draft)
    return checker, (time.perf_counter() - started) / len(drafts)


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        directory = Path(shutil.copytree(ROOT / "knowledge", Path(scratch) / "knowledge"))
        baseline, timed, lags = asyncio.run(approvals(directory, f"sqlite+aiosqlite:///{scratch}/bench.db"))
        checker, spotter = spotting(directory)
    print(f"approval (KnowledgeKeeper.change), {CHANGES} changes: p50 {ms(statistics.median(timed))}, "
          f"max {ms(max(timed))}")
    print(f"baseline, loading the knowledge once: p50 {ms(statistics.median(baseline))} "
          f"→ an approval costs {statistics.median(timed) / statistics.median(baseline):.1f}× a load")
    lags.sort()
    print(f"event loop during approvals (a 1 ms sleep's extra wait): p50 {lags[len(lags) // 2] * 1000:.1f} ms, "
          f"p99 {lags[int(len(lags) * 0.99)] * 1000:.1f} ms, max {lags[-1] * 1000:.0f} ms")
    print(f"per draft: checker {checker * 1e6:.1f} µs, spotter {spotter * 1e6:.1f} µs "
          f"({spotter / checker:.2f}× the checker)")


if __name__ == "__main__":
    main()
