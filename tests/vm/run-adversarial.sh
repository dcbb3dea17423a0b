#!/usr/bin/env bash
# The adversarial suite (tests/adversarial): boots ONE test VM that runs the prober's
# hostile cases and the IKE_SA_INIT floods against ikev2d with real XFRM, prints one line
# per check, keeps the logs in <build>/adversarial-logs/ and fails if any check failed.
#
#   tests/vm/run-adversarial.sh [--timeout S]
#
# Environment: IKEV2D_BUILD_DIR (a configured build with the tests; default build-e2e/,
# set up and built here), IKEV2D_BINARY (default: that build's daemon/ikev2d).
set -euo pipefail
cd "$(dirname "$0")/../.."
top=$PWD
vm_timeout=900
while [ $# -gt 0 ]; do
  case "$1" in
    --timeout) vm_timeout=$2; shift 2 ;;
    -h|--help) sed -n '/^#   tests/,/^# Environment/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run-adversarial: unknown option $1" >&2; exit 2 ;;
  esac
done

build=${IKEV2D_BUILD_DIR:-$top/build-e2e}
build=$(realpath -m "$build")
[ -f "$build/build.ninja" ] || meson setup "$build" > /dev/null
targets=(tests/adversarial/prober tests/adversarial/flood tests/adversarial/legit)
[ -n "${IKEV2D_BINARY:-}" ] || targets+=(daemon/ikev2d)
echo "run-adversarial: building ${targets[*]} in $build"
ninja -C "$build" "${targets[@]}" > "$build/adversarial-ninja.log" 2>&1 ||
  { tail -30 "$build/adversarial-ninja.log"; echo "run-adversarial: build failed" >&2; exit 1; }
gateway=$(realpath "${IKEV2D_BINARY:-$build/daemon/ikev2d}")

source "$top/tests/vm/lib/guest_suite.sh"
vm_guest_suite adversarial "$build/adversarial-logs" "$vm_timeout" \
  "$top/tests/adversarial/run-in-guest.sh" "$gateway" "$build"
