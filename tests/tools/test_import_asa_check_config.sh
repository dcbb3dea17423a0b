#!/usr/bin/env bash
# ikectl import-asa on the seed's ASA configuration: the output passes the daemon's own
# `ikev2d --check-config` (as written, and with the commented user entry filled in), the
# stderr summary names what was not converted, and bad invocations fail.
# The group's AnyConnect profile, once its XML is copied beside the file and the line
# uncommented, loads too.
# Usage: test_import_asa_check_config.sh IKECTL IKEV2D SEED_ASA_FILE SEED_PROFILE_XML
set -euo pipefail
ikectl=$1 ikev2d=$2 seed=$3 profile_xml=$4
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
grep -q '^port = 443' "$tmp/ikev2d.conf" || fail "no [client_services] port from client-services port 443"
sed -e 's/^# anyconnect_profile = /anyconnect_profile = /' "$tmp/with-user.conf" > "$tmp/with-profile.conf"
grep -q '^anyconnect_profile = "anyconnect-ikev2.xml"' "$tmp/with-profile.conf" || fail "no commented anyconnect_profile"
if "$ikev2d" --check-config --config "$tmp/with-profile.conf" > /dev/null 2>&1; then
  fail "anyconnect_profile loaded without its file"
fi
cp "$profile_xml" "$tmp/anyconnect-ikev2.xml"
"$ikev2d" --check-config --config "$tmp/with-profile.conf" > "$tmp/check" 2>&1 || fail "--check-config with the profile: $(cat "$tmp/check")"
# Standard output without -o; errors and usage.
"$ikectl" import-asa "$seed" > "$tmp/stdout" 2> /dev/null || fail "import-asa to standard output failed"
grep -q '^\[\[ike_policy\]\]' "$tmp/stdout" || fail "nothing on standard output"
if "$ikectl" import-asa "$tmp/no-such-file" > /dev/null 2>&1; then fail "a missing file was accepted"; fi
rc=0; "$ikectl" import-asa > /dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "import-asa without FILE: status $rc, expected 2"
echo "import-asa: seed converted, --check-config OK"
