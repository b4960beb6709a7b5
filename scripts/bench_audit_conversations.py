#!/usr/bin/env python3
"""The conversation audit against the line audit alone, over a 1,000,000-line transcript.

Run: ``.venv/bin/python scripts/bench_audit_conversations.py`` (``--lines N`` for another size).

A day of a busy shop is generated into a temporary directory: one CSV (时间, 买家, 客服, 角色,
内容), conversations interleaved as they happen — a customer's first message, the agent's
replies after 3 s to 90 s, bursts of two or three customer messages, some conversations left
unanswered — with everyday replies and a few percent of banned phrases (the checker
benchmark's). Each audit runs in a fresh process on one core, twice, alternating (the best
run counts): ``python -m bot audit``'s own functions, the knowledge loaded before the clock
starts. Printed: lines/s of CPU time (the machine may be shared), the speed ratio (goal ≥ 0.7×
the line audit's) and the process's peak memory (VmHWM; goal < 200 MB), beside its peak once
the knowledge was loaded, before the audit.
"""

from __future__ import annotations

import argparse
import heapq
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_checker import BANNED, CLEAN_EXTRA  # noqa: E402  (scripts/ is on the path)

CUSTOMER = [
    "在吗", "这款还有货吗", "什么时候发货呀", "能便宜点吗", "发什么快递", "我身高165穿什么码", "？",
    "好的谢谢", "我的快递怎么还没到", "可以开发票吗", "这个颜色和图片一样吗", "能今天发吗", "退货怎么退",
    "有优惠券吗", "质量怎么样", "[图片]", "嗯嗯", "那我拍了",
]
AGENTS = [f"客服{n:02d}" for n in range(1, 41)]
START = datetime(2026, 5, 1, 8, 0)
FLAGGED_SHARE = 0.03


def conversation(rng: random.Random, start: float, buyer: str, replies: list[str]) -> list[tuple[float, str, str, str, str]]:
    """One conversation's lines as (seconds, buyer, agent, role, text)."""
    agent = rng.choice(AGENTS)
    lines = []
    at = start
    for turn in range(rng.randint(2, 7)):
        for _ in range(rng.choice((1, 1, 1, 2, 3))):
            lines.append((at, buyer, "", "买家", rng.choice(CUSTOMER)))
            at += rng.uniform(1, 8)
        if turn and rng.random() < 0.04:
            return lines  # left unanswered
        at += rng.choice((3, 5, 8, 12, 15, 18, 22, 30, 45, 90)) * rng.uniform(0.8, 1.2)
        for _ in range(rng.choice((1, 1, 2))):
            text = rng.choice(BANNED) if rng.random() < FLAGGED_SHARE else rng.choice(replies)
            lines.append((at, buyer, agent, "客服", text))
            at += rng.uniform(2, 10)
        at += rng.uniform(5, 120)
    return lines


def generate(path: Path, count: int, replies: list[str], seed: int = 5) -> int:
    """Write ``count`` lines of interleaved conversations in time order; the conversations."""
    rng = random.Random(seed)
    pending: list[tuple[float, int, tuple[float, str, str, str, str]]] = []
    order = started = written = 0
    next_start = 0.0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("时间,买家,客服,角色,内容\n")
        while written < count:
            while not pending or next_start <= pending[0][0]:
                started += 1
                for line in conversation(rng, next_start, f"tb_{rng.randrange(10**8):08d}", replies):
                    order += 1
                    heapq.heappush(pending, (line[0], order, line))
                next_start += rng.expovariate(1 / 0.75)
            at, _, (_, buyer, agent, role, text) = heapq.heappop(pending)
            stamp = (START + timedelta(seconds=at)).strftime("%Y-%m-%d %H:%M:%S")
            out.write(f"{stamp},{buyer},{agent},{role},{text}\n")
            written += 1
    return started


