#!/usr/bin/env bash
# The bash completion of the offline subcommands (profile, import-asa).
set -u
source "$1" || exit 1
failures=0
expect() {  # expected "sorted candidates " then the words, the last one being completed
    local want=$1 got
    shift
    COMP_WORDS=("$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMPREPLY=()
    _ikectl
    got=$(printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ')
    if [[ "$got" != "$want" ]]; then
        echo "FAIL: ikectl ${*}<TAB>: got '$got', want '$want'" >&2
        failures=$((failures + 1))
    fi
}
expect 'profile ' ikectl pro
expect 'import-asa ' ikectl im
expect 'mobileconfig ' ikectl profile --format m
expect 'anyconnect mobileconfig nm powershell sswan swanctl ' ikectl profile --group g --format ''
expect '--ca --config ' ikectl profile --c
expect '--group ' ikectl profile --config x --gr
expect ' ' ikectl profile --group ''
expect '--help --output ' ikectl import-asa -
if [[ $failures -ne 0 ]]; then
    echo "$failures completion check(s) failed" >&2
    exit 1
fi
echo ok
