#!/usr/bin/env python3
"""Reports (and with --drop removes) corpus texts too close to the held-out
sets: ../shared/news/dev.jsonl, ../shared/seeds and eval/gold.jsonl.

A corpus text is contaminated when
  - it shares a run of 8 words with a held-out text (case and punctuation
    ignored), or
  - (--pairs) it names both places of a gold or hard-negative pair of the
    shared dev set, the seeds or eval/gold.jsonl. Used for files written after reading the dev
    errors, so that their examples cannot restate dev sentences with other
    words.
Usage: python3 scripts/decontaminate.py [--pairs] [--drop] corpus/FILE.jsonl ...
"""
import glob, json, re, sys

from names import fold

SHARED = "../shared"


def words(text):
    return re.findall(r"\w+", fold(text))

def grams(text, n=8):
    w = words(text)
    return {" ".join(w[i:i + n]) for i in range(len(w) - n + 1)}

def held_out():
    texts, pairs = [], []
    for line in open(f"{SHARED}/news/dev.jsonl", encoding="utf-8"):
        d = json.loads(line)
        texts.append(d["text"])
        for r in d["relations"]:
            pairs.append((r["a"], r["b"]))
        for a, b in d.get("hard_negatives", []):
            pairs.append((a, b))
    for path in glob.glob(f"{SHARED}/seeds/*.txt"):
        texts.append(open(path, encoding="utf-8").read())
    for line in open(f"{SHARED}/seeds/gold.jsonl", encoding="utf-8"):
        for r in json.loads(line)["relations"]:
            pairs.append((r["a"], r["b"]))
    for line in open("eval/gold.jsonl", encoding="utf-8"):
        d = json.loads(line)
        texts.append(d["text"])
        for r in d["relations"]:
            pairs.append((r["a"], r["b"]))
    return texts, [({fold(n) for n in a}, {fold(n) for n in b}) for a, b in pairs]

def main(argv):
    check_pairs = "--pairs" in argv
    drop = "--drop" in argv
    paths = [a for a in argv if not a.startswith("--")]
    texts, pairs = held_out()
    held = set().union(*(grams(t) for t in texts))
    # Each side as the word phrases to look for, padded to match whole words.
    phrases = lambda names: [f" {' '.join(words(n))} " for n in names]
    pair_phrases = [(a, b, phrases(a), phrases(b)) for a, b in pairs]
    total = 0
    for path in paths:
        kept, dropped = [], 0
        for line in open(path, encoding="utf-8"):
            d = json.loads(line)
            why = None
            if grams(d["text"]) & held:
                why = "shares 8 words with a held-out text"
            elif check_pairs:
                joined = " " + " ".join(words(d["text"])) + " "
                for a, b, a_phrases, b_phrases in pair_phrases:
                    if any(p in joined for p in a_phrases) and any(p in joined for p in b_phrases):
                        why = f"names the held-out pair {sorted(a)[0]} – {sorted(b)[0]}"
                        break
            if why:
                print(f"{path}: {d['doc']}: {why}")
                dropped += 1
            else:
                kept.append(line)
        total += dropped
        if drop and dropped:
            with open(path, "w", encoding="utf-8") as f:
                f.writelines(kept)
        print(f"{path}: {dropped} contaminated, {len(kept)} kept", file=sys.stderr)
    return 1 if total and not drop else 0

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
