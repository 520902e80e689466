#!/usr/bin/env bash
# The main job on the sample corpus: sets up what is missing, builds, and
# prints the relations found by the shipped default model (a table on a
# terminal, JSON Lines when piped; pass --format jsonl to force it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
cargo build --release --quiet
exec ./target/release/twinrel extract corpus/sample "$@"
