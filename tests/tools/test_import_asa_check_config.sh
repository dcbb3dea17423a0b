#!/usr/bin/env bash
# ikectl import-asa on the seed's ASA configuration: the output passes the daemon's own
# `ikev2d --check-config` (as written, and with the commented user entry filled in), the
# stderr summary names what was not converted, and bad invocations fail.
# Usage: test_import_asa_check_config.sh IKECTL IKEV2D SEED_ASA_FILE
set -euo pipefail
ikectl=$1 ikev2d=$2 seed=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$ikectl" import-asa "$seed" -o "$tmp/ikev2d.conf" 2> "$tmp/summary" || fail "import-asa failed: $(cat "$tmp/summary")"
grep -q 'not converted:' "$tmp/summary" || fail "no summary on stderr: $(cat "$tmp/summary")"
grep -q '^# not converted: ' "$tmp/ikev2d.conf" || fail "no '# not converted:' lines in the output"
[ "$(stat -c %a "$tmp/ikev2d.conf")" = 600 ] || fail "the output is not mode 0600"
"$ikev2d" --check-config --config "$tmp/ikev2d.conf" > "$tmp/check" 2>&1 || fail "--check-config: $(cat "$tmp/check")"
# The seed's user, once the note's instruction is followed.
sed -e 's/^# \[user\.Anu\]$/[user.Anu]/' -e 's/^# group = /group = /' -e 's/^# password = ""$/password = "p4ss"/' \
  "$tmp/ikev2d.conf" > "$tmp/with-user.conf"
grep -q '^\[user\.Anu\]' "$tmp/with-user.conf" || fail "no commented user entry for Anu"
"$ikev2d" --check-config --config "$tmp/with-user.conf" > "$tmp/check" 2>&1 || fail "--check-config with the user: $(cat "$tmp/check")"
# Standard output without -o; errors and usage.
"$ikectl" import-asa "$seed" > "$tmp/stdout" 2> /dev/null || fail "import-asa to standard output failed"
grep -q '^\[\[ike_policy\]\]' "$tmp/stdout" || fail "nothing on standard output"
if "$ikectl" import-asa "$tmp/no-such-file" > /dev/null 2>&1; then fail "a missing file was accepted"; fi
rc=0; "$ikectl" import-asa > /dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "import-asa without FILE: status $rc, expected 2"
echo "import-asa: seed converted, --check-config OK"
