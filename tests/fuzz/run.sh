#!/bin/sh
# Runs every libFuzzer target for SECONDS in total (split evenly), each on a scratch
# copy of its seed corpus (tests/fuzz/corpus/<target without fuzz_>/ is never written).
# Crash inputs land in build-fuzz/fuzz-artifacts/. Exit status is non-zero on any crash.
#   usage: tests/fuzz/run.sh SECONDS
set -eu

total=${1:?usage: $0 SECONDS}
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

targets=$(ninja -C "$build" -t targets all | sed -n 's|^\(tests/fuzz/fuzz_[a-z_]*\): .*|\1|p' | sort -u)
[ -n "$targets" ] || { echo "run.sh: no fuzz targets found" >&2; exit 2; }
# shellcheck disable=SC2086
ninja -C "$build" -j2 $targets

count=$(echo "$targets" | wc -l)
per=$((total / count))
[ "$per" -ge 1 ] || per=1
artifacts="$build/fuzz-artifacts"
mkdir -p "$artifacts"

status=0
for target in $targets; do
    name=$(basename "$target")
    seeds="$root/tests/fuzz/corpus/${name#fuzz_}"
    scratch=$(mktemp -d "${TMPDIR:-/tmp}/ikev2d-$name.XXXXXX")
    [ -d "$seeds" ] && cp "$seeds"/* "$scratch"/ 2>/dev/null || true
    echo "== $name: ${per}s, corpus $scratch"
    if ! "$build/$target" -max_total_time="$per" -print_final_stats=1 \
            -artifact_prefix="$artifacts/$name-" "$scratch"; then
        echo "== $name: FAILED (inputs in $artifacts)" >&2
        status=1
    fi
    rm -rf "$scratch"
done
exit $status
