#!/bin/sh
# Runs libFuzzer targets, each on a scratch copy of its seed corpus
# (tests/fuzz/corpus/<target without fuzz_>/ is never written). Crash, leak and timeout
# inputs land in build-fuzz/fuzz-artifacts/. Exit status is non-zero on any crash,
# sanitizer report, leak or hang (an input slower than 10 s).
#   usage: tests/fuzz/run.sh SECONDS                 all targets, SECONDS in total (split evenly)
#          tests/fuzz/run.sh --per-target SECONDS [TARGET...]
#                                                   each (or each named) target for SECONDS
# tests/run-all.sh calls `tests/fuzz/run.sh 60`. See tests/fuzz/README.md for long runs.
set -eu

per_target=""
if [ "${1:-}" = "--per-target" ]; then
    per_target=${2:?usage: $0 --per-target SECONDS [TARGET...]}
    shift 2
    only="$*"
else
    total=${1:?usage: $0 SECONDS | --per-target SECONDS [TARGET...]}
    only=""
fi
root=$(cd "$(dirname "$0")/../.." && pwd)
build="$root/build-fuzz"
cd "$root"

if [ ! -d "$build" ]; then
    CXX=clang++ meson setup "$build" -Dfuzz=true -Dtests=false -Db_lundef=false
fi
# tests/fuzz sits under tests/: as long as the top-level meson.build only enters tests/
# when tests=true, the fuzz targets do not exist with tests=false. Fall back to tests=true.
if ! ninja -C "$build" -t targets all 2>/dev/null | grep -q '^tests/fuzz/fuzz_message:'; then
    echo "run.sh: fuzz targets not configured with tests=false; reconfiguring with -Dtests=true" >&2
    meson configure "$build" -Dtests=true -Dfuzz=true
    ninja -C "$build" build.ninja >/dev/null
fi

targets=$(ninja -C "$build" -t targets all | sed -n 's|^\(tests/fuzz/fuzz_[a-z0-9_]*\): .*|\1|p' | sort -u)
if [ -n "$only" ]; then
    wanted=""
    for name in $only; do
        echo "$targets" | grep -qx "tests/fuzz/$name" || { echo "run.sh: no fuzz target $name" >&2; exit 2; }
        wanted="$wanted tests/fuzz/$name"
    done
    targets=$wanted
fi
[ -n "$targets" ] || { echo "run.sh: no fuzz targets found" >&2; exit 2; }
# shellcheck disable=SC2086
ninja -C "$build" -j2 $targets

if [ -n "$per_target" ]; then
    per=$per_target
else
    count=$(echo $targets | wc -w)
    per=$((total / count))
fi
[ "$per" -ge 1 ] || per=1
artifacts="$build/fuzz-artifacts"
mkdir -p "$artifacts"
# UBSan findings must stop the run like ASan's (the targets are also built with
# -fno-sanitize-recover=undefined); print the stack either way.
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"

status=0
for target in $targets; do
    name=$(basename "$target")
    seeds="$root/tests/fuzz/corpus/${name#fuzz_}"
    scratch=$(mktemp -d "${TMPDIR:-/tmp}/ikev2d-$name.XXXXXX")
    if [ -d "$seeds" ]; then cp "$seeds"/* "$scratch"/ 2>/dev/null || true; fi
    echo "== $name: ${per}s, corpus $scratch"
    if ! "$build/$target" -max_total_time="$per" -timeout=10 -print_final_stats=1 \
            -artifact_prefix="$artifacts/$name-" "$scratch"; then
        echo "== $name: FAILED (inputs in $artifacts)" >&2
        status=1
    fi
    rm -rf "$scratch"
done
exit $status
