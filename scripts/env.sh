# Sourced by the other scripts: the environment that builds twinrel against
# libtorch from the cached torch==2.4.0 wheel.
TWINREL_CACHE="${TWINREL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/twinrel}"
export TWINREL_CACHE
export VIRTUAL_ENV="$TWINREL_CACHE/venv"
export PATH="$VIRTUAL_ENV/bin:$PATH"
export LIBTORCH_USE_PYTORCH=1
# glibc malloc tuning measured in shared/STACK.md (about 1.5x on inference).
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-33554432}"
export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-4294967296}"
export MALLOC_TOP_PAD_="${MALLOC_TOP_PAD_:-1073741824}"