def peak_kb() -> int:
    """This process's peak resident memory: VmHWM, whose count starts at exec (ru_maxrss of an
    exec'd child starts at the RSS of the parent it was forked from: this script's own)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def measure(mode: str, path: Path) -> None:
    """In a fresh process: one audit of ``path``; its figures as a JSON line on stdout."""
    from bot.audit import audit, audit_conversations, open_transcript
    from bot.knowledge.store import LoadedKnowledge

    loaded = LoadedKnowledge.from_directory(ROOT / "knowledge")
    loaded.checker.check("预热 warm up")
    before = peak_kb()
    transcript = open_transcript(path)
    started, cpu = time.perf_counter(), time.process_time()
    if mode == "lines":
        summary = audit(transcript, loaded.checker)
        conversations = 0
    else:
        result = audit_conversations(transcript, loaded.checker, loaded.quality)
        summary, conversations = result.lines, result.conversations
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = peak_kb()
    print(json.dumps({"read": summary.read, "flagged": summary.flagged, "conversations": conversations,
                      "elapsed": elapsed, "cpu": cpu, "knowledge_kb": before, "peak_kb": peak}))


def run(mode: str, path: Path) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--measure", mode, str(path)]
    done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(done.stdout.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--measure", nargs=2, metavar=("MODE", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core, children too
    if args.measure:
        measure(args.measure[0], Path(args.measure[1]))
        return

    from bot.knowledge.loader import load_knowledge
    from bot.knowledge.store import LoadedKnowledge

    replies = [p.text for p in load_knowledge(ROOT / "knowledge").phrasings if "{" not in p.text] + CLEAN_EXTRA
    with tempfile.TemporaryDirectory(prefix="kefu-bench-audit-") as tmp:
        # compiled once into a cache of this run's own (the runs inherit it), so every run
        # starts from the cached knowledge whatever else prunes the user's cache meanwhile
        os.environ["KEFU_CACHE_DIR"] = str(Path(tmp) / "cache")
        LoadedKnowledge.from_directory(ROOT / "knowledge")
        path = Path(tmp) / "day.csv"
        started = time.perf_counter()
        conversations = generate(path, args.lines, replies)
        print(f"Kefu Assist conversation-audit benchmark — one core, {args.lines:,} lines "
              f"({path.stat().st_size / 1e6:.0f} MB, ~{conversations:,} conversations started), "
              f"generated in {time.perf_counter() - started:.1f} s")
        best: dict[str, dict] = {}
        for round_ in range(args.rounds):
            for mode in ("lines", "conversations"):
                figures = run(mode, path)
                rate = figures["read"] / figures["cpu"]
                print(f"  round {round_ + 1}  {mode:<13} {figures['cpu']:6.1f} s CPU ({figures['elapsed']:.1f} s wall)"
                      f"  {rate:>9,.0f} lines/s"
                      f"  peak {figures['peak_kb'] / 1024:5.0f} MB (before the audit: {figures['knowledge_kb'] / 1024:.0f} MB)"
                      f"  flagged {figures['flagged']:,}" + (f"  conversations {figures['conversations']:,}"
                                                              if mode == "conversations" else ""))
                if mode not in best or figures["cpu"] < best[mode]["cpu"]:
                    best[mode] = figures
        lines, whole = best["lines"], best["conversations"]
        assert lines["read"] == whole["read"] == args.lines and lines["flagged"] == whole["flagged"]
        ratio = lines["cpu"] / whole["cpu"]
        print(f"\nbest runs (CPU time: other processes on the machine do not count): line audit "
              f"{lines['read'] / lines['cpu']:,.0f} lines/s; conversation audit {whole['read'] / whole['cpu']:,.0f} lines/s"
              f" = {ratio:.2f}× the line audit's speed (goal ≥ 0.70)")
        print(f"peak memory of the conversation audit's process: {whole['peak_kb'] / 1024:.0f} MB (goal < 200 MB;"
              f" the line audit's: {lines['peak_kb'] / 1024:.0f} MB; before the audit, knowledge loaded: {whole['knowledge_kb'] / 1024:.0f} MB)")


if __name__ == "__main__":
    main()
