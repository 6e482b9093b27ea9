"""Near-duplicate index benchmark: the crawler's decision for each new page, timed.

    python benchmarks/crawl_dedupe.py [--n 300] [--n 5000] [--reposts 0.2] [--threshold 0.8]

For each N it takes N page texts: the real reports and news pages stored under tests/ (the
.txt files of 1 KB or more, 192 of them) and, beyond those, reports made of their paragraphs
recombined (6 to 12 each, figures varied, as in benchmarks/scale.py), with a share of them
reposts instead (an earlier page re-punctuated, re-paragraphed, missing or gaining a
sentence); it computes their MinHash signatures (not timed: the same in any index),
then feeds them to the crawler's ``SignatureIndex`` one by one as a crawl does: take the
primaries stored since the last page, ask for the best match, store the page as a primary
unless it is a near-duplicate. It prints the seconds of those index calls in all and per
page, the near-duplicates found, the index's memory (tracemalloc peak) and a hash of every
near-duplicate decision (page, primary, score), to compare two indexes.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEXTS = ROOT / "tests"


def texts(n: int, reposts: float, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    real = [
        p.read_text(encoding="utf-8")
        for p in sorted(TEXTS.rglob("*.txt"))
        if p.stat().st_size >= 1024 and "__pycache__" not in p.parts
    ]
    paragraphs = [ln.strip() for t in real for ln in t.splitlines() if len(ln.strip()) >= 40]
    out: list[str] = []
    for i in range(n):
        if out and rng.random() < reposts:
            original = rng.choice(out)
            sentences = re.split(r"(?<=[。；])", original)
            if len(sentences) > 4 and rng.random() < 0.5:
                sentences.pop(rng.randrange(len(sentences)))  # a sentence left out
            else:
                sentences.append("（来源：本网综合）")  # an outlet's line added
            text = "\n".join(s.replace("，", ", ") for s in sentences)
        elif real:
            text = real.pop(0)
        else:
            body = rng.sample(paragraphs, k=min(len(paragraphs), rng.randint(6, 12)))
            body = [
                re.sub(r"\d+", lambda m: str(int(m.group()) + rng.randint(1, 9)), p) for p in body
            ]
            text = f"第{i}篇：扎实推进干部队伍建设\n" + "\n".join(body)
        out.append(text)
    return out


def run(n: int, reposts: float, threshold: float) -> dict[str, float]:
    from orgwork.crawler.crawl import SignatureIndex, text_signature

    signatures = [text_signature(t) for t in texts(n, reposts)]
    stored: list[tuple[int, str, bytes]] = []  # the store's primaries: (id, url, minhash)
    index = SignatureIndex()
    duplicates = given = 0
    decisions = hashlib.sha256()  # each near-duplicate's primary and score
    tracemalloc.start()
    started = time.perf_counter()
    for i, sig in enumerate(signatures):
        if sig is None:
            continue
        index.update(stored[given:])  # as CrawlStore.primary_signatures(c, index.last_id)
        given = len(stored)
        best, score = index.best(sig)
        if score >= threshold:
            decisions.update(f"{i} {best} {score}\n".encode())
            duplicates += 1
        else:
            stored.append((i + 1, f"https://example.org/{i}.html", sig))
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {
        "pages": n,
        "primaries": len(stored),
        "near-duplicates": duplicates,
        "seconds": round(seconds, 3),
        "ms/page": round(1000 * seconds / n, 3),
        "index MB (peak)": round(peak / 1e6, 1),
        "decisions sha256": decisions.hexdigest()[:12],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, action="append", help="pages (repeatable)")
    parser.add_argument("--reposts", type=float, default=0.2, help="share of reposts")
    parser.add_argument("--threshold", type=float, default=0.8)
    args = parser.parse_args()
    for n in args.n or [300]:
        print(run(n, args.reposts, args.threshold))


if __name__ == "__main__":
    main()
