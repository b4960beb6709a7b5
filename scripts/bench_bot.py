#!/usr/bin/env python3
"""The bot's own processing time per update (run: ``.venv/bin/python scripts/bench_bot.py``).

From the update handed to the real ``Application`` to the reply handed to the request class
(the offline Bot API, so no network time is counted), on a SQLite file, with 50 agents on
the roster and the shipped knowledge. Drafts are the checker benchmark's mix (about one in
four flagged, some traditional), and one in ten mentions an order number.

Three measures, in one run:

* steady — 50 agents, each sending a draft on average every second (Poisson arrivals:
  ~50 updates/s, several times a busy team's real rate): p50 / p99 per update;
* burst — all 50 agents send a draft at the same instant, ten times over: p50 / p99,
  including the time an update waits for the ones before it (one event loop, one core);
* baseline — the checker alone on the same drafts, so the bot's overhead shows as a ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from telegram import Update  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.roster.people import NewMember  # noqa: E402
from bot.roster.roles import Role  # noqa: E402
from bot.services import Services  # noqa: E402
from bot.storage.migrate import upgrade_async  # noqa: E402
from bot.telegram.app import build_application  # noqa: E402
from bot.telegram.offline import Call, OfflineBotAPI, message_json  # noqa: E402
from scripts.bench_checker import make_drafts  # noqa: E402

AGENTS = 50
FIRST_AGENT = 100_000


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def report(name: str, millis: list[float]) -> None:
    print(f"{name:<44} n={len(millis):>5}  p50 {percentile(millis, 0.50):7.2f} ms  "
          f"p99 {percentile(millis, 0.99):7.2f} ms  max {max(millis):7.2f} ms")


class Bench:
    def __init__(self, services: Services, drafts: list[str]) -> None:
        self.services = services
        self.api = OfflineBotAPI()
        self.app = build_application(services, request=self.api)
        self.drafts = itertools.cycle(drafts)
        self.ids = itertools.count(1)
        self.waiting: dict[int, tuple[float, asyncio.Future[float]]] = {}
        self.api.on_call = self._replied

    def _replied(self, call: Call) -> None:
        waiting = self.waiting.pop(call.chat_id or 0, None) if call.method == "sendMessage" else None
        if waiting is not None and not waiting[1].done():
            waiting[1].set_result((call.at - waiting[0]) * 1000)

    def update(self, agent: int) -> Update:
        message = message_json(agent, next(self.drafts), message_id=next(self.ids), name="客服")
        return Update.de_json({"update_id": next(self.ids), "message": message}, self.app.bot)

    async def one(self, agent: int) -> tuple[float, float]:
        """Process one draft of ``agent``: milliseconds to its verdict reaching the request class,
        and to the update being fully handled (for a draft with an order: logged, remark sent)."""
        update = self.update(agent)
        replied: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        start = time.perf_counter()
        self.waiting[agent] = (start, replied)
        await self.app.process_update(update)
        handled = (time.perf_counter() - start) * 1000
        return await replied, handled

    async def steady(self, seconds: float, rate_per_agent: float, seed: int = 3) -> list[tuple[float, float]]:
        rng = random.Random(seed)

        async def agent_loop(agent: int) -> list[tuple[float, float]]:
            results = []
            deadline = time.perf_counter() + seconds
            while True:
                await asyncio.sleep(rng.expovariate(rate_per_agent))
                if time.perf_counter() > deadline:
                    return results
                results.append(await self.one(agent))

        per_agent = await asyncio.gather(*(agent_loop(FIRST_AGENT + i) for i in range(AGENTS)))
        return [ms for results in per_agent for ms in results]

    async def burst(self, rounds: int) -> list[tuple[float, float]]:
        results: list[tuple[float, float]] = []
        for _ in range(rounds):
            results += await asyncio.gather(*(self.one(FIRST_AGENT + i) for i in range(AGENTS)))
            await asyncio.sleep(0.05)
        return results


def checker_baseline(services: Services, drafts: list[str]) -> list[float]:
    checker = services.knowledge.current.checker
    timings = []
    for text in drafts:
        start = time.perf_counter()
        checker.check(text)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="length of the steady run (default 20)")
    parser.add_argument("--bursts", type=int, default=10, help="rounds of 50 simultaneous drafts (default 10)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        await upgrade_async(url)
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None, database_url=url, knowledge_dir=ROOT / "knowledge", telegram_bot_token="1:BENCH",
            telegram_overall_max_rate=0, knowledge_watch_seconds=0,
        )
        services = Services.create(settings)
        phrasings = [p.text for p in services.knowledge.current.knowledge.phrasings if "{" not in p.text]
        drafts = make_drafts(phrasings, 2000)
        rng = random.Random(11)
        drafts = [d + f"，订单{rng.randrange(10**18, 10**19)}" if i % 10 == 0 else d for i, d in enumerate(drafts)]
        for i in range(AGENTS):
            await services.roster.add(
                FIRST_AGENT + i, NewMember(name=f"客服{i:02d}", role=Role.AGENT, team=f"T{i % 5}", agent_id=f"A{i:03d}")
            )
        bench = Bench(services, drafts)
        await bench.app.initialize()
        await bench.app.start()
        try:
            await bench.burst(2)  # warm-up: menus set, caches filled
            baseline = checker_baseline(services, drafts)
            steady = await bench.steady(args.seconds, rate_per_agent=1.0)
            burst = await bench.burst(args.bursts)
        finally:
            await bench.app.stop()
            await bench.app.shutdown()
            await services.close()
    print(f"{AGENTS} agents, SQLite file, shipped knowledge; bot time = update in -> reply handed to the request class")
    report("baseline: checker alone", baseline)
    for name, runs in (("steady ~1 draft/s per agent", steady), (f"burst {AGENTS} drafts at once", burst)):
        report(f"{name}: verdict", [reply for reply, _ in runs])
        report(f"{name}: fully handled", [handled for _, handled in runs])
    verdicts = [reply for reply, _ in steady]
    ratio = statistics.median(verdicts) / statistics.median(baseline)
    print(f"steady verdict p50 / checker p50 = {ratio:.0f}x; goal p99 < 20 ms: steady "
          f"{'met' if percentile(verdicts, 0.99) < 20 else 'NOT met'}, burst "
          f"{'met' if percentile([r for r, _ in burst], 0.99) < 20 else 'NOT met'}")


if __name__ == "__main__":
    asyncio.run(main())
