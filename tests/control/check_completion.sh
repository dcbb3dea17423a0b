#!/usr/bin/env bash
# Sources tools/ikectl.bash-completion in a plain bash and completes command lines the
# way readline would (COMP_WORDS/COMP_CWORD), checking the candidates offered.
set -u
source "$1" || exit 1
failures=0
complete_line() {  # words..., the last one being completed (may be empty)
    COMP_WORDS=("$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE="$*"
    COMPREPLY=()
    _ikectl
    printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' '
}
expect() {  # expected "sorted candidates " then the words
    local want=$1
    shift
    local got
    got=$(complete_line "$@")
    if [[ "$got" != "$want" ]]; then
        echo "FAIL: ikectl ${*}<TAB>: got '$got', want '$want'" >&2
        failures=$((failures + 1))
    fi
}
[[ "$(complete -p ikectl)" == "complete -F _ikectl ikectl" ]] || { echo "FAIL: not registered for ikectl" >&2; failures=$((failures + 1)); }
expect 'show ' ikectl sh
expect 'redirect reload ' ikectl re
expect 'debug disconnect dump ' ikectl d
expect 'ipsec pools sa sessions stats ' ikectl show ''
expect 'debug disconnect dump import-asa monitor nt-hash profile redirect reload show ' ikectl ''
expect 'sa ' ikectl show ipsec ''
expect 'detail user ' ikectl show sessions ''
expect 'sa sessions stats ' ikectl show s
expect 'ipsec pools sa sessions stats ' ikectl --json show ''
expect 'ipsec pools sa sessions stats ' ikectl --bus-address unix:path=/x show ''
expect '--prometheus ' ikectl show stats ''
expect '--json ' ikectl --j
expect 'eap platform protocol ' ikectl debug ''
expect ' ' ikectl show sa detail ''
if [[ $failures -ne 0 ]]; then
    echo "$failures completion check(s) failed" >&2
    exit 1
fi
echo ok
