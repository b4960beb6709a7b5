#!/usr/bin/env python3
"""Load test of webhook mode on PostgreSQL: rising rates to 1 and to 2 replicas (loopback only).

Run: ``.venv/bin/python scripts/load_webhook.py`` (needs PostgreSQL: KEFU_BENCH_POSTGRES_URL or
a server on 127.0.0.1:5432 with a database ``test``; a scratch database is made and dropped).

The replicas are real processes (``python -m bot webhook``) talking HTTP to a Bot API server
in this process on 127.0.0.1 (no rate limit of its own, and ``TELEGRAM_OVERALL_MAX_RATE=0``:
what is measured is the bot, not Telegram's 30 messages/s). Drafts from 200 agents are posted
round-robin to the replicas at each rate for a few seconds; an update counts as handled when
its verdict (a reply quoting it) reaches the Bot API server. Printed per step: the rate
offered, handled per second, end-to-end p50 / p99 (post sent → reply received), and the CPU
time per update of the replicas and of this process (which holds the load and the Bot API
server): on a shared machine, the figure that other programs running does not change.
Everything is bounded: at most RATES × SECONDS updates, every step stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402

from bot.roster.people import NewMember  # noqa: E402
from bot.roster.roles import Role  # noqa: E402
from bot.roster.service import Roster  # noqa: E402
from bot.storage.db import Database  # noqa: E402
from bot.storage.migrate import upgrade_async  # noqa: E402
from bot.storage.scratch import scratch_postgres  # noqa: E402
from bot.telegram.offline import message_json  # noqa: E402
from scripts.bench_checker import make_drafts  # noqa: E402
from tests.fake_bot_api import FakeBotAPI  # noqa: E402

TOKEN = "5000:LOADTEST"
SECRET = "load-test-secret"
AGENTS = 200
FIRST_AGENT = 500_000
RATES = (100, 250, 500, 750, 1000)
SECONDS = 4.0
DRAIN_SECONDS = 5.0


def cpu_seconds(pid: int) -> float:
    """CPU time a process has used so far (Linux ``/proc``; NaN elsewhere): contention-proof."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def start_replica(url: str, api_base: str) -> tuple[asyncio.subprocess.Process, int]:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": api_base,
           "TELEGRAM_WEBHOOK_URL": "https://kefu.example/telegram", "TELEGRAM_WEBHOOK_SECRET": SECRET,
           "WEBHOOK_HOST": "127.0.0.1", "WEBHOOK_PORT": str(port), "TELEGRAM_OVERALL_MAX_RATE": "0",
           "LOG_LEVEL": "WARNING", "KNOWLEDGE_WATCH_SECONDS": "0"}  # TELEGRAM_HTTP_CLIENT passes through
    process = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "webhook", env=env, cwd=ROOT)
    async with aiohttp.ClientSession() as http:
        for _ in range(150):
            try:
                async with http.get(f"http://127.0.0.1:{port}/health") as res:
                    if res.status == 200:
                        return process, port
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.2)
    process.kill()
    raise RuntimeError("a replica did not start")


class Connection(asyncio.Protocol):
    """One keep-alive HTTP/1.1 connection to a replica, one request at a time.

    The load shares the machine's two cores with the replicas, so it must be cheap: with
    aiohttp's client this process took ~1.0 ms of CPU per update, with this ~0.65 ms.
    """

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = b""
        self.answer: asyncio.Future[tuple[int, bytes]] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def connection_lost(self, error: Exception | None) -> None:
        if self.answer is not None and not self.answer.done():
            self.answer.set_exception(error or ConnectionError("closed by the replica"))

    async def request(self, data: bytes) -> tuple[int, bytes]:
        assert self.transport is not None
        self.answer = asyncio.get_running_loop().create_future()
        self.transport.write(data)
        return await self.answer

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return
        length = 0
        for line in self.buffer[:end].split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        if len(self.buffer) < end + 4 + length:
            return
        status, body = int(self.buffer[9:12]), self.buffer[end + 4:end + 4 + length]
        self.buffer = self.buffer[end + 4 + length:]
        if self.answer is not None and not self.answer.done():
            self.answer.set_result((status, body))


class Poster:
    """Posts updates to one replica over at most ``limit`` connections, reused."""

    def __init__(self, port: int, limit: int = 100) -> None:
        self.port = port
        self.idle: list[Connection] = []
        self.slots = asyncio.Semaphore(limit)
        self.head = (f"POST /telegram HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
                     f"X-Telegram-Bot-Api-Secret-Token: {SECRET}\r\nContent-Length: ").encode()

    async def post(self, body: bytes) -> tuple[int, bytes]:
        async with self.slots:
            if self.idle:
                connection = self.idle.pop()
            else:
                _, connection = await asyncio.get_running_loop().create_connection(Connection, "127.0.0.1", self.port)
            answer = await connection.request(self.head + str(len(body)).encode() + b"\r\n\r\n" + body)
            self.idle.append(connection)
            return answer

    def close(self) -> None:
        for connection in self.idle:
            if connection.transport is not None:
                connection.transport.close()


