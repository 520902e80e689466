#!/usr/bin/env python3
"""Checks a gold-format corpus file before it is trained on.

For every document: valid JSON, unique doc id, the required fields, and
every non-optional gold pair found by the candidate stage (`twinrel
candidates`), names matched ignoring case and diacritics as in
ANNOTATION.md. Prints each problem with its file and line; exits 1 if any.

Usage: python3 scripts/corpus-check.py corpus/FILE.jsonl [...]
(needs ./target/release/twinrel and the set-up cache; source scripts/env.sh)
"""
import json, subprocess, sys

from names import fold

LABELS = {"twinned", "proposed", "break_called"}


def main(paths):
    problems = 0
    seen = set()
    for path in paths:
        docs = {}
        for lineno, line in enumerate(open(path, encoding="utf-8"), 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
            except json.JSONDecodeError as e:
                print(f"{path}:{lineno}: invalid JSON: {e}"); problems += 1; continue
            for key in ("doc", "text", "lang", "text_type", "relations"):
                if key not in d:
                    print(f"{path}:{lineno}: missing field {key!r}"); problems += 1
            if d.get("doc") in seen:
                print(f"{path}:{lineno}: duplicate doc id {d.get('doc')!r}"); problems += 1
            seen.add(d.get("doc"))
            for r in d.get("relations", []):
                if not set(r.get("labels", [])) <= LABELS or not r.get("labels"):
                    print(f"{path}:{lineno}: bad labels {r.get('labels')}"); problems += 1
            docs[d.get("doc")] = (lineno, d)
        out = subprocess.run(["./target/release/twinrel", "candidates", path],
                             capture_output=True, text=True, check=False)
        cands = {}
        for line in out.stdout.splitlines():
            c = json.loads(line)
            names = lambda p: {fold(p["name"]), fold(p["canonical"])}
            cands.setdefault(c["doc"], []).append((names(c["a"]), names(c["b"])))
        for doc, (lineno, d) in docs.items():
            for r in d.get("relations", []):
                if r.get("optional") or r.get("kind") == "region":
                    continue
                a = {fold(n) for n in r["a"]}; b = {fold(n) for n in r["b"]}
                if not any((x & a and y & b) or (x & b and y & a) for x, y in cands.get(doc, [])):
                    print(f"{path}:{lineno}: {doc}: gold pair {r['a'][0]} – {r['b'][0]} is not a candidate")
                    problems += 1
    print(f"{problems} problems", file=sys.stderr)
    return 1 if problems else 0

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
