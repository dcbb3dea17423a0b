# Reading the kernel's IPsec state in a namespace (ip -s xfrm state / ip xfrm policy).

# e2e_xfrm_sas NS: one line per ESP SA: "src dst spi packets bytes encap" (encap "-" when none).
e2e_xfrm_sas() {
  ip -n "$1" -s xfrm state | awk '
    function flush() { if (spi != "") print src, dst, spi, packets + 0, bytes + 0, encap; spi = "" }
    /^src / { flush(); src = $2; dst = $4; encap = "-"; packets = 0; bytes = 0; next }
    /proto esp spi/ { for (i = 1; i <= NF; i++) if ($i == "spi") spi = $(i + 1); sub(/\(.*/, "", spi) }
    /encap type/ { for (i = 1; i <= NF; i++) if ($i == "type") encap = $(i + 1) }
    /lifetime current:/ { current = 1; next }
    current && /\(bytes\)/ { gsub(/[(),a-z]/, " "); bytes = $1; packets = $2; current = 0 }
    END { flush() }'
}

# e2e_assert_esp_packets NS [PEER...]: the namespace has ESP SAs that carried packets in
# both directions (to and from each PEER when given). Reads the kernel state once.
e2e_assert_esp_packets() {
  local ns=$1 sas peer in out
  shift
  sas=$(e2e_xfrm_sas "$ns")
  echo "$sas" > "$E2E_DIR/xfrm-sas-$ns.txt"
  if [ $# = 0 ]; then
    [ "$(echo "$sas" | awk '$4 > 0' | wc -l)" -ge 2 ] ||
      e2e_fail "$ns: fewer than two ESP SAs carried packets: $(echo "$sas" | tr '\n' ';')"
    e2e_log "$ns: ESP SAs with traffic: $(echo "$sas" | awk '$4 > 0 {printf "%s>%s spi %s %s pkts%s; ", $1, $2, $3, $4, ($6 != "-" ? " " $6 : "")}')"
    return 0
  fi
  for peer in "$@"; do
    out=$(echo "$sas" | awk -v p="$peer" '$2 == p && $4 > 0' | wc -l)
    in=$(echo "$sas" | awk -v p="$peer" '$1 == p && $4 > 0' | wc -l)
    [ "$out" -gt 0 ] && [ "$in" -gt 0 ] ||
      e2e_fail "$ns: no ESP SA with packets in both directions for $peer: $(echo "$sas" | tr '\n' ';')"
    e2e_log "$ns: ESP SAs with traffic for $peer: $(echo "$sas" | awk -v p="$peer" '($1 == p || $2 == p) && $4 > 0 {printf "%s>%s spi %s %s pkts%s; ", $1, $2, $3, $4, ($6 != "-" ? " " $6 : "")}')"
  done
}

# e2e_esp_both_ways NS PEER: status only: an SA toward PEER and one from it have carried
# packets (for checks retried while the client rekeys: a fresh pair starts at zero).
e2e_esp_both_ways() {
  local sas
  sas=$(e2e_xfrm_sas "$1")
  [ "$(echo "$sas" | awk -v p="$2" '$2 == p && $4 > 0' | wc -l)" -gt 0 ] &&
    [ "$(echo "$sas" | awk -v p="$2" '$1 == p && $4 > 0' | wc -l)" -gt 0 ]
}

# e2e_xfrm_state_count NS [ADDR]: ESP SAs (those to or from ADDR when given).
e2e_xfrm_state_count() {
  e2e_xfrm_sas "$1" | awk -v p="${2:-}" 'p == "" || $1 == p || $2 == p' | wc -l
}

# e2e_xfrm_policy_count NS [ADDR]: policies (those whose selector names ADDR when given).
e2e_xfrm_policy_count() {
  ip -n "$1" xfrm policy | grep "^src " | grep -F "${2:+ $2/}" | wc -l
}

# e2e_xfrm_encaps NS: the encapsulation types of the ESP SAs (espinudp behind NAT).
e2e_xfrm_encaps() { e2e_xfrm_sas "$1" | awk '{print $6}' | sort -u | tr '\n' ' '; }

# e2e_xfrm_tmpl_policy_count NS: policies that send traffic through IPsec (they have a
# template); the per-socket and bypass policies the daemons keep for themselves have none.
e2e_xfrm_tmpl_policy_count() { ip -n "$1" xfrm policy | grep -c '^[[:space:]]*tmpl ' || true; }
