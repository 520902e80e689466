#!/usr/bin/env bash
# End-to-end benchmark: `twinrel extract` with the default model over the
# shared dev texts repeated N times (default 20, 1,460 documents), on a given
# thread count. Prints documents/s, windows/s and peak RSS (from twinrel's
# summary line). Usage: scripts/bench.sh [N] [THREADS]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
cargo build --release --quiet
N=${1:-20}; THREADS=${2:-2}
SHARED=${SHARED:-../shared}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for i in $(seq "$N"); do
  python3 -c "
import json,sys
for l in open('$SHARED/news/dev.jsonl'):
    d=json.loads(l); d['doc']=d['doc']+'-$i'; print(json.dumps(d))"
done > "$tmp/bench.jsonl"
./target/release/twinrel --threads "$THREADS" extract --format jsonl "$tmp/bench.jsonl" > /dev/null
