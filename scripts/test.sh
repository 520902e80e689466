#!/usr/bin/env bash
# The whole test suite, on a fresh machine too: sets up what is missing
# (libtorch, base encoder, GeoNames; see scripts/setup.sh), then runs the unit
# tests and the end-to-end tests (the real binary on ../shared/seeds,
# ../shared/news/dev.jsonl and eval/, with the shipped default model).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
# Release profile: the tests run the model, which is slow unoptimised.
cargo test --release --all-targets "$@"
