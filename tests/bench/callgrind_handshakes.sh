#!/usr/bin/env bash
# Instructions per handshake of ikev2d's gateway (the in-process ike::Gateway and the jobs it posts, not the
# client) for each mode, under callgrind, next to the crypto floor of the same libraries:
#
#   tests/bench/callgrind_handshakes.sh [--build-dir DIR] [--count N] [--out DIR]
#
# Floor = the crypto bound's operations (crypto_bound.cpp) counted the same way: an X25519
# key pair + shared secret (nettle) per IKE SA, plus one GnuTLS RSA-2048 or ECDSA P-256
# signature for cert-eap. Instruction counts do not move with the machine's load, so
# before/after comparisons of our own code hold on a shared machine; they do not count
# the kernel (sockets, netlink, log writes) nor cache misses (handshake_profile.cpp says
# how to get CPU time instead). The callgrind files stay in OUT (default a temp dir) for
# callgrind_annotate --inclusive=yes.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${IKEV2D_BUILD_DIR:-$ROOT/build}
COUNT=100
OUT=
while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) BUILD=$2; shift ;;
    --count) COUNT=$2; shift ;;
    --out) OUT=$2; shift ;;
    *) echo "usage: $0 [--build-dir DIR] [--count N] [--out DIR]" >&2; exit 2 ;;
  esac
  shift
done
command -v valgrind >/dev/null || { echo "needs valgrind" >&2; exit 1; }
OUT=${OUT:-$(mktemp -d /tmp/ikev2d-callgrind.XXXXXX)}
mkdir -p "$OUT"
ninja -C "$BUILD" tests/bench/handshake_profile >/dev/null
BIN=$BUILD/tests/bench/handshake_profile

# run NAME COUNT TOGGLE ARGS...: instructions per iteration inside TOGGLE.
run() {
  local name=$1 count=$2 toggle=$3 total
  shift 3
  valgrind --tool=callgrind --collect-atstart=no --toggle-collect="$toggle" \
    --callgrind-out-file="$OUT/$name.out" "$BIN" "$@" --count "$count" >"$OUT/$name.txt" 2>"$OUT/$name.err" ||
    { echo "$name failed (see $OUT/$name.err)" >&2; return 1; }
  total=$(awk '/^totals:/ { print $2 }' "$OUT/$name.out")
  echo $((total / count))
}

x25519=$(run floor-x25519 20 '*floor_operation*' --floor x25519)
rsa=$(run floor-rsa 4 '*floor_operation*' --floor rsa)
ecdsa=$(run floor-ecdsa 20 '*floor_operation*' --floor ecdsa)
echo "| mode | gateway instructions per handshake | crypto floor | floor / gateway |"
echo "|---|---|---|---|"
for mode in init psk childless cert-eap-ecdsa cert-eap-rsa; do
  n=$COUNT
  [ "$mode" = cert-eap-rsa ] && n=$(( COUNT < 64 ? COUNT : 64 ))
  ours=$(run "$mode" "$n" '*gateway_turn*' --mode "$mode")
  case "$mode" in
    cert-eap-rsa) floor=$((x25519 + rsa)) ;;
    cert-eap-ecdsa) floor=$((x25519 + ecdsa)) ;;
    *) floor=$x25519 ;;
  esac
  echo "| $mode | $ours | $floor | $(awk -v f="$floor" -v o="$ours" 'BEGIN { printf "%.0f%%", 100 * f / o }') |"
done
echo "(callgrind files: $OUT)"