class Load:
    def __init__(self, api: FakeBotAPI, drafts: list[str]) -> None:
        self.api = api
        self.drafts = drafts
        self.next_id = 1
        self.sent_at: dict[int, float] = {}
        self.done_at: dict[int, float] = {}
        api.on_sent = self._replied  # type: ignore[attr-defined]

    def _replied(self, method: str, params: dict) -> None:  # type: ignore[type-arg]
        reply = params.get("reply_parameters") or {}
        message_id = reply.get("message_id") if isinstance(reply, dict) else None
        if method == "sendMessage" and message_id in self.sent_at and message_id not in self.done_at:
            self.done_at[message_id] = time.perf_counter()

    async def _post(self, poster: Poster, body: bytes) -> None:
        """Post one update; a reply in the webhook's answer counts when the answer arrives."""
        status, answer = await poster.post(body)
        if status == 200 and answer.startswith(b"{"):
            call = json.loads(answer)
            self._replied(call.pop("method"), call)

    async def step(self, posters: list[Poster], rate: int) -> tuple[float, float, float, int]:
        count = int(rate * SECONDS)
        ids = list(range(self.next_id, self.next_id + count))
        self.next_id += count
        bodies = [json.dumps({"update_id": i, "message": message_json(  # built before the clock starts
            FIRST_AGENT + i % AGENTS, self.drafts[i % len(self.drafts)], message_id=i, name="客服")}).encode()
            for i in ids]
        started = time.perf_counter()
        posts = []
        for n, (update_id, body) in enumerate(zip(ids, bodies)):
            delay = started + n / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            self.sent_at[update_id] = time.perf_counter()
            posts.append(asyncio.create_task(self._post(posters[update_id % len(posters)], body)))
        await asyncio.gather(*posts, return_exceptions=True)
        deadline = time.perf_counter() + DRAIN_SECONDS
        while time.perf_counter() < deadline and any(i not in self.done_at for i in ids):
            await asyncio.sleep(0.05)
        handled = [i for i in ids if i in self.done_at]
        latencies = sorted((self.done_at[i] - self.sent_at[i]) * 1000 for i in handled)
        span = (max(self.done_at[i] for i in handled) - started) if handled else 1.0
        p50 = latencies[len(latencies) // 2] if latencies else float("nan")
        p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] if latencies else float("nan")
        return len(handled) / span, p50, p99, count - len(handled)


async def run(url: str, replicas: int, rates: list[int]) -> None:
    api = FakeBotAPI(TOKEN)
    base = await api.start()
    processes = []
    try:
        ports = []
        for _ in range(replicas):
            process, port = await start_replica(url, base)
            processes.append(process)
            ports.append(port)
        phrasings = ["亲，您好，请问有什么可以帮您？"]
        load = Load(api, make_drafts(phrasings, 500))
        posters = [Poster(port) for port in ports]
        try:
            for rate in rates:
                cpu = [sum(cpu_seconds(p.pid) for p in processes), time.process_time()]
                throughput, p50, p99, lost = await load.step(posters, rate)
                count = int(rate * SECONDS)
                replica_ms = (sum(cpu_seconds(p.pid) for p in processes) - cpu[0]) * 1000 / count
                load_ms = (time.process_time() - cpu[1]) * 1000 / count
                print(f"{replicas} replica{'s' if replicas > 1 else ' '} | offered {rate:5d}/s | handled "
                      f"{throughput:7.1f}/s | p50 {p50:8.1f} ms | p99 {p99:8.1f} ms | unanswered {lost} | CPU per "
                      f"update: replicas {replica_ms:.2f} ms, this process {load_ms:.2f} ms", flush=True)
        finally:
            for poster in posters:
                poster.close()
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                await asyncio.wait_for(process.wait(), 20)
            except TimeoutError:
                process.kill()
        await api.stop()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--replicas", type=int, nargs="+", default=[1, 2], help="replica counts to run, in turn")
    parser.add_argument("--rates", type=int, nargs="+", default=list(RATES), help="updates/s offered, in turn")
    args = parser.parse_args()
    pg = os.environ.get("KEFU_BENCH_POSTGRES_URL") or os.environ.get("KEFU_TEST_POSTGRES_URL") or \
        "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
    for replicas in args.replicas:
        async with scratch_postgres(pg, "kefu_load") as url:
            await upgrade_async(url)
            db = Database(url)
            roster = Roster(db, invite_valid=timedelta(hours=1))
            for i in range(AGENTS):
                await roster.add(FIRST_AGENT + i, NewMember(f"客服{i:03d}", Role.AGENT, "T1", f"L{i:03d}"))
            await db.close()
            await run(url, replicas, args.rates)


if __name__ == "__main__":
    asyncio.run(main())
