#!/usr/bin/env bash
# Appends the measured scores of a model directory (twinrel eval with its
# shipped thresholds on the seeds, the shared dev set and eval/) to its
# MODEL_CARD.md, replacing an earlier such section (run it again after a
# change to the stages before the model). Usage: scripts/model-card-eval.sh MODEL_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
MODEL=${1:?usage: scripts/model-card-eval.sh MODEL_DIR}
SHARED=${SHARED:-../shared}
sed -i '/^## Evaluation (twinrel eval, shipped thresholds)$/,$d' "$MODEL/MODEL_CARD.md"
{
  echo "## Evaluation (twinrel eval, shipped thresholds)"
  echo
  for set in "seeds:$SHARED/seeds/gold.jsonl:--input $SHARED/seeds" "dev:$SHARED/news/dev.jsonl:" "eval:eval/gold.jsonl:"; do
    IFS=: read -r name gold extra <<<"$set"
    # shellcheck disable=SC2086
    echo "### $name: \`twinrel eval --model $MODEL --gold $gold $extra\`"
    echo
    echo '```'
    # shellcheck disable=SC2086
    ./target/release/twinrel eval --model "$MODEL" --gold "$gold" $extra --errors 0
    echo '```'
    echo
  done
} >> "$MODEL/MODEL_CARD.md"
