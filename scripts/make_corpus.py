#!/usr/bin/env python
"""Build the labelled corpus of agent drafts in knowledge/corpus/ from the hand-written seeds.

    python scripts/make_corpus.py            # (re)write knowledge/corpus/*.jsonl and heldout/*.jsonl
    python scripts/make_corpus.py --check    # exit 1 if the committed files differ from what it would write
    python scripts/make_corpus.py --report   # also: how many seeds the rule-based checker already flags

Seeds live in knowledge/corpus/seeds/<key>.tsv, one seed sentence a line (the first column of a
TSV; lines starting with '#' and empty lines are ignored; a second column, if any, is a note).
The key (file name) is a rule id from knowledge/rules/*.yaml, or starts with 'clean' (label clean,
rule null; e.g. clean.lookalike.wei.tsv). They are TSV, not YAML, on purpose: every *.yaml under
knowledge/ is part of the bot's versioned knowledge snapshot.
Seeds may contain slots {order} {amount} {date} {product} {days} {phone_tail}.

Every seed gives one line with source "seed" (its slots filled) and several variants with source
"generated" (surface variation only). All lines of one seed share the seed's group id; a group
goes to heldout/ when a hash of its id falls in the lowest HELDOUT_PERCENT. Everything is
deterministic: each seed has its own random generator seeded from RANDOM_SEED and the group id,
so adding a seed does not change the lines of the others.

team.jsonl (written by the bot when supervisors confirm disputed or missed flags) is never
written, read or checked here.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
CORPUS = KNOWLEDGE / "corpus"
SEEDS = CORPUS / "seeds"
HELDOUT = CORPUS / "heldout"
TEAM_FILE = "team.jsonl"

RANDOM_SEED = 20240611
HELDOUT_PERCENT = 20
BAD_VARIANTS = 4            # generated variants per rule seed (plus the seed itself)
CLEAN_SHARE = 0.45          # wanted share of clean lines; sets the variants per clean seed
TRADITIONAL_SHARE = 0.10
MAX_CLEAN_VARIANTS = 12

# --- surface variation -------------------------------------------------------------------------

OPENERS = ["亲，", "亲亲，", "亲~", "亲爱的，", "哈喽亲，", "嗯嗯，", "好的亲，", "宝子，", "您好，",
           "在的亲，", "嗯，", "哈，", "亲 ", "小主，", "亲亲~", "美女，", "帅哥，", "好滴，"]
ENDINGS = ["哦", "呢", "哈", "呀", "~", "～", "哈~", "哦~", "呢亲", "哈亲", "哦亲", "亲", "啦", "的哈",
           "。", "！", "!", "~~", "..."]
EMOJI = ["😊", "🙏", "[微笑]", "/:^_^", "😅", "🌹", "[抱拳]", "😂", "[可爱]", "🤔", "👌", "[握手]",
         "💕", "[玫瑰]", "😄", "/:rose", "🙂"]
PREFIX_CLAUSES = ["您好，", "在的，", "收到您的消息了，", "稍等我看一下，", "好的，", "让您久等了，",
                  "您的订单{order}我看了一下，", "关于您说的情况，", "我这边看了下记录，", "您说的我明白了，",
                  "感谢您的耐心等待，", "订单{order}，", "这个问题我跟您说一下，", "嗯嗯收到，",
                  "{date}的订单我查到了，", "关于{product}，", "您好，这里是售后，", "刚刚在忙，"]
SUFFIX_CLAUSES = ["，有其他问题随时找我。", "，祝您生活愉快！", "，感谢您的理解。", "，还有什么可以帮您的吗？",
                  "，订单号{order}。", "，谢谢亲。", "，您看可以吗？", "。您还有别的问题吗？",
                  "，麻烦您了。", "，辛苦啦。", "。祝您购物愉快~", "，有需要再联系。"]
SPLIT_MARKS = [" ", " ", "  ", "*", "·", "-", "/", "_", "."]
# common typos and internet homophones: (what, replacement)
TYPOS = [("的", "滴"), ("的", "得"), ("地", "的"), ("在", "再"), ("再", "在"), ("吗", "嘛"), ("么", "嘛"),
         ("什么", "神马"), ("什么", "啥"), ("这样", "酱紫"), ("没有", "木有"), ("东西", "东东"),
         ("觉得", "觉的"), ("已经", "以经"), ("好的", "好滴"), ("一下", "一哈"), ("知道", "知到"),
         ("账", "帐"), ("那么", "那末"), ("现在", "先在"), ("是不是", "系不系"), ("怎么", "咋"),
         ("这个", "这各"), ("你", "泥"), ("了", "啦"), ("们", "门"), ("呢", "捏"),
         ("快递", "快滴"), ("谢谢", "谢谢谢"), ("问题", "问提"), ("时候", "时侯"), ("以后", "已后")]

PRODUCTS = ["连衣裙", "羽绒服", "保温杯", "扫地机器人", "面霜", "运动鞋", "收纳盒", "四件套", "儿童餐椅",
            "蓝牙耳机", "牛仔裤", "电饭煲", "空气炸锅", "精华液", "床垫", "书桌", "卫衣", "猫粮", "加湿器",
            "登山包", "防晒霜", "电动牙刷", "茶具", "拖鞋", "窗帘", "行李箱", "衬衫", "保温饭盒"]
DATES = ["6月18号", "周三", "明天", "3号", "5月20日", "上周五", "昨天", "11月11日", "下周一", "15号",
         "前天", "今天上午", "2月3日", "这周六"]
CJK = re.compile(r"[\u4e00-\u9fff]")


def order_number(rng: random.Random) -> str:
    return rng.choice("1234") + "".join(rng.choice("0123456789") for _ in range(18))


def amount(rng: random.Random) -> str:
    n = rng.choice([9.9, 19.9, 23, 39, 58, 69, 88, 99, 128, 158, 199, 236, 299, 399, 599, 1299])
    n = int(n) if n == int(n) else n
    return rng.choice([f"{n}元", f"{n}块", f"¥{n}", f"{n}块钱", f"{n}元"])


def fill(text: str, rng: random.Random) -> str:
    slots = {
        "order": lambda: order_number(rng),
        "amount": lambda: amount(rng),
        "date": lambda: rng.choice(DATES),
        "product": lambda: rng.choice(PRODUCTS),
        "days": lambda: rng.choice(["3", "5", "7", "两", "三", "十"]),
        "phone_tail": lambda: "".join(rng.choice("0123456789") for _ in range(4)),
    }

    def one(m: re.Match) -> str:
        name = m.group(1)
        if name not in slots:
            raise ValueError(f"unknown slot {{{name}}} in seed: {text}")
        return slots[name]()

    return re.sub(r"\{(\w+)\}", one, text)


def strip_end(text: str) -> str:
    return text.rstrip("。！!？?~～.， ")


def variant(seed: str, rng: random.Random, s2t) -> str:
    text = seed
    ops = rng.sample(["opener", "ending", "emoji", "prefix", "suffix"], k=rng.choice([1, 1, 2, 2, 3]))
    if "prefix" in ops:
        text = rng.choice(PREFIX_CLAUSES) + text
    elif "opener" in ops and not text.startswith(("亲", "您好", "喂")):
        text = rng.choice(OPENERS) + text
    if "suffix" in ops and text[-1:] not in "？?":
        text = strip_end(text) + rng.choice(SUFFIX_CLAUSES)
    elif "ending" in ops:
        end = rng.choice(ENDINGS)
        if text[-1:] in "？?":
            text = text + end if end in ("~", "～") else text
        else:
            text = strip_end(text) + end
    if "emoji" in ops:
        e = rng.choice(EMOJI)
        text = e + text if rng.random() < 0.25 else text + e
    text = fill(text, rng)
    if rng.random() < 0.12:  # a typo or homophone
        cands = [(a, b) for a, b in TYPOS if a in text]
        if cands:
            a, b = rng.choice(cands)
            idx = [m.start() for m in re.finditer(re.escape(a), text)]
            i = rng.choice(idx)
            text = text[:i] + b + text[i + len(a):]
    if rng.random() < 0.08:  # a space or symbol inside a word
        pos = [i for i in range(1, len(text)) if CJK.match(text[i - 1]) and CJK.match(text[i])]
        if pos:
            i = rng.choice(pos)
            text = text[:i] + rng.choice(SPLIT_MARKS) + text[i:]
    if rng.random() < 0.06:  # ASCII punctuation
        text = text.replace("，", ",").replace("？", "?").replace("！", "!")
    if rng.random() < TRADITIONAL_SHARE:
        text = s2t.convert(text)
    return text


# --- seeds ---------------------------------------------------------------------------------------

def rule_severities() -> dict[str, str]:
    out = {}
    for path in sorted((KNOWLEDGE / "rules").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for rule in data.get("rules") or []:
            out[rule["id"]] = rule["severity"]
    return out


def load_seeds(severities: dict[str, str]) -> list[tuple[str | None, str]]:
    """(rule id or None for clean, seed text), in file and line order; errors on duplicates."""
    seeds: list[tuple[str | None, str]] = []
    seen: dict[str, str] = {}
    errors = []
    for path in sorted(SEEDS.glob("*.tsv")):
        key = path.stem
        rule = None if key == "clean" or key.startswith("clean.") else key
        if rule is not None and rule not in severities:
            errors.append(f"{path.name}: {key} is no rule id in knowledge/rules")
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            line = line.split("\t")[0].strip()
            if not line or line.startswith("#"):
                continue
            where = f"{path.name}:{n}"
            if line in seen:
                errors.append(f"{where}: duplicate seed (also {seen[line]}): {line}")
                continue
            seen[line] = where
            seeds.append((rule, line))
    if errors:
        sys.exit("\n".join(errors))
    return seeds


def group_id(rule: str | None, text: str) -> str:
    h = hashlib.sha1(f"{rule or 'clean'}\n{text}".encode()).hexdigest()[:10]
    return f"{rule or 'clean'}:{h}"


def is_heldout(group: str) -> bool:
    return int(hashlib.sha1(f"heldout:{group}".encode()).hexdigest()[:8], 16) % 100 < HELDOUT_PERCENT


def build() -> dict[Path, str]:
    import opencc

    s2t = opencc.OpenCC("s2t")
    severities = rule_severities()
    seeds = load_seeds(severities)
    n_bad = sum(1 for r, _ in seeds if r)
    n_clean = len(seeds) - n_bad
    bad_lines = n_bad * (1 + BAD_VARIANTS)
    clean_variants = BAD_VARIANTS
    if n_clean:
        want = CLEAN_SHARE / (1 - CLEAN_SHARE) * bad_lines
        clean_variants = max(1, min(MAX_CLEAN_VARIANTS, round(want / n_clean) - 1))
    files: dict[Path, list[str]] = defaultdict(list)
    for rule, text in seeds:
        group = group_id(rule, text)
        rng = random.Random(f"{RANDOM_SEED}:{group}")
        label = severities[rule] if rule else "clean"
        lines = [fill(text, rng)]
        wanted = 1 + (BAD_VARIANTS if rule else clean_variants)
        tries = 0
        while len(lines) < wanted and tries < wanted * 6:
            tries += 1
            v = variant(text, rng, s2t)
            if v not in lines:
                lines.append(v)
        name = f"{rule or 'clean'}.jsonl"
        target = (HELDOUT / name) if is_heldout(group) else (CORPUS / name)
        for i, line in enumerate(lines):
            obj = {"text": line, "label": label, "rule": rule, "group": group,
                   "source": "seed" if i == 0 else "generated"}
            files[target].append(json.dumps(obj, ensure_ascii=False))
    return {path: "\n".join(rows) + "\n" for path, rows in sorted(files.items())}


def owned_files() -> list[Path]:
    out = []
    for d in (CORPUS, HELDOUT):
        out += [p for p in d.glob("*.jsonl") if p.name != TEAM_FILE]
    return sorted(out)


def stats(files: dict[Path, str]) -> None:
    per = defaultdict(Counter)
    for path, content in files.items():
        split = "heldout" if path.parent == HELDOUT else "train"
        for row in content.splitlines():
            obj = json.loads(row)
            per[obj["rule"] or "clean"][split] += 1
            per["= label " + obj["label"]][split] += 1
            per["= all"][split] += 1
    print(f"{'rule / label':32} {'train':>6} {'heldout':>7} {'total':>6}")
    for key in sorted(per):
        c = per[key]
        print(f"{key:32} {c['train']:6} {c['heldout']:7} {c['train'] + c['heldout']:6}")


def report() -> None:
    """How many seeds the rule-based checker already flags, per rule."""
    sys.path.insert(0, str(ROOT))
    from bot.knowledge.store import LoadedKnowledge

    checker = LoadedKnowledge.from_directory(KNOWLEDGE).checker
    seeds = load_seeds(rule_severities())
    rng = random.Random(RANDOM_SEED)
    same, anyflag, total = Counter(), Counter(), Counter()
    clean_hits = Counter()
    clean_examples = []
    for rule, text in seeds:
        flags = checker.check(fill(text, rng)).flags
        rules = {f.rule for f in flags}
        key = rule or "clean"
        total[key] += 1
        same[key] += rule in rules if rule else 0
        anyflag[key] += bool(rules)
        if not rule and rules:
            clean_hits.update(rules)
            clean_examples.append((text, sorted(rules)))
    print(f"{'rule':28} {'seeds':>5} {'flagged by this rule':>21} {'by any rule':>12}")
    for key in sorted(total):
        print(f"{key:28} {total[key]:5} {same[key]:15} ({100 * same[key] / total[key]:3.0f}%)"
              f" {anyflag[key]:8} ({100 * anyflag[key] / total[key]:3.0f}%)")
    print("clean seeds flagged, by rule:", dict(clean_hits.most_common()))
    for text, rules in clean_examples[:40]:
        print("   ", text, rules)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if the files differ from what would be written")
    ap.add_argument("--report", action="store_true", help="print what the rule-based checker flags among the seeds")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()
    files = build()
    if args.check:
        stale = [p for p in owned_files() if p not in files]
        differ = [p for p, c in files.items() if not p.exists() or p.read_text(encoding="utf-8") != c]
        for p in stale + differ:
            print(f"differs: {p.relative_to(ROOT)}", file=sys.stderr)
        if stale or differ:
            print("run scripts/make_corpus.py to regenerate", file=sys.stderr)
            return 1
        if not args.quiet:
            print("corpus up to date")
    else:
        HELDOUT.mkdir(parents=True, exist_ok=True)
        for p in owned_files():
            if p not in files:
                p.unlink()
        for p, c in files.items():
            p.write_text(c, encoding="utf-8")
    if not args.quiet:
        stats(files)
    if args.report:
        report()
    return 0


if __name__ == "__main__":
    sys.exit(main())
