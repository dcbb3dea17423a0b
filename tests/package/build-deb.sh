#!/usr/bin/env bash
# Builds the Debian package as a distribution would and checks it with lintian:
#   tests/package/build-deb.sh [OUTDIR]      (default OUTDIR: build-deb/ in the tree)
# The tree (tracked files and new, not ignored ones) is copied to a scratch directory
# outside the source tree, since dpkg-buildpackage writes its results to the parent
# directory; `dpkg-buildpackage -us -uc -b` builds there, lintian runs with
# --fail-on error,warning (overrides, each with its reason, are in
# debian/ikev2d.lintian-overrides), and the .deb files end up in OUTDIR:
#   apt install ./build-deb/ikev2d_*.deb
# Exits non-zero if the build fails or lintian reports an error or a warning.
set -euo pipefail
cd "$(dirname "$0")/../.."
top=$PWD
out=$(realpath -m "${1:-$top/build-deb}")
for tool in dpkg-buildpackage dh lintian fakeroot; do
  command -v "$tool" > /dev/null || { echo "build-deb: $tool is missing (scripts/install-deps.sh installs it)" >&2; exit 2; }
done
version=$(dpkg-parsechangelog -l debian/changelog -S Version)
scratch=$(mktemp -d "${TMPDIR:-/tmp}/ikev2d-deb.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
src=$scratch/ikev2d-$version
mkdir -p "$src"
# What git knows (so no build directories or local clutter), as it is in the work tree.
if git rev-parse --is-inside-work-tree > /dev/null 2>&1; then
  git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
    [ -e "$f" ] && printf '%s\0' "$f"
  done | tar --null -T - -cf - | tar -C "$src" -xf -
else
  tar --exclude='./build*' --exclude=./.git -cf - . | tar -C "$src" -xf -
fi
echo "build-deb: dpkg-buildpackage -us -uc -b in $src (log: $out/build.log)"
mkdir -p "$out"
rm -f "$out"/*.deb "$out"/*.ddeb "$out"/*.changes "$out"/*.buildinfo "$out"/lintian.txt
# The scratch path changes every run: let ccache (which meson uses when it is there)
# ignore it, so that a rebuild of unchanged sources is quick. dpkg's -ffile-prefix-map
# keeps the path out of the objects anyway.
export CCACHE_BASEDIR=$scratch CCACHE_NOHASHDIR=true
if ! (cd "$src" && dpkg-buildpackage -us -uc -b) > "$out/build.log" 2>&1; then
  tail -30 "$out/build.log"
  echo "build-deb: FAIL dpkg-buildpackage (log: $out/build.log)"
  exit 1
fi
cp "$scratch"/*.deb "$scratch"/*.changes "$scratch"/*.buildinfo "$out"/
ls "$scratch"/*.ddeb > /dev/null 2>&1 && cp "$scratch"/*.ddeb "$out"/
changes=$(ls "$out"/ikev2d_*.changes)
rc=0
lintian --fail-on error,warning --display-info "$changes" > "$out/lintian.txt" 2>&1 || rc=$?
cat "$out/lintian.txt"
# The overridden tags, for the record (lintian 2.116 counts them for --fail-on when
# --show-overrides is given, hence a second run).
lintian --fail-on none --show-overrides "$changes" 2>&1 | grep '^[ON]:' | sed 's/^/overridden: /' || true
if [ "$rc" != 0 ]; then
  echo "build-deb: FAIL lintian (exit $rc; $out/lintian.txt)"
  exit 1
fi
echo "build-deb: PASS $(cd "$out" && ls ./*.deb | tr '\n' ' ')(lintian: no error, no warning)"
