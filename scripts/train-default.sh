#!/usr/bin/env bash
# Reproduces models/default: trains on the project's corpus and the shared
# train split, selects on the shared dev split, then appends the measured
# scores (twinrel eval on seeds, dev and eval/) to the model card.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
bash scripts/setup.sh
cargo build --release --quiet
OUT=${1:-models/default}
SHARED=${SHARED:-../shared}
train_args=()
for f in corpus/*.jsonl; do train_args+=(--train "$f"); done
# The shared train split is in-domain and small: its examples count twice.
./target/release/twinrel --threads "${THREADS:-2}" train "${train_args[@]}" --train "$SHARED/news/train.jsonl@2" \
  --dev "$SHARED/news/dev.jsonl" --out "$OUT" --epochs "${EPOCHS:-8}" --lr "${LR:-8e-5}" --seed "${SEED:-7}"
bash scripts/model-card-eval.sh "$OUT"
