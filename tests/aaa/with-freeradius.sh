#!/usr/bin/env bash
# Runs a test program next to a private FreeRADIUS (freeradius.sh): exports
# IKEV2D_RADIUS_PORT (auth; accounting is +1), IKEV2D_RADIUS_SECRET and
# IKEV2D_RADIUS_DIR (its log and accounting detail files), then stops the server.
# On failure the server's log is shown.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/freeradius.sh"
source "$here/freeradius_shared_pool.sh"  # FREERADIUS_SETUP=freeradius_shared_pool
dir=$(mktemp -d /tmp/ikev2d-freeradius.XXXXXX)
port=$(( 20000 + RANDOM % 20000 ))
secret="t3st-$RANDOM$RANDOM"
trap 'freeradius_stop "$dir"; rm -rf "$dir"' EXIT
freeradius_start "$dir" "$port" "$secret" || exit 1
export IKEV2D_RADIUS_PORT=$port IKEV2D_RADIUS_SECRET=$secret IKEV2D_RADIUS_DIR=$dir
"$@"
rc=$?
if [ $rc -ne 0 ]; then
  echo "--- FreeRADIUS log (last 60 lines) ---"
  tail -60 "$dir/radiusd.log"
fi
exit $rc
